#include "vario/page_changes.hpp"

#include <algorithm>

#include "changes/class_tokens.hpp"
#include "vario/json.hpp"

namespace vario {
namespace {

using fb::Action;

bool is_element_action(Action a) { return a != Action::AddCss && a != Action::Redirect; }

std::string_view sv(const flatbuffers::String* s) { return s ? s->string_view() : std::string_view(); }

// Application order as one integer: priority (lowest first), then campaign and change in file
// order. Campaigns and changes are counted in 16 bits, which the compiler guarantees.
std::uint64_t order_key(std::int32_t priority, std::uint32_t campaign, std::uint32_t change) {
  const auto p = static_cast<std::uint64_t>(static_cast<std::uint32_t>(priority) ^ 0x80000000u);
  return (p << 32) | (std::uint64_t{campaign & 0xffff} << 16) | (change & 0xffff);
}

// The property and value a style-setting action writes.
struct StyleWrite {
  std::string_view property, value;
  bool important;
};
StyleWrite style_write(const fb::Change& c) {
  if (c.action() == Action::Hide) return {"display", "none", true};
  return {sv(c.name()), sv(c.value()), c.important()};
}

}  // namespace

struct PageChanges::Step {
  std::uint64_t key;
  std::uint32_t campaign;
  const fb::Change* change;
  bool rejected = false;  // the browser refused the selector: reported once, not retried
};

// One change applied to one element, with what it replaced.
struct PageChanges::Record {
  std::uint64_t key;
  std::uint32_t campaign;
  const fb::Change* change;
  std::vector<NodeHandle> before;  // SetText, SetHtml: the children it replaced
  std::vector<NodeHandle> ours;    // nodes it put in; Move: the reference element
  std::optional<std::string> value_before;  // the attribute (class, style for those actions)
  std::vector<std::string> following;       // RemoveAttribute: the attributes after it
  std::string value_after;                  // class actions: the class attribute as set
  StyleValue style_before, style_after;
  NodeHandle parent = kNoNode, next = kNoNode;  // Move, Remove: where the element was
};

struct PageChanges::Element {
  NodeHandle node;
  std::vector<Record> stack;      // applied, in application order
  std::vector<double> reapplied;  // when the page last made us re-apply (ms)
  bool gave_up = false;
};

struct PageChanges::Active {
  std::uint32_t campaign;
  SheetHandle sheet = 0;
};

struct PageChanges::Pending {
  std::uint64_t key;
  NodeHandle node;
};

PageChanges::PageChanges(Dom& dom, const StringList* hide, const StringList* hydration_roots)
    : dom_(dom), hide_(hide), hydration_roots_(hydration_roots) {}

PageChanges::~PageChanges() {
  // No DOM writes here: the page keeps its state. Only the host's handles are given back.
  for (const auto& [node, count] : holds_) dom_.release(node);
}

// --- handles -------------------------------------------------------------------------------------

void PageChanges::hold(NodeHandle node) {
  if (node == kNoNode) return;
  for (auto& [n, count] : holds_)
    if (n == node) {
      ++count;
      return;
    }
  holds_.emplace_back(node, 1);
}

void PageChanges::drop(NodeHandle node) {
  if (node == kNoNode) return;
  for (std::size_t i = 0; i < holds_.size(); ++i) {
    if (holds_[i].first != node) continue;
    if (--holds_[i].second == 0) {
      holds_.erase(holds_.begin() + static_cast<std::ptrdiff_t>(i));
      dom_.release(node);
    }
    return;
  }
}

bool PageChanges::held(NodeHandle node) const {
  for (const auto& [n, count] : holds_)
    if (n == node) return true;
  return false;
}

void PageChanges::release_unheld(NodeHandle node) {
  if (node != kNoNode && !held(node)) dom_.release(node);
}

void PageChanges::release_unheld(const std::vector<NodeHandle>& nodes) {
  for (const NodeHandle n : nodes) release_unheld(n);
}

bool PageChanges::parent_is(NodeHandle node, NodeHandle expected) {
  const NodeHandle p = dom_.parent(node);
  release_unheld(p);
  return p == expected;
}

NodeHandle PageChanges::held_parent(NodeHandle node) {
  const NodeHandle p = dom_.parent(node);
  hold(p);
  return p;
}

void PageChanges::forget(Record& r) {
  for (const NodeHandle n : r.before) drop(n);
  for (const NodeHandle n : r.ours) {
    if (r.change->action() == Action::InsertHtml) dom_.guard(n, false);
    drop(n);
  }
  drop(r.parent);
  drop(r.next);
  r.before.clear();
  r.ours.clear();
  r.following.clear();
  r.value_before.reset();
  r.value_after.clear();
  r.style_before = r.style_after = {};
  r.parent = r.next = kNoNode;
}

void PageChanges::problem(std::uint32_t campaign, std::string code, std::string message) {
  problems_.push_back({campaign, std::move(code), std::move(message)});
}

std::vector<ChangeProblem> PageChanges::take_problems() { return std::exchange(problems_, {}); }

// --- campaigns -----------------------------------------------------------------------------------

bool PageChanges::active(std::uint32_t campaign) const {
  return std::any_of(active_.begin(), active_.end(),
                     [&](const Active& a) { return a.campaign == campaign; });
}

void PageChanges::activate(std::uint32_t campaign, std::int32_t priority,
                           const fb::Variation& variation, double now_ms) {
  if (active(campaign)) return;
  if (hydration_deadline_ms_ == 0) hydration_deadline_ms_ = now_ms + kHydrationWaitMs;
  Active a{campaign};
  std::vector<std::uint64_t> added;
  const auto* changes = variation.changes();
  for (flatbuffers::uoffset_t i = 0; changes && i < changes->size(); ++i) {
    const fb::Change* c = changes->Get(i);
    if (c->action() == Action::AddCss) {
      if (a.sheet) dom_.remove_stylesheet(a.sheet);  // the compiler allows one; be safe
      a.sheet = dom_.add_stylesheet(sv(c->value()));
      if (!a.sheet) problem(campaign, "change_failed", "the browser refused the campaign's stylesheet");
      continue;
    }
    if (!is_element_action(c->action()) || !c->selector()) continue;
    Step step{order_key(priority, campaign, i), campaign, c};
    const auto at = std::find_if(steps_.begin(), steps_.end(),
                                 [&](const Step& s) { return s.key > step.key; });
    steps_.insert(at, step);
    added.push_back(step.key);
    watch_selector(sv(c->selector()));
    if (c->action() == Action::Move) watch_selector(sv(c->target()));
  }
  active_.push_back(a);
  for (const std::uint64_t key : added)
    if (Step* s = step_of(key)) apply_step(*s, now_ms);
}

void PageChanges::deactivate(std::uint32_t campaign) {
  for (std::size_t e = elements_.size(); e-- > 0;) {
    Element& element = elements_[e];
    const auto first = std::find_if(element.stack.begin(), element.stack.end(),
                                    [&](const Record& r) { return r.campaign == campaign; });
    if (first == element.stack.end()) continue;
    // Unwind to the campaign's first change on this element, then put the others back on top:
    // the element ends as if the campaign had never applied.
    std::vector<Record> above(std::make_move_iterator(first),
                              std::make_move_iterator(element.stack.end()));
    element.stack.erase(first, element.stack.end());
    for (auto r = above.rbegin(); r != above.rend(); ++r) revert_record(element, *r);
    for (Record& r : above) {
      forget(r);
      if (r.campaign != campaign && apply_record(element, r)) element.stack.push_back(std::move(r));
    }
    drop_element_if_empty(e);
  }
  for (std::size_t p = pending_.size(); p-- > 0;) {
    const Step* s = step_of(pending_[p].key);
    if (s && s->campaign != campaign) continue;
    drop(pending_[p].node);
    pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(p));
  }
  for (std::size_t s = steps_.size(); s-- > 0;) {
    if (steps_[s].campaign != campaign) continue;
    unwatch_selector(sv(steps_[s].change->selector()));
    if (steps_[s].change->action() == Action::Move) unwatch_selector(sv(steps_[s].change->target()));
    steps_.erase(steps_.begin() + static_cast<std::ptrdiff_t>(s));
  }
  for (std::size_t i = 0; i < active_.size(); ++i) {
    if (active_[i].campaign != campaign) continue;
    if (active_[i].sheet) dom_.remove_stylesheet(active_[i].sheet);
    active_.erase(active_.begin() + static_cast<std::ptrdiff_t>(i));
    break;
  }
}

