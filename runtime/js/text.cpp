// JavaScript strings are UTF-16; the engine's are UTF-8. These helpers give UTF-8 strings
// JavaScript's answers where the two encodings would otherwise disagree.
#include <cstdint>

#include "js/text.hpp"

namespace vario::js {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// The first UTF-16 code unit of a code point (the high surrogate above U+FFFF).
char32_t first_unit(char32_t c) { return c < 0x10000 ? c : 0xD800 + ((c - 0x10000) >> 10); }

// JavaScript's lower-case mapping of one code point into out; returns how many code points.
// Tables would be smaller per character but larger in total: the ranges below are the
// alphabets attribute values actually use.
int to_lower(char32_t c, char32_t (&out)[2]) {
  out[0] = c;
  auto even_to_odd = [&](char32_t from, char32_t to) {
    if (c >= from && c <= to && (c - from) % 2 == 0) out[0] = c + 1;
  };
  if (c < 0x80) {
    if (c >= 'A' && c <= 'Z') out[0] = c + 32;
    return 1;
  }
  if (c == 0x130) {  // İ -> i + combining dot above, as JavaScript does
    out[0] = 'i';
    out[1] = 0x307;
    return 2;
  }
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3AB && c != 0x3A2) ||
      (c >= 0x410 && c <= 0x42F) || (c >= 0xFF21 && c <= 0xFF3A)) {
    out[0] = c + 32;  // Latin-1, Greek, Cyrillic, fullwidth Latin capitals
  } else if (c >= 0x400 && c <= 0x40F) {
    out[0] = c + 80;
  } else if (c >= 0x531 && c <= 0x556) {
    out[0] = c + 48;  // Armenian
  } else if (c == 0x178) {
    out[0] = 0xFF;
  } else if (c == 0x386) {
    out[0] = 0x3AC;
  } else if (c >= 0x388 && c <= 0x38A) {
    out[0] = c + 37;
  } else if (c == 0x38C) {
    out[0] = 0x3CC;
  } else if (c == 0x38E || c == 0x38F) {
    out[0] = c + 63;
  } else if (c == 0x1E9E) {
    out[0] = 0xDF;
  } else if (c == 0x212A) {  // Kelvin sign
    out[0] = 'k';
  } else if (c == 0x212B) {  // Angstrom sign
    out[0] = 0xE5;
  } else if ((c >= 0x1C4 && c <= 0x1CC) || c == 0x1F1 || c == 0x1F2) {
    // DŽ Dž dž, LJ Lj lj, NJ Nj nj, DZ Dz dz: capital and title case map to the small form
    out[0] = c == 0x1F1 || c == 0x1F2 ? 0x1F3 : 0x1C4 + (c - 0x1C4) / 3 * 3 + 2;
  } else if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E) ||
             (c >= 0x4C1 && c <= 0x4CE)) {
    if (c % 2 == 1) out[0] = c + 1;  // in these ranges the capitals are the odd code points
  } else if (c == 0x4C0) {
    out[0] = 0x4CF;
  } else {
    even_to_odd(0x100, 0x137);  // Latin Extended-A
    even_to_odd(0x14A, 0x177);
    even_to_odd(0x460, 0x481);  // Cyrillic extensions
    even_to_odd(0x48A, 0x4BF);
    even_to_odd(0x4D0, 0x52F);
    even_to_odd(0x1E00, 0x1E95);  // Latin Extended Additional (Vietnamese, ...)
    even_to_odd(0x1EA0, 0x1EFF);
  }
  return 1;
}

// Yields the lower-cased code points of a UTF-8 string one at a time.
class LowerCursor {
 public:
  explicit LowerCursor(std::string_view s) : s_(s) {}
  bool done() const { return pending_ == count_ && i_ >= s_.size(); }
  char32_t next() {
    if (pending_ == count_) {
      count_ = to_lower(next_code_point(s_, i_), buffer_);
      pending_ = 0;
    }
    return buffer_[pending_++];
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
  char32_t buffer_[2] = {0, 0};
  int count_ = 0;
  int pending_ = 0;
};

}  // namespace

char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(s[at]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int extra;
  char32_t c;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    extra = 1;
    c = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    extra = 2;
    c = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    extra = 3;
    c = b0 & 0x07;
  } else {
    ++i;
    return kReplacement;
  }
  for (int k = 1; k <= extra; ++k) {
    if (i + k >= s.size() || (byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return kReplacement;
    }
    c = (c << 6) | (byte(i + k) & 0x3F);
  }
  const char32_t min = extra == 1 ? 0x80 : extra == 2 ? 0x800 : 0x10000;
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
    ++i;
    return kReplacement;
  }
  i += extra + 1;
  return c;
}

int compare_utf16(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  const std::size_t n = a.size() < b.size() ? a.size() : b.size();
  while (i < n && a[i] == b[i]) ++i;
  if (i == n) return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
  // Back up to the start of the character that differs (the bytes before i are shared).
  while (i > 0 && (static_cast<unsigned char>(a[i]) & 0xC0) == 0x80) --i;
  std::size_t ia = i, ib = i;
  const char32_t ca = next_code_point(a, ia);
  const char32_t cb = next_code_point(b, ib);
  if (first_unit(ca) != first_unit(cb)) return first_unit(ca) < first_unit(cb) ? -1 : 1;
  if (ca != cb) return ca < cb ? -1 : 1;  // same high surrogate: low surrogates follow code points
  // Two different invalid sequences both read as U+FFFD: fall back to bytes.
  return a.substr(i) < b.substr(i) ? -1 : 1;
}

std::size_t utf16_length(std::string_view s) {
  std::size_t units = 0;
  for (std::size_t i = 0; i < s.size();) units += next_code_point(s, i) >= 0x10000 ? 2 : 1;
  return units;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() == b.size() && a == b) return true;
  LowerCursor x(a), y(b);
  while (!x.done() && !y.done())
    if (x.next() != y.next()) return false;
  return x.done() && y.done();
}

bool is_js_space(char32_t c) {
  switch (c) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20: case 0xA0: case 0x1680:
    case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000: case 0xFEFF:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

}  // namespace vario::js
