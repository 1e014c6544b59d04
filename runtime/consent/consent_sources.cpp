#include "vario/consent_sources.hpp"

namespace vario {
namespace {

Error bad(std::string what) { return make_error(ErrorCode::kInvalidArgument, "consent signal: " + what); }

// Google Consent Mode v2 keys onto Vario's capabilities (docs/consent.md).
struct GcmKey {
  std::string_view key;
  Capability capability;
};
constexpr GcmKey kGcmKeys[] = {
    {"analytics_storage", Capability::kStorage},
    {"analytics_storage", Capability::kMeasurement},
    {"personalization_storage", Capability::kPersonalization},
    {"ad_personalization", Capability::kThirdParty},
};

}  // namespace

std::optional<ConsentState>& PartialConsent::of(Capability c) {
  switch (c) {
    case Capability::kStorage: return storage;
    case Capability::kMeasurement: return measurement;
    case Capability::kPersonalization: return personalization;
    case Capability::kThirdParty: return third_party;
  }
  return storage;
}

std::optional<ConsentState> PartialConsent::of(Capability c) const {
  return const_cast<PartialConsent*>(this)->of(c);
}

bool PartialConsent::empty() const {
  for (const Capability c : kCapabilities)
    if (of(c)) return false;
  return true;
}

Status ConsentSources::add(const json::Value& signal) {
  const json::Value* source = signal.find("source");
  if (!source || !source->is_string()) return bad("/source must be \"page\", \"tcf\" or \"gcm\"");
  const std::string& name = source->as_string();

  if (name == "page") {
    const json::Value* consent = signal.find("consent");
    if (consent && consent->is_string()) {
      const auto state = parse_consent(consent->as_string());
      if (!state) return bad("/consent must be \"granted\", \"denied\" or an object of capabilities");
      for (const Capability c : kCapabilities) page_.of(c) = *state;
      return Ok{};
    }
    if (!consent || !consent->is_object())
      return bad("/consent must be \"granted\", \"denied\" or an object of capabilities");
    PartialConsent next = page_;
    for (const auto& [key, value] : consent->members()) {
      const auto capability = parse_capability(key);
      if (!capability)
        return bad("/consent/" + key +
                   " is not a capability (storage, measurement, personalization, third_party)");
      const auto state = value.is_string() ? parse_consent(value.as_string()) : std::nullopt;
      if (!state) return bad("/consent/" + key + " must be \"granted\", \"denied\" or \"pending\"");
      next.of(*capability) = *state;
    }
    page_ = next;
    return Ok{};
  }

  if (name == "tcf") {
    const json::Value* event = signal.find("event");
    if (!event || !event->is_string()) return bad("/event must be a string");
    // The CMP is showing its dialogue: no answer yet.
    if (event->as_string() != "tcloaded" && event->as_string() != "useractioncomplete") return Ok{};
    const json::Value* applies = signal.find("gdprApplies");
    if (applies && applies->type() == json::Value::Type::kBool && !applies->as_bool()) {
      // The CMP says the GDPR does not apply to this visitor: consent is not required.
      for (const Capability c : kCapabilities) tcf_live_.of(c) = ConsentState::kGranted;
      return Ok{};
    }
    const json::Value* tc = signal.find("tcString");
    if (!tc || !tc->is_string()) return bad("/tcString must be a string");
    tcf_live_ = tcf_consent(tc->as_string(), tcf_, &problem_);
    return Ok{};
  }

  if (name == "gcm") {
    const json::Value* command = signal.find("command");
    if (!command || !command->is_string() ||
        (command->as_string() != "default" && command->as_string() != "update"))
      return bad("/command must be \"default\" or \"update\"");
    const json::Value* params = signal.find("params");
    if (!params || !params->is_object()) return bad("/params must be an object");
    PartialConsent next = gcm_;
    for (const GcmKey& k : kGcmKeys) {
      const json::Value* value = params->find(k.key);
      if (!value || !value->is_string()) continue;
      // Consent Mode has two answers; anything else leaves the key as it was.
      if (value->as_string() == "granted") next.of(k.capability) = ConsentState::kGranted;
      else if (value->as_string() == "denied") next.of(k.capability) = ConsentState::kDenied;
    }
    // A default never overrides an update that came before it (gtag's own rule).
    if (command->as_string() == "default") {
      for (const Capability c : kCapabilities)
        if (gcm_updated_.of(c)) next.of(c) = gcm_.of(c);
    } else {
      for (const GcmKey& k : kGcmKeys)
        if (const json::Value* v = params->find(k.key); v && v->is_string())
          gcm_updated_.of(k.capability) = ConsentState::kGranted;  // marks "set by an update"
    }
    gcm_ = next;
    return Ok{};
  }
  return bad("/source must be \"page\", \"tcf\" or \"gcm\", not \"" + name + "\"");
}

ConsentSources consent_sources(const Config& config) {
  const fb::Settings& s = config.settings();
  return ConsentSources(s.consent_required(), TcfSettings{s.tcf_vendor_id()});
}

void ConsentSources::stored_tc_string(std::string_view tc_string) {
  tcf_stored_ = tcf_consent(tc_string, tcf_, &problem_);
}

Consent ConsentSources::effective() const {
  Consent out = Consent::all(required_ ? ConsentState::kPending : ConsentState::kGranted);
  for (const Capability c : kCapabilities)
    for (const PartialConsent* source : {&page_, &tcf_live_, &tcf_stored_, &gcm_})
      if (const auto state = source->of(c)) {
        out.of(c) = *state;
        break;
      }
  return out;
}

}  // namespace vario
