// GrowthBook's evalCondition (sdk-js src/mongrule.ts), function by function: the names in the
// comments are mongrule's, so the two can be read side by side. JavaScript's coercions live in
// conditions_js.*; what is left here is the rule language.
//
// Traces: evaluation first runs without one. Only when a trace is wanted and the answer is false
// (or something was invalid) does it run again "recording", keeping a JSON pointer of where it
// is and remembering the first failure that decides the answer. Sub-evaluations whose failures
// do not explain the answer ($or alternatives that another one rescues, the inside of $not,
// $elemMatch, $all, $size, $nor) are wrapped in a Quiet scope that forgets what they recorded.
#include "vario/conditions.hpp"

#include <cstddef>
#include <string_view>

#include "targeting/conditions_js.hpp"
#include "vario/version.hpp"

namespace vario {
namespace {

using json::Value;
using js::JsValue;
using Type = Value::Type;

constexpr std::size_t kDetailValueLimit = 80;

// evalOr/evalAnd over their operand: what JavaScript's `conditions.length` and
// `conditions[i]` make of it.
constexpr int kAllPassed = -1;    // evalAnd: no operand failed
constexpr int kNoneMatched = -1;  // evalOr: operands, none held
constexpr int kNoOperands = -2;   // evalOr: `!conditions.length` (empty, or not array-like)
constexpr int kThrows = -3;       // JavaScript would throw a TypeError (null operand)

// getPath: the value at a dot-separated path; null (missing) when a step is not an object or
// array, or lacks the key. Arrays answer "length" and canonical indexes, as `in` does.
JsValue get_path(const Value& root, std::string_view path) {
  JsValue current = JsValue::of(root);
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    const std::string_view part =
        path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (current.type == Type::kObject) {
      const Value* member = current.node->find(part);
      if (!member) return JsValue::absent();
      current = JsValue::of(*member);
    } else if (current.type == Type::kArray) {
      const auto& items = current.node->items();
      std::size_t index;
      if (part == "length")
        current = JsValue::number(double(items.size()));
      else if (js::array_index(part, index) && index < items.size())
        current = JsValue::of(items[index]);
      else
        return JsValue::absent();
    } else {
      return JsValue::absent();
    }
    if (dot == std::string_view::npos) return current;
    start = dot + 1;
  }
}

// isOperatorObject: an object with at least one key, all starting with '$'.
bool is_operator_object(const Value& v) {
  if (v.type() != Type::kObject || v.members().empty()) return false;
  for (const auto& [key, unused] : v.members())
    if (key.empty() || key[0] != '$') return false;
  return true;
}

// Whether members[i] is hidden by a later member with the same key (JavaScript keeps the last
// value of a duplicate key).
bool shadowed(const Value& object, std::size_t i) {
  const auto& members = object.members();
  for (std::size_t j = i + 1; j < members.size(); ++j)
    if (members[j].first == members[i].first) return true;
  return false;
}

// Calls fn(index, unit) for each UTF-16 code unit of s, as indexing a JavaScript string does:
// unit is the character's UTF-8 text, or empty for half of a surrogate pair (a lone surrogate,
// which no String() result ever equals). Stops early when fn returns false.
template <class Fn>
bool for_each_unit(std::string_view s, Fn fn) {
  std::size_t index = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t from = i;
    const char32_t c = js::next_code_point(s, i);
    if (c < 0x10000) {
      if (!fn(index++, s.substr(from, i - from))) return false;
    } else {
      if (!fn(index++, std::string_view())) return false;
      if (!fn(index++, std::string_view())) return false;
    }
  }
  return true;
}

void append_pointer_token(std::string& path, std::string_view key) {
  path += '/';
  for (const char c : key) {
    if (c == '~')
      path += "~0";
    else if (c == '/')
      path += "~1";
    else
      path += c;
  }
}

