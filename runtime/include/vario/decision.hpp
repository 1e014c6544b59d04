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
#include "vario/result.hpp"

namespace vario {

struct Visitor {
  std::string id;   // random, never derived from the device
  std::string url;  // the page URL (absolute, or a path)
  ConsentState consent = ConsentState::kPending;
  // Stored assignments (campaign id, variation id): a visitor keeps its variation even when
  // weights or traffic change later.
  std::vector<std::pair<std::string, std::string>> assignments;
};

// Parses the visitor JSON of `vario decide` and of the wasm's vario_decide:
//   {"id": "...", "url": "...", "consent": "granted|denied|pending",
//    "assignments": {"campaign": "variation"}, "attributes": {...}}
// `id` and `url` are required strings; `consent` defaults to pending when the campaigns require
// consent and to granted otherwise. Errors are kInvalidArgument naming the field.
Result<Visitor> parse_visitor(std::string_view json, const Config& config);

// Why a campaign did or did not apply. Each value has one sentence in decision JSON.
enum class Reason {
  kNotRunning,       // status paused or draft
  kPageNotIncluded,  // no include rule matches the page
  kPageExcluded,     // an exclude rule matches the page
  kNeedsConsent,     // the consent table forbids applying it without consent
  kNotInTraffic,     // the bucket falls outside the campaign's traffic
  kAllocated,        // bucketed into a variation
  kStoredAssignment, // kept the variation stored for this visitor
};

struct Decision {
  const fb::Campaign* campaign = nullptr;
  const fb::Variation* variation = nullptr;  // set when applied
  bool applied = false;
  std::int32_t bucket = -1;  // 0..9999 when the visitor was bucketed
  Reason reason = Reason::kNotRunning;
  ConsentClass consent_class = ConsentClass::kPatch;
};

ConsentClass consent_class_of(const fb::Campaign& campaign);

// One decision per campaign, in the order of the campaigns file.
std::vector<Decision> decide(const Config& config, const Visitor& visitor);

// The decisions as JSON, byte-identical on every build (docs/cli.md shows the shape):
// {"visitor":"…","consent":"pending","decisions":[{"campaign":"…","applied":true,
//  "variation":"…","bucket":5254,"reason":"…"}]}
std::string decisions_json(const Visitor& visitor, const std::vector<Decision>& decisions);

}  // namespace vario
