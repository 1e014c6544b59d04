// Version comparison helpers. The SDKs' own vectors run in conditions_conformance_test.cpp;
// these show the padded form and the places where GrowthBook and Optimizely disagree.
#define BOOST_TEST_MODULE version
#include <boost/test/unit_test.hpp>

#include "vario/version.hpp"

using namespace vario;

BOOST_AUTO_TEST_CASE(padded_version_strings_look_like_growthbooks) {
  const std::pair<const char*, const char*> cases[] = {
      {"1.2.3", "    1-    2-    3-~"},
      {"v1.2.3+build.7", "    1-    2-    3-~"},
      {"1.0.0-rc.1", "    1-    0-    0-rc-    1"},
      {"1.2", "    1-    2"},
      {"", "    0"},
      {"123456.1.1", "123456-    1-    1-~"},
  };
  for (const auto& [version, padded] : cases) {
    BOOST_TEST_CONTEXT(version) { BOOST_TEST(padded_version_string(version) == padded); }
  }
}

BOOST_AUTO_TEST_CASE(growthbook_orders_releases_after_their_pre_releases) {
  BOOST_TEST(compare_padded_versions("1.0.0-rc.1", "1.0.0") < 0);
  BOOST_TEST(compare_padded_versions("1.10.0", "1.9.0") > 0);
  BOOST_TEST(compare_padded_versions("v2.0.0", "2.0.0+meta") == 0);
}

BOOST_AUTO_TEST_CASE(growthbook_keeps_a_plus_that_a_line_break_follows) {
  // /\+.*$/ cannot cross a line terminator, so only the last line's '+' starts build metadata.
  BOOST_TEST(padded_version_string("1+a\n2+b") == "1+a\n2");
}

BOOST_AUTO_TEST_CASE(the_two_tools_disagree_on_precision) {
  // Optimizely compares only the parts the condition has; GrowthBook compares whole strings.
  BOOST_TEST(*optimizely_compare_version("2.9", "2.9.1") == 0);
  BOOST_TEST(compare_padded_versions("2.9.1", "2.9") != 0);
}

BOOST_AUTO_TEST_CASE(optimizely_rejects_malformed_versions) {
  for (const char* bad : {"2.", ".2", "3.x", "1.2.3.4", "2 .3", "-", "+build", "1\xC2\xA0" "2"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!optimizely_compare_version("1.0", bad).has_value()); }
  }
}

BOOST_AUTO_TEST_CASE(optimizely_pre_releases_sort_before_their_release) {
  BOOST_TEST(*optimizely_compare_version("2.1.3", "2.1.3-beta") == -1);
  BOOST_TEST(*optimizely_compare_version("2.1.3-beta", "2.1.3") == 1);
  BOOST_TEST(*optimizely_compare_version("2.1.2-beta", "2.1.2-release") == 1);
}
