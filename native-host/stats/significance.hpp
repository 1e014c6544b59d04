// The tests behind a campaign's results (docs/events.md#results): is a variation's conversion
// rate, or its revenue per visitor, different from the control's? Two-sided, at 95%.
#pragma once

#include <cstdint>

namespace vario::host {

// The standard normal distribution: Φ(z), and z such that Φ(z) = p (0 < p < 1).
double normal_cdf(double z);
double normal_quantile(double p);

// The Student t distribution with `df` > 0 degrees of freedom (not necessarily whole): P(T <= t),
// and t such that P(T <= t) = p (0 < p < 1).
double student_t_cdf(double t, double df);
double student_t_quantile(double p, double df);

// I_x(a, b), the regularized incomplete beta function, for a, b > 0 and 0 <= x <= 1.
double regularized_incomplete_beta(double a, double b, double x);

// A difference between a variation and the control, with its 95% interval and the p-value of
// "no difference". `relative` is difference / control, its interval by the delta method
// (treating both estimates as independent and normal). Fields are NaN where they are undefined
// (no visitors, no variance, a control of 0 for the relative lift).
struct Comparison {
  double difference = 0;
  double low = 0, high = 0;  // the 95% interval of the difference
  double relative = 0;
  double relative_low = 0, relative_high = 0;
  double p_value = 1;
  double statistic = 0;           // z for rates, t for means
  double degrees_of_freedom = 0;  // Welch–Satterthwaite; 0 for the z-test
};

// Two proportions, x/n of the variation against x0/n0 of the control: the p-value of the pooled
// two-proportion z-test, the interval of the difference with the unpooled (Wald) standard error.
Comparison compare_proportions(std::uint64_t x0, std::uint64_t n0, std::uint64_t x,
                               std::uint64_t n);

// A sample summarized by its size, sum and sum of squares.
struct Sample {
  double n = 0, sum = 0, sum_of_squares = 0;
  void add(double v) {
    n += 1;
    sum += v;
    sum_of_squares += v * v;
  }
  double mean() const { return n > 0 ? sum / n : 0; }
  double variance() const;  // unbiased (n - 1); 0 below two observations
};

// Welch's t-test of two means (unequal variances), the variation against the control; the
// interval of the difference uses the t quantile at the Welch–Satterthwaite degrees of freedom.
Comparison compare_means(const Sample& control, const Sample& variation);

}  // namespace vario::host
