#define BOOST_TEST_MODULE decision
#include <boost/test/unit_test.hpp>

#include "regex/ecmascript_regex.hpp"
#include "support/campaigns.hpp"
#include "vario/bucketing.hpp"
#include "vario/decision.hpp"

using namespace vario;

namespace {

Config load(const nlohmann::json& doc) {
  const std::string bin = host::compile_campaigns(doc);
  auto c = Config::from_bytes(testing::bytes(bin));
  BOOST_REQUIRE(c.ok());
  return std::move(c).value();
}

Visitor visitor(std::string id, std::string url = "/product.html") {
  Visitor v;
  v.id = std::move(id);
  v.url = std::move(url);
  v.now_ms = 1764400000000.0;  // 2025-11-29
  return v;
}

const host::EcmascriptRegex kRegex;

std::vector<Decision> decide(const Config& config, const Visitor& v, bool explain = false) {
  return vario::decide(config, v, kRegex, explain);
}

// The share of `n` visitors a decision predicate holds for.
template <class Pred>
double share(const Config& config, int n, Pred pred, std::string url = "/product.html") {
  int hits = 0;
  for (int i = 0; i < n; ++i) hits += pred(decide(config, visitor("v" + std::to_string(i), url)));
  return static_cast<double>(hits) / n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(variation_follows_the_bucket_ranges_of_the_weights) {
  const Config config = load(testing::headline_test());
  for (int i = 0; i < 500; ++i) {
    const std::string id = "visitor-" + std::to_string(i);
    const Decision d = decide(config, visitor(id)).at(0);
    const std::uint32_t bucket = murmur3_bucket(id, "product-headline");
    BOOST_TEST(d.applied);
    BOOST_TEST(d.bucket == static_cast<std::int32_t>(bucket));
    BOOST_TEST(d.variation->id()->str() == (bucket < 5000 ? "control" : "benefit"));
  }
}

BOOST_AUTO_TEST_CASE(traffic_below_one_leaves_the_upper_buckets_unallocated) {
  auto doc = testing::headline_test();
  doc["campaigns"][0]["traffic"] = 0.2;
  const Config config = load(doc);
  int allocated = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string id = "v" + std::to_string(i);
    const Decision d = decide(config, visitor(id)).at(0);
    const std::uint32_t bucket = murmur3_bucket(id, "product-headline");
    BOOST_TEST(d.applied == (bucket < 2000));
    if (d.applied) BOOST_TEST(d.variation->id()->str() == (bucket < 1000 ? "control" : "benefit"));
    else BOOST_TEST((d.reason == Reason::kNotInTraffic));
    allocated += d.applied;
  }
  BOOST_TEST(allocated > 300);
  BOOST_TEST(allocated < 500);
}

BOOST_AUTO_TEST_CASE(uneven_weights_give_uneven_ranges_that_still_cover_all_traffic) {
  auto doc = testing::headline_test();
  doc["campaigns"][0]["variations"][0]["weight"] = 0.1;
  doc["campaigns"][0]["variations"][1]["weight"] = 0.9;
  const Config config = load(doc);
  for (int i = 0; i < 1000; ++i) {
    const std::string id = "w" + std::to_string(i);
    const Decision d = decide(config, visitor(id)).at(0);
    BOOST_TEST(d.applied);
    BOOST_TEST(d.variation->id()->str() ==
               (murmur3_bucket(id, "product-headline") < 1000 ? "control" : "benefit"));
  }
}

BOOST_AUTO_TEST_CASE(thirds_close_exactly_at_the_traffic_bound) {
  auto doc = testing::headline_test();
  auto& vars = doc["campaigns"][0]["variations"];
  vars[0]["weight"] = 1.0 / 3;
  vars[1]["weight"] = 1.0 / 3;
  vars.push_back({{"id", "third"}, {"weight", 1.0 / 3}, {"changes", nlohmann::json::array()}});
  doc["campaigns"][0]["traffic"] = 0.7;
  const Config config = load(doc);
  for (int i = 0; i < 3000; ++i) {
    const std::string id = "t" + std::to_string(i);
    const std::uint32_t b = murmur3_bucket(id, "product-headline");
    const Decision d = decide(config, visitor(id)).at(0);
    const char* expected = b < 2333 ? "control" : b < 4667 ? "benefit" : b < 7000 ? "third" : "";
    BOOST_TEST(d.applied == (b < 7000));
    if (d.applied) BOOST_TEST(d.variation->id()->str() == expected);
  }
}

BOOST_AUTO_TEST_CASE(a_stored_assignment_survives_a_change_of_weights) {
  auto doc = testing::headline_test();
  doc["campaigns"][0]["variations"][0]["weight"] = 0.0;
  doc["campaigns"][0]["variations"][1]["weight"] = 1.0;
  const Config config = load(doc);
  Visitor v = visitor("someone");
  v.assignments = {{"product-headline", "control"}};
  const Decision d = decide(config, v).at(0);
  BOOST_TEST(d.variation->id()->str() == "control");
  BOOST_TEST((d.reason == Reason::kStoredAssignment));
  // An assignment to a variation that no longer exists is ignored and the visitor is bucketed.
  v.assignments = {{"product-headline", "retired"}};
  BOOST_TEST(decide(config, v).at(0).variation->id()->str() == "benefit");
}

BOOST_AUTO_TEST_CASE(paused_and_draft_campaigns_never_apply) {
  for (const char* status : {"paused", "draft"}) {
    auto doc = testing::headline_test();
    doc["campaigns"][0]["status"] = status;
    const Config config = load(doc);
    const Decision d = decide(config, visitor("x")).at(0);
    BOOST_TEST(!d.applied);
    BOOST_TEST((d.reason == Reason::kNotRunning));
  }
}

BOOST_AUTO_TEST_CASE(exclude_rules_win_over_include_rules) {
  auto doc = testing::headline_test();
  doc["campaigns"][0]["pages"]["exclude"] = {{{"match", "contains"}, {"value", "preview"}}};
  const Config config = load(doc);
  BOOST_TEST((decide(config, visitor("x", "/product-preview.html")).at(0).reason ==
              Reason::kPageExcluded));
  BOOST_TEST(decide(config, visitor("x", "/product.html")).at(0).applied);
}

BOOST_AUTO_TEST_CASE(decisions_json_explains_each_outcome) {
  const Config config = load(testing::headline_test());
  Visitor v = visitor("ppid1");
  const std::string json = decisions_json(v, decide(config, v, /*explain=*/true));
  const std::uint32_t bucket = murmur3_bucket("ppid1", "product-headline");
  const std::string variation = bucket < 5000 ? "control" : "benefit";
  const std::string range = bucket < 5000 ? "[0, 5000)" : "[5000, 10000)";
  BOOST_TEST(json == R"({"visitor":"ppid1","consent":"pending","decisions":[{"campaign":"product-headline","applied":true,"variation":")" +
                         variation + R"(","bucket":)" + std::to_string(bucket) +
                         R"(,"reason":"bucket )" + std::to_string(bucket) + " falls in variation " +
                         variation + " (" + range + ")\"}]}");
}