PageChanges::Step* PageChanges::step_of(std::uint64_t key) {
  for (Step& s : steps_)
    if (s.key == key) return &s;
  return nullptr;
}

// --- watching ------------------------------------------------------------------------------------

void PageChanges::watch_selector(std::string_view selector) {
  for (auto& [s, count] : watches_)
    if (s == selector && count > 0) {
      ++count;
      return;
    }
  // Reuse a free id so ids stay small and few.
  std::size_t id = 0;
  while (id < watches_.size() && watches_[id].second > 0) ++id;
  if (id == watches_.size()) watches_.emplace_back(selector, 0);
  watches_[id] = {selector, 1};
  dom_.watch(static_cast<std::uint32_t>(id + 1), selector);
}

void PageChanges::unwatch_selector(std::string_view selector) {
  for (std::size_t id = 0; id < watches_.size(); ++id) {
    auto& [s, count] = watches_[id];
    if (s != selector || count == 0) continue;
    if (--count == 0) dom_.unwatch(static_cast<std::uint32_t>(id + 1));
    return;
  }
}

bool PageChanges::watched_by(std::string_view selector,
                             std::span<const std::uint32_t> watch_ids) const {
  for (const std::uint32_t id : watch_ids)
    if (id >= 1 && id <= watches_.size() && watches_[id - 1].second > 0 &&
        watches_[id - 1].first == selector)
      return true;
  return false;
}