void render_text(std::string_view s, std::string& out, std::size_t limit) {
  out += '"';
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n')
      out += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20)
      out += '?';
    else
      out += c;
    if (out.size() > limit) return;
  }
  out += '"';
}

// A JSON-like rendering of a value for trace details; stops soon after `limit` bytes.
void render(const JsValue& v, std::string& out, std::size_t limit) {
  if (out.size() > limit) return;
  switch (v.type) {
    case Type::kString:
      render_text(v.str(), out, limit);
      return;
    case Type::kArray: {
      out += '[';
      bool first = true;
      for (const Value& item : v.node->items()) {
        if (!first) out += ',';
        first = false;
        render(JsValue::of(item), out, limit);
        if (out.size() > limit) return;
      }
      out += ']';
      return;
    }
    case Type::kObject: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : v.node->members()) {
        if (!first) out += ',';
        first = false;
        render_text(key, out, limit);
        out += ':';
        render(JsValue::of(value), out, limit);
        if (out.size() > limit) return;
      }
      out += '}';
      return;
    }
    default:
      js::append_string(v, out);
  }
}

enum class Op {
  kUnknown, kEq, kNe, kLt, kLte, kGt, kGte, kExists, kIn, kNin, kIni, kNini, kInGroup,
  kNotInGroup, kNot, kSize, kElemMatch, kAll, kAlli, kRegex, kRegexi, kType, kVeq, kVne, kVgt,
  kVgte, kVlt, kVlte, kSemverEq, kSemverGt, kSemverGte, kSemverLt, kSemverLte
};

// A table rather than a chain of comparisons: the chain costs several kilobytes of wasm.
constexpr struct {
  std::string_view name;
  Op op;
} kOperators[] = {
    {"$eq", Op::kEq},           {"$ne", Op::kNe},
    {"$lt", Op::kLt},           {"$lte", Op::kLte},
    {"$gt", Op::kGt},           {"$gte", Op::kGte},
    {"$exists", Op::kExists},   {"$in", Op::kIn},
    {"$nin", Op::kNin},         {"$ini", Op::kIni},
    {"$nini", Op::kNini},       {"$inGroup", Op::kInGroup},
    {"$notInGroup", Op::kNotInGroup}, {"$not", Op::kNot},
    {"$size", Op::kSize},       {"$elemMatch", Op::kElemMatch},
    {"$all", Op::kAll},         {"$alli", Op::kAlli},
    {"$regex", Op::kRegex},     {"$regexi", Op::kRegexi},
    {"$type", Op::kType},       {"$veq", Op::kVeq},
    {"$vne", Op::kVne},         {"$vgt", Op::kVgt},
    {"$vgte", Op::kVgte},       {"$vlt", Op::kVlt},
    {"$vlte", Op::kVlte},       {"$semverEq", Op::kSemverEq},
    {"$semverGt", Op::kSemverGt}, {"$semverGte", Op::kSemverGte},
    {"$semverLt", Op::kSemverLt}, {"$semverLte", Op::kSemverLte},
};

Op find_op(std::string_view name) {
  // The letter after '$' first: most names are told apart by it without a comparison call.
  for (const auto& entry : kOperators)
    if (entry.name.size() == name.size() && entry.name[1] == name[1] && entry.name == name)
      return entry.op;
  return Op::kUnknown;
}

class Evaluator {
 public:
  Evaluator(const ConditionContext& ctx, bool recording) : ctx_(ctx), recording_(recording) {}

  bool evaluate(const Value& attributes, const Value& condition) {
    const bool result = eval_condition(attributes, condition);
    return result && !threw_;
  }
  bool invalid() const { return invalid_; }

  void fill(ConditionTrace& trace) const {
    trace.invalid = invalid_;
    trace.path = invalid_ ? invalid_path_ : fail_path_;
    trace.detail = invalid_ ? invalid_detail_ : fail_detail_;
  }

 private:
  // --- recording helpers (no-ops unless recording_) ---------------------------------------------

