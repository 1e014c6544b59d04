#define BOOST_TEST_MODULE consent
#include <boost/test/unit_test.hpp>

#include "vario/consent_table.hpp"

using namespace vario;

BOOST_AUTO_TEST_CASE(without_consent_each_campaign_kind_may_do_what_the_consent_table_says) {
  // docs/consent.md: apply changes / store on device / send events, without consent.
  struct Row { ConsentClass cls; bool apply, store, send; };
  const Row rows[] = {
      {ConsentClass::kPatch, true, false, false},
      {ConsentClass::kPersonalization, true, false, false},
      {ConsentClass::kTechnicalTest, true, true, true},
      {ConsentClass::kRevenueTest, false, false, false},
  };
  for (const ConsentState state : {ConsentState::kPending, ConsentState::kDenied}) {
    for (const Row& r : rows) {
      BOOST_TEST_CONTEXT("class " << int(r.cls) << " state " << to_string(state)) {
        const Permissions p = permissions(r.cls, state);
        BOOST_TEST(p.apply_changes == r.apply);
        BOOST_TEST(p.store_assignment == r.store);
        BOOST_TEST(p.send_events == r.send);
        BOOST_TEST(!p.identify);  // never a visitor id without consent
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(with_consent_everything_runs) {
  for (const ConsentClass cls : {ConsentClass::kPatch, ConsentClass::kPersonalization,
                                 ConsentClass::kTechnicalTest, ConsentClass::kRevenueTest}) {
    const Permissions p = permissions(cls, ConsentState::kGranted);
    BOOST_TEST((p.apply_changes && p.store_assignment && p.send_events && p.identify));
  }
}

BOOST_AUTO_TEST_CASE(consent_states_parse_from_their_names_only) {
  BOOST_TEST((parse_consent("granted") == ConsentState::kGranted));
  BOOST_TEST((parse_consent("denied") == ConsentState::kDenied));
  BOOST_TEST((parse_consent("pending") == ConsentState::kPending));
  BOOST_TEST(!parse_consent("yes").has_value());
  BOOST_TEST(!parse_consent("").has_value());
}
