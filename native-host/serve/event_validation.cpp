#include "serve/event_validation.hpp"

#include <array>
#include <limits>
#include <nlohmann/json.hpp>

namespace vario::host {
namespace {

using nlohmann::json;

constexpr std::size_t kIdHexLength = 32;
constexpr std::size_t kMaxAccountChars = 64;
constexpr std::size_t kMaxPageChars = 2048;
constexpr std::size_t kMaxNameChars = 128;  // campaign and variation ids
constexpr std::size_t kMaxCodeChars = 64;
constexpr std::size_t kMaxMessageChars = 512;

// Fields every event may carry, then the fields of each type. Anything else is refused so that a
// tag cannot quietly start sending more than the documented, minimal set.
constexpr std::array kCommonFields = {"schema", "type", "id", "ts", "account", "visitor", "page"};
constexpr std::array kImpressionFields = {"campaign", "variation"};
constexpr std::array kHealthFields = {"code", "message", "campaign"};

// Thrown only inside this file, to stop at the first problem without threading a status through
// every helper; validate_event_batch turns it back into a value.
struct Invalid {
  ValidationError error;
};

[[noreturn]] void fail(std::string pointer, std::string message) {
  throw Invalid{{std::move(pointer), std::move(message)}};
}

// RFC 6901: '~' and '/' inside a key are escaped so that the pointer stays unambiguous.
std::string escape_pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

// Lengths are limits on what a person reads, so they count characters (code points), not bytes.
// The JSON parser has already rejected invalid UTF-8.
std::size_t count_code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool is_lower_hex_id(std::string_view s) {
  if (s.size() != kIdHexLength) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string plural(std::size_t n, std::string_view unit) {
  return std::to_string(n) + " " + std::string(unit) + (n == 1 ? "" : "s");
}

// Reads event[key] as a string of min..max characters; absent is an error only when required.
std::optional<std::string> read_string(const json& event, const std::string& base, const char* key,
                                       bool required, std::size_t min_chars,
                                       std::size_t max_chars) {
  auto it = event.find(key);
  std::string pointer = base + "/" + key;
  if (it == event.end()) {
    if (required) fail(pointer, "is required");
    return std::nullopt;
  }
  if (!it->is_string()) fail(pointer, "must be a string");
  const auto& value = it->get_ref<const std::string&>();
  std::size_t chars = count_code_points(value);
  if (chars < min_chars) fail(pointer, "must not be empty");
  if (chars > max_chars) fail(pointer, "must be at most " + plural(max_chars, "character"));
  return value;
}

std::optional<std::string> read_id(const json& event, const std::string& base, const char* key,
                                   bool required) {
  auto it = event.find(key);
  std::string pointer = base + "/" + key;
  if (it == event.end()) {
    if (required) fail(pointer, "is required");
    return std::nullopt;
  }
  if (!it->is_string() || !is_lower_hex_id(it->get_ref<const std::string&>())) {
    fail(pointer, "must be 32 lowercase hex characters");
  }
  return it->get<std::string>();
}

std::int64_t read_timestamp(const json& event, const std::string& base, std::int64_t now_ms) {
  auto it = event.find("ts");
  std::string pointer = base + "/ts";
  if (it == event.end()) fail(pointer, "is required");
  if (!it->is_number_integer()) {
    fail(pointer, "must be an integer number of milliseconds since the Unix epoch");
  }
  // Compare in the unsigned domain first: a huge unsigned value would wrap as int64.
  if (it->is_number_unsigned() &&
      it->get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    fail(pointer, "is more than 1 day in the future");
  }
  auto ts = it->get<std::int64_t>();
  if (ts <= 0) fail(pointer, "must be a positive number of milliseconds since the Unix epoch");
  if (ts > now_ms && ts - now_ms > kMaxClockSkewMs)
    fail(pointer, "is more than 1 day in the future");
  return ts;
}

void check_schema(const json& event, const std::string& base) {
  auto it = event.find("schema");
  std::string pointer = base + "/schema";
  if (it == event.end()) fail(pointer, "is required");
  // is_number_integer first: nlohmann compares 1.0 == 1 as equal, and 1.0 is not the version.
  if (!it->is_number_integer() || *it != kEventSchemaVersion) {
    fail(pointer, "must be the integer 1 (the only event schema this collector knows)");
  }
}

EventType read_type(const json& event, const std::string& base) {
  auto it = event.find("type");
  std::string pointer = base + "/type";
  if (it == event.end()) fail(pointer, "is required");
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    if (s == "impression") return EventType::kImpression;
    if (s == "health") return EventType::kHealth;
  }
  fail(pointer, "must be \"impression\" or \"health\"");
}

template <std::size_t N>
bool contains(const std::array<const char*, N>& fields, std::string_view key) {
  for (const char* f : fields) {
    if (key == f) return true;
  }
  return false;
}

Event read_event(const json& value, std::size_t index, std::string_view account,
                 std::int64_t now_ms) {
  std::string base = "/events/" + std::to_string(index);
  if (!value.is_object()) fail(base, "must be an object");

  Event event;
  check_schema(value, base);
  event.type = read_type(value, base);
  event.id = *read_id(value, base, "id", /*required=*/true);
  event.ts = read_timestamp(value, base, now_ms);
  event.account = *read_string(value, base, "account", true, 1, kMaxAccountChars);
  if (event.account != account) {
    fail(base + "/account",
         "must be \"" + std::string(account) + "\", the account this collector serves");
  }
  event.visitor = read_id(value, base, "visitor", /*required=*/false);
  event.page = read_string(value, base, "page", false, 0, kMaxPageChars);
  if (event.page) {
    // Query strings and fragments routinely carry emails, tokens and campaign ids of other
    // tools; the format keeps them out entirely rather than trusting each tag to strip them.
    if (event.page->empty() || event.page->front() != '/') {
      fail(base + "/page", "must be a path starting with \"/\"");
    }
    if (event.page->find_first_of("?#") != std::string::npos) {
      fail(base + "/page", "must not contain a query string or fragment (\"?\" or \"#\")");
    }
  }

  if (event.type == EventType::kImpression) {
    event.campaign = read_string(value, base, "campaign", true, 1, kMaxNameChars);
    event.variation = read_string(value, base, "variation", true, 1, kMaxNameChars);
  } else {
    event.code = read_string(value, base, "code", true, 1, kMaxCodeChars);
    event.message = read_string(value, base, "message", true, 0, kMaxMessageChars);
    event.campaign = read_string(value, base, "campaign", false, 1, kMaxNameChars);
  }

  for (const auto& [key, unused] : value.items()) {
    bool known = contains(kCommonFields, key) ||
                 (event.type == EventType::kImpression ? contains(kImpressionFields, key)
                                                       : contains(kHealthFields, key));
    if (!known) {
      fail(base + "/" + escape_pointer_token(key),
           "is not a field of " + std::string(event_type_name(event.type)) + " events");
    }
  }

  event.payload = value.dump();
  return event;
}

}  // namespace

std::string_view event_type_name(EventType type) {
  return type == EventType::kImpression ? "impression" : "health";
}

std::string ValidationError::to_string() const {
  return (pointer.empty() ? std::string("request body") : pointer) + ": " + message;
}

ValidationResult validate_event_batch(std::string_view body, std::string_view account,
                                      std::int64_t now_ms) {
  json root;
  try {
    root = json::parse(body);
  } catch (const json::parse_error& e) {
    // e.what() starts with "[json.exception.parse_error.101] "; the rest names line and column.
    std::string what = e.what();
    auto start = what.find("] ");
    return ValidationError{
        "", "is not valid JSON: " + (start == std::string::npos ? what : what.substr(start + 2))};
  }

  try {
    if (!root.is_object()) fail("", "must be a JSON object {\"events\": [...]}");
    for (const auto& [key, unused] : root.items()) {
      if (key != "events") fail("/" + escape_pointer_token(key), "is not a known field");
    }
    auto events = root.find("events");
    if (events == root.end()) fail("/events", "is required");
    if (!events->is_array()) fail("/events", "must be an array");
    if (events->empty()) fail("/events", "must contain at least 1 event");
    if (events->size() > kMaxEventsPerBatch) {
      fail("/events", "must contain at most " + plural(kMaxEventsPerBatch, "event"));
    }
    std::vector<Event> out;
    out.reserve(events->size());
    for (std::size_t i = 0; i < events->size(); ++i) {
      out.push_back(read_event((*events)[i], i, account, now_ms));
    }
    return out;
  } catch (const Invalid& invalid) {
    return invalid.error;
  }
}

}  // namespace vario::host
