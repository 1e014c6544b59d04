// The collector's contract with the tag: what an event batch posted to /v1/events must look like.
// Pure functions over a request body; nothing here reads the clock, the network or the disk, so
// the same rules can be tested exhaustively and documented once (docs/events.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace vario::host {

// Limits of the event format; docs/events.md quotes them.
inline constexpr std::size_t kMaxBodyBytes = 64 * 1024;
inline constexpr std::size_t kMaxEventsPerBatch = 100;
inline constexpr std::int64_t kEventSchemaVersion = 1;
inline constexpr std::int64_t kMaxClockSkewMs = 24 * 60 * 60 * 1000;  // 1 day into the future

enum class EventType {
  kImpression,  // a visitor was shown a variation of a campaign
  kHealth,      // the tag reports its own trouble (an error, dropped events)
};

// "impression" or "health", as written in the JSON and stored in the `type` column.
std::string_view event_type_name(EventType type);

// One event that passed every rule. Optional fields are empty when the event did not carry them.
struct Event {
  EventType type = EventType::kImpression;
  std::string id;       // 32 lowercase hex characters
  std::int64_t ts = 0;  // milliseconds since the Unix epoch, as the tag's clock saw it
  std::string account;
  std::optional<std::string> visitor;    // only sent when the visitor consented
  std::optional<std::string> page;       // path only: no query string, no fragment
  std::optional<std::string> campaign;   // required for impressions, optional for health
  std::optional<std::string> variation;  // impressions only
  std::optional<std::string> code;       // health only
  std::optional<std::string> message;    // health only
  std::string payload;  // the event object re-serialized as compact JSON, stored verbatim
};

// Where a batch broke a rule: a JSON pointer into the body ("/events/2/id", or "" for the whole
// body) and what is wrong there.
struct ValidationError {
  std::string pointer;
  std::string message;

  // One sentence for the HTTP response: "/events/2/id: must be 32 lowercase hex characters".
  // A problem with the body as a whole reads "request body: ...".
  std::string to_string() const;
};

// Either every event of the batch, in order, or the first problem found.
using ValidationResult = std::variant<std::vector<Event>, ValidationError>;

// Parses and checks a whole batch `{"events": [...]}` against the rules of docs/events.md.
// `account` is the only account this collector accepts; `now_ms` is the server's clock, used to
// refuse timestamps more than kMaxClockSkewMs in the future. Never throws. Malformed JSON is
// reported with the parser's position; otherwise the error names the first offending field,
// checking events in order and, within an event, fields in a fixed order (schema, type, id, ts,
// account, visitor, page, then the type's own fields, then unknown fields). A batch is valid
// only if every event is: callers store all of it or none of it.
ValidationResult validate_event_batch(std::string_view body, std::string_view account,
                                      std::int64_t now_ms);

}  // namespace vario::host
