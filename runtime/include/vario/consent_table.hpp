// The product's consent table (docs/consent.md) as code: what each kind of campaign may do,
// given the visitor's consent per capability.
#pragma once

#include <optional>
#include <string_view>

namespace vario {

enum class ConsentState { kPending, kGranted, kDenied };

std::string_view to_string(ConsentState state);
// "granted", "denied" or "pending"; nullopt for anything else.
std::optional<ConsentState> parse_consent(std::string_view text);

// What consent is asked for. Every source (a page call, IAB TCF, Google Consent Mode) maps onto
// these four through one documented table (docs/consent.md, consent_sources.hpp).
enum class Capability {
  kStorage,          // reading and writing Vario's data on the device (ids, counters, assignments)
  kMeasurement,      // sending events
  kPersonalization,  // selecting content for commercial ends: revenue A/B tests
  kThirdParty,       // data from data-management platforms and other third parties
};
inline constexpr Capability kCapabilities[] = {Capability::kStorage, Capability::kMeasurement,
                                               Capability::kPersonalization, Capability::kThirdParty};
std::string_view to_string(Capability capability);
std::optional<Capability> parse_capability(std::string_view name);

// The visitor's consent, one state per capability.
struct Consent {
  ConsentState storage = ConsentState::kPending;
  ConsentState measurement = ConsentState::kPending;
  ConsentState personalization = ConsentState::kPending;
  ConsentState third_party = ConsentState::kPending;

  static Consent all(ConsentState state) { return {state, state, state, state}; }
  ConsentState of(Capability c) const;
  ConsentState& of(Capability c);
  bool granted(Capability c) const { return of(c) == ConsentState::kGranted; }
  bool any_pending() const;
  // The one state every capability has, if they agree ("granted" for all granted).
  std::optional<ConsentState> uniform() const;
  // Pending capabilities counted as denied: what may happen now, before an answer.
  Consent settled() const;
  // Pending capabilities counted as granted: what could happen if the answer is yes.
  Consent hoped() const;
  bool operator==(const Consent&) const = default;
};

// What a campaign is, for consent purposes: its row in the consent table.
enum class ConsentClass {
  kPatch,            // fixes the site
  kPersonalization,  // on first-party criteria
  kTechnicalTest,    // A/B test with purpose technical (ergonomics, performance)
  kRevenueTest,      // A/B test with purpose revenue
  kThirdParty,       // any campaign whose audience uses DMP / third-party attributes
};

// What a campaign of a class may do.
struct Permissions {
  bool apply_changes;
  bool store_assignment;  // the campaign's own assignment, no identifier
  bool send_events;       // the campaign's own minimal events
  bool identify;          // a stored visitor id, in storage and in events
};

// The consent table: what `cls` may do with `consent`, pending counting as not granted
// (holding what a pending answer may still allow is the gate's business, not the table's).
// Without consent a patch and a first-party personalization apply, a technical test applies,
// keeps its assignment and sends its own minimal events, and nothing else happens; each
// capability granted opens its part: storage the stored data and ids, measurement the events,
// personalization revenue tests, third-party the campaigns on third-party data.
Permissions permissions(ConsentClass cls, const Consent& consent);

}  // namespace vario
