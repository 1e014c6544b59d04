#include "config/validate_condition.hpp"

#include <algorithm>
#include <array>

#include "regex/ecmascript_regex.hpp"

namespace vario::host::validation {
namespace {

constexpr std::array<std::string_view, 5> kConditionLevel = {"$and", "$or", "$nor", "$not",
                                                             "$savedGroup"};
constexpr std::array<std::string_view, 32> kValueLevel = {
    "$eq",       "$ne",        "$gt",       "$gte",      "$lt",      "$lte",        "$in",
    "$nin",      "$ini",       "$nini",     "$all",      "$alli",    "$elemMatch",  "$size",
    "$exists",   "$type",      "$regex",    "$regexi",   "$not",     "$veq",        "$vne",
    "$vgt",      "$vgte",      "$vlt",      "$vlte",     "$inGroup", "$notInGroup", "$semverEq",
    "$semverGt", "$semverGte", "$semverLt", "$semverLte"};

bool is_one_of(std::string_view s, std::span<const std::string_view> list) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// GrowthBook's isOperatorObject: a non-empty object whose keys all start with '$' holds
// operators; any other object is a literal value, compared as JSON.
bool is_operator_object(const json& v) {
  if (!v.is_object() || v.empty()) return false;
  return std::all_of(v.items().begin(), v.items().end(),
                     [](const auto& item) { return item.key().starts_with('$'); });
}

bool is_scalar(const json& v) {
  return v.is_string() || v.is_number() || v.is_boolean() || v.is_null();
}

std::string article_type(const json& v) {
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  return v.type_name();
}

}  // namespace

std::span<const std::string_view> condition_level_operators() { return kConditionLevel; }
std::span<const std::string_view> value_operators() { return kValueLevel; }

namespace {

// The pointer of the first container nested deeper than `levels` below `v` (which is level 1),
// or nullopt. Never descends further than that, so a hostile document cannot exhaust the stack.
std::optional<std::string> first_too_deep(const json& v, const std::string& p, int levels) {
  if (!v.is_structured()) return std::nullopt;
  if (levels == 0) return p;
  std::size_t i = 0;
  for (const auto& item : v.items()) {
    const std::string cp = v.is_object() ? child(p, item.key()) : child(p, i++);
    if (auto deep = first_too_deep(item.value(), cp, levels - 1)) return deep;
  }
  return std::nullopt;
}

}  // namespace

bool ConditionChecker::condition(const json& c, const std::string& p,
                                 std::vector<GroupReference>* references) {
  if (const auto deep = first_too_deep(c, p, kMaxConditionDepth)) {
    report_.error(*deep, "nests more than " + std::to_string(kMaxConditionDepth) +
                             " levels of objects and arrays deep, counted from " + in_quotes(p));
    return false;
  }
  references_ = references;
  condition_at(c, p);
  references_ = nullptr;
  return true;
}

int inlined_depth(const json& v, const std::map<std::string, int, std::less<>>& group_depths) {
  if (!v.is_structured()) return 0;
  int deepest = 0;
  if (v.is_array()) {
    for (const json& item : v) {
      const int d = inlined_depth(item, group_depths);
      if (d < 0) return -1;
      deepest = std::max(deepest, d);
    }
    return 1 + deepest;
  }
  // As the compiler does: a lone {"$savedGroup": id} becomes the group's condition; an object
  // with other members too becomes {"$and": [rest, group...]}, two levels more.
  int rest = 0, groups = 0, group_count = 0;
  for (const auto& [key, value] : v.items()) {
    if (key == "$savedGroup" && value.is_string()) {
      const auto it = group_depths.find(value.get_ref<const std::string&>());
      if (it == group_depths.end() || it->second < 0) return -1;
      groups = std::max(groups, it->second);
      ++group_count;
    } else {
      const int d = inlined_depth(value, group_depths);
      if (d < 0) return -1;
      rest = std::max(rest, 1 + d);
    }
  }
  if (group_count == 0) return std::max(rest, 1);
  if (rest == 0 && group_count == 1) return groups;
  return 2 + std::max(rest, groups);
}

// Condition level: logical operators and attribute names (dotted paths into object attributes).
void ConditionChecker::condition_at(const json& c, const std::string& p) {
  if (!report_.expect(c, p, Kind::kObject)) return;
  for (const auto& [key, v] : c.items()) {
    const std::string kp = child(p, key);
    if (key == "$and" || key == "$or" || key == "$nor") {
      if (!report_.expect(v, kp, Kind::kArray)) continue;
      if (v.empty()) {
        report_.error(kp, "must hold at least one condition: an empty '" + key + "' " +
                              (key == "$nor" ? "matches no visitor" : "matches every visitor"));
        continue;
      }
      for (std::size_t i = 0; i < v.size(); ++i) condition_at(v[i], child(kp, i));
    } else if (key == "$not") {
      condition_at(v, kp);
    } else if (key == "$savedGroup") {
      saved_group(v, kp, GroupKind::kCondition);
    } else if (key.starts_with('$')) {
      if (is_one_of(key, value_operators()))
        report_.error(kp, "operator " + in_quotes(key) +
                              " applies to an attribute's value and cannot stand at condition "
                              "level: write it under an attribute, as in {\"country\": {\"" +
                              key + "\": ...}}");
      else
        report_.error(
            kp, "unknown operator " + in_quotes(key) +
                    (closest(key, kConditionLevel) ? suggestion(key, kConditionLevel)
                                                   : "; at condition level the operators are " +
                                                         in_quotes_list(kConditionLevel) +
                                                         ", the other keys are attribute names"));
    } else if (key.empty()) {
      report_.error(kp, "an attribute name must not be empty");
    } else {
      value(v, kp);
    }
  }
}

// What an attribute is compared with: a literal (string, number, boolean, null, array, plain
// object) or an object of operators.
void ConditionChecker::value(const json& v, const std::string& p) {
  if (!v.is_object()) return;
  if (is_operator_object(v)) return operators(v, p);
  const auto op = std::find_if(v.items().begin(), v.items().end(),
                               [](const auto& item) { return item.key().starts_with('$'); });
  if (op == v.items().end()) return;  // a literal object, compared as JSON
  const auto plain = std::find_if(v.items().begin(), v.items().end(),
                                  [](const auto& item) { return !item.key().starts_with('$'); });
  report_.error(p, "mixes operators (" + in_quotes(op.key()) + ") with plain fields (" +
                       in_quotes(plain.key()) +
                       "): such an object is compared as a literal value, so its operators "
                       "would never apply");
}

void ConditionChecker::operators(const json& obj, const std::string& p) {
  for (const auto& [op, arg] : obj.items()) operator_argument(op, arg, child(p, op));
}

void ConditionChecker::operator_argument(std::string_view op, const json& arg,
                                         const std::string& p) {
  const auto need = [&](bool ok, std::string_view what, std::string_view why = "") {
    if (!ok)
      report_.error(
          p, "must be " + std::string(what) + ", got " + article_type(arg) + std::string(why));
    return ok;
  };
  if (op == "$eq" || op == "$ne") {
    need(is_scalar(arg), "a string, number, boolean or null",
         ": it is compared with JavaScript's ===, which is never true for an array or object");
  } else if (op == "$gt" || op == "$gte" || op == "$lt" || op == "$lte") {
    need(arg.is_string() || arg.is_number(), "a number or a string");
  } else if (op == "$in" || op == "$nin" || op == "$ini" || op == "$nini") {
    if (!report_.expect(arg, p, Kind::kArray)) return;
    for (std::size_t i = 0; i < arg.size(); ++i)
      if (!is_scalar(arg[i]))
        report_.error(child(p, i), "must be a string, number, boolean or null, got " +
                                       article_type(arg[i]) +
                                       ": values are compared with JavaScript's ===, which is "
                                       "never true for an array or object");
  } else if (op == "$all" || op == "$alli") {
    if (!report_.expect(arg, p, Kind::kArray)) return;
    for (std::size_t i = 0; i < arg.size(); ++i) value(arg[i], child(p, i));
  } else if (op == "$elemMatch") {
    if (!report_.expect(arg, p, Kind::kObject)) return;
    // Operators test each element itself; anything else is a condition on each element's
    // fields.
    if (is_operator_object(arg)) {
      operators(arg, p);
    } else {
      condition_at(arg, p);
    }
  } else if (op == "$size") {
    if (arg.is_number()) return;
    if (is_operator_object(arg)) {
      operators(arg, p);
      return;
    }
    need(false, "a number or an object of operators such as {\"$gt\": 0}");
  } else if (op == "$exists") {
    report_.expect(arg, p, Kind::kBoolean);
  } else if (op == "$type") {
    report_.one_of(arg, p, {"string", "number", "boolean", "array", "object", "null", "undefined"});
  } else if (op == "$regex" || op == "$regexi") {
    regex(arg, p, op == "$regexi" ? "i" : "");
  } else if (op == "$not") {
    value(arg, p);
  } else if (op.starts_with("$v") || op.starts_with("$semver")) {
    if (is_one_of(op, value_operators()))
      need(arg.is_string() || arg.is_number(), "a version, as a string such as '2.1.0'");
    else
      report_.error(p, "unknown operator " + in_quotes(op) + suggestion(op, value_operators()));
  } else if (op == "$inGroup" || op == "$notInGroup") {
    saved_group(arg, p, GroupKind::kValues);
  } else if (is_one_of(op, kConditionLevel)) {
    report_.error(p, "operator " + in_quotes(op) +
                         " combines conditions and cannot stand among an attribute's "
                         "operators: put it at condition level, next to the attribute names");
  } else {
    report_.error(p, "unknown operator " + in_quotes(op) + suggestion(op, value_operators()));
  }
}

void ConditionChecker::saved_group(const json& v, const std::string& p, GroupKind wanted) {
  if (!report_.expect(v, p, Kind::kString)) return;
  const auto& id = v.get_ref<const std::string&>();
  const auto it = groups_.find(id);
  if (it == groups_.end()) {
    std::vector<std::string_view> ids;
    for (const auto& [name, kind] : groups_)
      if (kind == wanted) ids.push_back(name);
    return report_.error(p, "no saved group has the id " + in_quotes(id) + suggestion(id, ids));
  }
  if (it->second == GroupKind::kBroken) return;  // reported where the group is defined
  if (it->second != wanted) {
    if (wanted == GroupKind::kValues)
      report_.error(p, "saved group " + in_quotes(id) +
                           " is a condition, not a list of values: use it at condition level, "
                           "as in {\"$savedGroup\": \"" +
                           id + "\"}");
    else
      report_.error(p, "saved group " + in_quotes(id) +
                           " is a list of values, not a condition: test an attribute against "
                           "it, as in {\"userId\": {\"$inGroup\": \"" +
                           id + "\"}}");
    return;
  }
  if (wanted == GroupKind::kCondition && references_) references_->push_back({id, p});
}

void ConditionChecker::regex(const json& v, const std::string& p, std::string_view flags) {
  if (!report_.expect(v, p, Kind::kString)) return;
  if (const auto problem = ecmascript_regex_problem(v.get_ref<const std::string&>(), flags))
    report_.error(p, "is not a valid regular expression: " + *problem);
}

}  // namespace vario::host::validation
