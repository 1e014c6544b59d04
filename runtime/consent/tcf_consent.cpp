#include "vario/consent_sources.hpp"
#include "vario/tc_string.hpp"

namespace vario {
namespace {

// Whether the string gives a legal basis for `purpose`: consent, or legitimate interest where
// `li` allows it, for the registered vendor (with the publisher's restrictions) or, without one,
// for the publisher (its own segment when the string has it, else the purposes of the core).
bool basis(const TcString& tc, int purpose, bool li, std::uint32_t vendor_id) {
  if (vendor_id != 0) {
    const int v = static_cast<int>(vendor_id);
    const auto restriction = tc.restriction(purpose, v);
    const bool by_consent = tc.purpose_consent(purpose) && tc.vendor_consent(v);
    const bool by_li = li && tc.purpose_li(purpose) && tc.vendor_li(v);
    if (restriction == RestrictionType::kNotAllowed) return false;
    if (restriction == RestrictionType::kRequireConsent) return by_consent;
    if (restriction == RestrictionType::kRequireLegitimateInterest) return by_li;
    return by_consent || by_li;
  }
  if (const auto own = tc.publisher_purpose_consent(purpose))
    return *own || (li && tc.publisher_purpose_li(purpose).value_or(false));
  return tc.purpose_consent(purpose) || (li && tc.purpose_li(purpose));
}

ConsentState state(bool granted) { return granted ? ConsentState::kGranted : ConsentState::kDenied; }

}  // namespace

PartialConsent tcf_consent(std::string_view tc_string, const TcfSettings& settings,
                           std::string* problem) {
  PartialConsent out;
  auto decoded = decode_tc_string(tc_string);
  if (!decoded.ok()) {
    for (const Capability c : kCapabilities) out.of(c) = ConsentState::kDenied;
    if (problem) *problem = "the TC string is refused, so there is no consent: " + decoded.error().message;
    return out;
  }
  const TcString& tc = decoded.value();
  const std::uint32_t v = settings.vendor_id;
  // The mapping of docs/consent.md. Legitimate interest counts only for measurement: TCF 2.2
  // allows none for purposes 1 and 3 to 6, and Vario asks consent for choosing content.
  out.storage = state(basis(tc, 1, false, v));
  out.measurement = state(basis(tc, 8, true, v));
  out.personalization = state(basis(tc, 11, false, v));
  out.third_party = state(basis(tc, 5, false, v) && basis(tc, 6, false, v));
  return out;
}

}  // namespace vario