BOOST_AUTO_TEST_CASE(the_visitor_json_is_parsed_with_located_errors) {
  const Config config = load(testing::headline_test());
  auto ok = parse_visitor(R"({"id":"a","url":"/p","consent":"granted","assignments":{"c":"v"},"attributes":{"x":1}})", config, 5);
  BOOST_REQUIRE(ok.ok());
  BOOST_TEST((ok.value().consent == Consent::all(ConsentState::kGranted)));
  BOOST_TEST(ok.value().assignments.at(0).second == "v");
  struct Case { const char* json; const char* message; };
  const Case cases[] = {
      {R"([])", "visitor: must be a JSON object"},
      {R"({"url":"/"})", "visitor: /id must be a non-empty string"},
      {R"({"id":"a"})", "visitor: /url must be a non-empty string"},
      {R"({"id":"a","url":"/","assignments":[]})", "visitor: /assignments must be an object"},
      {R"({"id":"a","url":"/","assignments":{"c":1}})", "visitor: /assignments/c must be a string"},
      {R"({"id":"a","url":"/","attributes":3})", "visitor: /attributes must be an object"},
      {R"({"id":"a","url":"/","now":"today"})",
       "visitor: /now must be a number (milliseconds since 1970-01-01 UTC)"},
      {R"({"id":"a","url":"/","forced":{"c":2}})", "visitor: /forced/c must be a string"},
      {R"({"id":"a","url":"/","screen":{"width":"wide"}})", "visitor: /screen/width must be a number"},
      {R"({"id":"a","url":"/","assigments":{}})",
       "visitor: /assigments is not a visitor field; did you mean 'assignments'?"},
      {R"({"id":"a","url":"/","colour":"red"})", "visitor: /colour is not a visitor field"},
      {R"({"id":"a","url":"/","preview":"t"})", "visitor: /preview is not a visitor field"},
      {R"({"id":"a","url":"/","screen":{"widht":390}})",
       "visitor: /screen/widht is not a screen field; did you mean 'width'?"},
  };
  for (const Case& c : cases) {
    auto r = parse_visitor(c.json, config, 0);
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().message == c.message);
  }
}