void PageChanges::elements_appeared(std::span<const std::uint32_t> watch_ids, double now_ms) {
  // Steps in application order, so an element that several changes target gets them in order.
  for (std::size_t i = 0; i < steps_.size(); ++i) {
    const fb::Change& c = *steps_[i].change;
    if (watched_by(sv(c.selector()), watch_ids) ||
        (c.action() == Action::Move && watched_by(sv(c.target()), watch_ids)))
      apply_step(steps_[i], now_ms);
  }
}

// --- applying ------------------------------------------------------------------------------------

void PageChanges::apply_step(Step& step, double now_ms) {
  if (step.rejected) return;
  const std::string_view selector = sv(step.change->selector());
  const auto nodes = dom_.query_all(selector);
  if (!nodes) {
    step.rejected = true;
    problem(step.campaign, "selector_rejected",
            "the browser rejected the selector: " + std::string(selector));
    return;
  }
  for (const NodeHandle n : *nodes) apply_to(step, n, now_ms);
  release_unheld(*nodes);
}

PageChanges::Element* PageChanges::element_of(NodeHandle node) {
  for (Element& e : elements_)
    if (e.node == node) return &e;
  return nullptr;
}

void PageChanges::apply_to(const Step& step, NodeHandle node, double now_ms) {
  if (const Element* e = element_of(node)) {
    if (e->gave_up) return;
    for (const Record& r : e->stack)
      if (r.key == step.key) return;  // once per element
  }
  for (const Pending& p : pending_)
    if (p.key == step.key && p.node == node) return;
  if (waits_for_hydration(node, now_ms)) {
    hold(node);
    pending_.push_back({step.key, node});
    return;
  }
  std::size_t index = 0;
  while (index < elements_.size() && elements_[index].node != node) ++index;
  if (index == elements_.size()) {
    hold(node);
    dom_.guard(node, true);
    elements_.push_back({node, {}, {}, false});
  }
  Record record{step.key, step.campaign, step.change};
  insert_in_order(index, std::move(record));
}

void PageChanges::insert_in_order(std::size_t index, Record record) {
  Element& element = elements_[index];
  const auto at = std::find_if(element.stack.begin(), element.stack.end(),
                               [&](const Record& r) { return r.key > record.key; });
  // Changes that come later in the order are taken off, so this one lands beneath them.
  std::vector<Record> above(std::make_move_iterator(at), std::make_move_iterator(element.stack.end()));
  element.stack.erase(at, element.stack.end());
  for (auto r = above.rbegin(); r != above.rend(); ++r) revert_record(element, *r);
  if (apply_record(element, record)) element.stack.push_back(std::move(record));
  else forget(record);
  for (Record& r : above) {
    forget(r);
    if (apply_record(element, r)) element.stack.push_back(std::move(r));
  }
  drop_element_if_empty(index);
}

