// The engine: loaded campaigns plus one page run. Inputs come in as the campaigns binary and the
// page context; everything the engine does to the world goes out through the Host, behind the
// consent gate.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "vario/config.hpp"
#include "vario/host.hpp"
#include "vario/result.hpp"

namespace vario {

class Engine {
 public:
  // The host must outlive the engine. The engine uses it only through its consent gate.
  explicit Engine(Host& host) : host_(host) {}
  Engine(const Engine&) = delete;  // one engine per page: copies would double side effects
  Engine& operator=(const Engine&) = delete;

  // Verifies and keeps the campaigns binary; replaces any previous one.
  Status load(std::span<const std::uint8_t> campaigns_bin);

  // The decision for one visitor (visitor JSON, see parse_visitor) as decisions JSON, each
  // campaign's reason explained. Uses only the host's pure functions: its clock (the default
  // for the visitor's "now") and its regular expressions.
  Result<std::string> decide(std::string_view visitor_json) const;

  // Runs the page: `context_json` is the page context {"url", "referrer", "consent"?,
  // "userAgent", "webdriver", "language", "screen": {"width", "height"}, "timeZone",
  // "attributes" (pushed by the site), "preview"? (a token whose signature the host verified)}. Identifies the visitor (stored id with consent, a fresh random one
  // otherwise), decides, applies the changes of the campaigns that apply, reveals the page,
  // stores assignments and sends impressions as consent allows. Returns the decisions JSON.
  // A failing change (a selector the browser rejects) does not stop the others; it is reported
  // in a health event.
  Result<std::string> run_page(std::string_view context_json);

 private:
  Host& host_;  // only ever wrapped in a ConsentGate inside run_page
  std::optional<Config> config_;
};

// 16 random bytes from the host as 32 lowercase hex characters (visitor and event ids).
std::string random_hex_id(std::span<const std::uint8_t, 16> bytes);

}  // namespace vario
