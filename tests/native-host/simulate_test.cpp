#define BOOST_TEST_MODULE simulate
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "commands/simulate.hpp"
#include "config/compile.hpp"
#include "config/validate.hpp"
#include "regex/ecmascript_regex.hpp"
#include "support/campaigns.hpp"

using namespace vario;
using namespace vario::host;
using Json = nlohmann::json;

namespace {

constexpr std::uint64_t kVisitors = 20'000;

// One running A/B test on /product pages with `extra` merged into the campaign.
Json campaign_doc(const Json& extra = Json::object()) {
  Json doc = vario::testing::headline_test();
  doc["campaigns"][0].update(extra);
  return doc;
}

SimulationResult run(const Json& doc, std::uint64_t visitors = kVisitors, std::uint64_t seed = 1,
                     std::string url = "") {
  const auto problems = validate_campaigns_text(doc.dump());
  for (const auto& d : problems) BOOST_TEST_MESSAGE(format_diagnostic(d));
  BOOST_TEST_REQUIRE(problems.empty());
  const std::string bin = compile_campaigns(doc);
  auto config = Config::from_bytes(testing::bytes(bin));
  BOOST_TEST_REQUIRE(config.ok());
  const EcmascriptRegex regex;
  return simulate(config.value(),
                  {.visitors = visitors, .seed = seed, .url = std::move(url), .now_ms = 1.75e12},
                  regex);
}

double share(std::uint64_t part, std::uint64_t whole) { return double(part) / double(whole); }

std::uint64_t not_applied(const CampaignResult& c, Reason reason) {
  for (const auto& [r, n] : c.not_applied)
    if (r == reason) return n;
  return 0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_fifty_fifty_test_splits_evenly_without_a_sample_ratio_mismatch) {
  const SimulationResult result = run(campaign_doc());
  BOOST_TEST_REQUIRE(result.campaigns.size() == 1u);
  const CampaignResult& c = result.campaigns[0];
  BOOST_TEST(c.url == "https://www.example.com/product");
  BOOST_TEST(c.url_matches);
  BOOST_TEST(c.eligible == kVisitors);
  BOOST_TEST(c.assigned == kVisitors);
  BOOST_TEST(c.not_applied.empty());
  for (const VariationResult& v : c.variations) {
    BOOST_TEST(v.expected_share == 0.5);
    // 4 standard deviations of a binomial share at n = 20,000 is 0.014.
    BOOST_TEST(std::fabs(share(v.visitors, c.assigned) - 0.5) < 0.014, v.id);
  }
  BOOST_TEST(c.split.degrees_of_freedom == 1);
  BOOST_TEST(!c.sample_ratio_mismatch(), "p = " << c.split.p_value);
  BOOST_TEST(result.evaluations == kVisitors);
}

BOOST_AUTO_TEST_CASE(traffic_limits_the_share_of_eligible_visitors_who_get_a_variation) {
  const CampaignResult c = run(campaign_doc({{"traffic", 0.3}})).campaigns[0];
  BOOST_TEST(c.eligible == kVisitors);
  BOOST_TEST(std::fabs(share(c.assigned, c.eligible) - 0.3) < 0.015);
  BOOST_TEST(not_applied(c, Reason::kNotInTraffic) == c.eligible - c.assigned);
  BOOST_TEST(!c.sample_ratio_mismatch(), "p = " << c.split.p_value);
}

BOOST_AUTO_TEST_CASE(an_audience_without_mobile_leaves_out_the_documented_mobile_share) {
  const CampaignResult c =
      run(campaign_doc({{"audience", {{"device", {{"$ne", "mobile"}}}}}})).campaigns[0];
  // The mix is 58% mobile (docs/cli.md).
  BOOST_TEST(std::fabs(share(c.eligible, kVisitors) - 0.42) < 0.015);
  BOOST_TEST(not_applied(c, Reason::kAudienceNotMatched) == kVisitors - c.eligible);
  BOOST_TEST(c.assigned == c.eligible);
  BOOST_TEST(!c.sample_ratio_mismatch());
}

BOOST_AUTO_TEST_CASE(unequal_weights_are_the_expected_shares) {
  Json doc = campaign_doc();
  doc["campaigns"][0]["variations"][0]["weight"] = 0.8;
  doc["campaigns"][0]["variations"][1]["weight"] = 0.2;
  const CampaignResult c = run(doc).campaigns[0];
  BOOST_TEST(c.variations[0].expected_share == 0.8);
  BOOST_TEST(std::fabs(share(c.variations[0].visitors, c.assigned) - 0.8) < 0.012);
  BOOST_TEST(!c.sample_ratio_mismatch());
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_visitors_and_another_seed_others) {
  const auto a = run(campaign_doc(), 2000, 7).campaigns[0].variations[0].visitors;
  const auto b = run(campaign_doc(), 2000, 7).campaigns[0].variations[0].visitors;
  const auto c = run(campaign_doc(), 2000, 8).campaigns[0].variations[0].visitors;
  BOOST_TEST(a == b);
  BOOST_TEST(a != c);
}

BOOST_AUTO_TEST_CASE(each_campaign_runs_on_a_url_its_first_include_rule_matches) {
  Json doc = campaign_doc();
  const Json base = doc["campaigns"][0];
  const Json rules[] = {
      {{"match", "exact"}, {"value", "/cart.html"}},
      {{"match", "glob"}, {"value", "/products/*/reviews"}},
      {{"match", "contains"}, {"value", "checkout"}},
      {{"match", "regex"}, {"value", "^/item/\\d{3,}(\\?|$)"}},
      {{"match", "exact"}, {"value", "spring"}, {"on", "query"}, {"param", "utm_campaign"}},
      {{"match", "glob"}, {"value", "*.shop.example"}, {"on", "host"}},
      {{"match", "prefix"}, {"value", "https://www.example.com/de/"}, {"on", "url"}},
      {{"match", "exact"}, {"value", "reviews"}, {"on", "hash"}},
  };
  doc["campaigns"] = Json::array();
  int i = 0;
  for (const Json& rule : rules) {
    Json c = base;
    c["id"] = "c" + std::to_string(i++);
    c["pages"]["include"] = Json::array({rule});
    doc["campaigns"].push_back(c);
  }
  const SimulationResult result = run(doc, 100);
  BOOST_TEST(result.campaigns[0].url == "https://www.example.com/cart.html");
  BOOST_TEST(result.campaigns[1].url == "https://www.example.com/products/x/reviews");
  BOOST_TEST(result.campaigns[4].url == "https://www.example.com/?utm_campaign=spring");
  for (const CampaignResult& c : result.campaigns) {
    BOOST_TEST(c.url_matches, c.id << " on " << c.url);
    BOOST_TEST(c.assigned == 100u, c.id << " on " << c.url);
  }
  // Eight pages, each deciding all eight campaigns.
  BOOST_TEST(result.evaluations == 100u * 8 * 8);
}

BOOST_AUTO_TEST_CASE(a_url_the_page_rules_reject_is_reported_and_nobody_is_eligible) {
  const CampaignResult c = run(campaign_doc(), 50, 1, "https://www.example.com/cart").campaigns[0];
  BOOST_TEST(!c.url_matches);
  BOOST_TEST(c.eligible == 0u);
  BOOST_TEST(not_applied(c, Reason::kPageNotIncluded) == 50u);
  BOOST_TEST(c.split.p_value == 1.0);
}

BOOST_AUTO_TEST_CASE(the_json_report_has_the_documented_shape) {
  const nlohmann::ordered_json out = simulation_json(run(campaign_doc({{"traffic", 0.5}}), 1000));
  for (const char* key : {"visitors", "seed", "srm_threshold", "campaigns", "evaluations",
                          "engine_seconds", "evaluations_per_second", "wall_seconds"})
    BOOST_TEST(out.contains(key), key);
  BOOST_TEST(out["visitors"] == 1000);
  BOOST_TEST(out["srm_threshold"] == 0.001);
  const auto& c = out["campaigns"][0];
  BOOST_TEST(c["id"] == "product-headline");
  BOOST_TEST(c["url"] == "https://www.example.com/product");
  BOOST_TEST(c["url_matches"] == true);
  BOOST_TEST(c["traffic"] == 0.5);
  BOOST_TEST(c["eligible"] == 1000);
  BOOST_TEST(c["not_applied"]["not_in_traffic"].get<int>() + c["assigned"].get<int>() == 1000);
  BOOST_TEST(c["variations"].size() == 2u);
  BOOST_TEST(c["variations"][1]["id"] == "benefit");
  BOOST_TEST(c["variations"][1]["expected_share"] == 0.5);
  BOOST_TEST(c["variations"][1]["observed_share"].is_number());
  BOOST_TEST(c["variations"][1]["visitors"].is_number_unsigned());
  for (const char* key : {"chi_square", "degrees_of_freedom", "p_value", "mismatch"})
    BOOST_TEST(c["srm"].contains(key), key);
  BOOST_TEST(c["srm"]["mismatch"] == false);
}

BOOST_AUTO_TEST_CASE(the_command_prints_json_and_exits_like_the_others) {
  const auto dir = std::filesystem::temp_directory_path() / "vario_simulate_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "campaigns.json") << campaign_doc().dump();
  std::ofstream(dir / "broken.json") << "{\"version\": 1}";

  std::ostringstream captured, diagnostics;
  auto* old = std::cout.rdbuf(captured.rdbuf());
  auto* old_err = std::cerr.rdbuf(diagnostics.rdbuf());
  const int ok = run_simulate(
      {.campaigns = dir / "campaigns.json", .visitors = 500, .seed = 1, .url = "", .json = true});
  const int invalid = run_simulate(
      {.campaigns = dir / "broken.json", .visitors = 500, .seed = 1, .url = "", .json = false});
  const int usage = run_simulate(
      {.campaigns = dir / "campaigns.json", .visitors = 0, .seed = 1, .url = "", .json = false});
  std::cout.rdbuf(old);
  std::cerr.rdbuf(old_err);
  BOOST_TEST(ok == 0);
  BOOST_TEST(diagnostics.str().find("simulating: 100% (500 / 500 visitors)") != std::string::npos);
  BOOST_TEST(diagnostics.str().find("broken.json: ") != std::string::npos);
  BOOST_TEST(invalid == 1);
  BOOST_TEST(usage == 2);
  const auto out = Json::parse(captured.str());
  BOOST_TEST(out["campaigns"][0]["assigned"] == 500);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(attribute_profiles_from_a_file_feed_audiences_in_turn) {
  const auto dir = std::filesystem::temp_directory_path() / "vario_simulate_profiles_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "campaigns.json") << campaign_doc({{"audience", {{"plan", "pro"}}}}).dump();
  // One visitor in four is on the pro plan.
  std::ofstream(dir / "profiles.jsonl") << "{\"plan\": \"pro\"}\n{\"plan\": \"free\"}\n\n"
                                           "{\"plan\": \"free\"}\n{}\n";
  std::ofstream(dir / "broken.jsonl") << "{\"plan\": \"pro\"}\n[1]\n";

  std::ostringstream captured, diagnostics;
  auto* old = std::cout.rdbuf(captured.rdbuf());
  auto* old_err = std::cerr.rdbuf(diagnostics.rdbuf());
  const int ok = run_simulate({.campaigns = dir / "campaigns.json", .visitors = 4000, .seed = 1,
                               .url = "", .json = true, .attributes = dir / "profiles.jsonl"});
  const int broken = run_simulate({.campaigns = dir / "campaigns.json", .visitors = 10, .seed = 1,
                                   .url = "", .json = true, .attributes = dir / "broken.jsonl"});
  std::cout.rdbuf(old);
  std::cerr.rdbuf(old_err);
  BOOST_TEST(ok == 0);
  const auto out = Json::parse(captured.str().substr(0, captured.str().find("\n}\n") + 2));
  BOOST_TEST(out["campaigns"][0]["eligible"] == 1000);
  BOOST_TEST(broken == 1);
  BOOST_TEST(diagnostics.str().find("broken.jsonl:2: must be a JSON object of attributes") !=
                 std::string::npos,
             diagnostics.str());
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_revenue_test_reaches_only_the_share_that_grants_personalization) {
  const std::string bin = compile_campaigns(vario::testing::headline_test("revenue"));
  auto config = Config::from_bytes(testing::bytes(bin));
  BOOST_TEST_REQUIRE(config.ok());
  const EcmascriptRegex regex;
  SimulationOptions options{.visitors = kVisitors, .seed = 1, .url = "", .now_ms = 1.75e12};
  options.consent_rates = {0.2, 0.2, 0.6, 0.2};
  const CampaignResult c = simulate(config.value(), options, regex).campaigns[0];
  BOOST_TEST(std::fabs(share(c.eligible, kVisitors) - 0.6) < 0.015);
  BOOST_TEST(not_applied(c, Reason::kNeedsConsent) == kVisitors - c.eligible);
  // A technical test runs for everybody whatever the answers.
  const std::string technical = compile_campaigns(vario::testing::headline_test());
  auto tech = Config::from_bytes(testing::bytes(technical));
  BOOST_TEST_REQUIRE(tech.ok());
  BOOST_TEST(simulate(tech.value(), options, regex).campaigns[0].eligible == kVisitors);
}
