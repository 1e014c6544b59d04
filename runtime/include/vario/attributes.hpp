// The attributes audience conditions see: built-ins derived from the page and the device,
// declared attributes read from the page, and attributes the site pushes. docs/campaigns.md
// lists them; the tag, `vario decide` and `vario simulate` all build them here.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "vario/json.hpp"
#include "vario/result.hpp"

namespace vario {

// What the tag reports about the page and the device (the page context), or what a
// `vario decide` visitor says about them.
struct PageEnvironment {
  std::string url;
  std::string referrer;
  std::string user_agent;
  std::string language;
  std::string time_zone;
  std::optional<double> screen_width, screen_height;
  bool webdriver = false;  // navigator.webdriver: the browser is automated
  json::Value pushed = json::Value::object();  // the site's vario.push(["attributes", {...}])
};

// Reads the environment fields of a page context or visitor object: "url" (required),
// "referrer", "userAgent", "language", "timeZone", "screen": {"width", "height"}, "webdriver"
// and "attributes" (an object). `what` names the document in errors ("page context").
Result<PageEnvironment> read_environment(const json::Value& doc, std::string_view what);

// Stored visit counters, present only when consent allows storing them.
struct VisitCounts {
  double visits = 1;
  double page_views = 1;
  double last_seen_seconds = 0;
};

// The counters after this page view: a new visit after 30 minutes without a page view.
// `stored` is "visits.pageViews.lastSeenSeconds" as written by format_visit_counts, or nullopt
// for a first page view; a malformed value counts as a first page view.
VisitCounts next_visit_counts(const std::optional<std::string>& stored, double now_seconds);
std::string format_visit_counts(const VisitCounts& counts);

// The built-in attributes: url, path, host, query, hash, referrer, referrerHost, device,
// browser, browserVersion, os, language, screenWidth, screenHeight, timeZone, bot, and, when
// `counts` is given, returning, pageViews and visits. Fields the environment lacks are left
// out rather than guessed.
json::Value builtin_attributes(const PageEnvironment& env, const std::optional<VisitCounts>& counts);

// Whether the environment is a bot or an automated browser.
bool is_bot(const PageEnvironment& env);

// Copies every member of `from` (an object) into `into`, replacing members of the same name.
void merge_attributes(json::Value& into, const json::Value& from);

// The value at a dotted path ("cart.total") in an object, nullptr when any step is missing.
const json::Value* attribute_at(const json::Value& attributes, std::string_view path);

}  // namespace vario
