// Events: what the engine reports (impressions, its own health), and their wire format
// (docs/events.md). Every event carries a schema version, a random id for deduplication, a
// timestamp and the account; a visitor id only where consent allows.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "vario/consent_table.hpp"

namespace vario {

inline constexpr int kEventSchemaVersion = 1;

enum class EventType { kImpression, kHealth };

struct Event {
  EventType type = EventType::kImpression;
  // The consent class of the campaign the event is about; nullopt for health events.
  std::optional<ConsentClass> consent_class;
  std::string id;  // 32 lowercase hex characters, random
  std::int64_t ts = 0;
  std::string campaign;   // impression; optional for health
  std::string variation;  // impression
  std::string code;       // health: a stable machine-readable code ("selector_rejected")
  std::string message;    // health: a sentence
  std::string page;       // the URL path when the event happened, never its query or fragment
};

// What every event of a batch shares.
struct EventContext {
  std::string_view account;
  std::string_view visitor_id;  // empty when the visitor is not identified
};

// One event prepared for sending, with whether it may carry the visitor id.
struct OutgoingEvent {
  const Event* event;
  bool with_visitor;
};

// The JSON batch posted to the collector: {"events":[...]}.
std::string serialize_batch(std::span<const OutgoingEvent> events, const EventContext& context);

// The collector URL for a page: `collector` as configured (a path on the page's origin, or an
// absolute URL), checked to be https, or http to localhost/127.0.0.1/[::1]. nullopt when the
// result would not be safe to send to; the reason goes to `why`.
std::optional<std::string> resolve_collector(std::string_view collector, std::string_view page_url,
                                             std::string& why);

}  // namespace vario