  std::size_t push(std::string_view key) {
    const std::size_t mark = path_.size();
    if (recording_) append_pointer_token(path_, key);
    return mark;
  }
  std::size_t push(std::size_t index) {
    const std::size_t mark = path_.size();
    if (recording_) append_pointer_token(path_, json::to_decimal(index));
    return mark;
  }
  void pop(std::size_t mark) {
    if (recording_) path_.resize(mark);
  }

  // Records the current place as the reason for a false answer, unless one is recorded.
  // Without `why`, the reason is the attribute's value.
  void fail(std::string_view why = {}) {
    if (!recording_ || failed_) return;
    failed_ = true;
    fail_path_ = path_;
    fail_detail_.clear();
    if (!why.empty()) {
      fail_detail_ = why;
      return;
    }
    fail_detail_ = attribute_;
    if (value_.missing) {
      fail_detail_ += " is missing";
      return;
    }
    fail_detail_ += " is ";
    const std::size_t start = fail_detail_.size();
    render(value_, fail_detail_, start + kDetailValueLimit);
    if (fail_detail_.size() > start + kDetailValueLimit) {
      std::size_t cut = start + kDetailValueLimit;
      while (cut > start && (static_cast<unsigned char>(fail_detail_[cut]) & 0xC0) == 0x80) --cut;
      fail_detail_.resize(cut);
      fail_detail_ += "...";
    }
  }

  // The condition cannot be evaluated as written; the first such place is reported.
  void reject(std::string_view what) {
    if (!invalid_ && recording_) {
      invalid_path_ = path_;
      invalid_detail_ = what;
    }
    invalid_ = true;
  }
  void reject_throw(std::string_view what) {
    reject(what);
    threw_ = true;
  }

  // Forgets the failures recorded inside its scope.
  class Quiet {
   public:
    explicit Quiet(Evaluator& e) : e_(e), saved_(e.failed_) {}
    ~Quiet() { e_.failed_ = saved_; }
    Quiet(const Quiet&) = delete;
    Quiet& operator=(const Quiet&) = delete;

   private:
    Evaluator& e_;
    bool saved_;
  };

  // --- evalCondition ----------------------------------------------------------------------------

  bool eval_condition(const Value& obj, const Value& condition) {
    switch (condition.type()) {
      case Type::kObject: {
        const auto& members = condition.members();
        for (std::size_t i = 0; i < members.size(); ++i) {
          if (members.size() > 1 && shadowed(condition, i)) continue;
          const std::size_t mark = push(members[i].first);
          const bool ok = eval_entry(obj, members[i].first, members[i].second);
          if (!ok) fail();
          pop(mark);
          if (!ok) return false;
        }
        return true;
      }
      case Type::kArray: {  // Object.entries of an array: index keys
        const auto& items = condition.items();
        for (std::size_t i = 0; i < items.size(); ++i) {
          const std::string key = json::to_decimal(i);  // outlives attribute_'s use
          const std::size_t mark = push(key);
          const bool ok = eval_entry(obj, key, items[i], false);
          if (!ok) fail();
          pop(mark);
          if (!ok) return false;
        }
        return true;
      }
      case Type::kString:  // Object.entries of a string: one entry per UTF-16 code unit
        return for_each_unit(condition.as_string(), [&](std::size_t i, std::string_view unit) {
          const std::string key = json::to_decimal(i);
          const std::size_t mark = push(key);
          const bool ok = unit_entry(obj, key, unit);
          pop(mark);
          return ok;
        });
      case Type::kNull:
        reject_throw("a condition must be an object, not null");
        fail("a condition must be an object, not null");
        return false;
      default:  // numbers and booleans have no entries
        return true;
    }
  }

