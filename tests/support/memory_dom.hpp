// The in-memory DOM the page lifecycle is tested against natively: the native twin of the
// browser's DOM as the tag shows it to the engine through Host (vario/host.hpp).
//
// It has three faces:
//   - the page as the test sets it up and sees it: load() a page's HTML, then read it back with
//     html(), inner_html(), body_html(), text_of() and count(), deterministic byte for byte, so
//     a test can compare the page before, after and after a revert;
//   - the page's own scripts (a framework re-rendering, a late widget): the page_* methods
//     mutate the DOM and record what a MutationObserver on the document would have seen;
//     take_facts() turns those records into the facts the tag gives the engine;
//   - the Host DOM primitives, with the same names and promises as host.hpp, which FakeHost
//     (fake_host.hpp) forwards the engine's calls to. They record nothing, as the tag discards
//     the records of the engine's own writes.
//
// Test mistakes (a selector that matches nothing, a handle that is not live) throw
// std::invalid_argument from the test-facing methods, which Boost.Test reports with the message.
// The Host primitives never throw: the engine is built without exceptions. What the engine does
// wrong (a handle never issued or already released, a stylesheet never added) is answered
// harmlessly and listed in misuses(), which tests expect empty.
//
// See html_syntax.hpp for the HTML the parser understands, dom_selector.hpp for the selectors,
// inline_style.hpp for style attributes.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "support/dom_tree.hpp"
#include "support/html_syntax.hpp"
#include "vario/host.hpp"

namespace vario::testing {

// One node, as a test names it: a CSS selector (its first match in the document) or a handle
// the engine holds (to reach a detached node, or a text node). Implicit, so that tests write
// dom.html("#title") and dom.html(handle) alike.
class Target {
 public:
  Target(const char* selector) : selector_(selector) {}
  Target(std::string_view selector) : selector_(selector) {}
  Target(const std::string& selector) : selector_(selector) {}
  Target(NodeHandle handle) : handle_(handle) {}

 private:
  friend class MemoryDom;
  std::string selector_;
  NodeHandle handle_ = kNoNode;
};

// What the tag tells the engine after the page's mutations (MemoryDom::take_facts).
struct PageFacts {
  std::vector<std::uint32_t> appeared;  // watch ids, ascending: Engine::elements_appeared
  std::vector<NodeHandle> mutated;      // guarded handles, first seen first: nodes_mutated
  bool empty() const { return appeared.empty() && mutated.empty(); }
  bool operator==(const PageFacts&) const = default;
};
std::ostream& operator<<(std::ostream& out, const PageFacts& facts);  // for BOOST_TEST

// The tag's rule for attributes that could run script, shared by parse_html (which drops them)
// and set_attribute (which refuses them): every name starting with "on" (event handlers, any
// case), and href, src, action, formaction, xlink:href and srcdoc whose value is a javascript:
// URL once every ASCII whitespace and control character is taken out (browsers strip leading
// C0 controls and spaces and every tab and newline; taking out more only refuses more).
// `name` is compared ASCII case-insensitively.
bool is_script_attribute(std::string_view name, std::string_view value);

class MemoryDom {
 public:
  // An empty page: <html><head></head><body></body></html>.
  MemoryDom();

  // --- The page, as the test sets it up and sees it ---------------------------------------------
  // Starts a new page from `html` (a whole document or just body content, html_syntax.hpp).
  // Handles, mutation records, stylesheets and misuses of the previous page are forgotten; the
  // refusals below stay, being the browser's.
  void load(std::string_view html);
  // outerHTML and innerHTML of the target; body_html() is <body>'s innerHTML and
  // document_html() <html>'s outerHTML.
  std::string html(const Target& target) const;
  std::string inner_html(const Target& target) const;
  std::string body_html() const;
  std::string document_html() const;
  std::string text_of(const Target& target) const;  // textContent
  std::optional<std::string> attribute_of(const Target& target, std::string_view name) const;
  // How many elements of the document match (0 to check something is gone).
  std::size_t count(std::string_view selector) const;
  // Host::hydrated() answers `hydrated` for the target from now on (every element starts true).
  void set_hydrated(const Target& target, bool hydrated);
  // The handle the engine holds for the target, kNoNode when it holds none. Issues nothing, so
  // tests can name the nodes in PageFacts without disturbing live_handles().
  NodeHandle held(const Target& target) const;

