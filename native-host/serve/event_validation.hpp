// The collector's contract with the tag: what an event batch posted to /v1/events must look like
// (docs/events.md), and which of its events refer to the campaigns being served. Pure functions
// over a request body; nothing here reads the clock, the network or the disk, so the same rules
// can be tested exhaustively and documented once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "serve/served_campaigns.hpp"

namespace vario::host {

// Limits of the event format; docs/events.md quotes them.
inline constexpr std::size_t kMaxBodyBytes = 64 * 1024;  // the browsers' keepalive limit
inline constexpr std::size_t kMaxEventsPerBatch = 100;
inline constexpr std::int64_t kOldestEventSchema = 1;  // impression and health only
inline constexpr std::int64_t kEventSchemaVersion = 2;
// How far ahead of the collector's clock a visitor's clock may be: devices drift, and a few
// minutes separate an honest clock from a forged or broken one.
inline constexpr std::int64_t kMaxClockSkewMs = 5 * 60 * 1000;

enum class EventType {
  kImpression,   // a visitor was shown a variation of a campaign
  kPageView,     // a page was viewed, with the visitor's assignments at that moment
  kGoal,         // a goal of kind page_view, click, submit or custom was reached
  kTransaction,  // a transaction goal: an order with its revenue
  kHealth,       // the tag reports its own trouble (an error, dropped events)
};

// "impression", "page_view", "goal", "transaction" or "health": the JSON's `type`, and the
// `type` column.
std::string_view event_type_name(EventType type);

struct Transaction {
  std::string id;  // the site's order id, 1 to 128 characters
  double revenue = 0;
  std::string currency;  // ISO 4217: three uppercase letters
};

// One event that passed every rule. Optional fields are empty when the event did not carry them.
struct Event {
  std::int64_t schema = kEventSchemaVersion;
  EventType type = EventType::kImpression;
  std::string id;       // 32 lowercase hex characters
  std::int64_t ts = 0;  // milliseconds since the Unix epoch, as the tag's clock saw it
  std::string account;
  std::optional<std::string> visitor;    // only sent when the visitor consented
  std::optional<std::string> page;       // the path, and only the allowed query parameters
  std::optional<std::string> campaign;   // impression (required), health (optional)
  std::optional<std::string> variation;  // impression
  std::optional<std::string> goal;       // goal, transaction
  std::optional<double> value;           // goal (optional)
  // page_view (optional), goal and transaction: campaign id -> variation id, the visitor's
  // assignments when it happened. Empty when absent or empty in the event.
  std::map<std::string, std::string> campaigns;
  std::optional<Transaction> transaction;  // transaction
  std::optional<std::string> code;         // health
  std::optional<std::string> message;      // health
  std::optional<std::int64_t> count;       // health (optional)
  std::string payload;  // the event object re-serialized as canonical compact JSON
};

// Where a batch or an event broke a rule: a JSON pointer into the body ("/events/2/id", or ""
// for the whole body) and what is wrong there.
struct ValidationError {
  std::string pointer;
  std::string message;

  // One sentence: "/events/2/id: must be 32 lowercase hex characters"; a problem with the body
  // as a whole reads "request body: ...".
  std::string to_string() const;
};

// What the checks need beyond the body: the campaigns being served, the server's clock, and
// the oldest timestamp still inside the retention window.
struct EventContext {
  const ServedCampaigns* served = nullptr;
  std::int64_t now_ms = 0;
  std::int64_t oldest_ms = 0;  // events with ts < oldest_ms would be purged at once
};

// Each event of a well-formed batch, in order: the event, or why it was rejected.
using EventCheck = std::variant<Event, ValidationError>;
using BatchCheck = std::variant<std::vector<EventCheck>, ValidationError>;

// Parses a batch `{"events": [...]}` and checks each event against the rules of
// docs/events.md and against `context`. Never throws. A body that is not such a batch (malformed
// JSON, reported with the parser's position; not an object; no `events` array; 0 or more than
// kMaxEventsPerBatch events; other top-level fields) gives one ValidationError for the whole
// batch. Otherwise every event gets its own result: the first problem found in it, checking
// fields in a fixed order (schema, type, id, ts, account, visitor, page, then the type's own
// fields, then unknown fields), so that the good events of a batch can be kept.
BatchCheck check_event_batch(std::string_view body, const EventContext& context);

}  // namespace vario::host
