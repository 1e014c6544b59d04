// JavaScript value semantics for the condition evaluator (private to runtime/targeting).
// GrowthBook's evalCondition is JavaScript, and its answers depend on JavaScript's coercions:
// `value + ""`, `value * 1`, `<` between mixed types, `===`, Array.prototype.includes,
// JSON.stringify equality, String.prototype.toLowerCase and string order by UTF-16 code units.
// This header reproduces those for the values a JSON document can hold.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "vario/json.hpp"

namespace vario::js {

// A JavaScript value as the evaluator sees it: a node of a JSON document, a number the
// evaluator made itself (an array's length), or null. `missing` tells a path that led nowhere
// (GrowthBook's getPath returns null for it) from an explicit null, for trace messages only.
struct JsValue {
  json::Value::Type type = json::Value::Type::kNull;
  const json::Value* node = nullptr;  // set for every type except a made-up number and null
  double made_number = 0;
  bool missing = false;

  static JsValue of(const json::Value& v) { return JsValue{v.type(), &v, 0, false}; }
  static JsValue number(double n) { return JsValue{json::Value::Type::kNumber, nullptr, n, false}; }
  static JsValue absent() { return JsValue{json::Value::Type::kNull, nullptr, 0, true}; }

  bool is_null() const { return type == json::Value::Type::kNull; }
  bool is_array() const { return type == json::Value::Type::kArray; }
  bool is_string() const { return type == json::Value::Type::kString; }
  double num() const { return node ? node->as_number() : made_number; }
  std::string_view str() const { return node->as_string(); }
};

// ---- Numbers (conditions_js_number.cpp) -------------------------------------------------------

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

// ---- Strings (conditions_js_text.cpp) ---------------------------------------------------------

// JavaScript string order (UTF-16 code units) of two UTF-8 strings: negative, 0 or positive.
// It differs from byte order only between characters above U+FFFF and U+E000..U+FFFF.
int compare_utf16(std::string_view a, std::string_view b);

// The number of UTF-16 code units of a UTF-8 string (JavaScript's `length`).
std::size_t utf16_length(std::string_view s);

// Whether a.toLowerCase() === b.toLowerCase(). Lower-cases ASCII, Latin-1, Latin Extended-A,
// the Latin digraphs, Latin Extended Additional, Greek, Cyrillic, Armenian and fullwidth Latin
// (U+0130 becomes "i̇" as in JavaScript; no final-sigma rule); other characters compare
// unchanged.
bool equal_ignoring_case(std::string_view a, std::string_view b);

// Whether c is JavaScript white space or a line terminator (the \s class, String.trim).
bool is_js_space(char32_t c);

// Decodes the UTF-8 character at s[i] and advances i past it (invalid bytes decode as U+FFFD).
char32_t next_code_point(std::string_view s, std::size_t& i);

// ---- Values (conditions_js.cpp) ---------------------------------------------------------------

// Appends String(v): arrays join their elements with "," (null as ""), objects give
// "[object Object]".
void append_string(const JsValue& v, std::string& out);

// A view of String(v) that avoids allocating for strings and numbers: `scratch` and `buffer`
// hold the text when it is not already in the JSON node.
std::string_view string_view_of(const JsValue& v, std::string& scratch,
                                char (&buffer)[kNumberTextCapacity]);

// ToNumber(v) (`v * 1`): null 0, booleans 0/1, strings via string_to_number, arrays via their
// string form, objects NaN.
double to_number(const JsValue& v);

// ToBoolean(v) (`!!v`).
bool to_boolean(const JsValue& v);

// a === b. Arrays and objects are equal only to themselves (the same JSON node).
bool strict_equals(const JsValue& a, const JsValue& b);

// Array.prototype.includes' SameValueZero: === except that NaN equals NaN.
bool same_value_zero(const JsValue& a, const JsValue& b);

// The abstract relational comparison a < b after ToPrimitive: both strings compare by UTF-16
// code units, anything else as numbers; undefined when either number is NaN.
enum class Relation { kTrue, kFalse, kUndefined };
Relation less_than(const JsValue& a, const JsValue& b);

// JSON.stringify(a) === JSON.stringify(b): deep equality where object members compare in
// JavaScript property order (array-index keys ascending, then insertion order; a duplicate
// key keeps its first position and its last value) and non-finite numbers equal null.
bool stringify_equals(const JsValue& a, const json::Value& b);

// GrowthBook's getType: "null", "array", "string", "number", "boolean" or "object".
std::string_view type_name(const JsValue& v);

// Whether `key` is a canonical array index ("0", "17"; not "01" or "-1") below 2^32 - 1, and
// its value.
bool array_index(std::string_view key, std::size_t& index);

}  // namespace vario::js
