#define BOOST_TEST_MODULE serve_event_validation
#include <boost/test/unit_test.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "serve/event_validation.hpp"

using nlohmann::json;
using namespace vario::host;

namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;  // the server's clock in every test
constexpr std::int64_t kOldest = kNow - 1000LL * 3600 * 24 * 760;
constexpr const char* kId = "0123456789abcdef0123456789abcdef";
constexpr const char* kVisitor = "fedcba9876543210fedcba9876543210";

const ServedCampaigns& served() {
  static const ServedCampaigns s = served_campaigns(json::parse(R"({
    "version": 1, "account": "shop",
    "events": {"query_parameters": ["utm_source", "utm_campaign"]},
    "goals": [{"id": "cart", "kind": "click", "selector": "button"},
              {"id": "signup", "kind": "custom"},
              {"id": "purchase", "kind": "transaction"}],
    "campaigns": [{"id": "hero", "type": "ab_test", "purpose": "technical",
                   "pages": {"include": [{"match": "prefix", "value": "/"}]},
                   "variations": [{"id": "a", "weight": 0.5, "changes": []},
                                  {"id": "b", "weight": 0.5, "changes": []}]}]})"));
  return s;
}

const EventContext kContext{&served(), kNow, kOldest};

json common(const char* type, int schema = 2) {
  return {{"schema", schema},  {"type", type},      {"id", kId},
          {"ts", kNow - 5000}, {"account", "shop"}, {"page", "/products"}};
}

json impression(int schema = 2) {
  json e = common("impression", schema);
  e["visitor"] = kVisitor;
  e["campaign"] = "hero";
  e["variation"] = "b";
  return e;
}

json health(int schema = 2) {
  json e = common("health", schema);
  e["code"] = "dropped";
  e["message"] = "the queue was full";
  if (schema == 2) e["count"] = 3;
  return e;
}

json page_view() {
  json e = common("page_view");
  e["campaigns"] = {{"hero", "a"}};
  return e;
}

json goal() {
  json e = common("goal");
  e["goal"] = "signup";
  e["value"] = 3;
  e["campaigns"] = {{"hero", "a"}};
  return e;
}

json transaction() {
  json e = common("transaction");
  e["goal"] = "purchase";
  e["transaction"] = {{"id", "A-1042"}, {"revenue", 59.9}, {"currency", "EUR"}};
  e["campaigns"] = json::object();
  return e;
}

std::string batch(std::vector<json> events) { return json{{"events", events}}.dump(); }

std::vector<EventCheck> checks(const std::string& body) {
  auto result = check_event_batch(body, kContext);
  const auto* error = std::get_if<ValidationError>(&result);
  BOOST_REQUIRE_MESSAGE(error == nullptr,
                        "the batch was refused whole: " << (error ? error->to_string() : ""));
  return std::get<std::vector<EventCheck>>(result);
}

Event accepted(const json& event) {
  auto result = checks(batch({event}));
  const auto* e = std::get_if<Event>(&result.at(0));
  BOOST_REQUIRE_MESSAGE(
      e != nullptr, "rejected: " << (e ? "" : std::get<ValidationError>(result[0]).to_string()));
  return *e;
}

std::string rejected(const json& event) {
  auto result = checks(batch({event}));
  const auto* error = std::get_if<ValidationError>(&result.at(0));
  BOOST_REQUIRE_MESSAGE(error != nullptr, "accepted: " << event.dump());
  return error->to_string();
}

ValidationError refused_whole(const std::string& body) {
  auto result = check_event_batch(body, kContext);
  const auto* error = std::get_if<ValidationError>(&result);
  BOOST_REQUIRE_MESSAGE(error != nullptr, "not refused whole: " << body);
  return *error;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_event_type_of_schema_2_passes_with_its_fields_read) {
  const Event i = accepted(impression());
  BOOST_TEST((i.type == EventType::kImpression));
  BOOST_TEST(i.schema == 2);
  BOOST_TEST(i.visitor.value() == kVisitor);
  BOOST_TEST(i.campaign.value() == "hero");
  BOOST_TEST(i.variation.value() == "b");
  BOOST_TEST(json::parse(i.payload) == impression());

  const Event p = accepted(page_view());
  BOOST_TEST((p.type == EventType::kPageView));
  BOOST_TEST(p.campaigns.at("hero") == "a");

  const Event g = accepted(goal());
  BOOST_TEST(g.goal.value() == "signup");
  BOOST_TEST(g.value.value() == 3);
  BOOST_TEST(g.campaigns.size() == 1u);

  const Event t = accepted(transaction());
  BOOST_TEST(t.transaction->id == "A-1042");
  BOOST_TEST(t.transaction->revenue == 59.9);
  BOOST_TEST(t.transaction->currency == "EUR");
  BOOST_TEST(t.campaigns.empty());

  const Event h = accepted(health());
  BOOST_TEST(h.code.value() == "dropped");
  BOOST_TEST(h.count.value() == 3);
}

