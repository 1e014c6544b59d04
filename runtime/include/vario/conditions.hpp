// Audience conditions: GrowthBook's evalCondition (packages/sdk-js src/mongrule.ts), reproduced
// with its JavaScript semantics so a campaign moved from GrowthBook targets the same visitors,
// plus Optimizely's semantic-version operators for teams moving from Optimizely.
//
// A condition is a JSON object. Each member must hold (they are ANDed):
//   {"$and": [C...]}, {"$or": [C...]} ([] is true), {"$nor": [C...]}, {"$not": C}
//   {"a.b.c": VALUE_CONDITION}  -- the attribute at that dotted path (array elements by index;
//                                  "length" of an array); a path that leads nowhere is null
// A VALUE_CONDITION is either a plain value or an object whose keys all start with '$':
//   "text"   String(value) === "text" (JavaScript's String(): 8 -> "8", null -> "null")
//   12       value * 1 === 12 (JavaScript's ToNumber: "12" matches)
//   true     value !== null && !!value === true
//   null     value === null (also a missing attribute)
//   [...] or an object with a key not starting with '$': JSON.stringify equality
//   $eq $ne                strict equality (arrays and objects are never equal)
//   $gt $gte $lt $lte      JavaScript relational comparison with its coercions ("8" > 5)
//   $in $nin               value (or any element of an array value) is/is not in the list
//   $ini $nini $alli       the same, strings compared case-insensitively
//   $all                   every listed value condition matches some element of the array
//   $elemMatch             some truthy element matches (a value condition, or a condition on
//                          the element when the argument is not an operator object)
//   $size                  the array's length matches the value condition
//   $exists                true: not null/missing; false: null/missing
//   $type                  "string" "number" "boolean" "array" "object" "null" ("undefined" never)
//   $regex $regexi         the ECMAScript pattern finds a match in String(value) (RegExp.test),
//                          asked of ConditionContext::regex; $regexi with flag "i"
//   $not                   the value condition does not match
//   $veq $vne $vgt $vgte $vlt $vlte   GrowthBook version order (compare_padded_versions)
//   $inGroup $notInGroup   $in/$nin against the saved group named by the argument
//   $semverEq $semverGt $semverGte $semverLt $semverLte   Optimizely compareVersion(argument,
//                          value) == 0, > 0, ...; both must be strings, an invalid version is
//                          false ("2.9" matches "2.9.1": the argument's precision decides)
// Unknown operators evaluate to false.
//
// Known differences from JavaScript: members inherited from Object.prototype ("toString",
// "constructor") are not attributes here, and an attribute object with its own "toString" or
// "valueOf" member is still turned into "[object Object]"; case-insensitive comparisons
// lower-case Latin, Greek, Cyrillic and Armenian letters only (js/text.hpp).
// Numbers become text and text becomes numbers exactly as in JavaScript.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vario/json.hpp"
#include "vario/regex.hpp"

namespace vario {

// The attribute values that one visitor's conditions have looked up, by dotted path: decide keeps
// one per visitor, so that a path that many campaigns read is found once. It answers only for
// the attributes object it was made with (and must not outlive it or the conditions' text).
class AttributeMemo {
 public:
  explicit AttributeMemo(const json::Value& attributes) : attributes_(attributes) {}
  const json::Value& attributes() const { return attributes_; }
  // The value at `path` when it was looked up before (`*found` set; nullptr: the path leads
  // nowhere), else false.
  bool find(std::string_view path, const json::Value** found) const {
    // The same text of the same condition is the common case: its address tells it.
    for (const Entry& e : entries_)
      if ((e.path.data() == path.data() && e.path.size() == path.size()) || e.path == path)
        return *found = e.value, true;
    return false;
  }
  void remember(std::string_view path, const json::Value* value) {
    entries_.push_back({path, value});
  }

 private:
  struct Entry {
    std::string_view path;
    const json::Value* value;
  };
  const json::Value& attributes_;
  std::vector<Entry> entries_;
};

struct ConditionContext {
  // Value saved groups for $inGroup/$notInGroup: an object, group id -> array of values.
  // nullptr is no groups (every group is empty).
  const json::Value* saved_groups = nullptr;
  // Evaluates $regex/$regexi. nullptr: every regex evaluates false and is reported as invalid.
  const RegexTester* regex = nullptr;
  // Lookups already made on these attributes; nullptr: none kept.
  AttributeMemo* memo = nullptr;
};

// Why a condition did not hold, for `vario decide` and the engine's reasons.
struct ConditionTrace {
  // JSON pointer into the condition of the first failing sub-condition, e.g. "/country/$in",
  // "/$or/0/plan" (under $or: the first alternative's reason), "/$not". Empty when it held.
  std::string path;
  // A short sentence naming the attribute's actual value, e.g. `country is "DE"`,
  // `pets.dog.name is missing`, or what went wrong when invalid.
  std::string detail;
  // The condition could not be evaluated as written: a $regex the host rejected (or with a
  // pattern that is not a string, or no regex host), a non-array saved group, or a shape on
  // which GrowthBook's JavaScript would throw (a null condition, $and/$or/$nor of null). Set
  // whatever the result; path and detail then name the first such place. The campaign must not
  // apply and is reported.
  bool invalid = false;
};

// Evaluates `condition` against `attributes` (normally an object) exactly as GrowthBook's
// evalCondition(attributes, condition, savedGroups) does. A rejected regex makes its operator
// false, as in GrowthBook; where GrowthBook would throw, the result is false. With a trace, a
// false result (or any invalid part) is explained there; without one, no text is built.
// Recursion follows the condition's nesting, which the JSON reader bounds at 64 levels.
bool eval_condition(const json::Value& attributes, const json::Value& condition,
                    const ConditionContext& ctx, ConditionTrace* trace = nullptr);

// The same evaluation in one pass, without explaining: whether the condition holds, and whether
// some part of it could not be evaluated as written (ConditionTrace::invalid).
struct ConditionOutcome {
  bool matched = false;
  bool invalid = false;
};
ConditionOutcome evaluate_condition(const json::Value& attributes, const json::Value& condition,
                                    const ConditionContext& ctx);

}  // namespace vario
