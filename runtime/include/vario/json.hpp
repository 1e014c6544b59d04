// A deliberately small JSON reader and writer for the engine's own inputs (the visitor and the
// page context) and outputs (decisions, events). The campaigns themselves never reach the
// engine as JSON: the native compiler turns them into campaigns.bin. This keeps a general JSON
// library out of the wasm.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vario/result.hpp"

namespace vario::json {

// A parsed JSON value. Objects keep their members in document order; a duplicate key keeps
// the last value, as JavaScript's JSON.parse does.
class Value {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  // Builders, for values the engine composes itself (the visitor's attributes).
  static Value boolean(bool b);
  static Value number(double n);
  static Value string(std::string s);
  static Value array() { return of(Type::kArray); }
  static Value object() { return of(Type::kObject); }
  // Appends to an array.
  void push(Value item) { items_.push_back(std::move(item)); }
  // Sets an object member, replacing the value of an existing one in place.
  void set(std::string_view key, Value value);

  Type type() const { return type_; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_object() const { return type_ == Type::kObject; }
  bool as_bool() const { return bool_; }
  double as_number() const { return number_; }
  const std::string& as_string() const { return string_; }
  const std::vector<Value>& items() const { return items_; }
  const std::vector<std::pair<std::string, Value>>& members() const { return members_; }
  // The member named `key` of an object, or nullptr (also for non-objects).
  const Value* find(std::string_view key) const;

 private:
  friend class Parser;
  static Value of(Type type) {
    Value v;
    v.type_ = type;
    return v;
  }
  Type type_ = Type::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<Value> items_;
  std::vector<std::pair<std::string, Value>> members_;
};

// Parses one JSON document (RFC 8259). Errors name the byte offset and what was expected;
// nesting deeper than 64 levels is refused rather than risking the stack.
Result<Value> parse(std::string_view text);

// The decimal text of n. Used instead of std::to_string or printf, which would pull formatting
// code into the wasm.
std::string to_decimal(std::uint64_t n);

// Appends JSON text to a string. Callers emit keys and values in order; the writer inserts
// commas. Strings are escaped per RFC 8259 (control characters as \u00XX).
class Writer {
 public:
  Writer& begin_object();
  Writer& end_object();
  Writer& begin_array();
  Writer& end_array();
  Writer& key(std::string_view k);
  Writer& string(std::string_view s);
  Writer& integer(std::int64_t n);
  Writer& boolean(bool b);
  // A number as JavaScript's JSON.stringify writes it (non-finite numbers as null).
  Writer& number(double n);
  // A whole value, members in their order.
  Writer& value(const Value& v);
  // Room for `bytes` of text, when the caller knows roughly how much it will write.
  void reserve(std::size_t bytes) { out_.reserve(bytes); }
  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void separate();
  std::string out_;
  bool need_comma_ = false;
};

// The JSON text of a value, compact.
std::string write(const Value& v);

}  // namespace vario::json