  // getPath(obj, key), through the visitor's memo when obj is its attributes and `key` is text of
  // the condition (the memo keeps a view of it; index keys are made on the fly). Array lengths
  // are made-up numbers, not nodes: such paths are not kept.
  JsValue lookup(const Value& obj, std::string_view key, bool key_is_condition_text) {
    AttributeMemo* memo = ctx_.memo;
    if (!memo || !key_is_condition_text || &obj != &memo->attributes()) return get_path(obj, key);
    const Value* found;
    if (memo->find(key, &found)) return found ? JsValue::of(*found) : JsValue::absent();
    const JsValue value = get_path(obj, key);
    if (value.node || value.missing) memo->remember(key, value.node);
    return value;
  }

  // The entry [key, unit] of a string condition: String(getPath(obj, key)) === unit.
  // `key` must outlive the evaluation of the enclosing condition (attribute_ keeps a view).
  bool unit_entry(const Value& obj, std::string_view key, std::string_view unit) {
    attribute_ = key;
    value_ = lookup(obj, key, false);
    const bool ok = !unit.empty() && string_matches(unit, value_, false);
    if (!ok) fail();
    return ok;
  }

  bool eval_entry(const Value& obj, std::string_view key, const Value& v,
                  bool key_is_condition_text = true) {
    // Most keys are attribute names: one test sends them past the logical operators.
    if (key.empty() || key[0] != '$') {
      attribute_ = key;
      value_ = lookup(obj, key, key_is_condition_text);
      return eval_condition_value(v, value_, false);
    }
    if (key == "$or") {
      const bool saved = failed_;
      const int r = eval_or(obj, v);
      if (r == kThrows) return false;
      if (r == kNoneMatched) return false;  // the first alternative's reason stands
      failed_ = saved;
      return true;
    }
    if (key == "$nor") {
      int r;
      {
        Quiet quiet(*this);
        r = eval_or(obj, v);
      }
      if (r == kNoneMatched) return true;
      if (r == kThrows) return false;
      if (r == kNoOperands) {
        fail("an empty $nor never holds (GrowthBook's evalOr of [] is true)");
      } else {
        const std::size_t mark = push(std::size_t(r));
        fail("this alternative of $nor holds");
        pop(mark);
      }
      return false;
    }
    if (key == "$and") {
      const int r = eval_and(obj, v);
      return r == kAllPassed;
    }
    if (key == "$not") {
      bool r;
      {
        Quiet quiet(*this);
        r = eval_condition(obj, v);
      }
      if (r) fail("the condition under $not holds");
      return !r;
    }
    attribute_ = key;
    value_ = lookup(obj, key, key_is_condition_text);
    return eval_condition_value(v, value_, false);
  }

  // evalOr: the index of the first operand that holds, kNoneMatched, kNoOperands or kThrows.
  int eval_or(const Value& obj, const Value& conditions) {
    switch (conditions.type()) {
      case Type::kArray: {
        const auto& items = conditions.items();
        if (items.empty()) return kNoOperands;
        for (std::size_t i = 0; i < items.size(); ++i) {
          const std::size_t mark = push(i);
          const bool ok = eval_condition(obj, items[i]);
          pop(mark);
          if (ok) return int(i);
        }
        return kNoneMatched;
      }
      case Type::kString: {
        if (conditions.as_string().empty()) return kNoOperands;
        int matched = kNoneMatched;
        for_each_unit(conditions.as_string(), [&](std::size_t i, std::string_view unit) {
          const std::size_t mark = push(i);
          const bool ok = unit_entry(obj, "0", unit);  // evalCondition(obj, "c")
          pop(mark);
          if (ok) matched = int(i);
          return !ok;
        });
        return matched;
      }
      case Type::kNull:
        reject_throw("$or and $nor need an array of conditions, not null");
        fail("$or and $nor need an array of conditions, not null");
        return kThrows;
      default:  // `conditions.length` is undefined
        return kNoOperands;
    }
  }