void PageChanges::drop_element_if_empty(std::size_t index) {
  Element& element = elements_[index];
  if (!element.stack.empty() || element.gave_up) return;
  dom_.guard(element.node, false);
  drop(element.node);
  elements_.erase(elements_.begin() + static_cast<std::ptrdiff_t>(index));
}

std::size_t PageChanges::changed_elements() const {
  return static_cast<std::size_t>(std::count_if(
      elements_.begin(), elements_.end(), [](const Element& e) { return !e.stack.empty(); }));
}

bool PageChanges::insert_nodes(NodeHandle reference, Position position,
                               const std::vector<NodeHandle>& nodes) {
  // Each node goes after the previous one, so they keep their order whatever the position.
  NodeHandle previous = kNoNode;
  for (const NodeHandle n : nodes) {
    const bool ok = previous == kNoNode ? dom_.insert(reference, position, n)
                                        : dom_.insert(previous, Position::kAfter, n);
    if (!ok) return false;
    previous = n;
  }
  return true;
}

bool PageChanges::apply_record(Element& element, Record& r) {
  const fb::Change& c = *r.change;
  const NodeHandle node = element.node;
  const auto failed = [&](std::string why) {
    problem(r.campaign, "change_failed", std::string(sv(c.selector())) + ": " + why);
    return false;
  };
  switch (c.action()) {
    case Action::SetText:
    case Action::SetHtml: {
      std::optional<std::vector<NodeHandle>> parsed;
      if (c.action() == Action::SetHtml) {
        parsed = dom_.parse_html(sv(c.value()));
        if (!parsed) return failed("the browser refused to create HTML (Trusted Types)");
      }
      r.before = dom_.children(node);
      for (const NodeHandle n : r.before) hold(n);
      if (parsed) {
        for (const NodeHandle n : r.before) dom_.detach(n);
        insert_nodes(node, Position::kAppend, *parsed);
        r.ours = std::move(*parsed);
      } else {
        dom_.set_text(node, sv(c.value()));
        r.ours = dom_.children(node);
      }
      for (const NodeHandle n : r.ours) hold(n);
      return true;
    }
    case Action::SetAttribute:
      r.value_before = dom_.attribute(node, sv(c.name()));
      if (!dom_.set_attribute(node, sv(c.name()), sv(c.value())))
        return failed("the browser refused attribute " + std::string(sv(c.name())));
      return true;
    case Action::RemoveAttribute: {
      r.value_before = dom_.attribute(node, sv(c.name()));
      if (!r.value_before) return true;
      std::vector<std::string> names = dom_.attribute_names(node);
      const auto at = std::find(names.begin(), names.end(), sv(c.name()));
      if (at != names.end()) r.following.assign(at + 1, names.end());
      dom_.remove_attribute(node, sv(c.name()));
      return true;
    }
    case Action::AddClass:
    case Action::RemoveClass: {
      r.value_before = dom_.attribute(node, "class");
      r.value_after = c.action() == Action::AddClass
                          ? with_classes(r.value_before.value_or(""), sv(c.value()))
                          : without_classes(r.value_before.value_or(""), sv(c.value()));
      if (r.value_after != r.value_before.value_or("")) dom_.set_attribute(node, "class", r.value_after);
      return true;
    }
    case Action::SetStyle:
    case Action::Hide: {
      const StyleWrite w = style_write(c);
      r.value_before = dom_.attribute(node, "style");
      r.style_before = dom_.style(node, w.property);
      if (!dom_.set_style(node, w.property, w.value, w.important))
        return failed("the browser refused " + std::string(w.property) + ": " + std::string(w.value));
      r.style_after = dom_.style(node, w.property);
      return true;
    }
    case Action::InsertHtml: {
      auto parsed = dom_.parse_html(sv(c.value()));
      if (!parsed) return failed("the browser refused to create HTML (Trusted Types)");
      if (!insert_nodes(node, static_cast<Position>(c.position()), *parsed)) {
        for (const NodeHandle n : *parsed) dom_.detach(n);
        release_unheld(*parsed);
        return failed("there is no place to insert the HTML (the element has no parent)");
      }
      r.ours = std::move(*parsed);
      for (const NodeHandle n : r.ours) {
        hold(n);
        dom_.guard(n, true);  // so that the page taking it out is noticed
      }
      return true;
    }
    case Action::Move: {
      const auto targets = dom_.query_all(sv(c.target()));
      if (!targets) return failed("the browser rejected the move target " + std::string(sv(c.target())));
      if (targets->empty()) return false;  // not there yet: the target's watch brings it back
      const NodeHandle target = targets->front();
      if (dom_.contains(node, target)) {
        release_unheld(*targets);
        return failed("the move target is inside the element it moves");
      }
      r.parent = held_parent(node);
      r.next = dom_.next_sibling(node);
      hold(r.next);
      if (!dom_.insert(target, static_cast<Position>(c.position()), node)) {
        release_unheld(*targets);
        return failed("the element cannot go there (the target has no parent)");
      }
      hold(target);
      r.ours = {target};
      release_unheld(*targets);
      return true;
    }
    case Action::Remove:
      r.parent = held_parent(node);
      r.next = dom_.next_sibling(node);
      hold(r.next);
      dom_.detach(node);
      return true;
    case Action::AddCss:
    case Action::Redirect:
      return false;
  }
  return false;
}

