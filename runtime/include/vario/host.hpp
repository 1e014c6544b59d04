// The one narrow interface between the engine and the world. The engine never touches a DOM,
// a cookie, a socket, a clock or a random source itself: it calls these. wasm/ implements them
// with imports from the JS tag; tests and native-host/ implement them natively.
//
// The engine does not hold a Host directly outside the consent gate (consent_gate.hpp): storage
// and network calls can only be reached through the gate, so no code path can bypass consent.
//
// The page lifecycle (docs/architecture.md): the host tells the engine facts (Engine::start,
// elements_appeared, nodes_mutated, url_changed, timer_fired, page_hidden) and the engine answers
// with the commands below, synchronously, inside that call. A host must not report the engine's
// own DOM writes back to it as mutations: only what the page did.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vario/regex.hpp"

namespace vario {

// A host-side reference to one DOM node (element, text or comment). While the engine holds a
// handle, the host answers with the same handle for the same node, so the engine can recognise
// a node it changed before. 0 is never a node.
using NodeHandle = std::uint32_t;
inline constexpr NodeHandle kNoNode = 0;

// A host-side reference to a stylesheet the engine added; 0 is none.
using SheetHandle = std::uint32_t;

// Where a node goes relative to a reference node (insert_html, move).
enum class Position : int { kBefore = 0, kAfter = 1, kPrepend = 2, kAppend = 3 };

// An inline style declaration as the browser reports it back: the value it serialized ("" when
// the property is not set inline) and whether it is !important.
struct StyleValue {
  std::string value;
  bool important = false;
  bool operator==(const StyleValue&) const = default;
};

enum class LogLevel : int { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Where a declared attribute's value lives on the page (campaigns "attributes" sources).
enum class PageValueSource : int { kCookie = 0, kDataLayer = 1, kPageVariable = 2 };

// The page half of the host: DOM primitives and lifecycle commands. Changes are applied through
// this interface alone, so the code that edits the page cannot reach storage or the network.
class Dom {
 public:
  virtual ~Dom() = default;

  // --- Reading the DOM --------------------------------------------------------------------------
  // The elements matching a CSS selector in the document, in document order. nullopt when the
  // host rejects the selector (the browser throws a SyntaxError); empty when nothing matches.
  virtual std::optional<std::vector<NodeHandle>> query_all(std::string_view selector) = 0;
  // The node's child nodes (elements, text, comments), in order.
  virtual std::vector<NodeHandle> children(NodeHandle node) = 0;
  // The parent node, or kNoNode when the node is detached (or is the document).
  virtual NodeHandle parent(NodeHandle node) = 0;
  // The next sibling node, or kNoNode.
  virtual NodeHandle next_sibling(NodeHandle node) = 0;
  // Whether `node` is `ancestor` or inside it.
  virtual bool contains(NodeHandle ancestor, NodeHandle node) = 0;
  // The node's textContent, UTF-8.
  virtual std::string text(NodeHandle node) = 0;
  // An attribute's value, nullopt when absent.
  virtual std::optional<std::string> attribute(NodeHandle node, std::string_view name) = 0;
  // The element's attribute names in their order (getAttributeNames), so that a revert can put
  // a removed attribute back in its place.
  virtual std::vector<std::string> attribute_names(NodeHandle node) = 0;
  // An inline style property as the browser serializes it.
  virtual StyleValue style(NodeHandle node, std::string_view property) = 0;
  // Whether a framework that hydrates server-rendered markup (React, Vue) has taken this element
  // over yet. Hosts without such frameworks answer true.
  virtual bool hydrated(NodeHandle node) = 0;
  // The engine will not use this handle again; the host may forget the node.
  virtual void release(NodeHandle node) = 0;