  // evalAnd: the index of the first operand that fails, kAllPassed or kThrows.
  int eval_and(const Value& obj, const Value& conditions) {
    switch (conditions.type()) {
      case Type::kArray: {
        const auto& items = conditions.items();
        for (std::size_t i = 0; i < items.size(); ++i) {
          const std::size_t mark = push(i);
          const bool ok = eval_condition(obj, items[i]);
          pop(mark);
          if (!ok) return int(i);
        }
        return kAllPassed;
      }
      case Type::kString: {
        int failed = kAllPassed;
        for_each_unit(conditions.as_string(), [&](std::size_t i, std::string_view unit) {
          const std::size_t mark = push(i);
          const bool ok = unit_entry(obj, "0", unit);
          pop(mark);
          if (!ok) failed = int(i);
          return ok;
        });
        return failed;
      }
      case Type::kNull:
        reject_throw("$and needs an array of conditions, not null");
        fail("$and needs an array of conditions, not null");
        return kThrows;
      default:
        return kAllPassed;
    }
  }

  // --- evalConditionValue -----------------------------------------------------------------------

  bool string_matches(std::string_view condition, const JsValue& value, bool insensitive) {
    std::string scratch;
    char buffer[js::kNumberTextCapacity];
    const std::string_view text = js::string_view_of(value, scratch, buffer);
    return insensitive ? js::equal_ignoring_case(text, condition) : text == condition;
  }

  bool eval_condition_value(const Value& condition, const JsValue& value, bool insensitive) {
    bool ok = false;
    switch (condition.type()) {
      case Type::kString:
        ok = string_matches(condition.as_string(), value, insensitive);
        break;
      case Type::kNumber:
        ok = js::to_number(value) == condition.as_number();
        break;
      case Type::kBool:
        ok = !value.is_null() && js::to_boolean(value) == condition.as_bool();
        break;
      case Type::kNull:
        ok = value.is_null();
        break;
      case Type::kArray:
        ok = js::stringify_equals(value, condition);
        break;
      case Type::kObject: {
        if (!is_operator_object(condition)) {
          ok = js::stringify_equals(value, condition);
          break;
        }
        const auto& members = condition.members();
        for (std::size_t i = 0; i < members.size(); ++i) {
          if (members.size() > 1 && shadowed(condition, i)) continue;
          const std::size_t mark = push(members[i].first);
          const bool passed = eval_operator(members[i].first, value, members[i].second);
          if (!passed) fail();
          pop(mark);
          if (!passed) return false;
        }
        return true;
      }
    }
    if (!ok) fail();
    return ok;
  }

  // --- evalOperatorCondition --------------------------------------------------------------------