void PageChanges::revert_record(Element& element, Record& r) {
  const fb::Change& c = *r.change;
  const NodeHandle node = element.node;
  switch (c.action()) {
    case Action::SetText:
    case Action::SetHtml:
      for (const NodeHandle n : r.ours) dom_.detach(n);
      for (const NodeHandle n : r.before) dom_.insert(node, Position::kAppend, n);
      return;
    case Action::SetAttribute:
      if (r.value_before) dom_.set_attribute(node, sv(c.name()), *r.value_before);
      else dom_.remove_attribute(node, sv(c.name()));
      return;
    case Action::RemoveAttribute:
      if (r.value_before) restore_attribute(node, sv(c.name()), *r.value_before, r.following);
      return;
    case Action::AddClass:
    case Action::RemoveClass: {
      const std::optional<std::string> now = dom_.attribute(node, "class");
      if (now.value_or("") == r.value_after) {  // untouched since: restore it byte for byte
        if (r.value_before) dom_.set_attribute(node, "class", *r.value_before);
        else dom_.remove_attribute(node, "class");
        return;
      }
      // The page changed other classes since; undo only ours and keep its changes.
      const std::string before = r.value_before.value_or("");
      const std::string undone = c.action() == Action::AddClass
                                     ? without_classes(now.value_or(""), added_classes(before, sv(c.value())))
                                     : with_classes(now.value_or(""), present_classes(before, sv(c.value())));
      dom_.set_attribute(node, "class", undone);
      return;
    }
    case Action::SetStyle:
    case Action::Hide: {
      const StyleWrite w = style_write(c);
      if (dom_.style(node, w.property) == r.style_after)
        dom_.set_style(node, w.property, r.style_before.value, r.style_before.important);
      // An element that had no style attribute is left without one, not with style="".
      if (!r.value_before && dom_.attribute(node, "style") == std::optional<std::string>(""))
        dom_.remove_attribute(node, "style");
      return;
    }
    case Action::InsertHtml:
      for (const NodeHandle n : r.ours) dom_.detach(n);
      return;
    case Action::Move:
    case Action::Remove:
      if (r.parent == kNoNode) {
        dom_.detach(node);
      } else if (r.next != kNoNode && parent_is(r.next, r.parent)) {
        dom_.insert(r.next, Position::kBefore, node);
      } else {
        dom_.insert(r.parent, Position::kAppend, node);
      }
      return;
    case Action::AddCss:
    case Action::Redirect:
      return;
  }
}

void PageChanges::restore_attribute(NodeHandle node, std::string_view name, const std::string& value,
                                    const std::vector<std::string>& following) {
  // An attribute set again goes last; the ones that followed it are set again after it, so the
  // element's attributes are back in their order. Style and handlers cannot be set again (a
  // strict CSP, and Vario never sets handlers): then the order is left as it comes.
  for (const std::string& f : following)
    if (f == "style" || f.starts_with("on")) {
      dom_.set_attribute(node, name, value);
      return;
    }
  dom_.set_attribute(node, name, value);
  for (const std::string& f : following)
    if (const auto v = dom_.attribute(node, f)) {
      dom_.remove_attribute(node, f);
      dom_.set_attribute(node, f, *v);
    }
}

