// The native side of the shared conformance runner: runs sections of tests/conformance/
// sections.json through check_conformance_case in a Boost.Test case, as
// tests/wasm/conformance.test.mjs does in wasm. Used by the conformance tests of tests/runtime/.
#pragma once

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "conformance/runner.hpp"
#include "regex/ecmascript_regex.hpp"
#include "support/conformance.hpp"

namespace vario::testing {

inline nlohmann::json sections_index() {
  std::ifstream in(source_dir() / "tests/conformance/sections.json");
  BOOST_REQUIRE_MESSAGE(in,
                        "tests/conformance/sections.json is missing (is VARIO_SOURCE_DIR set?)");
  return nlohmann::json::parse(in);
}

inline std::set<std::string> listed_sections() {
  const nlohmann::json index = sections_index();
  std::set<std::string> listed;
  for (const nlohmann::json& entry : index.at("sections")) listed.insert(entry.at("section"));
  return listed;
}

// Runs every case of each section; reports "section: passed/total" and each failing case, or
// "skipped" when the section's data file is absent.
inline void run_sections(const std::vector<std::string>& sections) {
  using nlohmann::json;
  const json index = sections_index();
  const vario::host::EcmascriptRegex regex;
  for (const std::string& section : sections) {
    const json* entry = nullptr;
    for (const json& e : index.at("sections"))
      if (e.at("section") == section) entry = &e;
    BOOST_REQUIRE_MESSAGE(entry,
                          "section " << section << " is not in tests/conformance/sections.json");
    const std::string file = entry->at("file");
    const auto data = conformance_file(file);
    if (!data) {
      BOOST_TEST_MESSAGE("skipped " << section << ": " << file
                                    << " is absent from VARIO_CONFORMANCE_DIR");
      continue;
    }
    const json* cases = &*data;
    for (const json& key : entry->at("path")) cases = &cases->at(key.get<std::string>());

    int passed = 0;
    for (const json& c : *cases) {
      const json result =
          json::parse(vario::conformance::check_conformance_case(section, c.dump(), regex));
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

}  // namespace vario::testing
