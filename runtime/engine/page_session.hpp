// One page run of the engine: the visitor, the campaigns applied to this page and what is
// waiting to be sent. Created by Engine::start, fed facts by the Engine until the page goes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vario/attributes.hpp"
#include "vario/config.hpp"
#include "vario/consent_gate.hpp"
#include "vario/consent_sources.hpp"
#include "vario/decision.hpp"
#include "vario/events.hpp"
#include "vario/page_changes.hpp"
#include "vario/result.hpp"

namespace vario {

// The page context (Engine::start) once read.
struct PageContext {
  PageEnvironment env;
  std::vector<json::Value> signals;  // consent signals given so far (consent_sources.hpp)
  std::string preview;               // a token whose signature the host verified
  bool parsing = false;              // the document is still being parsed
};

Result<PageContext> parse_page_context(std::string_view text);

class PageSession {
 public:
  PageSession(Host& host, const Config& config, PageContext context);
  PageSession(const PageSession&) = delete;  // it owns the page's changes and the consent gate
  PageSession& operator=(const PageSession&) = delete;

  // Engine::start: returns the decisions JSON.
  std::string start();
  void elements_appeared(std::span<const std::uint32_t> watch_ids);
  void nodes_mutated(std::span<const NodeHandle> nodes);
  void url_changed(std::string_view url);
  void document_parsed();
  void timer_fired();
  void page_hidden();
  // A consent signal (ConsentSources::add); `status` says whether it was one.
  void consent_signal(const json::Value& signal, Status& status);

 private:
  // Decides for the current URL and brings the page in line: undoes campaigns that stopped
  // applying, applies new ones, or leaves for a redirect.
  std::vector<Decision> evaluate();
  void refresh_attributes();
  // Storage consent is there: the stored visitor id (or this page's, now stored) and the visit
  // counters.
  void take_stored_identity(double now_ms);
  void apply_consent(const Consent& consent);
  Consent consent_for_decisions() const;
  EventContext event_context() const;
  void store_assignments(const std::vector<Decision>& decisions);
  void health(std::string_view campaign, std::string_view code, std::string message);
  // An impression for campaign number `index`, once per page.
  void count(std::size_t index, const Decision& d, double now_ms);
  // Turns what PageChanges could not do into health events.
  void report_problems();
  // Sends what the fact produced and asks for the next timer.
  void finish();
  std::string new_id();

  const Config& config_;
  ConsentSources sources_;
  ConsentGate gate_;
  PageEnvironment env_;
  std::optional<VisitCounts> counts_;
  Visitor visitor_;
  PageChanges changes_;
  std::string preview_token_;
  bool previewing_ = false;
  bool parsing_ = false;
  bool left_ = false;  // navigated away: nothing more happens on this page
  std::vector<std::uint8_t> counted_;  // impressions sent, per campaign, for the life of the page
  std::vector<Event> events_;
  std::optional<double> timer_at_;
  std::vector<json::Value> signals_;  // consent signals of the page context, until start
  std::optional<double> consent_deadline_ms_;  // when waiting for consent answers ends
  bool consent_wait_over_ = false;
  Consent unanswered_at_wait_;  // the capabilities still pending when the wait ended
};

}  // namespace vario