BOOST_AUTO_TEST_CASE(schema_1_impressions_and_health_events_of_older_tags_still_pass) {
  json old = impression(1);
  old.erase("page");  // optional in schema 1
  BOOST_TEST(accepted(old).schema == 1);
  BOOST_TEST(accepted(health(1)).code.value() == "dropped");
  BOOST_TEST(rejected(common("goal", 1)) ==
             "/events/0/type: \"goal\" events need schema 2; schema 1 has only \"impression\" and "
             "\"health\"");
  json counted = health(1);
  counted["count"] = 1;
  BOOST_TEST(rejected(counted) == "/events/0/count: is not a field of health events in schema 1");
}

BOOST_AUTO_TEST_CASE(events_that_name_what_is_not_served_are_rejected_with_the_reason) {
  struct Case {
    json base;
    std::function<void(json&)> change;
    std::string error;
  };
  const std::vector<Case> cases = {
      {impression(), [](json& e) { e["campaign"] = "no-such-campaign"; },
       "/events/0/campaign: no campaign 'no-such-campaign' is served to account 'shop'"},
      {impression(), [](json& e) { e["variation"] = "zzz"; },
       "/events/0/variation: campaign 'hero' has no variation 'zzz'"},
      {goal(), [](json& e) { e["goal"] = "newsletter"; },
       "/events/0/goal: no goal 'newsletter' is served to account 'shop'"},
      {goal(), [](json& e) { e["goal"] = "purchase"; },
       "/events/0/goal: goal 'purchase' is a transaction goal: send it as a \"transaction\" event"},
      {transaction(), [](json& e) { e["goal"] = "cart"; },
       "/events/0/goal: goal 'cart' is a click goal; transaction events need a transaction goal"},
      {goal(),
       [](json& e) {
         e["campaigns"] = {{"hero", "c"}};
       },
       "/events/0/campaigns/hero: campaign 'hero' has no variation 'c'"},
      {page_view(),
       [](json& e) {
         e["campaigns"] = {{"ghost", "a"}};
       },
       "/events/0/campaigns/ghost: no campaign 'ghost' is served to account 'shop'"},
      {health(), [](json& e) { e["campaign"] = "ghost"; },
       "/events/0/campaign: no campaign 'ghost' is served to account 'shop'"},
      {impression(), [](json& e) { e["account"] = "rival"; },
       "/events/0/account: must be 'shop', the account this collector serves"},
      {impression(), [](json& e) { e["ts"] = kNow + 5 * 60 * 1000 + 1; },
       "/events/0/ts: is more than 5 minutes ahead of the collector's clock: the visitor's clock "
       "is wrong"},
      {impression(), [](json& e) { e["ts"] = kOldest - 1; },
       "/events/0/ts: is older than the retention window: such an event would be purged at once"},
  };
  for (const Case& c : cases) {
    json event = c.base;
    c.change(event);
    BOOST_TEST_CONTEXT(event.dump()) { BOOST_TEST(rejected(event) == c.error); }
  }
  json skewed = impression();
  skewed["ts"] = kNow + 5 * 60 * 1000;  // exactly the allowed skew
  accepted(skewed);
  json oldest = impression();
  oldest["ts"] = kOldest;
  accepted(oldest);
}

