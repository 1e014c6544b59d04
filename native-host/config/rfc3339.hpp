// Campaign schedules are written as RFC 3339 timestamps ("2026-12-01T09:00:00+01:00"); the
// engine compares milliseconds since the Unix epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vario::host {

// Milliseconds since 1970-01-01T00:00:00Z, or nullopt unless `text` is a full RFC 3339
// date-time: date, 'T' (or 't'), time with seconds, optional fraction, and 'Z' or an offset.
// Calendar-checked (no February 30); leap seconds are refused.
std::optional<std::int64_t> parse_rfc3339_ms(std::string_view text);

// "2026-11-30T09:56:24Z": `seconds` since the epoch as an RFC 3339 instant in UTC.
std::string format_rfc3339_utc(std::int64_t seconds);

}  // namespace vario::host
