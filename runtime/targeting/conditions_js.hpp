// JavaScript value semantics for the condition evaluator (private to runtime/targeting).
// GrowthBook's evalCondition is JavaScript, and its answers depend on JavaScript's coercions:
// `value + ""`, `value * 1`, `<` between mixed types, `===`, Array.prototype.includes,
// JSON.stringify equality, String.prototype.toLowerCase and string order by UTF-16 code units.
// This header reproduces those for the values a JSON document can hold.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "js/number_text.hpp"
#include "js/text.hpp"
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

// Numbers and strings as JavaScript sees them: js/number_text.hpp and js/text.hpp.

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
