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
class ConsentGate {
 public:
  ConsentGate(Host& host, ConsentState state) : host_(host), state_(state) {}
  ConsentGate(const ConsentGate&) = delete;  // it is the single gate; copies would fork state
  ConsentGate& operator=(const ConsentGate&) = delete;

  ConsentState state() const { return state_; }
  void set_state(ConsentState state) { state_ = state; }

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
  // consent; first-party ones are the site's own data about the page.
  std::optional<std::string> read_page_value(PageValueSource source, std::string_view key,
                                             bool third_party);

  // --- Device storage.
  // The stored visitor id; read and written only with consent.
  std::optional<std::string> read_visitor_id();
  void write_visitor_id(std::string_view id);
  // Visit and page-view counters ("visits.pageViews.lastSeenSeconds"); only with consent, like
  // the id they describe.
  std::optional<std::string> read_visit_counts();
  void write_visit_counts(std::string_view value);
  // A verified preview token, kept until it expires so the preview survives navigation. The
  // person previewing asked for exactly this, so it needs no consent (like the consent
  // choice itself); it carries no identifier.
  void write_preview_token(std::string_view token, std::int64_t max_age_seconds);
  // The stored assignments ("campaign=variation&..."); each entry is kept only if its campaign
  // may store its assignment in the current state.
  std::optional<std::string> read_assignments();
  struct StoredAssignment {
    std::string_view campaign;
    std::string_view variation;
    ConsentClass cls;
  };
  void write_assignments(std::span<const StoredAssignment> assignments);

  // --- Network.
  // Sends to `url` the events consent allows, each stripped of what consent forbids (the visitor
  // id without `identify`); the others are dropped here, never sent. Health events need no
  // consent: they carry no visitor id. Returns how many events left, 0 when none or the host
  // refused.
  std::size_t send_events(std::string_view url, std::span<const Event> events,
                          const EventContext& context);

 private:
  Host& host_;
  ConsentState state_;
};

}  // namespace vario
