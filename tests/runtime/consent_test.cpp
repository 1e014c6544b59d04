// The consent table (runtime/consent/consent_table.cpp): what each kind of campaign may do for
// each capability granted, and the states' names.
#define BOOST_TEST_MODULE consent
#include <boost/test/unit_test.hpp>

#include "vario/consent_table.hpp"

using namespace vario;

namespace {
const ConsentClass kClasses[] = {ConsentClass::kPatch, ConsentClass::kPersonalization,
                                 ConsentClass::kTechnicalTest, ConsentClass::kRevenueTest,
                                 ConsentClass::kThirdParty};
}

BOOST_AUTO_TEST_CASE(without_consent_each_campaign_kind_may_do_what_the_consent_table_says) {
  // docs/consent.md: apply changes / store on device / send events, without consent.
  struct Row { ConsentClass cls; bool apply, store, send; };
  const Row rows[] = {
      {ConsentClass::kPatch, true, false, false},
      {ConsentClass::kPersonalization, true, false, false},
      {ConsentClass::kTechnicalTest, true, true, true},
      {ConsentClass::kRevenueTest, false, false, false},
      {ConsentClass::kThirdParty, false, false, false},
  };
  for (const ConsentState state : {ConsentState::kPending, ConsentState::kDenied}) {
    for (const Row& r : rows) {
      BOOST_TEST_CONTEXT("class " << int(r.cls) << " state " << to_string(state)) {
        const Permissions p = permissions(r.cls, Consent::all(state));
        BOOST_TEST(p.apply_changes == r.apply);
        BOOST_TEST(p.store_assignment == r.store);
        BOOST_TEST(p.send_events == r.send);
        BOOST_TEST(!p.identify);  // never a visitor id without consent
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(with_consent_everything_runs) {
  for (const ConsentClass cls : kClasses) {
    const Permissions p = permissions(cls, Consent::all(ConsentState::kGranted));
    BOOST_TEST((p.apply_changes && p.store_assignment && p.send_events && p.identify));
  }
}

BOOST_AUTO_TEST_CASE(each_capability_opens_its_own_part_of_the_table_and_nothing_else) {
  const auto only = [](Capability c) {
    Consent consent = Consent::all(ConsentState::kDenied);
    consent.of(c) = ConsentState::kGranted;
    return consent;
  };
  // Storage alone: assignments of what applies may be stored; nothing is sent, no id.
  Permissions p = permissions(ConsentClass::kPatch, only(Capability::kStorage));
  BOOST_TEST((p.apply_changes && p.store_assignment && !p.send_events && !p.identify));
  // Measurement alone: events, without an id (there is no stored id to send).
  p = permissions(ConsentClass::kPersonalization, only(Capability::kMeasurement));
  BOOST_TEST((p.apply_changes && !p.store_assignment && p.send_events && !p.identify));
  // Personalization opens revenue tests, and only them.
  p = permissions(ConsentClass::kRevenueTest, only(Capability::kPersonalization));
  BOOST_TEST((p.apply_changes && !p.store_assignment && !p.send_events));
  BOOST_TEST(!permissions(ConsentClass::kThirdParty, only(Capability::kPersonalization)).apply_changes);
  // Third-party data opens the campaigns that use it, and only them.
  BOOST_TEST(permissions(ConsentClass::kThirdParty, only(Capability::kThirdParty)).apply_changes);
  BOOST_TEST(!permissions(ConsentClass::kRevenueTest, only(Capability::kThirdParty)).apply_changes);
  // An identified visitor needs both storage and measurement.
  Consent both = only(Capability::kStorage);
  both.measurement = ConsentState::kGranted;
  BOOST_TEST(permissions(ConsentClass::kTechnicalTest, both).identify);
  BOOST_TEST(!permissions(ConsentClass::kTechnicalTest, only(Capability::kStorage)).identify);
}

BOOST_AUTO_TEST_CASE(pending_settles_as_denied_and_hopes_as_granted_per_capability) {
  Consent c = Consent::all(ConsentState::kDenied);
  c.measurement = ConsentState::kPending;
  c.storage = ConsentState::kGranted;
  BOOST_TEST(c.any_pending());
  BOOST_TEST((c.settled().measurement == ConsentState::kDenied));
  BOOST_TEST((c.hoped().measurement == ConsentState::kGranted));
  BOOST_TEST((c.hoped().personalization == ConsentState::kDenied));  // an answer stays an answer
  BOOST_TEST(!c.uniform().has_value());
  BOOST_TEST((Consent::all(ConsentState::kGranted).uniform() == ConsentState::kGranted));
}

BOOST_AUTO_TEST_CASE(consent_states_and_capabilities_parse_from_their_names_only) {
  BOOST_TEST((parse_consent("granted") == ConsentState::kGranted));
  BOOST_TEST((parse_consent("denied") == ConsentState::kDenied));
  BOOST_TEST((parse_consent("pending") == ConsentState::kPending));
  BOOST_TEST(!parse_consent("yes").has_value());
  BOOST_TEST(!parse_consent("").has_value());
  for (const Capability c : kCapabilities) BOOST_TEST((parse_capability(to_string(c)) == c));
  BOOST_TEST(!parse_capability("analytics").has_value());
}
