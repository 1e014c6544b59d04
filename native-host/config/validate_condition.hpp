// Validation of audience conditions (GrowthBook/MongoDB style, docs/campaigns.md "Audience
// conditions"): campaigns' `audience` and condition saved groups. Internal to the validator
// (config/validate.hpp).
#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/validate_report.hpp"

namespace vario::host::validation {

// The engine reads an audience as JSON and refuses nesting deeper than 64 levels
// (runtime/json/reader.cpp); the audience object itself is level 1, each object or array in it
// one more. Saved groups count as inlined.
constexpr int kMaxConditionDepth = 64;

// What a saved group is, as far as a reference to it needs to know.
enum class GroupKind {
  kValues,     // {"values": [...]}: for $inGroup / $notInGroup
  kCondition,  // {"condition": {...}}: for {"$savedGroup": ID}
  kBroken,     // neither or both: reported where it is defined, so references to it are not
};
using GroupKinds = std::map<std::string, GroupKind, std::less<>>;

// A {"$savedGroup": ID} naming a condition group, and where it is (for cycle reports).
struct GroupReference {
  std::string group;
  std::string pointer;
};

// The operators a condition may use at condition level and inside an attribute's value.
std::span<const std::string_view> condition_level_operators();
std::span<const std::string_view> value_operators();

// The nesting depth of condition `v` (which check() accepted) once the compiler has inlined its
// condition saved groups, given the inlined depth of each of those (config/compile.cpp
// inline_groups); -1 when it names a group whose depth is unknown (-1 or missing).
int inlined_depth(const json& v, const std::map<std::string, int, std::less<>>& group_depths);

class ConditionChecker {
 public:
  ConditionChecker(Report& report, const GroupKinds& groups) : report_(report), groups_(groups) {}

  // Checks the condition `c` at `p`, reporting every problem. The condition groups it names
  // are appended to `references` (when not null). A condition nested deeper than
  // kMaxConditionDepth gets only that one diagnostic, and false.
  bool condition(const json& c, const std::string& p,
                 std::vector<GroupReference>* references = nullptr);

 private:
  void condition_at(const json& c, const std::string& p);
  void value(const json& v, const std::string& p);
  void operators(const json& obj, const std::string& p);
  void operator_argument(std::string_view op, const json& arg, const std::string& p);
  void saved_group(const json& v, const std::string& p, GroupKind wanted);
  void regex(const json& v, const std::string& p, std::string_view flags);

  Report& report_;
  const GroupKinds& groups_;
  std::vector<GroupReference>* references_ = nullptr;
};

}  // namespace vario::host::validation
