// The changes of the campaigns that apply on this page, kept applied for the life of the page.
//
// PageChanges is the ledger between the campaigns and the DOM: it knows, for every element it
// changed, which changes it applied there, in which order, and what each one replaced, so that
// it can re-apply a change the page overwrote and undo a campaign exactly. It talks to the page
// only through Dom (host.hpp), never to storage or the network.
//
// Order: changes apply lowest campaign priority first, ties in campaigns-file order, and within
// a variation in file order, so on a shared element the highest priority is the one that stays.
// That order holds per element whatever the timing: an element that appears late, a campaign
// that starts applying after a navigation, or a re-applied change all end in the same state.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vario/campaigns_generated.h"
#include "vario/host.hpp"

namespace vario {

// A change that could not be applied, or an element the engine gave up on, for a health event.
struct ChangeProblem {
  std::uint32_t campaign = 0;  // index in the campaigns file
  std::string code;            // "selector_rejected", "change_failed", "rerender_loop"
  std::string message;
};

using StringList = flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>;

class PageChanges {
 public:
  // A framework may overwrite a changed element; the change is re-applied each time, but after
  // kRerenderLimit re-applications on one element within kRerenderWindowMs the page keeps its
  // version: the page and the engine never fight in a loop.
  static constexpr int kRerenderLimit = 5;
  static constexpr double kRerenderWindowMs = 2000;
  // Elements inside a hydration root wait for the framework this long at most, checked this
  // often.
  static constexpr double kHydrationWaitMs = 10000;
  static constexpr double kHydrationPollMs = 50;

  // `hide` and `hydration_roots` are Settings.hide and Settings.hydration_roots (may be null).
  PageChanges(Dom& dom, const StringList* hide, const StringList* hydration_roots);
  PageChanges(const PageChanges&) = delete;  // it owns node handles and DOM state
  PageChanges& operator=(const PageChanges&) = delete;
  // Gives the host its handles back; the page keeps its state (no DOM writes).
  ~PageChanges();

  // Starts applying `variation` of campaign number `campaign` (index in the campaigns file) to
  // the elements present now and to those that appear later, and adds its stylesheet. Redirect
  // changes are the caller's. A campaign already active is left as it is.
  void activate(std::uint32_t campaign, std::int32_t priority, const fb::Variation& variation,
                double now_ms);
  // Undoes everything the campaign changed, exactly, and stops watching for its elements.
  void deactivate(std::uint32_t campaign);
  bool active(std::uint32_t campaign) const;

  // The page added elements matching these watch ids (Dom::watch).
  void elements_appeared(std::span<const std::uint32_t> watch_ids, double now_ms);
  // The page changed these guarded nodes (Dom::guard): changes it undid are re-applied, within
  // the re-render bound.
  void nodes_mutated(std::span<const NodeHandle> nodes, double now_ms);
  // The document finished parsing: a hydration root that is not there now will not come.
  void document_parsed(double now_ms);
  // Applies what waited for hydration if the framework is done (or the wait is over).
  void timer_fired(double now_ms);
  // When the engine wants timer_fired next (ms since the epoch), if at all.
  std::optional<double> next_deadline() const;

  // Lifts the anti-flicker rules: all of them, or while a hydration root is still to be
  // hydrated or campaigns wait (keep_hidden), those of selectors no active or waiting change
  // targets.
  void reveal_ready(double now_ms);
  // The campaigns whose changes wait for a consent answer: the rules of what they would change
  // (in any variation) stay until the list is empty again.
  void keep_hidden(const std::vector<const fb::Campaign*>& campaigns);

  // Problems since the last call, in the order they happened.
  std::vector<ChangeProblem> take_problems();

  // How many elements carry at least one change now (for tests and diagnostics).
  std::size_t changed_elements() const;

 private:
  struct Step;
  struct Record;
  struct Element;
  struct Active;
  struct Pending;

  Step* step_of(std::uint64_t key);
  void apply_step(Step& step, double now_ms);
  void apply_to(const Step& step, NodeHandle node, double now_ms);
  void insert_in_order(std::size_t index, Record record);
  bool apply_record(Element& element, Record& record);
  void revert_record(Element& element, Record& record);
  bool holds(const Element& element, const Record& record);
  void restore_attribute(NodeHandle node, std::string_view name, const std::string& value,
                         const std::vector<std::string>& following);
  bool insert_nodes(NodeHandle reference, Position position, const std::vector<NodeHandle>& nodes);
  void give_up(Element& element, const Record& failing);
  Element* element_of(NodeHandle node);
  void drop_element_if_empty(std::size_t index);
  bool hydration_waiting(double now_ms);
  bool waits_for_hydration(NodeHandle node, double now_ms);
  void watch_selector(std::string_view selector);
  void unwatch_selector(std::string_view selector);
  bool watched_by(std::string_view selector, std::span<const std::uint32_t> watch_ids) const;

  // Engine-side counts of the host's handles: a handle is released when nothing holds it, and
  // a handle the host returned that nothing holds is released at once.
  void hold(NodeHandle node);
  void drop(NodeHandle node);
  bool held(NodeHandle node) const;
  void release_unheld(NodeHandle node);
  void release_unheld(const std::vector<NodeHandle>& nodes);
  bool parent_is(NodeHandle node, NodeHandle expected);
  NodeHandle held_parent(NodeHandle node);
  void forget(Record& record);  // drops what a record holds and clears it
  void problem(std::uint32_t campaign, std::string code, std::string message);

  Dom& dom_;
  const StringList* hide_;
  const StringList* hydration_roots_;
  std::vector<Active> active_;
  std::vector<Step> steps_;  // of every active campaign, in application order
  std::vector<Element> elements_;
  std::vector<Pending> pending_;  // elements waiting for hydration
  std::vector<std::pair<std::string_view, int>> watches_;  // watch id = index + 1; count of users
  std::vector<std::pair<NodeHandle, int>> holds_;
  std::vector<NodeHandle> roots_;  // hydration roots found so far, held
  bool parsed_ = false;
  double hydration_deadline_ms_ = 0;
  bool polling_ = false;
  double poll_at_ms_ = 0;
  bool revealed_all_ = false;
  std::vector<std::string_view> kept_hidden_;
  std::vector<std::uint8_t> revealed_;
  std::vector<ChangeProblem> problems_;
};

}  // namespace vario
