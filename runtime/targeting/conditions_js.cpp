// JavaScript's coercions and equalities over JSON values (see conditions_js.hpp).
#include "targeting/conditions_js.hpp"

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace vario::js {
namespace {

using json::Value;
using Type = Value::Type;
using Member = std::pair<std::string, Value>;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool is_finite(double d) { return d - d == 0; }

// Array.prototype.join's view of one element: null (and undefined) become "".
void append_element(const Value& v, std::string& out) {
  if (v.type() != Type::kNull) append_string(JsValue::of(v), out);
}

// An object's members as JSON.stringify visits them: own keys in JavaScript property order.
std::vector<const Member*> property_order(const Value& object) {
  const auto& members = object.members();
  std::vector<const Member*> keys;
  keys.reserve(members.size());
  for (std::size_t i = 0; i < members.size(); ++i) {
    bool seen = false;
    for (std::size_t j = 0; j < i && !seen; ++j) seen = members[j].first == members[i].first;
    if (seen) continue;
    // A duplicate key keeps its first position and its last value.
    const Member* last = &members[i];
    for (std::size_t j = i + 1; j < members.size(); ++j)
      if (members[j].first == members[i].first) last = &members[j];
    keys.push_back(last);
  }
  // Array-index keys first, ascending; the rest keep their order. An insertion sort: objects in
  // conditions are small, and std::stable_sort would cost kilobytes of wasm.
  auto before = [](const Member* a, const Member* b) {
    std::size_t ia, ib;
    const bool a_index = array_index(a->first, ia), b_index = array_index(b->first, ib);
    if (a_index != b_index) return a_index;
    return a_index && ia < ib;
  };
  for (std::size_t i = 1; i < keys.size(); ++i)
    for (std::size_t j = i; j > 0 && before(keys[j], keys[j - 1]); --j)
      std::swap(keys[j], keys[j - 1]);
  return keys;
}

// JSON.stringify writes a non-finite number as null.
Type stringify_type(const Value& v) {
  if (v.type() == Type::kNumber && !is_finite(v.as_number())) return Type::kNull;
  return v.type();
}

bool nodes_stringify_equal(const Value& a, const Value& b) {
  const Type type = stringify_type(a);
  if (type != stringify_type(b)) return false;
  switch (type) {
    case Type::kNull: return true;
    case Type::kBool: return a.as_bool() == b.as_bool();
    case Type::kNumber: return a.as_number() == b.as_number();
    case Type::kString: return a.as_string() == b.as_string();
    case Type::kArray: {
      const auto& x = a.items();
      const auto& y = b.items();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i)
        if (!nodes_stringify_equal(x[i], y[i])) return false;
      return true;
    }
    case Type::kObject: {
      const auto x = property_order(a);
      const auto y = property_order(b);
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i)
        if (x[i]->first != y[i]->first || !nodes_stringify_equal(x[i]->second, y[i]->second))
          return false;
      return true;
    }
  }
  return false;
}

// ToPrimitive(v, number) for the relational comparison: arrays and objects become their
// string form; other values stay themselves.
struct Primitive {
  bool is_string = false;
  std::string_view text;
  double number = 0;
};

Primitive to_primitive(const JsValue& v, std::string& scratch) {
  Primitive p;
  if (v.type == Type::kString) {
    p.is_string = true;
    p.text = v.str();
  } else if (v.type == Type::kArray || v.type == Type::kObject) {
    append_string(v, scratch);
    p.is_string = true;
    p.text = scratch;
  } else {
    p.number = to_number(v);
  }
  return p;
}

}  // namespace

void append_string(const JsValue& v, std::string& out) {
  switch (v.type) {
    case Type::kNull: out += "null"; return;
    case Type::kBool: out += v.node->as_bool() ? "true" : "false"; return;
    case Type::kNumber: append_number(v.num(), out); return;
    case Type::kString: out += v.str(); return;
    case Type::kObject: out += "[object Object]"; return;
    case Type::kArray: {
      bool first = true;
      for (const Value& item : v.node->items()) {
        if (!first) out += ',';
        first = false;
        append_element(item, out);
      }
      return;
    }
  }
}

std::string_view string_view_of(const JsValue& v, std::string& scratch,
                                char (&buffer)[kNumberTextCapacity]) {
  switch (v.type) {
    case Type::kString: return v.str();
    case Type::kNumber: return std::string_view(buffer, format_number(v.num(), buffer));
    case Type::kNull: return "null";
    case Type::kBool: return v.node->as_bool() ? "true" : "false";
    default:
      scratch.clear();
      append_string(v, scratch);
      return scratch;
  }
}

double to_number(const JsValue& v) {
  switch (v.type) {
    case Type::kNull: return 0;
    case Type::kBool: return v.node->as_bool() ? 1 : 0;
    case Type::kNumber: return v.num();
    case Type::kString: return string_to_number(v.str());
    case Type::kObject: return kNaN;  // "[object Object]"
    case Type::kArray: {
      if (v.node->items().empty()) return 0;
      std::string text;
      append_string(v, text);
      return string_to_number(text);
    }
  }
  return kNaN;
}

bool to_boolean(const JsValue& v) {
  switch (v.type) {
    case Type::kNull: return false;
    case Type::kBool: return v.node->as_bool();
    case Type::kNumber: return v.num() != 0 && v.num() == v.num();
    case Type::kString: return !v.str().empty();
    default: return true;
  }
}

bool strict_equals(const JsValue& a, const JsValue& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case Type::kNull: return true;
    case Type::kBool: return a.node->as_bool() == b.node->as_bool();
    case Type::kNumber: return a.num() == b.num();
    case Type::kString: return a.str() == b.str();
    default: return a.node == b.node;  // identity
  }
}

bool same_value_zero(const JsValue& a, const JsValue& b) {
  if (a.type == Type::kNumber && b.type == Type::kNumber && a.num() != a.num())
    return b.num() != b.num();
  return strict_equals(a, b);
}

Relation less_than(const JsValue& a, const JsValue& b) {
  std::string scratch_a, scratch_b;
  const Primitive x = to_primitive(a, scratch_a);
  const Primitive y = to_primitive(b, scratch_b);
  if (x.is_string && y.is_string)
    return compare_utf16(x.text, y.text) < 0 ? Relation::kTrue : Relation::kFalse;
  const double nx = x.is_string ? string_to_number(x.text) : x.number;
  const double ny = y.is_string ? string_to_number(y.text) : y.number;
  if (nx != nx || ny != ny) return Relation::kUndefined;
  return nx < ny ? Relation::kTrue : Relation::kFalse;
}

bool stringify_equals(const JsValue& a, const json::Value& b) {
  if (a.node) return nodes_stringify_equal(*a.node, b);
  if (a.type == Type::kNull) return stringify_type(b) == Type::kNull;
  // A number the evaluator made (an array length): always finite.
  return stringify_type(b) == Type::kNumber && b.as_number() == a.made_number;
}

std::string_view type_name(const JsValue& v) {
  switch (v.type) {
    case Type::kNull: return "null";
    case Type::kBool: return "boolean";
    case Type::kNumber: return "number";
    case Type::kString: return "string";
    case Type::kArray: return "array";
    case Type::kObject: return "object";
  }
  return "unknown";
}

bool array_index(std::string_view key, std::size_t& index) {
  if (key.empty() || key.size() > 10 || (key.size() > 1 && key[0] == '0')) return false;
  std::uint64_t n = 0;
  for (const char c : key) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + std::uint64_t(c - '0');
  }
  if (n >= 4294967295u) return false;
  index = std::size_t(n);
  return true;
}

}  // namespace vario::js
