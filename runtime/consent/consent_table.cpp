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

std::string_view to_string(Capability capability) {
  switch (capability) {
    case Capability::kStorage: return "storage";
    case Capability::kMeasurement: return "measurement";
    case Capability::kPersonalization: return "personalization";
    case Capability::kThirdParty: return "third_party";
  }
  return "storage";
}

std::optional<Capability> parse_capability(std::string_view name) {
  for (const Capability c : kCapabilities)
    if (to_string(c) == name) return c;
  return std::nullopt;
}

ConsentState Consent::of(Capability c) const { return const_cast<Consent*>(this)->of(c); }

ConsentState& Consent::of(Capability c) {
  switch (c) {
    case Capability::kStorage: return storage;
    case Capability::kMeasurement: return measurement;
    case Capability::kPersonalization: return personalization;
    case Capability::kThirdParty: return third_party;
  }
  return storage;
}

bool Consent::any_pending() const {
  for (const Capability c : kCapabilities)
    if (of(c) == ConsentState::kPending) return true;
  return false;
}

std::optional<ConsentState> Consent::uniform() const {
  for (const Capability c : kCapabilities)
    if (of(c) != storage) return std::nullopt;
  return storage;
}

Consent Consent::settled() const {
  Consent out = *this;
  for (const Capability c : kCapabilities)
    if (out.of(c) == ConsentState::kPending) out.of(c) = ConsentState::kDenied;
  return out;
}

Consent Consent::hoped() const {
  Consent out = *this;
  for (const Capability c : kCapabilities)
    if (out.of(c) == ConsentState::kPending) out.of(c) = ConsentState::kGranted;
  return out;
}

Permissions permissions(ConsentClass cls, const Consent& consent) {
  const bool store = consent.granted(Capability::kStorage);
  const bool measure = consent.granted(Capability::kMeasurement);
  const bool identify = store && measure;
  // Rows of the consent table (docs/consent.md).
  switch (cls) {
    case ConsentClass::kPatch:
    case ConsentClass::kPersonalization:
      return {.apply_changes = true, .store_assignment = store, .send_events = measure,
              .identify = identify};
    case ConsentClass::kTechnicalTest:
      return {.apply_changes = true, .store_assignment = true, .send_events = true,
              .identify = identify};
    case ConsentClass::kRevenueTest:
    case ConsentClass::kThirdParty: {
      const bool apply = consent.granted(cls == ConsentClass::kRevenueTest
                                             ? Capability::kPersonalization
                                             : Capability::kThirdParty);
      return {.apply_changes = apply, .store_assignment = apply && store,
              .send_events = apply && measure, .identify = apply && identify};
    }
  }
  return {false, false, false, false};
}

}  // namespace vario
