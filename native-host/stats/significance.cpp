#include "stats/significance.hpp"

#include <cmath>
#include <limits>

namespace vario::host {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kEpsilon = 1e-15;
constexpr int kMaxIterations = 10000;
constexpr double kTiny = 1e-300;

// The continued fraction of I_x(a, b) (modified Lentz), which converges fast for
// x < (a + 1) / (a + b + 2).
double beta_continued_fraction(double a, double b, double x) {
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m < kMaxIterations; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < kEpsilon) break;
  }
  return h;
}

// 95%: the quantile that leaves 2.5% in each tail.
constexpr double kTwoSidedLevel = 0.975;

// The relative lift (v - c) / c and its delta-method interval, given both standard errors.
void relative(Comparison& out, double control, double variation, double se_control,
              double se_variation) {
  if (control == 0) {
    out.relative = out.relative_low = out.relative_high = kNaN;
    return;
  }
  out.relative = variation / control - 1;
  const double se = std::sqrt(se_variation * se_variation / (control * control) +
                              variation * variation * se_control * se_control /
                                  (control * control * control * control));
  const double z = normal_quantile(kTwoSidedLevel);
  out.relative_low = out.relative - z * se;
  out.relative_high = out.relative + z * se;
}

}  // namespace

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double normal_quantile(double p) {
  if (!(p > 0 && p < 1)) return p == 0 ? -INFINITY : p == 1 ? INFINITY : kNaN;
  // Acklam's rational approximation (relative error 1.15e-9), then two Newton steps on erfc,
  // which bring it to double precision.
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  double x;
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - 0.02425) {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  for (int i = 0; i < 2; ++i) {
    const double e = normal_cdf(x) - p;
    const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
    x -= u / (1 + x * u / 2);  // Halley's step
  }
  return x;
}

double regularized_incomplete_beta(double a, double b, double x) {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) return kNaN;
  if (x == 0 || x == 1) return x;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * beta_continued_fraction(a, b, x) / a;
  return 1 - front * beta_continued_fraction(b, a, 1 - x) / b;
}

double student_t_cdf(double t, double df) {
  if (!(df > 0) || std::isnan(t)) return kNaN;
  if (std::isinf(t)) return t > 0 ? 1 : 0;
  // P(|T| > |t|) = I_{df / (df + t²)}(df / 2, 1 / 2).
  const double tail = 0.5 * regularized_incomplete_beta(df / 2, 0.5, df / (df + t * t));
  return t > 0 ? 1 - tail : tail;
}

double student_t_quantile(double p, double df) {
  if (!(p > 0 && p < 1) || !(df > 0)) return kNaN;
  // Bisection on the monotone cdf from the normal quantile's neighbourhood: robust for any df,
  // and 200 halvings reach double precision.
  double low = -1, high = 1;
  while (student_t_cdf(low, df) > p) low *= 2;
  while (student_t_cdf(high, df) < p) high *= 2;
  for (int i = 0; i < 200 && high - low > 1e-15 * std::fmax(1, std::fabs(low)); ++i) {
    const double mid = (low + high) / 2;
    (student_t_cdf(mid, df) < p ? low : high) = mid;
  }
  return (low + high) / 2;
}

double Sample::variance() const {
  if (n < 2) return 0;
  const double m = sum / n;
  return std::fmax(0, (sum_of_squares - n * m * m) / (n - 1));
}

Comparison compare_proportions(std::uint64_t x0, std::uint64_t n0, std::uint64_t x,
                               std::uint64_t n) {
  Comparison out;
  if (n0 == 0 || n == 0) {
    out.difference = out.low = out.high = out.p_value = out.statistic = kNaN;
    out.relative = out.relative_low = out.relative_high = kNaN;
    return out;
  }
  const double p0 = static_cast<double>(x0) / n0, p = static_cast<double>(x) / n;
  out.difference = p - p0;
  const double se0 = std::sqrt(p0 * (1 - p0) / n0), se = std::sqrt(p * (1 - p) / n);
  const double wald = std::sqrt(se0 * se0 + se * se);
  const double z = normal_quantile(kTwoSidedLevel);
  out.low = out.difference - z * wald;
  out.high = out.difference + z * wald;
  const double pooled = static_cast<double>(x0 + x) / (n0 + n);
  const double se_pooled = std::sqrt(pooled * (1 - pooled) * (1.0 / n0 + 1.0 / n));
  if (se_pooled == 0) {
    out.statistic = 0;
    out.p_value = 1;  // both all or nothing alike: no evidence of a difference
  } else {
    out.statistic = out.difference / se_pooled;
    out.p_value = std::erfc(std::fabs(out.statistic) / std::sqrt(2.0));
  }
  relative(out, p0, p, se0, se);
  return out;
}

Comparison compare_means(const Sample& control, const Sample& variation) {
  Comparison out;
  const double v0 = control.variance() / control.n, v = variation.variance() / variation.n;
  out.difference = variation.mean() - control.mean();
  if (control.n < 2 || variation.n < 2 || v0 + v == 0) {
    out.low = out.high = out.p_value = out.statistic = out.degrees_of_freedom = kNaN;
    if (control.n >= 2 && variation.n >= 2 && out.difference == 0) out.p_value = 1;
    out.relative = control.mean() != 0 ? variation.mean() / control.mean() - 1 : kNaN;
    out.relative_low = out.relative_high = kNaN;
    return out;
  }
  const double se = std::sqrt(v0 + v);
  out.degrees_of_freedom =
      (v0 + v) * (v0 + v) / (v0 * v0 / (control.n - 1) + v * v / (variation.n - 1));
  out.statistic = out.difference / se;
  out.p_value = 2 * student_t_cdf(-std::fabs(out.statistic), out.degrees_of_freedom);
  const double t = student_t_quantile(kTwoSidedLevel, out.degrees_of_freedom);
  out.low = out.difference - t * se;
  out.high = out.difference + t * se;
  relative(out, control.mean(), variation.mean(), std::sqrt(v0), std::sqrt(v));
  return out;
}

}  // namespace vario::host
