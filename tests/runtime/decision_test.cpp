#define BOOST_TEST_MODULE decision
#include <boost/test/unit_test.hpp>

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
  return v;
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
  const auto* vars = config.root().campaigns()->Get(0)->variations();
  BOOST_TEST(vars->Get(0)->bucket_end() == 1000);
  BOOST_TEST(vars->Get(1)->bucket_end() == 10000);
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
  const std::string json = decisions_json(v, decide(config, v));
  const std::uint32_t bucket = murmur3_bucket("ppid1", "product-headline");
  const std::string variation = bucket < 5000 ? "control" : "benefit";
  const std::string range = bucket < 5000 ? "[0, 5000)" : "[5000, 10000)";
  BOOST_TEST(json == R"({"visitor":"ppid1","consent":"pending","decisions":[{"campaign":"product-headline","applied":true,"variation":")" +
                         variation + R"(","bucket":)" + std::to_string(bucket) +
                         R"(,"reason":"bucket )" + std::to_string(bucket) + " falls in variation " +
                         variation + " " + range + R"("}]})");
}

BOOST_AUTO_TEST_CASE(the_visitor_json_is_parsed_with_located_errors) {
  const Config config = load(testing::headline_test());
  auto ok = parse_visitor(R"({"id":"a","url":"/p","consent":"granted","assignments":{"c":"v"},"attributes":{"x":1}})", config);
  BOOST_REQUIRE(ok.ok());
  BOOST_TEST((ok.value().consent == ConsentState::kGranted));
  BOOST_TEST(ok.value().assignments.at(0).second == "v");
  struct Case { const char* json; const char* message; };
  const Case cases[] = {
      {R"([])", "visitor: must be a JSON object"},
      {R"({"url":"/"})", "visitor: /id must be a non-empty string"},
      {R"({"id":"a"})", "visitor: /url must be a non-empty string"},
      {R"({"id":"a","url":"/","assignments":[]})", "visitor: /assignments must be an object"},
      {R"({"id":"a","url":"/","assignments":{"c":1}})", "visitor: /assignments/c must be a string"},
      {R"({"id":"a","url":"/","attributes":3})", "visitor: /attributes must be an object"},
  };
  for (const Case& c : cases) {
    auto r = parse_visitor(c.json, config);
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().message == c.message);
  }
}
