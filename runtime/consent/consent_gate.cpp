#include "vario/consent_gate.hpp"

#include <algorithm>

namespace vario {
namespace {

constexpr std::string_view kVisitorIdKey = "vario_id";
constexpr std::string_view kAssignmentsKey = "vario_as";
constexpr std::string_view kVisitCountsKey = "vario_vc";
constexpr std::string_view kPreviewKey = "vario_preview";
// Everything the gate may have stored with storage consent, erased when it is withdrawn. The
// preview token is the person's own request and stays.
constexpr std::string_view kConsentedKeys[] = {kVisitorIdKey, kVisitCountsKey, kAssignmentsKey};
// Stored data lives at most 13 months; 390 days stays inside that in every calendar.
constexpr std::int64_t kMaxAgeSeconds = 390LL * 24 * 3600;

}  // namespace

void ConsentGate::set_consent(const Consent& consent) {
  const Consent before = consent_;
  consent_ = consent;
  const ConsentState storage = consent.storage;
  if (storage == ConsentState::kGranted) {
    for (const HeldWrite& w : held_writes_) host_.storage_write(w.key, w.value, w.max_age_seconds);
    held_writes_.clear();
  } else if (storage == ConsentState::kDenied) {
    held_writes_.clear();
    if (before.storage == ConsentState::kGranted)
      for (const std::string_view key : kConsentedKeys)
        if (host_.storage_read(key)) host_.storage_erase(key);
  }
  // What no answer can allow any more is dropped for good.
  std::erase_if(held_events_, [&](const HeldEvent& h) {
    bool identify = false;
    return !may_send(h.event, consent_.hoped(), identify);
  });
}

void ConsentGate::send_held(const EventContext& context) {
  std::vector<const Event*> ready;
  std::string url;
  std::vector<HeldEvent> still;
  for (HeldEvent& h : held_events_) {
    bool identify = false;
    if (!may_send(h.event, consent_.settled(), identify)) {
      still.push_back(std::move(h));
      continue;
    }
    if (!url.empty() && url != h.url) {
      send_now(url, ready, context);
      ready.clear();
    }
    url = h.url;
    ready.push_back(&h.event);
  }
  if (!ready.empty()) send_now(url, ready, context);
  held_events_ = std::move(still);
}

void ConsentGate::drop_held() {
  held_writes_.clear();
  held_events_.clear();
}

void ConsentGate::store(std::string_view key, std::string value, Capability needs) {
  switch (consent_.of(needs)) {
    case ConsentState::kGranted:
      host_.storage_write(key, value, kMaxAgeSeconds);
      return;
    case ConsentState::kPending: {
      const auto same = std::find_if(held_writes_.begin(), held_writes_.end(),
                                     [&](const HeldWrite& w) { return w.key == key; });
      if (same != held_writes_.end()) same->value = std::move(value);
      else held_writes_.push_back({std::string(key), std::move(value), kMaxAgeSeconds});
      return;
    }
    case ConsentState::kDenied:
      return;
  }
}

std::optional<std::string> ConsentGate::read_visitor_id() {
  if (!consent_.granted(Capability::kStorage)) return std::nullopt;
  return host_.storage_read(kVisitorIdKey);
}

void ConsentGate::write_visitor_id(std::string_view id) {
  store(kVisitorIdKey, std::string(id), Capability::kStorage);
}

std::optional<std::string> ConsentGate::read_visit_counts() {
  if (!consent_.granted(Capability::kStorage)) return std::nullopt;
  return host_.storage_read(kVisitCountsKey);
}

void ConsentGate::write_visit_counts(std::string_view value) {
  if (!consent_.granted(Capability::kStorage)) return;
  host_.storage_write(kVisitCountsKey, value, kMaxAgeSeconds);
}

void ConsentGate::write_preview_token(std::string_view token, std::int64_t max_age_seconds) {
  if (max_age_seconds > 0) host_.storage_write(kPreviewKey, token, max_age_seconds);
}

std::optional<std::string> ConsentGate::read_page_value(PageValueSource source,
                                                        std::string_view key, bool third_party) {
  if (third_party && !consent_.granted(Capability::kThirdParty)) return std::nullopt;
  return host_.page_value(source, key);
}

std::optional<std::string> ConsentGate::read_consent_record(std::string_view cookie) {
  return host_.storage_read(cookie);
}

std::optional<std::string> ConsentGate::read_assignments() {
  // Reading is needed to keep a technical test's visitor in its variation without consent;
  // the cookie holds only assignments that were allowed to be written.
  return host_.storage_read(kAssignmentsKey);
}

std::string ConsentGate::assignments_text(std::span<const StoredAssignment> assignments,
                                          const Consent& consent) const {
  std::string value;
  for (const auto& a : assignments) {
    if (!permissions(a.cls, consent).store_assignment) continue;
    if (!value.empty()) value += '&';
    value.append(a.campaign).append("=").append(a.variation);
  }
  return value;
}

void ConsentGate::write_assignments(std::span<const StoredAssignment> assignments) {
  const std::string now = assignments_text(assignments, consent_.settled());
  if (now.empty()) {
    if (host_.storage_read(kAssignmentsKey)) host_.storage_erase(kAssignmentsKey);
  } else if (host_.storage_read(kAssignmentsKey) != now) {
    host_.storage_write(kAssignmentsKey, now, kMaxAgeSeconds);
  }
  // What a grant of storage would let the cookie hold as well.
  if (consent_.storage == ConsentState::kPending) {
    const std::string hoped = assignments_text(assignments, consent_.hoped());
    if (hoped != now) store(kAssignmentsKey, hoped, Capability::kStorage);
  }
}

bool ConsentGate::may_send(const Event& e, const Consent& consent, bool& identify) {
  if (!e.consent_class) {
    identify = false;
    return consent.granted(Capability::kMeasurement);
  }
  const Permissions p = permissions(*e.consent_class, consent);
  identify = p.identify;
  return p.send_events;
}

std::size_t ConsentGate::send_now(std::string_view url, std::span<const Event* const> events,
                                  const EventContext& context) {
  std::vector<OutgoingEvent> out;
  for (const Event* e : events) {
    bool identify = false;
    may_send(*e, consent_.settled(), identify);
    out.push_back({e, identify});
  }
  if (out.empty()) return 0;
  return host_.send(url, serialize_batch(out, context)) ? out.size() : 0;
}

std::size_t ConsentGate::send_events(std::string_view url, std::span<const Event> events,
                                     const EventContext& context) {
  std::vector<const Event*> now;
  for (const Event& e : events) {
    bool identify = false;
    if (may_send(e, consent_.settled(), identify)) now.push_back(&e);
    else if (may_send(e, consent_.hoped(), identify)) held_events_.push_back({std::string(url), e});
  }
  return send_now(url, now, context);
}

}  // namespace vario
