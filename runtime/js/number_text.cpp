// JavaScript numbers <-> text, exactly as JavaScript does it, without printf/strtod (they would
// pull formatting and long-double code into the wasm). The common cases take a fast path that
// leans on one exact case of IEEE arithmetic: an integer below 2^53 multiplied or divided by a
// power of ten up to 10^22 (itself exact) is rounded once, so the result is correctly rounded
// (Clinger). Everything else is settled with a small big integer: Burger & Dybvig's free-format
// algorithm for the shortest digits, and a comparison with the midpoints between neighbouring
// doubles for parsing.
#include <bit>
#include <cstdint>
#include <limits>

#include "js/bignum.hpp"
#include "js/number_text.hpp"
#include "js/text.hpp"

namespace vario::js {
namespace {

constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
constexpr int kMaxExactPow10 = 22;
constexpr std::uint64_t kTwoTo52 = std::uint64_t{1} << 52;
constexpr std::uint64_t kTwoTo53 = std::uint64_t{1} << 53;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Significant digits kept when parsing; further non-zero digits only nudge the value up.
constexpr int kMaxDigits = 40;

// x * 10^e for any e; exact steps of 10^22, so approximate (a few ulps) when |e| > 22.
double scale_by_pow10(double x, int e) {
  while (e > kMaxExactPow10) {
    x *= kPow10[kMaxExactPow10];
    e -= kMaxExactPow10;
    if (x == kInfinity) return x;
  }
  while (e < -kMaxExactPow10) {
    x /= kPow10[kMaxExactPow10];
    e += kMaxExactPow10;
    if (x == 0) return x;
  }
  return e >= 0 ? x * kPow10[e] : x / kPow10[-e];
}

// A positive finite double as f * 2^e with an integer significand f.
void decompose(double d, std::uint64_t& f, int& e) {
  const std::uint64_t bits = __builtin_bit_cast(std::uint64_t, d);
  const int biased = int((bits >> 52) & 0x7FF);
  f = bits & (kTwoTo52 - 1);
  if (biased == 0) {
    e = -1074;
  } else {
    f |= kTwoTo52;
    e = biased - 1075;
  }
}

double next_up(double d) { return __builtin_bit_cast(double, __builtin_bit_cast(std::uint64_t, d) + 1); }
double next_down(double d) { return __builtin_bit_cast(double, __builtin_bit_cast(std::uint64_t, d) - 1); }

// The digits of a decimal literal: value = digits * 10^exponent.
struct Decimal {
  char digits[kMaxDigits + 1];  // significant digits, no leading zeros; one more for the nudge
  int count = 0;
  int exponent = 0;
};

// m * 10^e compared with a * 2^b.
int compare_decimal(const BigInt& m, int e, std::uint64_t a, int b) {
  BigInt left = m, right(a);
  if (e >= 0)
    left.multiply_pow10(e);
  else
    right.multiply_pow10(-e);
  if (b >= 0)
    right.shift_left(b);
  else
    left.shift_left(-b);
  return compare(left, right);
}

// The double nearest to the decimal (ties to even), as JavaScript's StringToNumber.
double decimal_to_double(const Decimal& dec) {
  if (dec.count == 0) return 0;
  const int kept = dec.count < 19 ? dec.count : 19;
  std::uint64_t significand = 0;
  for (int i = 0; i < kept; ++i) significand = significand * 10 + std::uint64_t(dec.digits[i] - '0');
  const int exponent = dec.exponent + (dec.count - kept);
  if (dec.count == kept && significand <= kTwoTo53) {
    if (exponent >= -kMaxExactPow10 && exponent <= kMaxExactPow10)
      return exponent >= 0 ? double(significand) * kPow10[exponent]
                           : double(significand) / kPow10[-exponent];
    if (exponent > kMaxExactPow10) {
      // "12e25": move powers of ten into the significand while it stays exact.
      std::uint64_t s = significand;
      int e = exponent;
      while (e > kMaxExactPow10 && s <= kTwoTo53 / 10) {
        s *= 10;
        --e;
      }
      if (e <= kMaxExactPow10) return double(s) * kPow10[e];
    }
  }
  const int magnitude = dec.count + dec.exponent;  // the value is below 10^magnitude
  if (magnitude > 310) return kInfinity;
  if (magnitude < -324) return 0;

  // An estimate within a few ulps, then exact steps towards the nearest double.
  double d = scale_by_pow10(double(significand), exponent);
  BigInt m;
  for (int i = 0; i < dec.count; ++i) {
    m.multiply(10);
    m.add(BigInt(std::uint64_t(dec.digits[i] - '0')));
  }
  for (int step = 0; step < 16; ++step) {
    if (d == kInfinity) {
      // Halfway between the largest double and 2^1024 rounds to infinity (ties to even).
      if (compare_decimal(m, dec.exponent, (std::uint64_t{1} << 54) - 1, 970) >= 0) break;
      d = std::numeric_limits<double>::max();
      continue;
    }
    std::uint64_t f;
    int e;
    decompose(d, f, e);
    const int above = compare_decimal(m, dec.exponent, 2 * f + 1, e - 1);
    if (above > 0 || (above == 0 && (f & 1))) {
      d = next_up(d);
      continue;
    }
    if (f == 0) break;
    // Below a power of two the lower neighbour is half as far.
    const int below = f == kTwoTo52 && e > -1074
                          ? compare_decimal(m, dec.exponent, 4 * f - 1, e - 2)
                          : compare_decimal(m, dec.exponent, 2 * f - 1, e - 1);
    if (below < 0 || (below == 0 && (f & 1))) {
      d = next_down(d);
      continue;
    }
    break;
  }
  return d;
}

// Parses [digits][.digits][e[+-]digits] from s[i] into `out`; false when there are no digits or
// the exponent has none.
bool parse_decimal(std::string_view s, std::size_t& i, Decimal& out) {
  bool any = false, dropped_nonzero = false;
  auto digit = [&](char c, bool fraction) {
    any = true;
    if (out.count == 0 && c == '0') {
      if (fraction) --out.exponent;
      return;
    }
    if (out.count < kMaxDigits) {
      out.digits[out.count++] = c;
      if (fraction) --out.exponent;
    } else {
      if (!fraction) ++out.exponent;
      dropped_nonzero = dropped_nonzero || c != '0';
    }
  };
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') digit(s[i++], false);
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') digit(s[i++], true);
  }
  if (!any) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t j = i + 1;
    bool negative = false;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) negative = s[j++] == '-';
    if (j >= s.size() || s[j] < '0' || s[j] > '9') return false;
    int e = 0;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') {
      if (e < 100000) e = e * 10 + (s[j] - '0');  // beyond this the result is 0 or Infinity
      ++j;
    }
    out.exponent += negative ? -e : e;
    i = j;
  }
  if (dropped_nonzero) {  // a digit 1 after the kept ones: above the truncated value, below the next
    out.digits[out.count++] = '1';
    --out.exponent;
  }
  return true;
}

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// The digits of s from i in `radix`; NaN when there are none. Stops at the first non-digit.
double parse_radix(std::string_view s, std::size_t& i, int radix) {
  double value = 0;
  const std::size_t from = i;
  while (i < s.size() && digit_value(s[i]) < radix) value = value * radix + digit_value(s[i++]);
  return i > from ? value : kNaN;
}

