// What a User-Agent string says about the visitor's device, browser and OS, and whether it is a
// bot, for the built-in attributes `device`, `browser`, `browserVersion`, `os` and `bot`.
// Substring rules over the whole string, case-insensitive: no regular expressions, nothing
// that grows with a database of devices. Coarse by design; audiences that need more can push
// their own attributes.
#pragma once

#include <string>
#include <string_view>

namespace vario {

struct UserAgentInfo {
  // Always one of the listed literals (static storage, never empty).
  std::string_view device = "desktop";  // "mobile" | "tablet" | "desktop"
  std::string_view browser = "other";   // "chrome" | "edge" | "firefox" | "safari" | "opera"
                                        // | "samsung" | "other"
  std::string_view os = "other";        // "windows" | "macos" | "ios" | "android" | "linux"
                                        // | "chromeos" | "other"
  // The browser's own version as written in the string ("126.0.6478.126"; Safari's
  // "Version/17.5"); empty when the browser is "other" or writes none.
  std::string browser_version;
  // A crawler, spider, link previewer, monitoring probe, HTTP library or automated/headless
  // browser (Googlebot, bingbot, HeadlessChrome, Lighthouse, curl, python-requests, ...).
  bool bot = false;
};

// Never fails: an empty or unknown string gives desktop / other / other, not a bot. Known
// limits: iPadOS Safari asks for desktop pages and says "Macintosh", so it reads as a macOS
// desktop; Chromium-based browsers that hide their name (Brave) read as chrome.
UserAgentInfo parse_user_agent(std::string_view ua);

}  // namespace vario
