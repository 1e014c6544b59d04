// Every case of the GrowthBook and Optimizely conformance data that the engine implements, run
// through the shared runner (tests/conformance/runner.cpp), must pass: the same runner and data
// drive the wasm build in tests/wasm/conformance.test.mjs. Where the cases are is listed once,
// in tests/conformance/sections.json.
#define BOOST_TEST_MODULE allocation conformance
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "conformance/runner.hpp"
#include "regex/ecmascript_regex.hpp"
#include "support/conformance.hpp"

namespace {

using nlohmann::json;

json sections_index() {
  std::ifstream in(vario::testing::source_dir() / "tests/conformance/sections.json");
  BOOST_REQUIRE_MESSAGE(in, "tests/conformance/sections.json is missing (is VARIO_SOURCE_DIR set?)");
  return json::parse(in);
}

const json& entry_for(const json& index, const std::string& section) {
  for (const json& entry : index.at("sections"))
    if (entry.at("section") == section) return entry;
  BOOST_FAIL("section " << section << " is not in tests/conformance/sections.json");
  return index;  // not reached
}

// Runs every case of each section; reports "section: passed/total" and each failing case.
void run_sections(const std::vector<std::string>& sections) {
  const json index = sections_index();
  const vario::host::EcmascriptRegex regex;
  for (const std::string& section : sections) {
    const json& entry = entry_for(index, section);
    const std::string file = entry.at("file");
    const auto data = vario::testing::conformance_file(file);
    if (!data) {
      BOOST_TEST_MESSAGE("skipped " << section << ": " << file
                                    << " is absent from VARIO_CONFORMANCE_DIR");
      continue;
    }
    const json* cases = &*data;
    for (const json& key : entry.at("path")) cases = &cases->at(key.get<std::string>());

    int passed = 0;
    for (const json& c : *cases) {
      const json result = json::parse(vario::conformance::check_conformance_case(section, c.dump(), regex));
      if (result.at("pass") == true) {
        ++passed;
      } else {
        BOOST_ERROR(section << " case " << c.dump() << " failed: " << result.dump());
      }
    }
    BOOST_TEST_MESSAGE(section << ": " << passed << "/" << cases->size() << " pass");
    BOOST_TEST(passed == static_cast<int>(cases->size()));
    BOOST_TEST(!cases->empty(), section << " has no cases");
  }
}

const std::vector<std::string> kHashing = {"hash", "getBucketRange", "chooseVariation",
                                           "getEqualWeights", "inNamespace"};
const std::vector<std::string> kConditions = {"evalCondition"};
const std::vector<std::string> kVersions = {"versionCompare.lt", "versionCompare.gt",
                                            "versionCompare.eq"};
const std::vector<std::string> kOptimizely = {"bucketing", "semver"};

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

BOOST_AUTO_TEST_CASE(every_section_of_sections_json_is_run_by_one_of_these_tests) {
  std::set<std::string> run;
  for (const auto* list : {&kHashing, &kConditions, &kVersions, &kOptimizely})
    run.insert(list->begin(), list->end());
  const json index = sections_index();
  std::set<std::string> listed;
  for (const json& entry : index.at("sections")) listed.insert(entry.at("section"));
  BOOST_TEST(run == listed, boost::test_tools::per_element());
}