  bool eval_operator(std::string_view name, const JsValue& actual, const Value& expected_node) {
    const JsValue expected = JsValue::of(expected_node);
    const Op op = find_op(name);
    switch (op) {
      case Op::kVeq: return compare_versions(actual, expected) == 0;
      case Op::kVne: return compare_versions(actual, expected) != 0;
      case Op::kVgt: return compare_versions(actual, expected) > 0;
      case Op::kVgte: return compare_versions(actual, expected) >= 0;
      case Op::kVlt: return compare_versions(actual, expected) < 0;
      case Op::kVlte: return compare_versions(actual, expected) <= 0;
      case Op::kEq: return js::strict_equals(actual, expected);
      case Op::kNe: return !js::strict_equals(actual, expected);
      case Op::kLt: return js::less_than(actual, expected) == js::Relation::kTrue;
      case Op::kLte: return js::less_than(expected, actual) == js::Relation::kFalse;
      case Op::kGt: return js::less_than(expected, actual) == js::Relation::kTrue;
      case Op::kGte: return js::less_than(actual, expected) == js::Relation::kFalse;
      case Op::kExists: return js::to_boolean(expected) ? !actual.is_null() : actual.is_null();
      case Op::kIn:
      case Op::kNin:
      case Op::kIni:
      case Op::kNini: {
        if (expected_node.type() != Type::kArray) return false;
        const bool in = is_in(actual, expected_node.items(), op == Op::kIni || op == Op::kNini);
        return (op == Op::kIn || op == Op::kIni) ? in : !in;
      }
      case Op::kInGroup:
      case Op::kNotInGroup: {
        const Value* group = saved_group(expected);
        const bool in = group && is_in(actual, group->items(), false);
        return op == Op::kInGroup ? in : !in;
      }
      case Op::kNot: {
        Quiet quiet(*this);
        return !eval_condition_value(expected_node, actual, false);
      }
      case Op::kSize: {
        if (!actual.is_array()) return false;
        Quiet quiet(*this);
        return eval_condition_value(
            expected_node, JsValue::number(double(actual.node->items().size())), false);
      }
      case Op::kElemMatch: return elem_match(actual, expected_node);
      case Op::kAll:
      case Op::kAlli: {
        if (expected_node.type() != Type::kArray) return false;
        Quiet quiet(*this);
        return is_in_all(actual, expected_node.items(), op == Op::kAlli);
      }
      case Op::kRegex: return regex(actual, expected, false);
      case Op::kRegexi: return regex(actual, expected, true);
      case Op::kType: return expected.is_string() && js::type_name(actual) == expected.str();
      case Op::kSemverEq:
      case Op::kSemverGt:
      case Op::kSemverGte:
      case Op::kSemverLt:
      case Op::kSemverLte: return semver(op, actual, expected);
      case Op::kUnknown: return false;
    }
    return false;
  }

  static int compare_versions(const JsValue& a, const JsValue& b) {
    char buffer_a[js::kNumberTextCapacity], buffer_b[js::kNumberTextCapacity];
    return compare_padded_versions(version_text(a, buffer_a), version_text(b, buffer_b));
  }

  // paddedVersionString's input: numbers as text, non-strings as "0".
  static std::string_view version_text(const JsValue& v, char (&buffer)[js::kNumberTextCapacity]) {
    if (v.is_string()) return v.str();
    if (v.type == Type::kNumber) return std::string_view(buffer, js::format_number(v.num(), buffer));
    return "0";
  }

  static bool semver(Op op, const JsValue& actual, const JsValue& expected) {
    if (!actual.is_string() || !expected.is_string()) return false;
    const std::optional<int> order = optimizely_compare_version(expected.str(), actual.str());
    if (!order) return false;
    switch (op) {
      case Op::kSemverEq: return *order == 0;
      case Op::kSemverGt: return *order > 0;
      case Op::kSemverGte: return *order >= 0;
      case Op::kSemverLt: return *order < 0;
      default: return *order <= 0;
    }
  }

  // savedGroups[expected] || []: nullptr for an empty group.
  const Value* saved_group(const JsValue& id) {
    if (!ctx_.saved_groups || ctx_.saved_groups->type() != Type::kObject) return nullptr;
    std::string scratch;
    char buffer[js::kNumberTextCapacity];
    const Value* group = ctx_.saved_groups->find(js::string_view_of(id, scratch, buffer));
    if (!group || !js::to_boolean(JsValue::of(*group))) return nullptr;
    if (group->type() != Type::kArray) {
      // GrowthBook would call .includes on it: a TypeError for anything but a string.
      reject_throw("a saved group must be an array of values");
      return nullptr;
    }
    return group;
  }

  // isIn: actual (or, for an array, any of its elements) equals one of `list`.
  static bool is_in(const JsValue& actual, const std::vector<Value>& list, bool insensitive) {
    const auto equal = [&](const JsValue& a, const Value& b) {
      const JsValue bv = JsValue::of(b);
      if (insensitive) {  // caseFold(a) === caseFold(b)
        if (a.is_string() && bv.is_string()) return js::equal_ignoring_case(a.str(), bv.str());
        return js::strict_equals(a, bv);
      }
      return js::same_value_zero(a, bv);  // Array.prototype.includes
    };
    const auto listed = [&](const JsValue& a) {
      for (const Value& item : list)
        if (equal(a, item)) return true;
      return false;
    };
    if (actual.is_array()) {
      for (const Value& element : actual.node->items())
        if (listed(JsValue::of(element))) return true;
      return false;
    }
    return listed(actual);
  }

