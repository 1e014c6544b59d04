// JavaScript's numbers as text and back (Number::toString, StringToNumber, parseInt), exact for
// every double, without printf or strtod (they would pull formatting and long-double code into
// the wasm). The JSON reader and writer and the condition evaluator all use these, so a number
// reads and prints the same everywhere in the engine, and as a browser would.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vario::js {

// Enough for any double in JavaScript's Number::toString form.
inline constexpr std::size_t kNumberTextCapacity = 32;

// Writes Number::toString(n) (what String(n) and `n + ""` give) into `out`, returns its
// length: the shortest digits that read back as n (the closest such, ties to even), laid out
// as ECMA-262 says ("1e+21", "0.000001", "1e-7"). Exact for every double.
std::size_t format_number(double n, char (&out)[kNumberTextCapacity]);
void append_number(double n, std::string& out);

// StringToNumber (what `s * 1` does to a string): surrounding JavaScript white space ignored,
// "" is 0, decimal literals, Infinity, 0x/0o/0b integers; anything else NaN. Correctly rounded
// (ties to even) for decimals of up to 40 significant digits; beyond that, later digits only
// count as "more than the first 40", which can misround a value within 10^-40 of a midpoint.
double string_to_number(std::string_view s);

// parseInt(s) with no radix: leading white space, a sign, a 0x prefix, then the longest run of
// digits; NaN when there is none.
double parse_int(std::string_view s);

}  // namespace vario::js
