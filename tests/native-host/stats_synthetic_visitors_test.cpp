#define BOOST_TEST_MODULE stats_synthetic_visitors
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <map>
#include <set>
#include <string>

#include "stats/synthetic_visitors.hpp"
#include "vario/user_agent.hpp"

using namespace vario;
using namespace vario::host;

BOOST_AUTO_TEST_CASE(the_generator_repeats_itself_for_a_seed_and_stays_in_range) {
  Prng prng(0);
  const std::uint64_t first = prng.next();
  Prng again(0);
  BOOST_TEST(again.next() == first);
  for (int i = 0; i < 1000; ++i) {
    const double u = prng.uniform();
    BOOST_TEST_REQUIRE((u >= 0 && u < 1));
    BOOST_TEST_REQUIRE(prng.below(7) < 7u);
  }
}

BOOST_AUTO_TEST_CASE(visitors_have_random_hex_ids_and_the_documented_mix) {
  constexpr int kVisitors = 40'000;
  VisitorMix mix(42);
  SyntheticVisitor v;
  std::set<std::string> ids;
  std::map<std::string, int> device, browser, os, language;
  int returning = 0;
  for (int i = 0; i < kVisitors; ++i) {
    mix.next(v);
    BOOST_TEST_REQUIRE(v.id.size() == 32u);
    BOOST_TEST_REQUIRE(v.id.find_first_not_of("0123456789abcdef") == std::string::npos);
    ids.insert(v.id);
    const UserAgentInfo ua = parse_user_agent(v.page.user_agent);
    BOOST_TEST_REQUIRE(!ua.bot, v.page.user_agent);
    BOOST_TEST_REQUIRE(ua.browser != "other", v.page.user_agent);
    BOOST_TEST_REQUIRE(!ua.browser_version.empty(), v.page.user_agent);
    ++device[std::string(ua.device)];
    ++browser[std::string(ua.browser)];
    ++os[std::string(ua.os)];
    ++language[v.page.language];
    BOOST_TEST_REQUIRE(v.counts.page_views >= v.counts.visits);
    BOOST_TEST_REQUIRE(v.page.screen_width.has_value());
    returning += v.counts.visits > 1;
  }
  BOOST_TEST(ids.size() == std::size_t(kVisitors));
  const auto share = [&](int n) { return double(n) / kVisitors; };
  // docs/cli.md: 58% mobile, 6% tablet, 36% desktop; 40% returning; 28% en-US; 52% Chrome;
  // 29.5% iOS.
  BOOST_TEST(std::fabs(share(device["mobile"]) - 0.58) < 0.01);
  BOOST_TEST(std::fabs(share(device["tablet"]) - 0.06) < 0.005);
  BOOST_TEST(std::fabs(share(device["desktop"]) - 0.36) < 0.01);
  BOOST_TEST(std::fabs(share(returning) - 0.40) < 0.01);
  BOOST_TEST(std::fabs(share(language["en-US"]) - 0.28) < 0.01);
  BOOST_TEST(std::fabs(share(browser["chrome"]) - 0.52) < 0.01);
  BOOST_TEST(std::fabs(share(os["ios"]) - 0.295) < 0.01);
  for (const char* name : {"chrome", "safari", "edge", "firefox", "samsung", "opera"})
    BOOST_TEST(browser[name] > 0, name);
  for (const char* name : {"windows", "macos", "ios", "android", "linux", "chromeos"})
    BOOST_TEST(os[name] > 0, name);
}
