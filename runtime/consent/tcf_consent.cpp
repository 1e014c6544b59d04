#include "vario/consent_sources.hpp"

namespace vario {

// Filled in with the TC string decoder.
PartialConsent tcf_consent(std::string_view, const TcfSettings&, std::string* problem) {
  PartialConsent none;
  for (const Capability c : kCapabilities) none.of(c) = ConsentState::kDenied;
  if (problem) *problem = "TC strings are not decoded by this build";
  return none;
}

}  // namespace vario