std::string_view trim_js_space(std::string_view s, bool trailing) {
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t next = i;
    if (!is_js_space(next_code_point(s, next))) break;
    i = next;
  }
  s.remove_prefix(i);
  if (!trailing) return s;
  while (!s.empty()) {
    std::size_t start = s.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    std::size_t at = start;
    if (!is_js_space(next_code_point(s, at))) break;
    s.remove_suffix(s.size() - start);
  }
  return s;
}

int decimal_digits(std::uint64_t n) {
  int k = 1;
  while (n >= 10) {
    n /= 10;
    ++k;
  }
  return k;
}

// floor(log10(x)) or one less, from the binary exponent alone.
int log10_estimate(double x) {
  std::uint64_t f;
  int e;
  decompose(x, f, e);
  const int binary = e + 63 - std::countl_zero(f);  // x is in [2^binary, 2^(binary+1))
  const double estimate = binary * 0.30102999566398120;
  int floor = int(estimate);
  if (floor > estimate) --floor;
  return floor - 1;
}

// Burger & Dybvig's free-format shortest digits, with JavaScript's choice of the last digit
// (the closer one; half-way: the even one).
void shortest_digits_exact(double x, std::uint64_t& digits, int& count, int& point) {
  std::uint64_t f;
  int e;
  decompose(x, f, e);
  const bool even = (f & 1) == 0;  // the interval's ends round to x too
  BigInt r(f), s(1), plus(1), minus(1);
  const bool boundary = f == kTwoTo52 && e > -1074;  // lower neighbour is closer
  if (e >= 0) {
    r.shift_left(e + (boundary ? 2 : 1));
    s.set(boundary ? 4 : 2);
    plus.shift_left(boundary ? e + 1 : e);
    minus.shift_left(e);
  } else {
    r.shift_left(boundary ? 2 : 1);
    s.shift_left(boundary ? 2 - e : 1 - e);
    plus.set(boundary ? 2 : 1);
  }
  // x = r / s; the rounding interval is (x - minus/s, x + plus/s).
  int k = log10_estimate(x);
  if (k >= 0) {
    s.multiply_pow10(k);
  } else {
    r.multiply_pow10(-k);
    plus.multiply_pow10(-k);
    minus.multiply_pow10(-k);
  }
  // Raise k until the interval's top is below 10^k.
  while (true) {
    const int c = compare_sum(r, plus, s);
    if (even ? c < 0 : c <= 0) break;
    s.multiply(10);
    ++k;
  }
  digits = 0;
  count = 0;
  point = k;
  while (true) {
    r.multiply(10);
    plus.multiply(10);
    minus.multiply(10);
    std::uint64_t d = 0;
    while (compare(r, s) >= 0) {
      r.subtract(s);
      ++d;
    }
    const int low = compare(r, minus);
    const int high = compare_sum(r, plus, s);
    const bool low_ok = even ? low <= 0 : low < 0;
    const bool high_ok = even ? high >= 0 : high > 0;
    if (low_ok && high_ok) {
      BigInt twice = r;
      twice.multiply(2);
      const int c = compare(twice, s);
      if (c > 0 || (c == 0 && d % 2 == 1)) ++d;
    } else if (high_ok) {
      ++d;
    }
    digits = digits * 10 + d;
    ++count;
    if (low_ok || high_ok || count == 17) break;
  }
}

