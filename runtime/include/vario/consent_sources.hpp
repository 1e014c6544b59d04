// Where the visitor's consent comes from, and how the sources combine (docs/consent.md).
//
// Sources, highest precedence first, each deciding the capabilities it speaks to:
//   1. the page's own call, vario.push(["consent", …]);
//   2. IAB TCF v2.2 through the CMP's __tcfapi, once it has an answer (tcloaded,
//      useractioncomplete);
//   3. the TC string the CMP stored in its first-party cookie on an earlier page, so that a
//      returning visitor is decided at once;
//   4. Google Consent Mode v2 commands the site pushed to dataLayer;
//   5. the campaigns file: consent not required means granted, else pending until a source
//      answers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "vario/config.hpp"
#include "vario/consent_table.hpp"
#include "vario/json.hpp"
#include "vario/result.hpp"

namespace vario {

// What one source says: a state for some capabilities, nothing for the others.
struct PartialConsent {
  std::optional<ConsentState> storage, measurement, personalization, third_party;
  std::optional<ConsentState>& of(Capability c);
  std::optional<ConsentState> of(Capability c) const;
  bool empty() const;
};

// IAB TCF settings of the campaigns file.
struct TcfSettings {
  std::uint32_t vendor_id = 0;  // the site's registered vendor id for Vario; 0: publisher consents
};

// What a TC string grants, by the mapping of docs/consent.md: storage is purpose 1, measurement
// purpose 8 (consent or legitimate interest), personalization purpose 11, third-party data
// purposes 5 and 6 (consent only); with a vendor id the vendor's consent (or legitimate interest)
// and the publisher restrictions apply too. A string that does not decode grants nothing: every
// capability denied, as a CMP that cannot prove consent has none. Its error is in `problem`.
PartialConsent tcf_consent(std::string_view tc_string, const TcfSettings& settings,
                           std::string* problem = nullptr);

class ConsentSources {
 public:
  ConsentSources(bool required, TcfSettings tcf) : required_(required), tcf_(tcf) {}

  // Folds in one signal, as the tag forwards it:
  //   {"source": "page", "consent": "granted" | "denied" | {"storage": "granted", …}}
  //   {"source": "tcf", "event": "tcloaded" | "useractioncomplete" | "cmpuishown",
  //    "tcString": "…", "gdprApplies": true | false}
  //   {"source": "gcm", "command": "default" | "update", "params": {"analytics_storage": …}}
  // Errors (kInvalidArgument) name what is wrong; nothing changes then.
  Status add(const json::Value& signal);
  // The TC string a CMP stored on an earlier page.
  void stored_tc_string(std::string_view tc_string);

  // Every capability from the highest source that speaks to it.
  Consent effective() const;
  // A problem a source had (an undecodable TC string), for a health event; cleared on read.
  std::string take_problem() { return std::exchange(problem_, {}); }

 private:
  bool required_;
  TcfSettings tcf_;
  PartialConsent page_, tcf_live_, tcf_stored_, gcm_;
  PartialConsent gcm_updated_;  // the Consent Mode keys an update has set
  std::string problem_;
};

// The sources of a page of these campaigns (consent.required, consent.tcf), before any signal.
ConsentSources consent_sources(const Config& config);

}  // namespace vario
