// Pearson's chi-square goodness-of-fit test, for sample-ratio-mismatch (SRM) checks: did the
// visitors split across variations in the proportions the weights promise?
#pragma once

#include <cstdint>
#include <span>

namespace vario::host {

// Q(a, x) = Γ(a, x) / Γ(a), the regularized upper incomplete gamma function, for a > 0 and
// x >= 0, to about 1e-13 relative accuracy (series below a + 1, Lentz's continued fraction
// above). NaN for arguments outside that domain.
double regularized_upper_gamma(double a, double x);

// P(X >= statistic) for X chi-square distributed with `degrees_of_freedom` (>= 1):
// Q(df / 2, statistic / 2). 3.841 with 1 degree of freedom gives 0.05.
double chi_square_p_value(double statistic, int degrees_of_freedom);

// A split is flagged as a sample-ratio mismatch below this p-value: by chance alone, one
// campaign in a thousand (the simulator's and the collector's results use the same bound).
inline constexpr double kSrmThreshold = 0.001;

struct GoodnessOfFit {
  double statistic = 0;        // Σ (observed - expected)² / expected
  int degrees_of_freedom = 0;  // categories with a positive expected share, minus one
  double p_value = 1;          // 1 when there is nothing to test (df 0 or no observations)
};

// Tests `observed` counts against `expected_shares` (same length, non-negative, summing to 1
// or to any positive total: they are normalized). A count in a category whose expected share is
// 0 makes the statistic infinite and the p-value 0.
GoodnessOfFit chi_square_goodness_of_fit(std::span<const std::uint64_t> observed,
                                         std::span<const double> expected_shares);

}  // namespace vario::host