// The shortest digits s (k of them) and decimal point position n with x = s * 10^(n - k), for
// finite x > 0, as Number::toString needs them.
void shortest_digits(double x, std::uint64_t& s, int& k, int& n) {
  if (x < double(kTwoTo53) && double(std::uint64_t(x)) == x) {
    s = std::uint64_t(x);
    int zeros = 0;
    while (s % 10 == 0) {
      s /= 10;
      ++zeros;
    }
    k = decimal_digits(s);
    n = k + zeros;
    return;
  }
  // Fast path: if some p <= 15 digit decimal rounds to x, the candidate below is the only one
  // (the scaling error is under half a unit of the candidate), and the round trip is exact.
  const int e10 = log10_estimate(x) + 1;  // floor(log10(x)), or one less
  for (int p = 1; p <= 15; ++p) {
    for (int shift = 0; shift <= 1; ++shift) {
      const int scale = p - 1 - (e10 + shift);
      if (scale < -kMaxExactPow10 || scale > kMaxExactPow10) continue;
      const double y = scale >= 0 ? x * kPow10[scale] : x / kPow10[-scale];
      if (y < kPow10[p - 1] || y >= kPow10[p]) continue;  // wrong magnitude guess
      const std::uint64_t candidate = std::uint64_t(y + 0.5);
      const double back = scale >= 0 ? double(candidate) / kPow10[scale]
                                     : double(candidate) * kPow10[-scale];
      if (back != x) continue;
      s = candidate;
      n = e10 + shift + 1;
      if (decimal_digits(s) > p) ++n;  // rounded up to the next power of ten
      while (s % 10 == 0) s /= 10;
      k = decimal_digits(s);
      return;
    }
  }
  shortest_digits_exact(x, s, k, n);
  while (s % 10 == 0) {
    s /= 10;
    --k;
  }
}

}  // namespace

