// Numbers as the commands print them for people.
#pragma once

#include <cstdint>
#include <string>

namespace vario::host {

// 1234567 -> "1,234,567".
inline std::string with_thousands(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace vario::host
