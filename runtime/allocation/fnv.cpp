#include "allocation/fnv.hpp"

#include "vario/bucketing.hpp"

namespace vario::allocation {

void Fnv1a32::add_unit(std::uint32_t code_unit) {
  // JavaScript spells the multiplication by the FNV prime 0x01000193 as a sum of shifts and
  // wraps with ToInt32 and >>> 0; both are this multiplication modulo 2^32.
  hash_ ^= code_unit;
  hash_ *= 0x01000193u;
}

void Fnv1a32::add_code_point(std::uint32_t code_point) {
  if (code_point < 0x10000) {
    add_unit(code_point);
    return;
  }
  const std::uint32_t offset = code_point - 0x10000;
  add_unit(0xD800 + (offset >> 10));
  add_unit(0xDC00 + (offset & 0x3FF));
}

Fnv1a32& Fnv1a32::add_utf8(std::string_view utf8) {
  // The WHATWG UTF-8 decoder (Encoding Standard 4.1), which TextDecoder implements: a malformed
  // sequence becomes one U+FFFD per maximal invalid subpart, and the byte that broke it is read
  // again as the start of the next sequence.
  constexpr std::uint32_t kReplacement = 0xFFFD;
  std::uint32_t code_point = 0;
  int needed = 0;
  int seen = 0;
  unsigned lower = 0x80;
  unsigned upper = 0xBF;
  std::size_t i = 0;
  while (i < utf8.size()) {
    const unsigned byte = static_cast<unsigned char>(utf8[i]);
    if (needed == 0) {
      ++i;
      if (byte <= 0x7F) {
        add_unit(byte);
      } else if (byte >= 0xC2 && byte <= 0xDF) {
        needed = 1;
        code_point = byte & 0x1F;
      } else if (byte >= 0xE0 && byte <= 0xEF) {
        if (byte == 0xE0) lower = 0xA0;
        if (byte == 0xED) upper = 0x9F;
        needed = 2;
        code_point = byte & 0x0F;
      } else if (byte >= 0xF0 && byte <= 0xF4) {
        if (byte == 0xF0) lower = 0x90;
        if (byte == 0xF4) upper = 0x8F;
        needed = 3;
        code_point = byte & 0x07;
      } else {
        add_unit(kReplacement);
      }
      continue;
    }
    if (byte < lower || byte > upper) {
      // Not consumed: it starts the next sequence.
      code_point = 0;
      needed = seen = 0;
      lower = 0x80;
      upper = 0xBF;
      add_unit(kReplacement);
      continue;
    }
    ++i;
    lower = 0x80;
    upper = 0xBF;
    code_point = (code_point << 6) | (byte & 0x3F);
    if (++seen == needed) {
      add_code_point(code_point);
      code_point = 0;
      needed = seen = 0;
    }
  }
  if (needed != 0) add_unit(kReplacement);
  return *this;
}

}  // namespace vario::allocation

namespace vario {

std::uint32_t fnv1a32(std::string_view utf8) { return allocation::Fnv1a32().add_utf8(utf8).value(); }

}  // namespace vario
