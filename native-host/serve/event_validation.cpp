#include "serve/event_validation.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "config/validate_report.hpp"

namespace vario::host {
namespace {

using nlohmann::json;
using validation::char_count;
using validation::child;
using validation::in_quotes;

constexpr std::size_t kIdHexLength = 32;
constexpr std::size_t kMaxAccountChars = 64;
constexpr std::size_t kMaxPageChars = 2048;
constexpr std::size_t kMaxNameChars = 128;  // campaign, variation and goal ids
constexpr std::size_t kMaxCodeChars = 64;
constexpr std::size_t kMaxMessageChars = 512;
constexpr std::size_t kMaxTransactionIdChars = 128;

// Fields every event may carry, then the fields of each type. Anything else is refused so that a
// tag cannot quietly start sending more than the documented, minimal set.
constexpr std::array<std::string_view, 7> kCommonFields = {"schema",  "type",    "id",  "ts",
                                                           "account", "visitor", "page"};

std::vector<std::string_view> own_fields(EventType type, std::int64_t schema) {
  switch (type) {
    case EventType::kImpression:
      return {"campaign", "variation"};
    case EventType::kPageView:
      return {"campaigns"};
    case EventType::kGoal:
      return {"goal", "value", "campaigns"};
    case EventType::kTransaction:
      return {"goal", "transaction", "campaigns"};
    case EventType::kHealth:
      if (schema == 1) return {"code", "message", "campaign"};
      return {"code", "message", "campaign", "count"};
  }
  return {};
}

// Thrown only inside this file, to stop at the first problem of an event without threading a
// status through every helper; the callers turn it back into a value.
struct Invalid {
  ValidationError error;
};

[[noreturn]] void fail(std::string pointer, std::string message) {
  throw Invalid{{std::move(pointer), std::move(message)}};
}

bool is_lower_hex_id(std::string_view s) {
  return s.size() == kIdHexLength && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string plural(std::size_t n, std::string_view unit) {
  return std::to_string(n) + " " + std::string(unit) + (n == 1 ? "" : "s");
}

// Reads obj[key] as a string of min..max characters; absent is an error only when required.
std::optional<std::string> read_string(const json& obj, const std::string& base, const char* key,
                                       bool required, std::size_t min_chars,
                                       std::size_t max_chars) {
  const auto it = obj.find(key);
  const std::string pointer = child(base, key);
  if (it == obj.end()) {
    if (required) fail(pointer, "is required");
    return std::nullopt;
  }
  if (!it->is_string()) fail(pointer, "must be a string");
  const auto& value = it->get_ref<const std::string&>();
  const std::size_t chars = char_count(value);
  if (chars < min_chars) fail(pointer, "must not be empty");
  if (chars > max_chars) fail(pointer, "must be at most " + plural(max_chars, "character"));
  return value;
}

std::optional<std::string> read_id(const json& event, const std::string& base, const char* key,
                                   bool required) {
  const auto it = event.find(key);
  const std::string pointer = child(base, key);
  if (it == event.end()) {
    if (required) fail(pointer, "is required");
    return std::nullopt;
  }
  if (!it->is_string() || !is_lower_hex_id(it->get_ref<const std::string&>()))
    fail(pointer, "must be 32 lowercase hex characters");
  return it->get<std::string>();
}

std::string minutes(std::int64_t ms) { return std::to_string(ms / 60'000) + " minutes"; }

std::int64_t read_timestamp(const json& event, const std::string& base,
                            const EventContext& context) {
  const auto it = event.find("ts");
  const std::string pointer = base + "/ts";
  if (it == event.end()) fail(pointer, "is required");
  if (!it->is_number_integer())
    fail(pointer, "must be an integer number of milliseconds since the Unix epoch");
  const std::string future = "is more than " + minutes(kMaxClockSkewMs) +
                             " ahead of the collector's clock: the visitor's clock is wrong";
  // Compare in the unsigned domain first: a huge unsigned value would wrap as int64.
  if (it->is_number_unsigned() &&
      it->get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    fail(pointer, future);
  const auto ts = it->get<std::int64_t>();
  if (ts <= 0) fail(pointer, "must be a positive number of milliseconds since the Unix epoch");
  if (ts > context.now_ms && ts - context.now_ms > kMaxClockSkewMs) fail(pointer, future);
  if (ts < context.oldest_ms)
    fail(pointer, "is older than the retention window: such an event would be purged at once");
  return ts;
}

std::int64_t read_schema(const json& event, const std::string& base) {
  const auto it = event.find("schema");
  const std::string pointer = base + "/schema";
  if (it == event.end()) fail(pointer, "is required");
  // is_number_integer first: nlohmann compares 1.0 == 1 as equal, and 1.0 is not a version.
  if (!it->is_number_integer() || (*it != 1 && *it != 2))
    fail(pointer, "must be the integer 2 (or 1, the schema of older tags)");
  return it->get<std::int64_t>();
}

EventType read_type(const json& event, const std::string& base, std::int64_t schema) {
  const auto it = event.find("type");
  const std::string pointer = base + "/type";
  if (it == event.end()) fail(pointer, "is required");
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    for (EventType type : {EventType::kImpression, EventType::kHealth, EventType::kPageView,
                           EventType::kGoal, EventType::kTransaction}) {
      if (s != event_type_name(type)) continue;
      if (schema == 1 && type != EventType::kImpression && type != EventType::kHealth)
        fail(pointer, "\"" + s +
                          "\" events need schema 2; schema 1 has only \"impression\" and "
                          "\"health\"");
      return type;
    }
  }
  fail(pointer, schema == 1 ? "must be \"impression\" or \"health\""
                            : "must be \"impression\", \"page_view\", \"goal\", \"transaction\" "
                              "or \"health\"");
}

// Schema 1: the path alone. Schema 2: the path, then optionally '?' and name=value pairs whose
// names the campaigns file allows (events.query_parameters); never a fragment.
void check_page(const std::string& page, const std::string& pointer, std::int64_t schema,
                const ServedCampaigns& served) {
  if (page.empty() || page.front() != '/') fail(pointer, "must be a path starting with \"/\"");
  if (page.find('#') != std::string::npos) fail(pointer, "must not contain a fragment (\"#\")");
  const std::size_t question = page.find('?');
  if (question == std::string::npos) return;
  // Query strings routinely carry emails, tokens and other tools' ids: only named parameters
  // pass, so the tag must strip the rest rather than the collector trusting it did.
  if (schema == 1) fail(pointer, "must not contain a query string (\"?\") in schema 1");
  std::string_view query = std::string_view(page).substr(question + 1);
  if (query.empty()) fail(pointer, "must not end with an empty query string (\"?\")");
  while (!query.empty()) {
    const std::size_t amp = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, amp);
    const std::string name(pair.substr(0, pair.find('=')));
    if (std::find(served.query_parameters.begin(), served.query_parameters.end(), name) ==
        served.query_parameters.end()) {
      const std::string allowed =
          served.query_parameters.empty()
              ? std::string("the campaigns file allows none (events.query_parameters)")
              : "the campaigns file allows only those in events.query_parameters";
      fail(pointer, "keeps the query parameter " + in_quotes(name) + ", but " + allowed);
    }
    query.remove_prefix(std::min(amp + 1, query.size()));
  }
}

const ServedCampaign& served_campaign(const ServedCampaigns& served, const std::string& id,
                                      const std::string& pointer) {
  const ServedCampaign* campaign = served.campaign(id);
  if (campaign == nullptr)
    fail(pointer,
         "no campaign " + in_quotes(id) + " is served to account " + in_quotes(served.account));
  return *campaign;
}

void check_variation(const ServedCampaign& campaign, const std::string& variation,
                     const std::string& pointer) {
  if (campaign.variation(variation) == nullptr)
    fail(pointer,
         "campaign " + in_quotes(campaign.id) + " has no variation " + in_quotes(variation));
}

// {"campaign": "variation", ...}: the visitor's assignments, each a served pair.
std::map<std::string, std::string> read_assignments(const json& event, const std::string& base,
                                                    bool required, const ServedCampaigns& served) {
  std::map<std::string, std::string> out;
  const auto it = event.find("campaigns");
  const std::string pointer = base + "/campaigns";
  if (it == event.end()) {
    if (required) fail(pointer, "is required (an empty object when the visitor is in none)");
    return out;
  }
  if (!it->is_object()) fail(pointer, "must be an object {\"campaign id\": \"variation id\"}");
  for (const auto& [campaign_id, variation] : it->items()) {
    const std::string at = child(pointer, campaign_id);
    const ServedCampaign& campaign = served_campaign(served, campaign_id, at);
    if (!variation.is_string()) fail(at, "must be a variation id (a string)");
    check_variation(campaign, variation.get<std::string>(), at);
    out.emplace(campaign_id, variation.get<std::string>());
  }
  return out;
}

const ServedGoal& read_goal(const json& event, const std::string& base, EventType type,
                            const ServedCampaigns& served) {
  const std::string id = *read_string(event, base, "goal", true, 1, kMaxNameChars);
  const std::string pointer = base + "/goal";
  const ServedGoal* goal = served.goal(id);
  if (goal == nullptr)
    fail(pointer,
         "no goal " + in_quotes(id) + " is served to account " + in_quotes(served.account));
  const bool transaction = goal->kind == GoalKind::kTransaction;
  if (type == EventType::kTransaction && !transaction)
    fail(pointer, "goal " + in_quotes(id) + " is a " + std::string(goal_kind_name(goal->kind)) +
                      " goal; transaction events need a transaction goal");
  if (type == EventType::kGoal && transaction)
    fail(pointer,
         "goal " + in_quotes(id) + " is a transaction goal: send it as a \"transaction\" event");
  return *goal;
}

double read_finite(const json& obj, const std::string& pointer) {
  if (!obj.is_number()) fail(pointer, "must be a number");
  const double value = obj.get<double>();
  if (!std::isfinite(value)) fail(pointer, "must be a finite number");
  return value;
}

Transaction read_transaction(const json& event, const std::string& base) {
  const auto it = event.find("transaction");
  const std::string pointer = base + "/transaction";
  if (it == event.end()) fail(pointer, "is required");
  if (!it->is_object()) fail(pointer, "must be an object {\"id\", \"revenue\", \"currency\"}");
  Transaction t;
  t.id = *read_string(*it, pointer, "id", true, 1, kMaxTransactionIdChars);
  const auto revenue = it->find("revenue");
  if (revenue == it->end()) fail(pointer + "/revenue", "is required");
  t.revenue = read_finite(*revenue, pointer + "/revenue");
  if (t.revenue < 0) fail(pointer + "/revenue", "must not be negative (send refunds apart)");
  t.currency = *read_string(*it, pointer, "currency", true, 1, 3);
  if (t.currency.size() != 3 || !std::all_of(t.currency.begin(), t.currency.end(),
                                             [](char c) { return c >= 'A' && c <= 'Z'; }))
    fail(pointer + "/currency", "must be an ISO 4217 code: three uppercase letters, as in \"EUR\"");
  for (const auto& [key, unused] : it->items())
    if (key != "id" && key != "revenue" && key != "currency")
      fail(child(pointer, key), "is not a field of a transaction (id, revenue, currency)");
  return t;
}

Event read_event(const json& value, std::size_t index, const EventContext& context) {
  const ServedCampaigns& served = *context.served;
  const std::string base = "/events/" + std::to_string(index);
  if (!value.is_object()) fail(base, "must be an object");

  Event event;
  event.schema = read_schema(value, base);
  event.type = read_type(value, base, event.schema);
  event.id = *read_id(value, base, "id", /*required=*/true);
  event.ts = read_timestamp(value, base, context);
  event.account = *read_string(value, base, "account", true, 1, kMaxAccountChars);
  if (event.account != served.account)
    fail(base + "/account",
         "must be " + in_quotes(served.account) + ", the account this collector serves");
  event.visitor = read_id(value, base, "visitor", /*required=*/false);
  event.page = read_string(value, base, "page", /*required=*/event.schema >= 2, 1, kMaxPageChars);
  if (event.page) check_page(*event.page, base + "/page", event.schema, served);

  switch (event.type) {
    case EventType::kImpression: {
      event.campaign = read_string(value, base, "campaign", true, 1, kMaxNameChars);
      const ServedCampaign& campaign = served_campaign(served, *event.campaign, base + "/campaign");
      event.variation = read_string(value, base, "variation", true, 1, kMaxNameChars);
      check_variation(campaign, *event.variation, base + "/variation");
      break;
    }
    case EventType::kPageView:
      event.campaigns = read_assignments(value, base, false, served);
      break;
    case EventType::kGoal:
      event.goal = read_goal(value, base, event.type, served).id;
      if (const auto it = value.find("value"); it != value.end())
        event.value = read_finite(*it, base + "/value");
      event.campaigns = read_assignments(value, base, true, served);
      break;
    case EventType::kTransaction:
      event.goal = read_goal(value, base, event.type, served).id;
      event.transaction = read_transaction(value, base);
      event.campaigns = read_assignments(value, base, true, served);
      break;
    case EventType::kHealth:
      event.code = read_string(value, base, "code", true, 1, kMaxCodeChars);
      event.message = read_string(value, base, "message", true, 0, kMaxMessageChars);
      event.campaign = read_string(value, base, "campaign", false, 1, kMaxNameChars);
      if (event.campaign) served_campaign(served, *event.campaign, base + "/campaign");
      if (const auto it = value.find("count"); it != value.end() && event.schema >= 2) {
        if (!it->is_number_integer() ||
            (it->is_number_integer() && !it->is_number_unsigned() && it->get<std::int64_t>() < 0))
          fail(base + "/count", "must be an integer of at least 0");
        if (it->get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
          fail(base + "/count", "is too large");
        event.count = it->get<std::int64_t>();
      }
      break;
  }

  const auto own = own_fields(event.type, event.schema);
  for (const auto& [key, unused] : value.items()) {
    const bool known =
        std::find(kCommonFields.begin(), kCommonFields.end(), key) != kCommonFields.end() ||
        std::find(own.begin(), own.end(), key) != own.end();
    if (!known)
      fail(child(base, key), "is not a field of " + std::string(event_type_name(event.type)) +
                                 " events" + (event.schema == 1 ? " in schema 1" : ""));
  }

  event.payload = value.dump();
  return event;
}

}  // namespace

std::string_view event_type_name(EventType type) {
  switch (type) {
    case EventType::kImpression:
      return "impression";
    case EventType::kPageView:
      return "page_view";
    case EventType::kGoal:
      return "goal";
    case EventType::kTransaction:
      return "transaction";
    case EventType::kHealth:
      return "health";
  }
  return "health";
}

std::string ValidationError::to_string() const {
  return (pointer.empty() ? std::string("request body") : pointer) + ": " + message;
}

BatchCheck check_event_batch(std::string_view body, const EventContext& context) {
  json root;
  try {
    root = json::parse(body);
  } catch (const json::parse_error& e) {
    // e.what() starts with "[json.exception.parse_error.101] "; the rest names line and column.
    const std::string what = e.what();
    const auto start = what.find("] ");
    return ValidationError{
        "", "is not valid JSON: " + (start == std::string::npos ? what : what.substr(start + 2))};
  }

  std::vector<EventCheck> out;
  try {
    if (!root.is_object()) fail("", "must be a JSON object {\"events\": [...]}");
    for (const auto& [key, unused] : root.items())
      if (key != "events") fail(child("", key), "is not a known field");
    const auto events = root.find("events");
    if (events == root.end()) fail("/events", "is required");
    if (!events->is_array()) fail("/events", "must be an array");
    if (events->empty()) fail("/events", "must contain at least 1 event");
    if (events->size() > kMaxEventsPerBatch)
      fail("/events", "must contain at most " + plural(kMaxEventsPerBatch, "event"));
    out.reserve(events->size());
  } catch (const Invalid& invalid) {
    return invalid.error;
  }
  const json& events = root.at("events");
  for (std::size_t i = 0; i < events.size(); ++i) {
    try {
      out.emplace_back(read_event(events[i], i, context));
    } catch (const Invalid& invalid) {
      out.emplace_back(invalid.error);
    }
  }
  return out;
}

}  // namespace vario::host
