// Every case of the GrowthBook and Optimizely conformance data that the engine implements, run
// through the shared runner (tests/conformance/runner.cpp), must pass: the same runner and data
// drive the wasm build in tests/wasm/conformance.test.mjs. Where the cases are is listed once,
// in tests/conformance/sections.json.
#define BOOST_TEST_MODULE allocation conformance
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <vector>

#include "conformance/native_sections.hpp"

namespace {

using vario::testing::run_sections;

const std::vector<std::string> kHashing = {"hash", "getBucketRange", "chooseVariation",
                                           "getEqualWeights", "inNamespace"};
const std::vector<std::string> kConditions = {"evalCondition"};
const std::vector<std::string> kVersions = {"versionCompare.lt", "versionCompare.gt",
                                            "versionCompare.eq"};
const std::vector<std::string> kOptimizely = {"bucketing", "semver"};
// Run by tests/runtime/consent_tc_string_conformance_test.cpp.
const std::vector<std::string> kElsewhere = {"tcf"};

}  // namespace

BOOST_AUTO_TEST_CASE(growthbook_hashes_ranges_and_namespaces_are_those_of_the_js_sdk) {
  run_sections(kHashing);
}

BOOST_AUTO_TEST_CASE(growthbook_conditions_evaluate_as_in_the_js_sdk) { run_sections(kConditions); }

BOOST_AUTO_TEST_CASE(growthbook_version_strings_compare_as_in_the_js_sdk) {
  run_sections(kVersions);
}

BOOST_AUTO_TEST_CASE(optimizely_buckets_and_versions_are_those_of_its_sdks) {
  run_sections(kOptimizely);
}

BOOST_AUTO_TEST_CASE(every_section_of_sections_json_is_run_by_one_of_the_conformance_tests) {
  std::set<std::string> run;
  for (const auto* list : {&kHashing, &kConditions, &kVersions, &kOptimizely, &kElsewhere})
    run.insert(list->begin(), list->end());
  BOOST_TEST(run == vario::testing::listed_sections(), boost::test_tools::per_element());
}