  // --- Writing the DOM ----------------------------------------------------------------------------
  // Replaces the element's children with one text node (none for empty text).
  virtual void set_text(NodeHandle node, std::string_view text) = 0;
  // Parses HTML into new, detached nodes (the top-level ones are returned, in order). The nodes
  // are inert: no script element, no on* attribute and no javascript: URL survives, whatever the
  // campaigns file said. nullopt when the host refuses to create HTML (Trusted Types forbid it).
  virtual std::optional<std::vector<NodeHandle>> parse_html(std::string_view html) = 0;
  // Moves `node` (detached or not) to `position` relative to `reference`. False when that is
  // impossible (before/after a detached reference, into a node that is inside `node`).
  virtual bool insert(NodeHandle reference, Position position, NodeHandle node) = 0;
  // Takes the node out of the document; the handle stays valid.
  virtual void detach(NodeHandle node) = 0;
  // False when the host refuses the attribute (an on* handler, a javascript: URL, a value
  // Trusted Types would need to vet).
  virtual bool set_attribute(NodeHandle node, std::string_view name, std::string_view value) = 0;
  virtual void remove_attribute(NodeHandle node, std::string_view name) = 0;
  // Sets an inline style property through the CSSOM (allowed under a strict style-src); an empty
  // value removes it. False when the browser does not accept the value.
  virtual bool set_style(NodeHandle node, std::string_view property, std::string_view value,
                         bool important) = 0;
  // Adds a stylesheet to the document (a constructable stylesheet, allowed under a strict
  // style-src). 0 when the host cannot.
  virtual SheetHandle add_stylesheet(std::string_view css) = 0;
  virtual void remove_stylesheet(SheetHandle sheet) = 0;

  // --- Lifecycle commands ----------------------------------------------------------------------
  // Report, through Engine::elements_appeared(id), elements the page adds from now on that match
  // `selector` or contain one that does. A new watch with the same id replaces the old one.
  virtual void watch(std::uint32_t id, std::string_view selector) = 0;
  virtual void unwatch(std::uint32_t id) = 0;
  // Report, through Engine::nodes_mutated, when the page changes this node's attributes, its
  // subtree, or takes it out of the document (or puts it back). Off with on = false.
  virtual void guard(NodeHandle node, bool on) = 0;
  // Lifts anti-flicker rule `rule` (the index in Settings.hide, as the tag was built with), or
  // every rule for kAllRules.
  static constexpr std::int32_t kAllRules = -1;
  virtual void reveal(std::int32_t rule) = 0;
  // Leaves the page for `url` (a redirect test), without a history entry for this page.
  virtual void navigate(std::string_view url) = 0;
  // Calls Engine::timer_fired once, after `delay_ms`. There is one timer: a new call replaces the
  // pending one; a negative delay cancels it.
  virtual void set_timer(double delay_ms) = 0;
};

// Everything the engine may ask of the world. Regular expressions (regex_test) are evaluated by
// the host too, see regex.hpp.
class Host : public Dom, public RegexTester {
 public:
  // --- Page data for targeting ------------------------------------------------------------------
  // The value of a declared attribute as JSON text: a cookie's decoded value (as a JSON string),
  // the value at a dotted path in the most recent dataLayer entry that has it, or the value at a
  // dotted path from the page's global object. nullopt when absent or not serializable.
  virtual std::optional<std::string> page_value(PageValueSource source, std::string_view key) = 0;

  // --- Device storage (first-party cookies in the browser) ------------------------------------
  virtual std::optional<std::string> storage_read(std::string_view key) = 0;
  // Stores value under key for max_age_seconds.
  virtual void storage_write(std::string_view key, std::string_view value,
                             std::int64_t max_age_seconds) = 0;
  virtual void storage_erase(std::string_view key) = 0;

  // --- Network ----------------------------------------------------------------------------------
  // Queues body (JSON) for delivery to url; the browser delivers it even if the page is leaving
  // (sendBeacon, fetch keepalive). Returns false when the host could not queue it.
  virtual bool send(std::string_view url, std::string_view body) = 0;

  // --- Clock, randomness, diagnostics -------------------------------------------------------
  // Milliseconds since the Unix epoch.
  virtual double now_ms() = 0;
  // Fills out with cryptographically random bytes.
  virtual void random_bytes(std::span<std::uint8_t> out) = 0;
  virtual void log(LogLevel level, std::string_view message) = 0;
};

}  // namespace vario
