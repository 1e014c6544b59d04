// The product's consent table (docs/consent.md) as code.
#pragma once

#include <optional>
#include <string_view>

namespace vario {

enum class ConsentState { kPending, kGranted, kDenied };

std::string_view to_string(ConsentState state);
// "granted", "denied" or "pending"; nullopt for anything else.
std::optional<ConsentState> parse_consent(std::string_view text);

// What a campaign is, for consent purposes: its rows in the consent table.
enum class ConsentClass {
  kPatch,            // fixes the site
  kPersonalization,  // on first-party criteria
  kTechnicalTest,    // A/B test with purpose technical (ergonomics, performance)
  kRevenueTest,      // A/B test with purpose revenue
  kThirdParty,       // any campaign whose audience uses DMP / third-party attributes
};

// What may happen without consent. With consent (kGranted) every answer is yes.
struct Permissions {
  bool apply_changes;
  bool store_assignment;  // the campaign's own assignment, no identifier
  bool send_events;       // the campaign's own minimal events
  bool identify;          // a stored visitor id, in storage and in events
};

// The consent table: what `cls` may do in `state`. Pending is treated as denied here; holding
// events in memory until an answer arrives is the gate's business, not the table's.
Permissions permissions(ConsentClass cls, ConsentState state);

}  // namespace vario