BOOST_AUTO_TEST_CASE(each_broken_rule_is_rejected_at_the_json_pointer_of_its_field) {
  struct Case {
    json base;
    std::function<void(json&)> change;
    std::string error;
  };
  const std::vector<Case> cases = {
      {impression(), [](json& e) { e["schema"] = 3; },
       "/events/0/schema: must be the integer 2 (or 1, the schema of older tags)"},
      {impression(), [](json& e) { e["schema"] = 2.0; },
       "/events/0/schema: must be the integer 2 (or 1, the schema of older tags)"},
      {impression(), [](json& e) { e["type"] = "click"; },
       "/events/0/type: must be \"impression\", \"page_view\", \"goal\", \"transaction\" or "
       "\"health\""},
      {impression(), [](json& e) { e["id"] = "ABC"; },
       "/events/0/id: must be 32 lowercase hex characters"},
      {impression(), [](json& e) { e["ts"] = "now"; },
       "/events/0/ts: must be an integer number of milliseconds since the Unix epoch"},
      {impression(), [](json& e) { e["visitor"] = 7; },
       "/events/0/visitor: must be 32 lowercase hex characters"},
      {impression(), [](json& e) { e.erase("page"); }, "/events/0/page: is required"},
      {impression(), [](json& e) { e["page"] = "products"; },
       "/events/0/page: must be a path starting with \"/\""},
      {impression(), [](json& e) { e["page"] = "/cart#step-2"; },
       "/events/0/page: must not contain a fragment (\"#\")"},
      {impression(), [](json& e) { e["page"] = "/search?q=kettle"; },
       "/events/0/page: keeps the query parameter 'q', but the campaigns file allows only those "
       "in events.query_parameters"},
      {impression(), [](json& e) { e["page"] = "/?"; },
       "/events/0/page: must not end with an empty query string (\"?\")"},
      {impression(), [](json& e) { e["email"] = "a@b.example"; },
       "/events/0/email: is not a field of impression events"},
      {goal(), [](json& e) { e["value"] = "3"; }, "/events/0/value: must be a number"},
      {goal(), [](json& e) { e.erase("campaigns"); },
       "/events/0/campaigns: is required (an empty object when the visitor is in none)"},
      {goal(),
       [](json& e) {
         e["campaigns"] = {{"hero", 1}};
       },
       "/events/0/campaigns/hero: must be a variation id (a string)"},
      {transaction(), [](json& e) { e["transaction"]["revenue"] = -1; },
       "/events/0/transaction/revenue: must not be negative (send refunds apart)"},
      {transaction(), [](json& e) { e["transaction"]["currency"] = "eur"; },
       "/events/0/transaction/currency: must be an ISO 4217 code: three uppercase letters, as in "
       "\"EUR\""},
      {transaction(), [](json& e) { e["transaction"]["id"] = ""; },
       "/events/0/transaction/id: must not be empty"},
      {transaction(), [](json& e) { e["transaction"]["id"] = std::string(129, 'x'); },
       "/events/0/transaction/id: must be at most 128 characters"},
      {transaction(), [](json& e) { e["transaction"]["email"] = "a@b"; },
       "/events/0/transaction/email: is not a field of a transaction (id, revenue, currency)"},
      {transaction(), [](json& e) { e.erase("transaction"); },
       "/events/0/transaction: is required"},
      {health(), [](json& e) { e["count"] = -1; },
       "/events/0/count: must be an integer of at least 0"},
      {health(), [](json& e) { e["count"] = 1.5; },
       "/events/0/count: must be an integer of at least 0"},
      {health(), [](json& e) { e.erase("code"); }, "/events/0/code: is required"},
  };
  for (const Case& c : cases) {
    json event = c.base;
    c.change(event);
    BOOST_TEST_CONTEXT(event.dump()) { BOOST_TEST(rejected(event) == c.error); }
  }
  json allowed = impression();
  allowed["page"] = "/landing?utm_source=mail&utm_campaign=spring";
  BOOST_TEST(accepted(allowed).page.value() == "/landing?utm_source=mail&utm_campaign=spring");
}

BOOST_AUTO_TEST_CASE(good_events_of_a_batch_pass_beside_the_rejected_ones_in_order) {
  json bad = impression();
  bad["campaign"] = "no-such-campaign";
  const auto result = checks(batch({impression(), bad, goal(), "not an object"}));
  BOOST_REQUIRE_EQUAL(result.size(), 4u);
  BOOST_TEST(std::holds_alternative<Event>(result[0]));
  BOOST_TEST(std::get<ValidationError>(result[1]).pointer == "/events/1/campaign");
  BOOST_TEST(std::holds_alternative<Event>(result[2]));
  BOOST_TEST(std::get<ValidationError>(result[3]).to_string() == "/events/3: must be an object");
}

BOOST_AUTO_TEST_CASE(a_body_that_is_no_batch_is_refused_whole) {
  BOOST_TEST(refused_whole("{\"events\": [")
                 .to_string()
                 .find("request body: is not valid JSON: parse error at line 1, column 13") == 0u);
  BOOST_TEST(refused_whole("[]").to_string() ==
             "request body: must be a JSON object {\"events\": [...]}");
  BOOST_TEST(refused_whole("{}").to_string() == "/events: is required");
  BOOST_TEST(refused_whole(R"({"events": {}})").to_string() == "/events: must be an array");
  BOOST_TEST(refused_whole(R"({"events": []})").to_string() ==
             "/events: must contain at least 1 event");
  BOOST_TEST(refused_whole(R"({"events": [], "extra": 1})").to_string() ==
             "/extra: is not a known field");
  std::vector<json> many(101, impression());
  BOOST_TEST(refused_whole(batch(many)).to_string() == "/events: must contain at most 100 events");
  std::vector<json> full(100, impression());
  BOOST_TEST(checks(batch(full)).size() == 100u);
}