bool PageChanges::holds(const Element& element, const Record& r) {
  const fb::Change& c = *r.change;
  const NodeHandle node = element.node;
  switch (c.action()) {
    case Action::SetText:
    case Action::SetHtml: {
      if (r.ours.empty()) return dom_.text(node).empty();
      for (const NodeHandle n : r.ours)
        if (!parent_is(n, node)) return false;
      // React, for one, writes a new text into the text node it finds instead of replacing it.
      if (c.action() == Action::SetText && dom_.text(r.ours.front()) != sv(c.value())) return false;
      if (element.stack.size() > 1) return true;
      // Alone on the element, nothing else may have joined its children.
      const std::vector<NodeHandle> now = dom_.children(node);
      release_unheld(now);
      return now == r.ours;
    }
    case Action::SetAttribute:
      return dom_.attribute(node, sv(c.name())) == std::optional<std::string>(sv(c.value()));
    case Action::RemoveAttribute:
      return !dom_.attribute(node, sv(c.name()));
    case Action::AddClass:
      return has_all_classes(dom_.attribute(node, "class").value_or(""), sv(c.value()));
    case Action::RemoveClass:
      return has_no_class(dom_.attribute(node, "class").value_or(""), sv(c.value()));
    case Action::SetStyle:
    case Action::Hide:
      return dom_.style(node, style_write(c).property) == r.style_after;
    case Action::InsertHtml: {
      const Position p = static_cast<Position>(c.position());
      NodeHandle expected = node;
      if (p == Position::kBefore || p == Position::kAfter) {
        expected = dom_.parent(node);
        release_unheld(expected);
      }
      for (const NodeHandle n : r.ours)
        if (!parent_is(n, expected)) return false;
      return true;
    }
    case Action::Move: {
      const NodeHandle target = r.ours.empty() ? kNoNode : r.ours.front();
      const Position p = static_cast<Position>(c.position());
      NodeHandle expected = target;
      if (p == Position::kBefore || p == Position::kAfter) {
        expected = dom_.parent(target);
        release_unheld(expected);
      }
      return parent_is(node, expected);
    }
    case Action::Remove:
      return parent_is(node, kNoNode);
    case Action::AddCss:
    case Action::Redirect:
      return true;
  }
  return true;
}

// --- the page's own writes -----------------------------------------------------------------------

void PageChanges::nodes_mutated(std::span<const NodeHandle> nodes, double now_ms) {
  for (const NodeHandle n : nodes) {
    // The node is a changed element, or a node a change inserted.
    std::size_t index = 0;
    for (; index < elements_.size(); ++index) {
      const Element& e = elements_[index];
      if (e.node == n) break;
      const bool inserted = std::any_of(e.stack.begin(), e.stack.end(), [&](const Record& r) {
        return r.change->action() == Action::InsertHtml &&
               std::find(r.ours.begin(), r.ours.end(), n) != r.ours.end();
      });
      if (inserted) break;
    }
    if (index == elements_.size()) continue;
    Element& element = elements_[index];
    if (element.gave_up) continue;
    std::vector<std::size_t> undone;
    for (std::size_t i = 0; i < element.stack.size(); ++i)
      if (!holds(element, element.stack[i])) undone.push_back(i);
    if (undone.empty()) continue;

    std::erase_if(element.reapplied, [&](double t) { return t <= now_ms - kRerenderWindowMs; });
    if (element.reapplied.size() >= static_cast<std::size_t>(kRerenderLimit)) {
      give_up(element, element.stack[undone.front()]);
      continue;
    }
    element.reapplied.push_back(now_ms);
    // What the page wrote becomes the new original: reverting later restores the page's version.
    for (const std::size_t i : undone) {
      Record& r = element.stack[i];
      forget(r);
      if (!apply_record(element, r)) r.change = nullptr;  // could not: dropped below
    }
    std::erase_if(element.stack, [](const Record& r) { return r.change == nullptr; });
    drop_element_if_empty(index);
  }
}

void PageChanges::give_up(Element& element, const Record& failing) {
  const std::uint32_t campaign = failing.campaign;
  const std::string selector(sv(failing.change->selector()));
  for (Record& r : element.stack) forget(r);
  element.stack.clear();
  dom_.guard(element.node, false);
  element.gave_up = true;  // the handle stays held, so the element is recognised if matched again
  problem(campaign, "rerender_loop",
          "the page overwrote " + selector + " " + json::to_decimal(kRerenderLimit + 1) +
              " times within " + json::to_decimal(static_cast<std::uint64_t>(kRerenderWindowMs / 1000)) +
              " s; the change is no longer re-applied there and the page's version stays");
}

