#define BOOST_TEST_MODULE stats_chi_square
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include "stats/chi_square.hpp"

using namespace vario::host;

namespace {

// Closed forms to check against: 1 degree of freedom is erfc(sqrt(x / 2)); an even number 2k
// is exp(-x/2) Σ_{i<k} (x/2)^i / i!.
double p_one_df(double x) { return std::erfc(std::sqrt(x / 2)); }
double p_even_df(double x, int df) {
  double term = 1, sum = 0;
  for (int i = 0; i < df / 2; ++i) {
    sum += term;
    term *= (x / 2) / (i + 1);
  }
  return std::exp(-x / 2) * sum;
}

bool close(double actual, double expected, double relative) {
  return std::fabs(actual - expected) <= relative * std::fabs(expected);
}

}  // namespace

BOOST_AUTO_TEST_CASE(tabulated_critical_values_give_their_significance_level) {
  struct Case {
    double statistic;
    int df;
    double p;
  };
  const Case cases[] = {
      {3.841458820694124, 1, 0.05},   {6.634896601021214, 1, 0.01},
      {10.827566170662733, 1, 0.001}, {5.991464547107979, 2, 0.05},
      {7.814727903251178, 3, 0.05},   {16.26623619623813, 3, 0.001},
      {18.307038053275146, 10, 0.05}, {124.34211340400407, 100, 0.05},
      {0.45493642311957305, 1, 0.5},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT("chi2 " << c.statistic << " df " << c.df) {
      BOOST_TEST(close(chi_square_p_value(c.statistic, c.df), c.p, 1e-9));
    }
  }
}

BOOST_AUTO_TEST_CASE(p_values_match_closed_forms_across_the_range_including_tiny_ones) {
  for (double x : {0.001, 0.1, 0.5, 1.0, 2.0, 3.0, 7.5, 20.0, 60.0, 100.0, 300.0, 1000.0}) {
    BOOST_TEST_CONTEXT("chi2 " << x) {
      BOOST_TEST(close(chi_square_p_value(x, 1), p_one_df(x), 1e-11));
      for (int df : {2, 4, 6, 20, 50})
        BOOST_TEST(close(chi_square_p_value(x, df), p_even_df(x, df), 1e-11), "df " << df);
    }
  }
  // chi2 = 100 with 1 df: erfc(sqrt(50)) = 1.5239706048320995e-23, no cancellation to 0.
  BOOST_TEST(close(chi_square_p_value(100, 1), 1.5239706048320995e-23, 1e-10));
}

BOOST_AUTO_TEST_CASE(the_gamma_function_handles_its_edges) {
  BOOST_TEST(regularized_upper_gamma(1.5, 0) == 1.0);
  BOOST_TEST(regularized_upper_gamma(1.5, INFINITY) == 0.0);
  BOOST_TEST(std::isnan(regularized_upper_gamma(0, 1)));
  BOOST_TEST(std::isnan(regularized_upper_gamma(1, -1)));
  BOOST_TEST(close(regularized_upper_gamma(1, 2.5), std::exp(-2.5), 1e-13));
}

BOOST_AUTO_TEST_CASE(goodness_of_fit_tests_counts_against_the_weights) {
  // 5,100 vs 4,900 against 50/50: chi2 = 2 * 100² / 5000 = 4, df 1.
  const std::vector<std::uint64_t> observed{5100, 4900};
  const std::vector<double> half{0.5, 0.5};
  const GoodnessOfFit fit = chi_square_goodness_of_fit(observed, half);
  BOOST_TEST(close(fit.statistic, 4.0, 1e-12));
  BOOST_TEST(fit.degrees_of_freedom == 1);
  BOOST_TEST(close(fit.p_value, p_one_df(4.0), 1e-11));

  // Shares need not sum to 1: 1:3 is the same as 0.25/0.75.
  const std::vector<std::uint64_t> exact{250, 750};
  const std::vector<double> one_to_three{1, 3};
  BOOST_TEST(chi_square_goodness_of_fit(exact, one_to_three).statistic == 0.0);
  BOOST_TEST(chi_square_goodness_of_fit(exact, one_to_three).p_value == 1.0);
}

BOOST_AUTO_TEST_CASE(degenerate_inputs_do_not_pretend_to_test_anything) {
  const std::vector<std::uint64_t> none{0, 0};
  const std::vector<double> half{0.5, 0.5};
  BOOST_TEST(chi_square_goodness_of_fit(none, half).p_value == 1.0);

  const std::vector<std::uint64_t> one{42};
  const std::vector<double> all{1};
  const GoodnessOfFit single = chi_square_goodness_of_fit(one, all);
  BOOST_TEST(single.degrees_of_freedom == 0);
  BOOST_TEST(single.p_value == 1.0);

  // Visitors in a variation of weight 0 cannot happen by chance.
  const std::vector<std::uint64_t> impossible{10, 1};
  const std::vector<double> all_first{1, 0};
  BOOST_TEST(chi_square_goodness_of_fit(impossible, all_first).p_value == 0.0);
}
