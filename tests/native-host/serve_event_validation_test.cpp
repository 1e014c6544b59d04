#define BOOST_TEST_MODULE serve_event_validation
#include <boost/test/unit_test.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "serve/event_validation.hpp"

using nlohmann::json;
using vario::host::Event;
using vario::host::EventType;
using vario::host::validate_event_batch;
using vario::host::ValidationError;

namespace {

constexpr const char* kAccount = "shop";
constexpr std::int64_t kNow = 1'700'000'000'000;  // the server's clock in every test
constexpr const char* kId = "0123456789abcdef0123456789abcdef";
constexpr const char* kOtherId = "fedcba9876543210fedcba9876543210";

json impression() {
  return {{"schema", 1},         {"type", "impression"}, {"id", kId},
          {"ts", kNow - 5000},   {"account", kAccount},  {"visitor", kOtherId},
          {"page", "/products"}, {"campaign", "hero"},   {"variation", "b"}};
}

json health() {
  return {{"schema", 1},
          {"type", "health"},
          {"id", kOtherId},
          {"ts", kNow},
          {"account", kAccount},
          {"code", "selector_missing"},
          {"message", "no element matches #hero"}};
}

std::string batch(std::vector<json> events) { return json{{"events", events}}.dump(); }

// The error of a batch that must be refused; fails the test if the batch was accepted.
ValidationError rejection(const std::string& body) {
  auto result = validate_event_batch(body, kAccount, kNow);
  const auto* error = std::get_if<ValidationError>(&result);
  BOOST_REQUIRE_MESSAGE(error != nullptr, "accepted: " << body);
  return *error;
}

struct Case {
  const char* rule;
  std::function<void(json&)> change;  // applied to the second event of a valid batch
  std::string pointer;
  std::string message_part;
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_valid_batch_of_impressions_and_health_events_passes_in_order) {
  auto result = validate_event_batch(batch({impression(), health()}), kAccount, kNow);
  BOOST_REQUIRE(std::holds_alternative<std::vector<Event>>(result));
  const auto& events = std::get<std::vector<Event>>(result);
  BOOST_REQUIRE_EQUAL(events.size(), 2u);

  BOOST_TEST((events[0].type == EventType::kImpression));
  BOOST_TEST(events[0].id == kId);
  BOOST_TEST(events[0].ts == kNow - 5000);
  BOOST_TEST(events[0].account == kAccount);
  BOOST_TEST(events[0].visitor.value() == kOtherId);
  BOOST_TEST(events[0].page.value() == "/products");
  BOOST_TEST(events[0].campaign.value() == "hero");
  BOOST_TEST(events[0].variation.value() == "b");
  BOOST_TEST(json::parse(events[0].payload) == impression());

  BOOST_TEST((events[1].type == EventType::kHealth));
  BOOST_TEST(events[1].code.value() == "selector_missing");
  BOOST_TEST(events[1].message.value() == "no element matches #hero");
  BOOST_TEST(!events[1].campaign.has_value());
  BOOST_TEST(!events[1].visitor.has_value());
  BOOST_TEST(!events[1].page.has_value());
}

BOOST_AUTO_TEST_CASE(optional_fields_may_be_left_out_and_limits_are_inclusive) {
  json minimal = impression();
  minimal.erase("visitor");
  minimal.erase("page");
  json at_limits = health();
  at_limits["id"] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  at_limits["account"] = kAccount;
  at_limits["code"] = std::string(64, 'c');
  at_limits["message"] = "";
  at_limits["campaign"] = std::string(128, 'x');
  at_limits["page"] = "/" + std::string(2047, 'p');
  at_limits["ts"] = kNow + 24 * 60 * 60 * 1000;  // exactly one day ahead is still accepted
  json unicode = impression();
  unicode["id"] = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  // 128 characters, 256 bytes: limits count characters.
  std::string e_acute = "\xC3\xA9";
  std::string name;
  for (int i = 0; i < 128; ++i) name += e_acute;
  unicode["variation"] = name;

  auto result = validate_event_batch(batch({minimal, at_limits, unicode}), kAccount, kNow);
  if (const auto* error = std::get_if<ValidationError>(&result)) {
    BOOST_FAIL(error->to_string());
  }
  BOOST_TEST(std::get<std::vector<Event>>(result).size() == 3u);
}

BOOST_AUTO_TEST_CASE(each_broken_rule_is_rejected_with_the_json_pointer_of_the_field) {
  const std::vector<Case> cases = {
      {"schema missing", [](json& e) { e.erase("schema"); }, "/events/1/schema", "is required"},
      {"schema 2", [](json& e) { e["schema"] = 2; }, "/events/1/schema", "must be the integer 1"},
      {"schema as text", [](json& e) { e["schema"] = "1"; }, "/events/1/schema", "integer 1"},
      {"schema as float", [](json& e) { e["schema"] = 1.0; }, "/events/1/schema", "integer 1"},
      {"type missing", [](json& e) { e.erase("type"); }, "/events/1/type", "is required"},
      {"type unknown", [](json& e) { e["type"] = "goal"; }, "/events/1/type",
       "must be \"impression\" or \"health\""},
      {"id missing", [](json& e) { e.erase("id"); }, "/events/1/id", "is required"},
      {"id uppercase", [](json& e) { e["id"] = "0123456789ABCDEF0123456789ABCDEF"; },
       "/events/1/id", "must be 32 lowercase hex characters"},
      {"id too short", [](json& e) { e["id"] = "0123"; }, "/events/1/id", "32 lowercase hex"},
      {"id not hex", [](json& e) { e["id"] = "0123456789abcdef0123456789abcdeg"; }, "/events/1/id",
       "32 lowercase hex"},
      {"id a number", [](json& e) { e["id"] = 12; }, "/events/1/id", "32 lowercase hex"},
      {"ts missing", [](json& e) { e.erase("ts"); }, "/events/1/ts", "is required"},
      {"ts zero", [](json& e) { e["ts"] = 0; }, "/events/1/ts", "must be a positive"},
      {"ts negative", [](json& e) { e["ts"] = -1; }, "/events/1/ts", "must be a positive"},
      {"ts fractional", [](json& e) { e["ts"] = 1.5; }, "/events/1/ts", "must be an integer"},
      {"ts a string", [](json& e) { e["ts"] = "1700000000000"; }, "/events/1/ts", "integer"},
      {"ts tomorrow and a bit", [](json& e) { e["ts"] = kNow + 24 * 60 * 60 * 1000 + 1; },
       "/events/1/ts", "more than 1 day in the future"},
      {"ts beyond int64", [](json& e) { e["ts"] = std::uint64_t{18'000'000'000'000'000'000u}; },
       "/events/1/ts", "more than 1 day in the future"},
      {"account missing", [](json& e) { e.erase("account"); }, "/events/1/account", "required"},
      {"account empty", [](json& e) { e["account"] = ""; }, "/events/1/account",
       "must not be empty"},
      {"account too long", [](json& e) { e["account"] = std::string(65, 'a'); },
       "/events/1/account", "at most 64 characters"},
      {"account of someone else", [](json& e) { e["account"] = "other"; }, "/events/1/account",
       "the account this collector serves"},
      {"visitor not hex", [](json& e) { e["visitor"] = "visitor@example.com"; },
       "/events/1/visitor", "32 lowercase hex"},
      {"visitor null", [](json& e) { e["visitor"] = nullptr; }, "/events/1/visitor",
       "32 lowercase hex"},
      {"page with query", [](json& e) { e["page"] = "/cart?email=a@b.c"; }, "/events/1/page",
       "must not contain a query string"},
      {"page with fragment", [](json& e) { e["page"] = "/cart#top"; }, "/events/1/page",
       "must not contain a query string or fragment"},
      {"page a full URL", [](json& e) { e["page"] = "https://shop.example/cart"; },
       "/events/1/page", "must be a path starting with \"/\""},
      {"page empty", [](json& e) { e["page"] = ""; }, "/events/1/page", "starting with \"/\""},
      {"page too long", [](json& e) { e["page"] = "/" + std::string(2048, 'p'); }, "/events/1/page",
       "at most 2048 characters"},
      {"page a number", [](json& e) { e["page"] = 7; }, "/events/1/page", "must be a string"},
      {"campaign missing", [](json& e) { e.erase("campaign"); }, "/events/1/campaign",
       "is required"},
      {"campaign empty", [](json& e) { e["campaign"] = ""; }, "/events/1/campaign", "empty"},
      {"campaign too long", [](json& e) { e["campaign"] = std::string(129, 'c'); },
       "/events/1/campaign", "at most 128 characters"},
      {"variation missing", [](json& e) { e.erase("variation"); }, "/events/1/variation",
       "is required"},
      {"variation too long", [](json& e) { e["variation"] = std::string(129, 'v'); },
       "/events/1/variation", "at most 128 characters"},
      {"variation an object", [](json& e) { e["variation"] = json::object(); },
       "/events/1/variation", "must be a string"},
      {"unknown field", [](json& e) { e["email"] = "a@b.c"; }, "/events/1/email",
       "is not a field of impression events"},
      {"health field on an impression", [](json& e) { e["code"] = "x"; }, "/events/1/code",
       "is not a field of impression events"},
      {"unknown field with a slash", [](json& e) { e["a/b~c"] = 1; }, "/events/1/a~1b~0c",
       "is not a field"},
      {"event not an object", [](json& e) { e = json::array(); }, "/events/1", "must be an object"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.rule) {
      json second = impression();
      second["id"] = kOtherId;
      c.change(second);
      ValidationError error = rejection(batch({impression(), second}));
      BOOST_TEST(error.pointer == c.pointer);
      BOOST_TEST(error.message.find(c.message_part) != std::string::npos, error.message);
      BOOST_TEST(error.to_string().rfind(c.pointer + ": ", 0) == 0u, error.to_string());
    }
  }
}

BOOST_AUTO_TEST_CASE(health_events_have_their_own_required_and_allowed_fields) {
  const std::vector<Case> cases = {
      {"code missing", [](json& e) { e.erase("code"); }, "/events/0/code", "is required"},
      {"code empty", [](json& e) { e["code"] = ""; }, "/events/0/code", "must not be empty"},
      {"code too long", [](json& e) { e["code"] = std::string(65, 'c'); }, "/events/0/code",
       "at most 64 characters"},
      {"message missing", [](json& e) { e.erase("message"); }, "/events/0/message", "is required"},
      {"message too long", [](json& e) { e["message"] = std::string(513, 'm'); },
       "/events/0/message", "at most 512 characters"},
      {"campaign empty", [](json& e) { e["campaign"] = ""; }, "/events/0/campaign", "empty"},
      {"variation is not a health field", [](json& e) { e["variation"] = "b"; },
       "/events/0/variation", "is not a field of health events"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.rule) {
      json event = health();
      c.change(event);
      ValidationError error = rejection(batch({event}));
      BOOST_TEST(error.pointer == c.pointer);
      BOOST_TEST(error.message.find(c.message_part) != std::string::npos, error.message);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_batch_envelope_is_checked_before_its_events) {
  std::vector<json> too_many(101, impression());
  struct Envelope {
    std::string body;
    std::string pointer;
    std::string message_part;
  };
  const std::vector<Envelope> cases = {
      {"[]", "", "must be a JSON object"},
      {"{}", "/events", "is required"},
      {R"({"events": {}})", "/events", "must be an array"},
      {R"({"events": []})", "/events", "at least 1 event"},
      {batch(too_many), "/events", "at most 100 events"},
      {R"({"events": [], "extra": 1})", "/extra", "is not a known field"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.body.substr(0, 40)) {
      ValidationError error = rejection(c.body);
      BOOST_TEST(error.pointer == c.pointer);
      BOOST_TEST(error.message.find(c.message_part) != std::string::npos, error.message);
    }
  }
  BOOST_TEST(rejection("[]").to_string().rfind("request body: ", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(a_full_batch_of_100_events_is_accepted) {
  std::vector<json> events(100, impression());
  auto result = validate_event_batch(batch(events), kAccount, kNow);
  BOOST_REQUIRE(std::holds_alternative<std::vector<Event>>(result));
  BOOST_TEST(std::get<std::vector<Event>>(result).size() == 100u);
}

BOOST_AUTO_TEST_CASE(malformed_json_is_rejected_with_the_parser_position) {
  for (const std::string body : {"", "{\"events\": [", "{events: []}", "\xFF"}) {
    BOOST_TEST_CONTEXT(body) {
      ValidationError error = rejection(body);
      BOOST_TEST(error.pointer.empty());
      BOOST_TEST(error.message.rfind("is not valid JSON: ", 0) == 0u, error.message);
      BOOST_TEST(error.message.find("line 1, column") != std::string::npos, error.message);
      BOOST_TEST(error.message.find("json.exception") == std::string::npos, error.message);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_first_problem_in_document_order_of_events_is_reported) {
  json first = impression();
  first["page"] = "/a?b";
  json second = impression();
  second["id"] = "nope";
  ValidationError error = rejection(batch({first, second}));
  BOOST_TEST(error.pointer == "/events/0/page");
}