// --- hydration and anti-flicker ------------------------------------------------------------------

bool PageChanges::hydration_waiting(double now_ms) {
  if (!hydration_roots_ || hydration_roots_->size() == 0) return false;
  if (hydration_deadline_ms_ != 0 && now_ms >= hydration_deadline_ms_) return false;
  if (roots_.size() < hydration_roots_->size()) {
    for (const flatbuffers::String* selector : *hydration_roots_)
      if (const auto found = dom_.query_all(selector->string_view()))
        for (const NodeHandle n : *found) {
          if (held(n) || std::find(roots_.begin(), roots_.end(), n) != roots_.end()) {
            release_unheld(n);
            continue;
          }
          hold(n);
          roots_.push_back(n);
        }
  }
  // A root the parser has not reached yet may still come, with server-rendered markup inside.
  if (roots_.empty()) return !parsed_;
  return std::any_of(roots_.begin(), roots_.end(), [&](NodeHandle r) { return !dom_.hydrated(r); });
}

void PageChanges::document_parsed(double now_ms) {
  parsed_ = true;
  reveal_ready(now_ms);
}

bool PageChanges::waits_for_hydration(NodeHandle node, double now_ms) {
  if (!hydration_waiting(now_ms)) return false;
  return std::any_of(roots_.begin(), roots_.end(),
                     [&](NodeHandle r) { return dom_.contains(r, node) && !dom_.hydrated(r); });
}

void PageChanges::timer_fired(double now_ms) {
  // In key order, so that an element gets its waiting changes in application order (the list
  // is short: insertion beats pulling std::sort into the wasm).
  std::vector<Pending> waiting;
  for (const Pending& p : std::exchange(pending_, {})) {
    auto at = waiting.end();
    while (at != waiting.begin() && (at - 1)->key > p.key) --at;
    waiting.insert(at, p);
  }
  for (const Pending& p : waiting) {
    if (const Step* step = step_of(p.key)) apply_to(*step, p.node, now_ms);
    drop(p.node);
  }
  reveal_ready(now_ms);
}

std::optional<double> PageChanges::next_deadline() const {
  if (!polling_) return std::nullopt;
  return poll_at_ms_;
}

void PageChanges::keep_hidden(const std::vector<const fb::Campaign*>& campaigns) {
  kept_hidden_.clear();
  for (const fb::Campaign* c : campaigns) {
    if (!c->variations()) continue;
    for (const fb::Variation* v : *c->variations())
      if (v->changes())
        for (const fb::Change* change : *v->changes())
          if (change->selector()) kept_hidden_.push_back(change->selector()->string_view());
  }
}

void PageChanges::reveal_ready(double now_ms) {
  polling_ = false;
  if (revealed_all_) return;
  const bool hydrating = hydration_waiting(now_ms);
  if (pending_.empty() && !hydrating && kept_hidden_.empty()) {
    dom_.reveal(Dom::kAllRules);
    revealed_all_ = true;
    return;
  }
  // Until the framework has hydrated, keep hidden what the active campaigns change, and while
  // campaigns wait for consent what they would change; the rest of the page shows now.
  polling_ = hydrating || !pending_.empty();
  poll_at_ms_ = now_ms + kHydrationPollMs;
  if (!hide_) return;
  revealed_.resize(hide_->size(), 0);
  for (flatbuffers::uoffset_t i = 0; i < hide_->size(); ++i) {
    if (revealed_[i]) continue;
    const std::string_view selector = hide_->Get(i)->string_view();
    const bool changing =
        std::find(kept_hidden_.begin(), kept_hidden_.end(), selector) != kept_hidden_.end() ||
        ((hydrating || !pending_.empty()) &&
         std::any_of(steps_.begin(), steps_.end(),
                     [&](const Step& s) { return sv(s.change->selector()) == selector; }));
    if (changing) continue;
    dom_.reveal(static_cast<std::int32_t>(i));
    revealed_[i] = 1;
  }
}

}  // namespace vario