std::size_t format_number(double x, char (&out)[kNumberTextCapacity]) {
  std::size_t len = 0;
  auto put = [&](char c) { out[len++] = c; };
  auto put_text = [&](std::string_view t) {
    for (const char c : t) put(c);
  };
  if (x != x) {
    put_text("NaN");
    return len;
  }
  if (x == 0) {
    put('0');  // also -0
    return len;
  }
  if (x < 0) {
    put('-');
    x = -x;
  }
  if (x == kInfinity) {
    put_text("Infinity");
    return len;
  }
  std::uint64_t s;
  int k, n;
  shortest_digits(x, s, k, n);
  char digits[20];
  for (int i = k - 1; i >= 0; --i) {
    digits[i] = char('0' + s % 10);
    s /= 10;
  }
  // Number::toString's four layouts (ECMA-262 6.1.6.1.20).
  if (k <= n && n <= 21) {
    for (int i = 0; i < k; ++i) put(digits[i]);
    for (int i = k; i < n; ++i) put('0');
  } else if (0 < n && n <= 21) {
    for (int i = 0; i < n; ++i) put(digits[i]);
    put('.');
    for (int i = n; i < k; ++i) put(digits[i]);
  } else if (-6 < n && n <= 0) {
    put('0');
    put('.');
    for (int i = 0; i < -n; ++i) put('0');
    for (int i = 0; i < k; ++i) put(digits[i]);
  } else {
    put(digits[0]);
    if (k > 1) {
      put('.');
      for (int i = 1; i < k; ++i) put(digits[i]);
    }
    put('e');
    int e = n - 1;
    put(e < 0 ? '-' : '+');
    if (e < 0) e = -e;
    char exp_digits[4];
    int m = 0;
    do {
      exp_digits[m++] = char('0' + e % 10);
      e /= 10;
    } while (e > 0);
    while (m > 0) put(exp_digits[--m]);
  }
  return len;
}

void append_number(double n, std::string& out) {
  char buffer[kNumberTextCapacity];
  out.append(buffer, format_number(n, buffer));
}

double string_to_number(std::string_view text) {
  const std::string_view s = trim_js_space(text, true);
  if (s.empty()) return 0;
  if (s.size() > 2 && s[0] == '0') {
    int radix = 0;
    switch (s[1]) {
      case 'x': case 'X': radix = 16; break;
      case 'o': case 'O': radix = 8; break;
      case 'b': case 'B': radix = 2; break;
      default: break;
    }
    if (radix) {
      std::size_t i = 2;
      const double v = parse_radix(s, i, radix);
      return i == s.size() ? v : kNaN;
    }
  }
  std::size_t i = 0;
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    ++i;
  }
  double v;
  Decimal decimal;
  if (s.substr(i) == "Infinity") {
    v = kInfinity;
  } else if (!parse_decimal(s, i, decimal) || i != s.size()) {
    return kNaN;
  } else {
    v = decimal_to_double(decimal);
  }
  return negative ? -v : v;
}

double parse_int(std::string_view text) {
  const std::string_view s = trim_js_space(text, false);
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  double v;
  if (i + 1 < s.size() && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
    i += 2;
    v = parse_radix(s, i, 16);
  } else {
    std::size_t end = i;
    while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
    if (end == i) return kNaN;
    Decimal decimal;
    std::size_t at = 0;
    parse_decimal(s.substr(i, end - i), at, decimal);
    v = decimal_to_double(decimal);
  }
  return negative ? -v : v;
}

}  // namespace vario::js
