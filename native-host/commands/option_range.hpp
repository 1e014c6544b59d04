// The values a numeric option accepts (--visitors, --seed, --hours, --port) and the one sentence
// that refuses the others. The command line checks an option's text against its range before
// CLI11 converts it, because CLI11 wraps "-5" around into a huge unsigned number; the commands
// check the value again for callers that fill their arguments themselves.
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace vario::host {

template <class T>
struct OptionRange {
  T low;
  T high;
  bool above_low = false;  // low itself is refused too (--hours must be above 0)

  // "a whole number from 1 to 100000000", "a number above 0 and at most 8760".
  std::string wording() const {
    const std::string kind = std::is_integral_v<T> ? "a whole number " : "a number ";
    return kind + (above_low ? "above " : "from ") + text(low) +
           (above_low ? " and at most " : " to ") + text(high);
  }

  // "must be a whole number from 1 to 100000000, got 0", or nullopt when `value` is accepted.
  std::optional<std::string> problem(T value) const {
    if ((above_low ? value > low : value >= low) && value <= high) return std::nullopt;
    return refusal(text(value));
  }

  // The same for an option as typed, which must read whole as one such number: "-5", "1e3",
  // "0x10" and "12abc" are refused for a whole number, "nan" and "1e999" for any.
  std::optional<std::string> problem(std::string_view typed) const {
    T value{};
    const char* end = typed.data() + typed.size();
    const auto [stop, error] = std::from_chars(typed.data(), end, value);
    if (error != std::errc() || stop != end) return refusal(std::string(typed));
    if (problem(value)) return refusal(std::string(typed));
    return std::nullopt;
  }

 private:
  std::string refusal(const std::string& got) const {
    return "must be " + wording() + ", got " + got;
  }

  // Shortest text that reads back as `n`: 8760, not 8760.000000.
  static std::string text(T n) {
    char buffer[32];
    return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, n).ptr);
  }
};

}  // namespace vario::host