  // isInAll: every expected value condition matches some element.
  bool is_in_all(const JsValue& actual, const std::vector<Value>& expected, bool insensitive) {
    if (!actual.is_array()) return false;
    for (const Value& condition : expected) {
      bool passed = false;
      for (const Value& element : actual.node->items()) {
        if (eval_condition_value(condition, JsValue::of(element), insensitive)) {
          passed = true;
          break;
        }
      }
      if (!passed) return false;
    }
    return true;
  }

  // elemMatch: some truthy element matches; an operator object is a value condition, anything
  // else a condition on the element.
  bool elem_match(const JsValue& actual, const Value& expected) {
    if (!actual.is_array()) return false;
    if (expected.type() == Type::kNull) {  // Object.keys(null) throws
      reject_throw("$elemMatch needs a condition, not null");
      return false;
    }
    const bool operators = is_operator_object(expected);
    const std::string_view attribute = attribute_;
    const JsValue value = value_;
    bool found = false;
    {
      Quiet quiet(*this);
      for (const Value& element : actual.node->items()) {
        const JsValue e = JsValue::of(element);
        if (!js::to_boolean(e)) continue;
        if (operators ? eval_condition_value(expected, e, false)
                      : eval_condition(element, expected)) {
          found = true;
          break;
        }
      }
    }
    attribute_ = attribute;
    value_ = value;
    return found;
  }

  // getRegex(expected).test(actual), asked of the host; a pattern it cannot use is false.
  bool regex(const JsValue& actual, const JsValue& pattern, bool insensitive) {
    if (!pattern.is_string()) {
      reject("$regex needs a string pattern");  // getRegex throws; GrowthBook catches: false
      return false;
    }
    if (!ctx_.regex) {
      reject("no regex host is available to evaluate $regex");
      return false;
    }
    std::string scratch;
    char buffer[js::kNumberTextCapacity];
    const std::string_view subject = js::string_view_of(actual, scratch, buffer);
    const std::optional<bool> r =
        ctx_.regex->regex_test(pattern.str(), insensitive ? "i" : "", subject);
    if (!r) {
      std::string what;
      if (recording_) {
        what = "the regex host rejected the pattern ";
        render_text(pattern.str(), what, what.size() + 200);
        if (insensitive) what += " with flag \"i\"";
      }
      reject(what);
      return false;
    }
    return *r;
  }

  const ConditionContext& ctx_;
  const bool recording_;
  bool invalid_ = false;
  bool threw_ = false;
  // The attribute whose value condition is being evaluated, for failure details.
  std::string_view attribute_;
  JsValue value_;
  // Recording only.
  std::string path_;
  bool failed_ = false;
  std::string fail_path_, fail_detail_;
  std::string invalid_path_, invalid_detail_;
};

}  // namespace

bool eval_condition(const json::Value& attributes, const json::Value& condition,
                    const ConditionContext& ctx, ConditionTrace* trace) {
  Evaluator fast(ctx, false);
  const bool result = fast.evaluate(attributes, condition);
  if (!trace) return result;
  *trace = ConditionTrace{};
  if (result && !fast.invalid()) return result;
  Evaluator recording(ctx, true);
  recording.evaluate(attributes, condition);
  recording.fill(*trace);
  return result;
}

ConditionOutcome evaluate_condition(const json::Value& attributes, const json::Value& condition,
                                    const ConditionContext& ctx) {
  Evaluator fast(ctx, false);
  const bool matched = fast.evaluate(attributes, condition);
  return {matched, fast.invalid()};
}

}  // namespace vario
