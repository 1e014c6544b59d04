// The engine: loaded campaigns, and the page it lives on. Inputs come in as the campaigns binary
// and facts about the page; everything the engine does to the world goes out through the Host,
// behind the consent gate.
//
// On a page the engine is a state machine that lives as long as the page (docs/architecture.md,
// "The page lifecycle"): the host calls start() once, then tells it what happens (elements
// appeared, the page overwrote a changed element, the URL changed, the document finished
// parsing, the timer fired, the page is being hidden); each call returns once the engine has
// answered with commands through the host.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "vario/config.hpp"
#include "vario/host.hpp"
#include "vario/result.hpp"

namespace vario {

class PageSession;

class Engine {
 public:
  // The host must outlive the engine. The engine uses it only through its consent gate.
  explicit Engine(Host& host);
  Engine(const Engine&) = delete;  // one engine per page: copies would double side effects
  Engine& operator=(const Engine&) = delete;
  ~Engine();

  // Verifies and keeps the campaigns binary; replaces any previous one (and ends the page run,
  // which referred to it).
  Status load(std::span<const std::uint8_t> campaigns_bin);

  // The decision for one visitor (visitor JSON, see parse_visitor) as decisions JSON, each
  // campaign's reason explained. Uses only the host's pure functions: its clock (the default
  // for the visitor's "now") and its regular expressions.
  Result<std::string> decide(std::string_view visitor_json) const;

  // --- The page lifecycle -------------------------------------------------------------------
  // Starts the page: `context_json` is the page context {"url", "referrer", "consent"?,
  // "userAgent", "webdriver", "language", "screen": {"width", "height"}, "timeZone",
  // "attributes" (pushed by the site), "preview"? (a token whose signature the host verified),
  // "parsing"? (true while the document is still being parsed), "consentSignals"? (the consent
  // signals given before the start, in order)}. Identifies the visitor (stored
  // id with consent, a fresh random one otherwise), decides, applies the changes of the
  // campaigns that apply to the elements present and watches for the others, reveals what the
  // anti-flicker rules hid, stores assignments and sends impressions as consent allows, or
  // navigates for a redirect test. Returns the decisions JSON. A failing change (a selector the
  // browser rejects) does not stop the others; it is reported in a health event.
  Result<std::string> start(std::string_view context_json);
  // The page added elements matching these watch ids (Host::watch).
  Status elements_appeared(std::span<const std::uint32_t> watch_ids);
  // The page changed these guarded nodes (Host::guard); undone changes are re-applied within
  // the re-render bound.
  Status nodes_mutated(std::span<const NodeHandle> nodes);
  // The page's URL changed without a reload (pushState, replaceState, popstate, hashchange):
  // campaigns are decided again; those that no longer apply are undone, new ones applied and
  // counted once.
  Status url_changed(std::string_view url);
  // DOMContentLoaded.
  Status document_parsed();
  // The timer requested through Host::set_timer fired.
  Status timer_fired();
  // The page is being hidden or unloaded: the last chance to send; what waits for a consent
  // answer is dropped.
  Status page_hidden();
  // A consent signal from the page, a CMP or Consent Mode (consent_sources.hpp gives the JSON).
  // Held storage and events follow the answer; campaigns now allowed apply, those no longer
  // allowed are undone; a withdrawal erases what Vario stored.
  Status consent_signal(std::string_view signal_json);

 private:
  Status on_page(const char* what) const;

  Host& host_;  // only ever wrapped in a ConsentGate inside the page session
  std::optional<Config> config_;
  std::unique_ptr<PageSession> page_;
};

// 16 random bytes from the host as 32 lowercase hex characters (visitor and event ids).
std::string random_hex_id(std::span<const std::uint8_t, 16> bytes);

}  // namespace vario
