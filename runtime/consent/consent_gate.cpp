#include "vario/consent_gate.hpp"

#include <vector>

namespace vario {
namespace {

constexpr std::string_view kVisitorIdKey = "vario_id";
constexpr std::string_view kAssignmentsKey = "vario_as";
constexpr std::string_view kVisitCountsKey = "vario_vc";
constexpr std::string_view kPreviewKey = "vario_preview";
// Stored data lives at most 13 months; 390 days stays inside that in every calendar.
constexpr std::int64_t kMaxAgeSeconds = 390LL * 24 * 3600;

}  // namespace

std::optional<std::string> ConsentGate::read_visitor_id() {
  if (state_ != ConsentState::kGranted) return std::nullopt;
  return host_.storage_read(kVisitorIdKey);
}

void ConsentGate::write_visitor_id(std::string_view id) {
  if (state_ != ConsentState::kGranted) return;
  host_.storage_write(kVisitorIdKey, id, kMaxAgeSeconds);
}

std::optional<std::string> ConsentGate::read_visit_counts() {
  if (state_ != ConsentState::kGranted) return std::nullopt;
  return host_.storage_read(kVisitCountsKey);
}

void ConsentGate::write_visit_counts(std::string_view value) {
  if (state_ != ConsentState::kGranted) return;
  host_.storage_write(kVisitCountsKey, value, kMaxAgeSeconds);
}

void ConsentGate::write_preview_token(std::string_view token, std::int64_t max_age_seconds) {
  if (max_age_seconds > 0) host_.storage_write(kPreviewKey, token, max_age_seconds);
}

std::optional<std::string> ConsentGate::read_page_value(PageValueSource source,
                                                        std::string_view key, bool third_party) {
  if (third_party && state_ != ConsentState::kGranted) return std::nullopt;
  return host_.page_value(source, key);
}

std::optional<std::string> ConsentGate::read_assignments() {
  // Reading is needed to keep a technical test's visitor in its variation without consent;
  // the cookie holds only assignments that were allowed to be written.
  return host_.storage_read(kAssignmentsKey);
}

void ConsentGate::write_assignments(std::span<const StoredAssignment> assignments) {
  std::string value;
  for (const auto& a : assignments) {
    if (!permissions(a.cls, state_).store_assignment) continue;
    if (!value.empty()) value += '&';
    value.append(a.campaign).append("=").append(a.variation);
  }
  if (value.empty()) {
    if (host_.storage_read(kAssignmentsKey)) host_.storage_erase(kAssignmentsKey);
    return;
  }
  host_.storage_write(kAssignmentsKey, value, kMaxAgeSeconds);
}

std::size_t ConsentGate::send_events(std::string_view url, std::span<const Event> events,
                                     const EventContext& context) {
  std::vector<OutgoingEvent> allowed;
  for (const Event& e : events) {
    if (!e.consent_class) {
      allowed.push_back({&e, false});
      continue;
    }
    const Permissions p = permissions(*e.consent_class, state_);
    if (p.send_events) allowed.push_back({&e, p.identify});
  }
  if (allowed.empty()) return 0;
  return host_.send(url, serialize_batch(allowed, context)) ? allowed.size() : 0;
}

}  // namespace vario