BOOST_AUTO_TEST_CASE(every_documented_visitor_field_is_accepted) {
  const Config config = load(testing::headline_test());
  const auto all = parse_visitor(R"({"id": "a", "url": "https://shop.example/product",
      "consent": "granted", "assignments": {}, "forced": {}, "now": 0, "attributes": {"any": 1},
      "referrer": "", "userAgent": "", "language": "de-DE", "timeZone": "Europe/Berlin",
      "screen": {"width": 390, "height": 844}, "webdriver": false})",
                                 config, 0);
  BOOST_TEST(all.ok(), (all.ok() ? "" : all.error().message));
}

// ---- schedules, audiences, bots, consent on third-party data ---------------------------------

BOOST_AUTO_TEST_CASE(a_campaign_runs_only_between_its_start_and_its_end) {
  auto doc = testing::headline_test();
  doc["campaigns"][0]["start"] = "2025-12-01T00:00:00Z";
  doc["campaigns"][0]["end"] = "2025-12-31T00:00:00+01:00";
  const Config config = load(doc);
  Visitor v = visitor("x");
  v.now_ms = 1764547200000.0 - 1;  // a millisecond before 2025-12-01T00:00:00Z
  BOOST_TEST((decide(config, v).at(0).reason == Reason::kNotStarted));
  v.now_ms += 1;
  BOOST_TEST(decide(config, v).at(0).applied);
  v.now_ms = 1767135600000.0;  // 2025-12-30T23:00:00Z, the end
  BOOST_TEST((decide(config, v).at(0).reason == Reason::kEnded));
}

BOOST_AUTO_TEST_CASE(the_audience_decides_and_the_explanation_names_the_failing_condition) {
  auto doc = testing::headline_test();
  doc["campaigns"][0]["audience"] = {{"plan", "pro"}, {"device", {{"$in", {"mobile", "tablet"}}}}};
  const Config config = load(doc);
  Visitor v = visitor("x");
  v.attributes = json::parse(R"({"plan": "pro", "device": "mobile"})").value();
  BOOST_TEST(decide(config, v).at(0).applied);
  v.attributes = json::parse(R"({"plan": "pro", "device": "desktop"})").value();
  const Decision d = decide(config, v, /*explain=*/true).at(0);
  BOOST_TEST((d.reason == Reason::kAudienceNotMatched));
  BOOST_TEST(d.detail.find("device") != std::string::npos, d.detail);
}

BOOST_AUTO_TEST_CASE(a_regex_the_host_rejects_makes_the_campaign_not_apply_as_invalid) {
  auto doc = testing::headline_test();
  doc["campaigns"][0]["audience"] = {{"plan", {{"$regex", "(unclosed"}}}};
  const Config config = load(doc);
  Visitor v = visitor("x");
  v.attributes = json::parse(R"({"plan": "pro"})").value();
  const Decision d = decide(config, v, true).at(0);
  BOOST_TEST(!d.applied);
  BOOST_TEST((d.reason == Reason::kConditionInvalid));
}

