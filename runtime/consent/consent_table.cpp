#include "vario/consent_table.hpp"

namespace vario {

std::string_view to_string(ConsentState state) {
  switch (state) {
    case ConsentState::kGranted: return "granted";
    case ConsentState::kDenied: return "denied";
    case ConsentState::kPending: return "pending";
  }
  return "pending";
}

std::optional<ConsentState> parse_consent(std::string_view text) {
  if (text == "granted") return ConsentState::kGranted;
  if (text == "denied") return ConsentState::kDenied;
  if (text == "pending") return ConsentState::kPending;
  return std::nullopt;
}

Permissions permissions(ConsentClass cls, ConsentState state) {
  if (state == ConsentState::kGranted) return {true, true, true, true};
  // Rows of the consent table (docs/consent.md), without consent.
  switch (cls) {
    case ConsentClass::kPatch:
    case ConsentClass::kPersonalization:
      return {.apply_changes = true, .store_assignment = false, .send_events = false,
              .identify = false};
    case ConsentClass::kTechnicalTest:
      return {.apply_changes = true, .store_assignment = true, .send_events = true,
              .identify = false};
    case ConsentClass::kRevenueTest:
    case ConsentClass::kThirdParty:
      return {.apply_changes = false, .store_assignment = false, .send_events = false,
              .identify = false};
  }
  return {false, false, false, false};
}

}  // namespace vario
