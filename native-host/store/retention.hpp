// How long the collector keeps events: at most 25 months (the platform's published promise),
// or fewer when the operator says so; never more (docs/data-governance.md).
#pragma once

#include <cstdint>

namespace vario::host {

inline constexpr int kMaxRetentionMonths = 25;

// The instant `months` calendar months before `now_ms` (UTC, the day of month clamped to the
// shorter month: 31 March minus one month is 28 or 29 February, same time of day). Events with
// ts earlier than this are expired.
std::int64_t months_before(std::int64_t now_ms, int months);

}  // namespace vario::host