BOOST_AUTO_TEST_CASE(page_rules_look_at_the_url_part_they_name) {
  auto doc = testing::headline_test();
  doc["campaigns"][0]["pages"]["include"] = nlohmann::json::parse(R"([
    {"match": "regex", "value": "^/product/\\d+$"},
    {"match": "exact", "value": "newsletter", "on": "query", "param": "utm_source"},
    {"match": "prefix", "value": "promo", "on": "hash"},
    {"match": "exact", "value": "beta.shop.example", "on": "host"}])");
  const Config config = load(doc);
  const auto applies = [&](const char* url) { return decide(config, visitor("x", url)).at(0).applied; };
  BOOST_TEST(applies("https://shop.example/product/42"));
  BOOST_TEST(!applies("https://shop.example/product/42x"));
  BOOST_TEST(applies("https://shop.example/?a=1&utm_source=newsletter"));
  BOOST_TEST(!applies("https://shop.example/?utm_source=news"));
  BOOST_TEST(applies("https://shop.example/#promo-week"));
  BOOST_TEST(applies("https://beta.shop.example/anything"));
  BOOST_TEST(!applies("https://shop.example/anything"));
}

BOOST_AUTO_TEST_CASE(bots_are_excluded_unless_the_campaigns_include_them) {
  auto doc = testing::headline_test();
  Visitor v = visitor("x");
  v.bot = true;
  BOOST_TEST((decide(load(doc), v).at(0).reason == Reason::kBot));
  doc["bots"] = "include";
  BOOST_TEST(decide(load(doc), v).at(0).applied);
}

BOOST_AUTO_TEST_CASE(an_audience_on_third_party_data_needs_consent_to_apply) {
  auto doc = testing::headline_test("technical");
  doc["attributes"] = {{"segment", {{"source", "pushed"}, {"third_party", true}}}};
  doc["campaigns"][0]["audience"] = {{"segment", "vip"}};
  const Config config = load(doc);
  Visitor v = visitor("x");
  v.attributes = json::parse(R"({"segment": "vip"})").value();
  const Decision pending = decide(config, v).at(0);
  BOOST_TEST((pending.consent_class == ConsentClass::kThirdParty));
  BOOST_TEST((pending.reason == Reason::kNeedsConsent));
  v.consent = Consent::all(ConsentState::kGranted);
  BOOST_TEST(decide(config, v).at(0).applied);
}

BOOST_AUTO_TEST_CASE(value_and_condition_saved_groups_are_usable_from_an_audience) {
  auto doc = testing::headline_test();
  doc["saved_groups"] = nlohmann::json::parse(R"({
    "testers": {"values": ["u1", "u2"]},
    "mobile": {"condition": {"device": "mobile"}}})");
  doc["campaigns"][0]["audience"] = nlohmann::json::parse(
      R"({"userId": {"$inGroup": "testers"}, "$savedGroup": "mobile"})");
  const Config config = load(doc);
  Visitor v = visitor("x");
  v.attributes = json::parse(R"({"userId": "u2", "device": "mobile"})").value();
  BOOST_TEST(decide(config, v).at(0).applied);
  v.attributes = json::parse(R"({"userId": "u3", "device": "mobile"})").value();
  BOOST_TEST(!decide(config, v).at(0).applied);
  v.attributes = json::parse(R"({"userId": "u1", "device": "desktop"})").value();
  BOOST_TEST(!decide(config, v).at(0).applied);
}

