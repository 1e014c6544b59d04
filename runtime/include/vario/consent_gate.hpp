// The gate every side effect of the engine passes through.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vario/consent_table.hpp"
#include "vario/events.hpp"
#include "vario/host.hpp"

namespace vario {

// The only path from the engine to the host's side effects. The engine receives the Host only
// to build this gate; storage and network go through the methods below, which check the
// consent table for the data they carry.
//
// While a capability is pending, what it would allow is held in memory, not done: storage
// writes (the latest value per key) and events (with their own timestamps). A grant does what
// was held; a denial drops it; a withdrawal (granted, then denied) also erases from the device
// everything Vario stored there.
class ConsentGate {
 public:
  ConsentGate(Host& host, const Consent& consent) : host_(host), consent_(consent) {}
  ConsentGate(const ConsentGate&) = delete;  // it is the single gate; copies would fork state
  ConsentGate& operator=(const ConsentGate&) = delete;

  const Consent& consent() const { return consent_; }
  // The visitor's new consent: persists what was held for storage if it is now granted, drops
  // what is now denied (held writes and events), and erases the stored data of a withdrawn
  // storage consent. Held events that may now leave wait for send_held().
  void set_consent(const Consent& consent);
  // Sends the held events that consent now allows; `context` identifies the visitor in those
  // that may carry an id.
  void send_held(const EventContext& context);
  // The page is going away: nothing held may leave now.
  void drop_held();
  bool holding() const { return !held_writes_.empty() || !held_events_.empty(); }

  // --- The page, clock, randomness and logs: no consent question of their own (whether a
  // change may be applied is decided before it reaches the page). The page half of the host
  // has no storage or network method, so code handed dom() cannot get around the gate.
  Dom& dom() { return host_; }
  double now_ms() { return host_.now_ms(); }
  void random_bytes(std::span<std::uint8_t> out) { host_.random_bytes(out); }
  void log(LogLevel level, std::string_view message) { host_.log(level, message); }
  // Regular expressions are pure computation in the host.
  const RegexTester& regex() const { return host_; }

  // --- Reads of page data for targeting. Third-party (DMP) attributes are read only with
  // third-party consent; first-party ones are the site's own data about the page.
  std::optional<std::string> read_page_value(PageValueSource source, std::string_view key,
                                             bool third_party);
  // The consent record a CMP keeps in a first-party cookie (the TC string): reading the
  // visitor's own answer needs no answer.
  std::optional<std::string> read_consent_record(std::string_view cookie);

  // --- Device storage.
  // The stored visitor id; read and written only with storage consent (held while pending).
  std::optional<std::string> read_visitor_id();
  void write_visitor_id(std::string_view id);
  // Visit and page-view counters ("visits.pageViews.lastSeenSeconds"); only with storage
  // consent, like the id they describe. Not held: counting needs the stored value, so a grant
  // counts afresh.
  std::optional<std::string> read_visit_counts();
  void write_visit_counts(std::string_view value);
  // A verified preview token, kept until it expires so the preview survives navigation. The
  // person previewing asked for exactly this, so it needs no consent (like the consent
  // choice itself); it carries no identifier.
  void write_preview_token(std::string_view token, std::int64_t max_age_seconds);
  // The stored assignments ("campaign=variation&..."); each entry is kept only if its campaign
  // may store its assignment now, and the entries a pending answer may allow are held.
  std::optional<std::string> read_assignments();
  struct StoredAssignment {
    std::string_view campaign;
    std::string_view variation;
    ConsentClass cls;
  };
  void write_assignments(std::span<const StoredAssignment> assignments);

  // --- Network.
  // Sends to `url` the events consent allows now, each stripped of what consent forbids (the
  // visitor id without `identify`); holds those a pending answer may allow; drops the others.
  // Health events are measurement, like every other event. Returns how many left now.
  std::size_t send_events(std::string_view url, std::span<const Event> events,
                          const EventContext& context);

 private:
  struct HeldWrite {
    std::string key, value;
    std::int64_t max_age_seconds;
  };
  struct HeldEvent {
    std::string url;
    Event event;
  };
  void store(std::string_view key, std::string value, Capability needs);
  std::string assignments_text(std::span<const StoredAssignment> assignments,
                               const Consent& consent) const;
  // Whether `e` may leave with `consent`, and with the visitor id.
  static bool may_send(const Event& e, const Consent& consent, bool& identify);
  std::size_t send_now(std::string_view url, std::span<const Event* const> events,
                       const EventContext& context);

  Host& host_;
  Consent consent_;
  std::vector<HeldWrite> held_writes_;
  std::vector<HeldEvent> held_events_;
};

}  // namespace vario
