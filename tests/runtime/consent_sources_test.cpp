// Where consent comes from (runtime/consent/consent_sources.cpp): each source's signals, their
// mapping onto capabilities and the precedence between sources.
#define BOOST_TEST_MODULE consent_sources
#include <boost/test/unit_test.hpp>

#include "vario/consent_sources.hpp"

using namespace vario;

namespace {

json::Value signal(std::string_view text) {
  auto parsed = json::parse(text);
  BOOST_REQUIRE_MESSAGE(parsed.ok(), text);
  return parsed.value();
}

Consent after(ConsentSources& sources, std::initializer_list<std::string_view> signals) {
  for (const std::string_view s : signals) BOOST_REQUIRE(sources.add(signal(s)).ok());
  return sources.effective();
}

Consent consent(ConsentState storage, ConsentState measurement, ConsentState personalization,
                ConsentState third_party) {
  return {storage, measurement, personalization, third_party};
}

constexpr auto G = ConsentState::kGranted;
constexpr auto D = ConsentState::kDenied;
constexpr auto P = ConsentState::kPending;

}  // namespace

BOOST_AUTO_TEST_CASE(without_any_signal_consent_is_pending_when_required_and_granted_when_not) {
  BOOST_TEST((ConsentSources(true, {}).effective() == Consent::all(P)));
  BOOST_TEST((ConsentSources(false, {}).effective() == Consent::all(G)));
}

BOOST_AUTO_TEST_CASE(a_page_call_grants_or_denies_everything_or_one_capability_at_a_time) {
  ConsentSources all(true, {});
  BOOST_TEST((after(all, {R"({"source": "page", "consent": "granted"})"}) == Consent::all(G)));
  ConsentSources some(true, {});
  BOOST_TEST((after(some, {R"({"source": "page", "consent": {"storage": "granted"}})",
                           R"({"source": "page", "consent": {"measurement": "denied"}})"}) ==
              consent(G, D, P, P)));
  // And a site that does not need consent still hears a refusal.
  ConsentSources not_required(false, {});
  BOOST_TEST((after(not_required, {R"({"source": "page", "consent": "denied"})"}) == Consent::all(D)));
}

BOOST_AUTO_TEST_CASE(consent_mode_maps_its_keys_and_an_update_outlives_a_later_default) {
  ConsentSources s(true, {});
  BOOST_TEST((after(s, {R"({"source": "gcm", "command": "default", "params": {"analytics_storage": "denied", "personalization_storage": "denied", "ad_personalization": "denied"}})"}) ==
              Consent::all(D)));
  BOOST_TEST((after(s, {R"({"source": "gcm", "command": "update", "params": {"analytics_storage": "granted"}})"}) ==
              consent(G, G, D, D)));
  // gtag applies a default only to the keys no update has set.
  BOOST_TEST((after(s, {R"({"source": "gcm", "command": "default", "params": {"analytics_storage": "denied", "personalization_storage": "granted"}})"}) ==
              consent(G, G, G, D)));
}

BOOST_AUTO_TEST_CASE(a_cmp_showing_its_dialogue_is_no_answer_and_gdpr_not_applying_is_consent) {
  ConsentSources shown(true, {});
  BOOST_TEST((after(shown, {R"({"source": "tcf", "event": "cmpuishown", "tcString": ""})"}) == Consent::all(P)));
  ConsentSources outside(true, {});
  BOOST_TEST((after(outside, {R"({"source": "tcf", "event": "tcloaded", "gdprApplies": false})"}) ==
              Consent::all(G)));
}

BOOST_AUTO_TEST_CASE(an_undecodable_tc_string_is_no_consent_and_says_why) {
  ConsentSources s(true, {});
  BOOST_TEST((after(s, {R"({"source": "tcf", "event": "useractioncomplete", "tcString": "not a TC string"})"}) ==
              Consent::all(D)));
  BOOST_TEST(!s.take_problem().empty());
  BOOST_TEST(s.take_problem().empty());
}

BOOST_AUTO_TEST_CASE(the_page_call_outranks_the_cmp_which_outranks_consent_mode) {
  ConsentSources s(true, {});
  after(s, {R"({"source": "gcm", "command": "update", "params": {"analytics_storage": "granted", "personalization_storage": "granted"}})"});
  // A CMP answer (here: the GDPR does not apply) outranks Consent Mode...
  BOOST_TEST((after(s, {R"({"source": "tcf", "event": "tcloaded", "gdprApplies": false})"}) == Consent::all(G)));
  // ...and the page's own call outranks both, capability by capability.
  BOOST_TEST((after(s, {R"({"source": "page", "consent": {"personalization": "denied"}})"}) == consent(G, G, D, G)));
}

BOOST_AUTO_TEST_CASE(signals_that_are_not_signals_are_refused_with_the_reason_and_change_nothing) {
  ConsentSources s(true, {});
  const char* bad[] = {
      R"({"consent": "granted"})",
      R"({"source": "cmp"})",
      R"({"source": "page", "consent": "yes"})",
      R"({"source": "page", "consent": {"cookies": "granted"}})",
      R"({"source": "page", "consent": {"storage": true}})",
      R"({"source": "gcm", "command": "set", "params": {}})",
      R"({"source": "tcf", "event": "tcloaded"})",
  };
  for (const char* text : bad) {
    const Status status = s.add(signal(text));
    BOOST_TEST(!status.ok(), text);
    if (!status.ok()) BOOST_TEST(status.error().message.starts_with("consent signal: "), text);
  }
  BOOST_TEST((s.effective() == Consent::all(P)));
}