// ---- allocation ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(growthbook_schemes_bucket_exactly_as_growthbook_does) {
  for (const auto& [scheme, version] : {std::pair{"fnv1a_v1", 1}, std::pair{"fnv1a_v2", 2}}) {
    auto doc = testing::headline_test();
    doc["campaigns"][0]["hash"] = scheme;
    doc["campaigns"][0]["seed"] = "my-test";
    doc["campaigns"][0]["traffic"] = 0.6;
    const Config config = load(doc);
    const std::vector<double> weights{0.5, 0.5};
    const auto ranges = bucket_ranges(2, 0.6, weights);
    for (int i = 0; i < 500; ++i) {
      const std::string id = "g" + std::to_string(i);
      const double n = growthbook_hash("my-test", id, version).value();
      const int expected = choose_variation(n, ranges);
      const Decision d = decide(config, visitor(id)).at(0);
      BOOST_TEST(d.applied == (expected >= 0));
      if (d.applied) BOOST_TEST(d.variation->id()->str() == (expected == 0 ? "control" : "benefit"));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_hash_attribute_buckets_on_the_migrated_id_and_falls_back_to_ours) {
  auto doc = testing::headline_test();
  doc["campaigns"][0]["hash_attribute"] = "legacyId";
  const Config config = load(doc);
  Visitor v = visitor("vario-id");
  v.attributes = json::parse(R"({"legacyId": "ppid1"})").value();
  BOOST_TEST(decide(config, v).at(0).bucket ==
             static_cast<std::int32_t>(murmur3_bucket("ppid1", "product-headline")));
  v.attributes = json::parse(R"({"legacyId": 1886})").value();
  BOOST_TEST(decide(config, v).at(0).bucket ==
             static_cast<std::int32_t>(murmur3_bucket("1886", "product-headline")));
  v.attributes = json::Value::object();
  BOOST_TEST(decide(config, v).at(0).bucket ==
             static_cast<std::int32_t>(murmur3_bucket("vario-id", "product-headline")));
}

BOOST_AUTO_TEST_CASE(a_holdout_keeps_its_share_out_of_tests_but_never_out_of_patches) {
  auto doc = testing::headline_test();
  auto patch = doc["campaigns"][0];
  patch["id"] = "fix-typo";
  patch["type"] = "patch";
  patch["variations"] = nlohmann::json::parse(R"([{"id": "fixed", "weight": 1, "changes": []}])");
  doc["campaigns"].push_back(patch);
  doc["holdouts"] = {{{"id", "global"}, {"traffic", 0.3}}};
  const Config config = load(doc);
  const double held = share(config, 4000, [](const std::vector<Decision>& d) {
    return d.at(0).reason == Reason::kInHoldout;
  });
  BOOST_TEST(held > 0.27);
  BOOST_TEST(held < 0.33);
  BOOST_TEST(share(config, 1000, [](const std::vector<Decision>& d) { return d.at(1).applied; }) == 1.0);
}

BOOST_AUTO_TEST_CASE(campaigns_of_one_exclusive_group_never_share_a_visitor) {
  auto doc = testing::headline_test();
  auto second = doc["campaigns"][0];
  second["id"] = "product-price";
  doc["campaigns"][0]["group"] = {{"id", "product-page"}, {"range", {0, 0.5}}};
  second["group"] = {{"id", "product-page"}, {"range", {0.5, 1}}};
  doc["campaigns"].push_back(second);
  const Config config = load(doc);
  int first = 0, other = 0;
  for (int i = 0; i < 3000; ++i) {
    const auto d = decide(config, visitor("e" + std::to_string(i)));
    BOOST_TEST(!(d.at(0).applied && d.at(1).applied));
    BOOST_TEST((d.at(0).applied || d.at(1).applied));
    first += d.at(0).applied;
    other += d.at(1).applied;
    if (!d.at(0).applied) BOOST_TEST((d.at(0).reason == Reason::kOutsideGroup));
  }
  BOOST_TEST(first > 1300);
  BOOST_TEST(other > 1300);
}

BOOST_AUTO_TEST_CASE(a_preview_forces_a_variation_even_of_a_draft_but_not_onto_another_page) {
  auto doc = testing::headline_test();
  doc["campaigns"][0]["status"] = "draft";
  doc["campaigns"][0]["audience"] = {{"plan", "pro"}};
  const Config config = load(doc);
  Visitor v = visitor("x");
  v.bot = true;
  v.forced = {{"product-headline", "benefit"}};
  const Decision d = decide(config, v).at(0);
  BOOST_TEST((d.reason == Reason::kForced));
  BOOST_TEST(d.variation->id()->str() == "benefit");
  v.url = "/cart.html";
  BOOST_TEST((decide(config, v).at(0).reason == Reason::kPageNotIncluded));
}

BOOST_AUTO_TEST_CASE(changes_apply_lowest_priority_first_so_the_highest_wins) {
  auto doc = testing::headline_test();
  auto second = doc["campaigns"][0];
  second["id"] = "urgent";
  second["priority"] = 10;
  auto third = doc["campaigns"][0];
  third["id"] = "minor";
  third["priority"] = -5;
  doc["campaigns"].push_back(second);
  doc["campaigns"].push_back(third);
  const Config config = load(doc);
  const auto decisions = decide(config, visitor("x"));
  const auto order = application_order(decisions);
  BOOST_TEST(order == (std::vector<std::size_t>{2, 0, 1}));
}
