#include "stats/chi_square.hpp"

#include <cmath>
#include <limits>

namespace vario::host {
namespace {

constexpr double kEpsilon = 1e-15;
constexpr int kMaxIterations = 10000;

// P(a, x) by its power series; converges quickly for x < a + 1.
double lower_by_series(double a, double x) {
  double term = 1 / a, sum = term;
  for (int n = 1; n < kMaxIterations; ++n) {
    term *= x / (a + n);
    sum += term;
    if (std::fabs(term) < std::fabs(sum) * kEpsilon) break;
  }
  return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

// Q(a, x) by its continued fraction (modified Lentz); converges quickly for x >= a + 1 and
// keeps relative accuracy for tiny p-values, where 1 - P would cancel to 0.
double upper_by_continued_fraction(double a, double x) {
  constexpr double kTiny = 1e-300;
  double b = x + 1 - a, c = 1 / kTiny, d = 1 / b, h = d;
  for (int i = 1; i < kMaxIterations; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < kEpsilon) break;
  }
  return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

}  // namespace

double regularized_upper_gamma(double a, double x) {
  if (!(a > 0) || !(x >= 0)) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return 1;
  if (std::isinf(x)) return 0;
  return x < a + 1 ? 1 - lower_by_series(a, x) : upper_by_continued_fraction(a, x);
}

double chi_square_p_value(double statistic, int degrees_of_freedom) {
  if (degrees_of_freedom < 1) return std::numeric_limits<double>::quiet_NaN();
  return regularized_upper_gamma(degrees_of_freedom / 2.0, statistic < 0 ? 0 : statistic / 2);
}

GoodnessOfFit chi_square_goodness_of_fit(std::span<const std::uint64_t> observed,
                                         std::span<const double> expected_shares) {
  const std::size_t n =
      observed.size() < expected_shares.size() ? observed.size() : expected_shares.size();
  double total = 0, share_total = 0;
  int possible = 0;
  for (std::size_t i = 0; i < n; ++i) {
    total += static_cast<double>(observed[i]);
    if (expected_shares[i] > 0) {
      share_total += expected_shares[i];
      ++possible;
    }
  }
  GoodnessOfFit fit;
  fit.degrees_of_freedom = possible > 1 ? possible - 1 : 0;
  if (total == 0) return fit;
  for (std::size_t i = 0; i < n; ++i) {
    const double o = static_cast<double>(observed[i]);
    if (!(expected_shares[i] > 0)) {
      if (o > 0) fit.statistic = std::numeric_limits<double>::infinity();
      continue;
    }
    const double e = total * expected_shares[i] / share_total;
    fit.statistic += (o - e) * (o - e) / e;
  }
  if (std::isinf(fit.statistic))
    fit.p_value = 0;
  else if (fit.degrees_of_freedom > 0)
    fit.p_value = chi_square_p_value(fit.statistic, fit.degrees_of_freedom);
  return fit;
}

}  // namespace vario::host
