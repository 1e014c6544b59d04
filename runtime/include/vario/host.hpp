// The one narrow interface between the engine and the world. The engine never touches a DOM,
// a cookie, a socket, a clock or a random source itself: it calls these. wasm/ implements them
// with imports from the JS tag; tests and native-host/ implement them natively.
//
// The engine does not hold a Host directly outside the consent gate (consent/gate.hpp): storage
// and network calls can only be reached through the gate, so no code path can bypass consent.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vario/regex.hpp"

namespace vario {

// A host-side reference to one DOM element. Valid until released.
using NodeHandle = std::uint32_t;

enum class LogLevel : int { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Where a declared attribute's value lives on the page (campaigns "attributes" sources).
enum class PageValueSource : int { kCookie = 0, kDataLayer = 1, kPageVariable = 2 };

// Regular expressions (regex_test) are evaluated by the host too, see regex.hpp.
class Host : public RegexTester {
 public:
  virtual ~Host() = default;

  // --- DOM primitives -------------------------------------------------------------------------
  // The elements matching a CSS selector, in document order. nullopt when the host rejects the
  // selector (the browser throws a SyntaxError); an empty vector when nothing matches.
  virtual std::optional<std::vector<NodeHandle>> query_all(std::string_view selector) = 0;
  // The element's textContent, UTF-8.
  virtual std::string text(NodeHandle node) = 0;
  // Replaces the element's children with one text node.
  virtual void set_text(NodeHandle node, std::string_view text) = 0;
  // The engine will not use this handle again.
  virtual void release(NodeHandle node) = 0;
  // Lifts the anti-flicker rule the tag installed before the engine ran.
  virtual void reveal() = 0;

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
  // Queues body (JSON) for delivery to url. Returns false when the host could not queue it.
  virtual bool send(std::string_view url, std::string_view body) = 0;

  // --- Clock, randomness, diagnostics -------------------------------------------------------
  // Milliseconds since the Unix epoch.
  virtual double now_ms() = 0;
  // Fills out with cryptographically random bytes.
  virtual void random_bytes(std::span<std::uint8_t> out) = 0;
  virtual void log(LogLevel level, std::string_view message) = 0;
};

}  // namespace vario
