#define BOOST_TEST_MODULE stats_significance
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>

#include "stats/chi_square.hpp"
#include "stats/significance.hpp"

using nlohmann::json;
using namespace vario::host;
namespace tt = boost::test_tools;

namespace {

// Computed once with scipy by fixtures/make_significance_fixtures.py, which is checked in
// beside its output: the tests themselves need no scipy.
const json& fixtures() {
  static const json f = [] {
    const char* dir = std::getenv("VARIO_SOURCE_DIR");
    const std::filesystem::path source = dir ? dir : ".";
    std::ifstream in(source / "tests/native-host/fixtures/significance_fixtures.json");
    BOOST_REQUIRE_MESSAGE(in, "significance_fixtures.json not found: set VARIO_SOURCE_DIR");
    return json::parse(in);
  }();
  return f;
}

// Agreement to 1e-8 relative (or 1e-12 absolute near 0): far below any digit a result shows.
void close(double got, const json& want, const std::string& what) {
  BOOST_TEST_CONTEXT(what) {
    if (want.is_null()) {
      BOOST_TEST(std::isnan(got));
      return;
    }
    const double w = want.get<double>();
    BOOST_TEST(std::fabs(got - w) <= std::max(1e-12, 1e-8 * std::fabs(w)),
               "got " << std::setprecision(17) << got << ", scipy " << w);
  }
}

Sample sample(const json& values) {
  Sample s;
  for (const json& v : values) s.add(v.get<double>());
  return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_two_proportion_test_agrees_with_scipy) {
  for (const json& f : fixtures()["proportions"]) {
    const Comparison c = compare_proportions(f["x0"], f["n0"], f["x"], f["n"]);
    const std::string at = f.dump().substr(0, 60);
    close(c.difference, f["difference"], at + " difference");
    close(c.low, f["low"], at + " low");
    close(c.high, f["high"], at + " high");
    close(c.statistic, f["z"], at + " z");
    close(c.p_value, f["p_value"], at + " p");
    close(c.relative, f["relative"], at + " relative");
    close(c.relative_low, f["relative_low"], at + " relative low");
    close(c.relative_high, f["relative_high"], at + " relative high");
  }
}

BOOST_AUTO_TEST_CASE(welchs_t_test_agrees_with_scipy) {
  for (const json& f : fixtures()["means"]) {
    const Comparison c = compare_means(sample(f["control"]), sample(f["variation"]));
    const std::string at = "n " + std::to_string(f["control"].size());
    close(c.difference, f["difference"], at + " difference");
    close(c.statistic, f["t"], at + " t");
    close(c.degrees_of_freedom, f["df"], at + " df");
    close(c.p_value, f["p_value"], at + " p");
    close(c.low, f["low"], at + " low");
    close(c.high, f["high"], at + " high");
    close(c.relative, f["relative"], at + " relative");
    close(c.relative_low, f["relative_low"], at + " relative low");
  }
}

BOOST_AUTO_TEST_CASE(the_distributions_agree_with_scipy) {
  for (const json& f : fixtures()["normal_quantile"])
    close(normal_quantile(f["p"]), f["z"], "normal quantile " + f["p"].dump());
  for (const json& f : fixtures()["student_t"]) {
    close(student_t_cdf(f["t"], f["df"]), f["cdf"], "t cdf " + f.dump());
    close(student_t_quantile(0.975, f["df"]), f["quantile_975"], "t quantile " + f.dump());
  }
}

BOOST_AUTO_TEST_CASE(the_sample_ratio_check_agrees_with_scipy) {
  for (const json& f : fixtures()["chi_square"]) {
    const auto observed = f["observed"].get<std::vector<std::uint64_t>>();
    const auto weights = f["weights"].get<std::vector<double>>();
    const GoodnessOfFit fit = chi_square_goodness_of_fit(observed, weights);
    close(fit.statistic, f["statistic"], "chi-square " + f.dump());
    close(fit.p_value, f["p_value"], "p " + f.dump());
  }
}

BOOST_AUTO_TEST_CASE(empty_and_constant_samples_give_undefined_values_not_numbers) {
  const Comparison none = compare_proportions(0, 0, 5, 10);
  BOOST_TEST(std::isnan(none.p_value));
  const Comparison all = compare_proportions(10, 10, 10, 10);
  BOOST_TEST(all.p_value == 1);
  BOOST_TEST(all.difference == 0);
  Sample zeros;
  for (int i = 0; i < 5; ++i) zeros.add(0);
  const Comparison flat = compare_means(zeros, zeros);
  BOOST_TEST(flat.p_value == 1);
  BOOST_TEST(std::isnan(flat.low));
  BOOST_TEST(std::isnan(flat.relative));  // a control of 0 has no relative lift
}