  // --- The browser's limits, simulated -------------------------------------------------------
  // query_all() rejects exactly `selector` (a selector this DOM supports but a browser may not).
  void refuse_selector(std::string selector) { refused_selectors_.insert(std::move(selector)); }
  // Trusted Types with no policy for the tag: parse_html() returns nullopt and set_attribute()
  // refuses srcdoc (HTML); a script's src needs no rule since the engine never makes scripts.
  void refuse_html(bool refuse) { refuse_html_ = refuse; }
  // add_stylesheet() returns 0 (a browser without constructable stylesheets).
  void refuse_stylesheets(bool refuse) { refuse_stylesheets_ = refuse; }

  // --- Engine bookkeeping ------------------------------------------------------------------------
  // Handles issued and not yet released (tests assert 0 when the engine is done).
  std::size_t live_handles() const { return nodes_by_handle_.size(); }
  // Calls the engine made with a handle that was not live, in order, e.g.
  // "text(7): 7 is not a live handle".
  const std::vector<std::string>& misuses() const { return misuses_; }
  // The CSS text of each stylesheet added and not removed, in the order added.
  std::vector<std::string> stylesheets() const;

  // --- The page's own scripts (observed) -------------------------------------------------------
  // Each performs the mutation as the DOM API named in its comment would, and records the
  // MutationObserver records it would queue. Each throws when the target matches nothing or the
  // mutation is impossible.
  void page_set_text(const Target& target, std::string_view text);  // textContent =
  // data = on the target when it is a text node, else on the target's first text child.
  void page_set_data(const Target& target, std::string_view data);
  void page_set_attribute(const Target& target, std::string_view name, std::string_view value);
  void page_remove_attribute(const Target& target, std::string_view name);
  // before() / after() / prepend() / append() with the nodes parsed from `html`, as the page's
  // markup: scripts and handlers are kept (they never run here).
  void page_insert_html(const Target& reference, Position position, std::string_view html);
  void page_append_html(const Target& parent, std::string_view html) {
    page_insert_html(parent, Position::kAppend, html);
  }
  void page_replace_children(const Target& parent, std::string_view html);  // innerHTML =
  void page_replace(const Target& target, std::string_view html);           // outerHTML =
  void page_remove(const Target& target);                                   // remove()
  // before() / after() / prepend() / append() with an existing node: a removal, then an insertion.
  void page_move(const Target& node, const Target& reference, Position position);
  // Whether the page mutated something since the last take_facts().
  bool has_page_mutations() const { return !records_.empty(); }

  // The facts the tag derives from the page's mutation records, as its MutationObserver callback
  // does, and the records cleared. THE FILTER (js-shim implements the same; the two must agree):
  // evaluated once, on the tree as it is now (the callback runs after the page's script, so it
  // sees the DOM after all the mutations, as this does), over the records in the order queued:
  //   - appeared: every watch id whose selector matches an element that a childList record
  //     added, or the target of an attributes record (a class set makes an element match), that
  //     is still in the document, or an element inside it. Each id once, ascending. A selector
  //     the browser rejects matches nothing.
  //   - mutated: every guarded handle whose node
  //       * is the target of an attributes record, or
  //       * is the target of a childList or characterData record or an ancestor of it, or
  //       * is, or is inside, a node a childList record removed or added (taken out of the
  //         document, put back, or moved);
  //     each once, in the order of the first record that hits it, and within one record in the
  //     order of `guarded`. Handles that are not live are skipped.
  // Records are queued, as MutationObserver does for an observer of the document's subtree, for
  // targets in the document and for targets inside a node removed from it since the last
  // take_facts() (transient observers); mutations of other detached nodes are not seen.
  PageFacts take_facts(const std::map<std::uint32_t, std::string>& watches,
                       std::span<const NodeHandle> guarded);

