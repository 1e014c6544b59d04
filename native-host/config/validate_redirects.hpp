// The redirect checks that need the whole file (docs/changes.md, "redirect"): a redirect that
// lands on a page of its own campaign, and redirects that send visitors around a loop of
// campaigns. Internal to the validator (config/validate.hpp).
#pragma once

#include <vector>

#include "config/validate_changes.hpp"
#include "config/validate_report.hpp"

namespace vario::host::validation {

// The valid redirects of one campaign.
struct CampaignRedirects {
  std::size_t campaign = 0;  // index in /campaigns
  std::vector<Redirect> redirects;
};

// Reports, at the redirect's "url":
//  - a redirect whose target page this campaign runs on (an include rule matches it and no
//    exclude rule does): "visitors would be redirected again on arrival";
//  - redirects between running campaigns that form a cycle (A's target is a page of B, B's a
//    page of A, or longer), at each campaign of the cycle, naming it from there: "a -> b -> a".
// Page rules are evaluated with the engine's own matcher (vario/page_rules.hpp, regular
// expressions through the native ECMAScript host) on the target as the engine would see it on
// arrival: its path always; its host when the URL is absolute; the whole URL, its query and
// its fragment only with "keep_query": false (otherwise the page's own query and fragment are
// carried over, and they are not known here). Only what is certain is reported: an include
// rule that cannot be evaluated never counts as matching, and one such exclude rule keeps the
// campaign from counting as the target's. A relative target stays on the host of the page it
// leaves, so for its own campaign a host rule has the answer it had there. Campaigns whose page
// rules are malformed are left out (their problems are reported where they are).
void check_redirect_targets(Report& report, const json& campaigns,
                            const std::vector<CampaignRedirects>& redirects);

}  // namespace vario::host::validation
