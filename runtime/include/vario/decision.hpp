// Deciding which campaigns apply to one visitor on one page: a pure function of the loaded
// campaigns and the visitor. The browser, `vario decide` and the tests all call this.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vario/config.hpp"
#include "vario/consent_table.hpp"
#include "vario/json.hpp"
#include "vario/regex.hpp"
#include "vario/result.hpp"

namespace vario {

struct Visitor {
  std::string id;   // random, never derived from the device
  std::string url;  // the page URL (absolute, or a path)
  Consent consent;  // per capability; pending counts as not granted when deciding
  // Stored assignments (campaign id, variation id): a visitor keeps its variation even when
  // weights or traffic change later.
  std::vector<std::pair<std::string, std::string>> assignments;
  // What audience conditions see (attributes.hpp): built-ins, declared and pushed attributes.
  json::Value attributes = json::Value::object();
  double now_ms = 0;  // for schedules
  bool bot = false;   // a bot or an automated browser
  // Variations forced by a verified preview link (campaign id, variation id).
  std::vector<std::pair<std::string, std::string>> forced;
};

// Parses the visitor JSON of `vario decide` and of the wasm's vario_decide:
//   {"id": "...", "url": "...",
//    "consent": "granted|denied|pending" or {"storage": "granted", "measurement": …, …},
//    "tcString": "…" (a TC string, as a CMP stored it),
//    "assignments": {"campaign": "variation"}, "attributes": {...}, "now": ms,
//    "forced": {"campaign": "variation"}, plus the page context's environment fields
//    ("referrer", "userAgent", "language", "timeZone", "screen", "webdriver")}
// `id` and `url` are required strings; consent combines as on a page (consent_sources.hpp): the
// explicit "consent" first, then the TC string, then the campaigns file's default (pending when
// consent is required, granted otherwise); `now` defaults to `now_ms`. The attributes are the
// built-ins of the environment with the given "attributes" merged over them. Any other field,
// in the visitor or in its "screen", is refused with the nearest known name suggested
// ("assigments": did you mean 'assignments'?). Errors are kInvalidArgument naming the field.
Result<Visitor> parse_visitor(std::string_view json, const Config& config, double now_ms);

// Why a campaign did or did not apply, in the order they are checked. Each value has one
// sentence in decision JSON.
enum class Reason {
  kNotRunning,        // status paused or draft
  kNotStarted,        // before the campaign's start
  kEnded,             // at or after the campaign's end
  kPageNotIncluded,   // no include rule matches the page
  kPageExcluded,      // an exclude rule matches the page
  kBot,               // bots and automation are excluded
  kNeedsConsent,      // the consent table forbids applying it without consent
  kConditionInvalid,  // a regex the host rejects, or an audience that does not parse
  kAudienceNotMatched,// the audience condition is false for this visitor
  kStoredAssignment,  // kept the variation stored for this visitor
  kInHoldout,         // the visitor is in a holdout covering this campaign
  kOutsideGroup,      // the visitor's slot of a mutually exclusive group belongs elsewhere
  kNotInTraffic,      // the bucket falls outside the campaign's traffic
  kAllocated,         // bucketed into a variation
  kForced,            // a verified preview link forces the variation
};

struct Decision {
  const fb::Campaign* campaign = nullptr;
  const fb::Variation* variation = nullptr;  // set when applied
  bool applied = false;
  std::int32_t bucket = -1;  // 0..9999 when the visitor was bucketed
  Reason reason = Reason::kNotRunning;
  ConsentClass consent_class = ConsentClass::kPatch;
  // The specifics behind the reason (which rule or condition failed, which ranges), filled
  // only when explaining.
  std::string detail;
};

ConsentClass consent_class_of(const fb::Campaign& campaign);

// One decision per campaign, in the order of the campaigns file. `explain` fills each
// decision's detail (slower: `vario decide` explains, the tag and the simulator do not).
std::vector<Decision> decide(const Config& config, const Visitor& visitor,
                             const RegexTester& regex, bool explain = false);

// The order to apply changes in: indexes into `decisions`, lowest priority first (so on one
// element the highest priority's change is the one that stays), ties in file order.
std::vector<std::size_t> application_order(const std::vector<Decision>& decisions);

// The decisions as JSON, byte-identical on every build (docs/cli.md shows the shape):
// {"visitor":"…","consent":"pending","decisions":[{"campaign":"…","applied":true,
//  "variation":"…","bucket":5254,"reason":"…"}]}
std::string decisions_json(const Visitor& visitor, const std::vector<Decision>& decisions);

}  // namespace vario