  // --- Host DOM primitives (the engine's; unobserved) -------------------------------------------
  // As promised in host.hpp. Handles are issued on first sight of a node, from 1 upwards and
  // never reused, so a stale handle cannot alias another node; one release() forgets a handle
  // however often it was returned. A handle that is not live gets an empty answer (nullopt,
  // kNoNode, false, "") and a line in misuses().
  std::optional<std::vector<NodeHandle>> query_all(std::string_view selector);
  std::vector<NodeHandle> children(NodeHandle node);
  NodeHandle parent(NodeHandle node);  // <html>'s parent is the document node
  NodeHandle next_sibling(NodeHandle node);
  bool contains(NodeHandle ancestor, NodeHandle node);
  std::string text(NodeHandle node);  // textContent; "" for the document, as its is null
  std::optional<std::string> attribute(NodeHandle node, std::string_view name);
  std::vector<std::string> attribute_names(NodeHandle node);  // in order; none for non-elements
  StyleValue style(NodeHandle node, std::string_view property);
  bool hydrated(NodeHandle node);
  void release(NodeHandle node);
  // On an element (or the document) replaces the children; on a text or comment sets its data.
  void set_text(NodeHandle node, std::string_view text);
  // The nodes come out inert: every <script> (with its content) and every attribute
  // is_script_attribute() names are dropped.
  std::optional<std::vector<NodeHandle>> parse_html(std::string_view html);
  // False (and nothing moves) when `reference` is not live, when the node would not go into an
  // element (before/after a detached node or <html>, prepend/append to a text, a comment or the
  // document: the document keeps its one element), or when `node` is the document or would end
  // up inside itself. Inserting a node before or after itself changes nothing and succeeds.
  bool insert(NodeHandle reference, Position position, NodeHandle node);
  void detach(NodeHandle node);
  // False for a non-element, a name setAttribute() would throw on (empty, or holding
  // whitespace, quotes, '/', '>', '=' or control characters), is_script_attribute(), and srcdoc
  // under refuse_html(). Names are lowercased, as setAttribute() does on HTML elements.
  bool set_attribute(NodeHandle node, std::string_view name, std::string_view value);
  void remove_attribute(NodeHandle node, std::string_view name);
  // Through the style attribute (inline_style.hpp): false for a non-element or a pair
  // acceptable_style() refuses; an empty value removes the property and succeeds.
  bool set_style(NodeHandle node, std::string_view property, std::string_view value,
                 bool important);
  SheetHandle add_stylesheet(std::string_view css);
  void remove_stylesheet(SheetHandle sheet);

 private:
  struct Record {
    enum class Type { kChildList, kAttributes, kCharacterData };
    Type type;
    NodeId target;
    std::vector<NodeId> added;
    std::vector<NodeId> removed;
  };

  // Test side: the node a target names, or an exception saying why there is none.
  NodeId resolve(const Target& target) const;
  // The document's elements matching `selector`; nullopt when it is malformed (refuse_selector()
  // is the engine's browser only: the test still reads the page with such a selector).
  std::optional<std::vector<NodeId>> matching(std::string_view selector) const;
  bool connected(NodeId node) const { return tree_.root(node) == doc_.document; }

  // Engine side: the handle for a node (issued when new), and the node for a live handle
  // (kNullNode, with a misuse noted under `operation`, for any other).
  NodeHandle handle_for(NodeId node);
  std::vector<NodeHandle> handles_for(const std::vector<NodeId>& nodes);
  NodeId live(NodeHandle handle, std::string_view operation);

  // Shared by the engine and the page: where nodes inserted at `position` of `reference` go,
  // (parent, index), or nullopt when they cannot go there. `moving` (kNullNode for new nodes)
  // must not end up inside itself; the index is as it will be once `moving` is detached.
  std::optional<std::pair<NodeId, std::size_t>> insertion_point(NodeId reference, Position position,
                                                                NodeId moving) const;
  // Replaces the children of an element, or the data of a text or comment (textContent =).
  void replace_text(NodeId node, std::string_view text, bool observed);
  // Queues a record if a MutationObserver on the document would see it.
  void record(Record r);
  bool observed(NodeId target) const;

  DomTree tree_;
  DocumentNodes doc_;
  std::unordered_map<NodeHandle, NodeId> nodes_by_handle_;
  std::unordered_map<NodeId, NodeHandle> handles_by_node_;
  NodeHandle next_handle_ = 1;
  std::vector<std::string> misuses_;
  std::set<std::string, std::less<>> refused_selectors_;
  bool refuse_html_ = false;
  bool refuse_stylesheets_ = false;
  std::vector<std::pair<SheetHandle, std::string>> sheets_;
  SheetHandle next_sheet_ = 1;
  std::vector<Record> records_;
  std::set<NodeId> transient_;  // nodes removed since the last take_facts(), still observed
};

}  // namespace vario::testing
