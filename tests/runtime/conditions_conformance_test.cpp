// Audience conditions against other tools' published test data (../shared/conformance):
// GrowthBook's evalCondition and version cases run as they are; Optimizely's leaf conditions
// and condition trees are translated into our condition language where the semantics map.
// Each section prints "passed/total" and what it excluded and why.
#define BOOST_TEST_MODULE conditions conformance
#include <boost/test/unit_test.hpp>

#include <charconv>
#include <map>
#include <string>

#include "regex/ecmascript_regex.hpp"
#include "support/conformance.hpp"
#include "vario/conditions.hpp"
#include "vario/json.hpp"
#include "vario/version.hpp"

using nlohmann::json;

namespace {

vario::json::Value to_value(const json& j) {
  auto parsed = vario::json::parse(j.dump());
  BOOST_REQUIRE_MESSAGE(parsed.ok(), "test data does not parse: " << j.dump());
  return std::move(parsed).value();
}

const vario::host::EcmascriptRegex& regex_host() {
  static const vario::host::EcmascriptRegex regex;
  return regex;
}

bool evaluate(const json& attributes, const json& condition, const json& groups = json::object(),
              vario::ConditionTrace* trace = nullptr) {
  const vario::json::Value a = to_value(attributes), c = to_value(condition),
                           g = to_value(groups);
  vario::ConditionContext ctx;
  ctx.saved_groups = &g;
  ctx.regex = &regex_host();
  return vario::eval_condition(a, c, ctx, trace);
}

#define SKIP_WITHOUT(data, file)                                             \
  if (!data) {                                                               \
    BOOST_TEST_MESSAGE("skipped: ../shared/conformance/" file " is absent"); \
    return;                                                                  \
  }

}  // namespace

// --- GrowthBook ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(every_growthbook_eval_condition_case_passes) {
  const auto cases = vario::testing::conformance_file("growthbook/cases.json");
  SKIP_WITHOUT(cases, "growthbook/cases.json");
  int passed = 0, total = 0;
  for (const json& c : cases->at("evalCondition")) {
    const std::string name = c.at(0);
    const json groups = c.size() > 4 ? c.at(4) : json::object();
    const bool expected = c.at(3);
    ++total;
    BOOST_TEST_CONTEXT("case \"" << name << "\": " << c.at(1).dump() << " on " << c.at(2).dump()) {
      const bool result = evaluate(c.at(2), c.at(1), groups);
      BOOST_TEST(result == expected);
      passed += result == expected;
    }
  }
  BOOST_TEST_MESSAGE("GrowthBook evalCondition: " << passed << "/" << total << " passed, 0 excluded");
  BOOST_TEST(total == 248);
}

BOOST_AUTO_TEST_CASE(a_trace_never_changes_the_answer_and_explains_every_false_one) {
  const auto cases = vario::testing::conformance_file("growthbook/cases.json");
  SKIP_WITHOUT(cases, "growthbook/cases.json");
  for (const json& c : cases->at("evalCondition")) {
    const json groups = c.size() > 4 ? c.at(4) : json::object();
    vario::ConditionTrace trace;
    const bool with = evaluate(c.at(2), c.at(1), groups, &trace);
    BOOST_TEST_CONTEXT("case \"" << c.at(0).get<std::string>() << "\"") {
      BOOST_TEST(with == evaluate(c.at(2), c.at(1), groups));
      if (!with) {
        BOOST_TEST(!trace.path.empty());
        BOOST_TEST(!trace.detail.empty());
      } else {
        BOOST_TEST(trace.path.empty());
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(growthbook_legacy_version_comparisons_pass) {
  const auto data = vario::testing::conformance_file("growthbook/versionCompare_legacy.json");
  SKIP_WITHOUT(data, "growthbook/versionCompare_legacy.json");
  for (const char* list : {"lt", "gt", "eq"}) {
    int passed = 0, total = 0;
    for (const json& c : data->at("versionCompare").at(list)) {
      const std::string a = c.at(0), b = c.at(1);
      const bool expected = c.at(2);
      const int cmp = vario::compare_padded_versions(a, b);
      bool ok;
      if (list == std::string_view("lt")) {
        ok = (cmp < 0) == expected;
      } else if (list == std::string_view("gt")) {
        ok = (cmp > 0) == expected;
      } else {  // json.test.ts also checks that !=, >= and <= agree with ===
        ok = (cmp == 0) == expected && (cmp != 0) == !expected && (cmp >= 0) == expected &&
             (cmp <= 0) == expected;
      }
      BOOST_TEST_CONTEXT(list << ": \"" << a << "\" vs \"" << b << "\" padded \""
                              << vario::padded_version_string(a) << "\" vs \""
                              << vario::padded_version_string(b) << "\"") {
        BOOST_TEST(ok);
      }
      ++total;
      passed += ok;
    }
    BOOST_TEST_MESSAGE("GrowthBook versionCompare." << list << ": " << passed << "/" << total
                                                    << " passed, 0 excluded");
    BOOST_TEST(total > 0);
  }
}

// --- Optimizely ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(optimizely_compare_version_matches_every_case) {
  const auto data = vario::testing::conformance_file("optimizely/semver_compare.json");
  SKIP_WITHOUT(data, "optimizely/semver_compare.json");
  int passed = 0, total = 0;
  for (const json& c : data->at("cases")) {
    const std::string condition = c.at("conditionVersion"), user = c.at("userVersion");
    const std::optional<int> r = vario::optimizely_compare_version(condition, user);
    const bool ok = c.at("expected").is_null() ? !r : (r && *r == c.at("expected").get<int>());
    BOOST_TEST_CONTEXT("compareVersion(\"" << condition << "\", \"" << user << "\") expected "
                                            << c.at("expected").dump()) {
      BOOST_TEST(ok);
    }
    ++total;
    passed += ok;
  }
  BOOST_TEST_MESSAGE("Optimizely semver_compare: " << passed << "/" << total
                                                   << " passed, 0 excluded");
  BOOST_TEST(total == 48);
}

namespace {

bool is_encoded_non_json(const json& v) {
  return v.is_object() && (v.contains("$number") || v.contains("$undefined"));
}

// ToNumber of a JSON value is a number (not NaN): null, booleans, numbers, numeric strings.
bool coerces_to_number(const json& v) {
  if (v.is_null() || v.is_boolean() || v.is_number()) return true;
  if (!v.is_string()) return false;
  const std::string s = v;
  double d;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

std::string regex_escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (std::string_view("\\^$.*+?()[]{}|/-").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

struct Translated {
  json condition;
  json attributes;
  std::string excluded;  // non-empty: the reason this case is not run
};

// An Optimizely leaf {name, match, value} as one of our conditions.
Translated translate_leaf(const json& c) {
  Translated t;
  const json& leaf = c.at("condition");
  const std::string name = leaf.at("name");
  const std::string match = leaf.value("match", "exact");
  const json& value = leaf.at("value");
  const json& user = c.at("attributes").contains(name) ? c.at("attributes").at(name) : json();
  const bool expected_null = c.at("expected").is_null();

  t.attributes = json::object();
  for (const auto& [key, v] : c.at("attributes").items()) {
    if (v.is_object() && v.contains("$number")) {
      t.excluded = "an Infinity attribute has no JSON form";
      return t;
    }
    // A key present with the value undefined reads like a missing one for every operator.
    if (!(v.is_object() && v.contains("$undefined"))) t.attributes[key] = v;
  }
  if (is_encoded_non_json(value)) {
    t.excluded = "an Infinity condition value has no JSON form";
    return t;
  }
  static const std::map<std::string, std::string> kOperator = {
      {"exact", "$eq"},         {"exists", "$exists"},      {"gt", "$gt"},
      {"ge", "$gte"},           {"lt", "$lt"},              {"le", "$lte"},
      {"semver_eq", "$semverEq"}, {"semver_gt", "$semverGt"}, {"semver_ge", "$semverGte"},
      {"semver_lt", "$semverLt"}, {"semver_le", "$semverLte"}};
  json argument = value;
  std::string op;
  if (match == "substring") {
    op = "$regex";  // the escaped literal found anywhere; a non-string pattern is false
    if (value.is_string()) argument = regex_escape(value);
  } else if (match == "exists") {
    op = "$exists";
    argument = true;
  } else if (const auto it = kOperator.find(match); it != kOperator.end()) {
    op = it->second;
  } else {
    op = "$" + match;  // unknown to both: Optimizely null, here an unknown operator (false)
  }
  const bool numeric = match == "gt" || match == "ge" || match == "lt" || match == "le";
  if (numeric && expected_null && coerces_to_number(user) && coerces_to_number(value)) {
    t.excluded =
        "Optimizely refuses to compare (type or range check: null) where JavaScript's "
        "relational comparison coerces (null as 0, true as 1, \"1000\" as 1000, 2^53+2 as is)";
    return t;
  }
  t.condition = json{{name, json{{op, argument}}}};
  return t;
}

}  // namespace

BOOST_AUTO_TEST_CASE(optimizely_leaf_conditions_translated_into_ours_agree) {
  const auto data = vario::testing::conformance_file("optimizely/custom_attribute_conditions.json");
  SKIP_WITHOUT(data, "optimizely/custom_attribute_conditions.json");
  int passed = 0, total = 0;
  std::map<std::string, int> excluded;
  for (const json& c : data->at("cases")) {
    const Translated t = translate_leaf(c);
    if (!t.excluded.empty()) {
      ++excluded[t.excluded];
      continue;
    }
    // Optimizely's null (cannot evaluate) is a non-match at the top level.
    const bool expected = c.at("expected").is_boolean() && c.at("expected").get<bool>();
    ++total;
    BOOST_TEST_CONTEXT(c.at("it").get<std::string>() << ": " << c.at("condition").dump() << " on "
                                                     << c.at("attributes").dump() << " as "
                                                     << t.condition.dump()) {
      const bool result = evaluate(t.attributes, t.condition);
      BOOST_TEST(result == expected);
      passed += result == expected;
    }
  }
  int excluded_total = 0;
  for (const auto& [why, n] : excluded) excluded_total += n;
  BOOST_TEST_MESSAGE("Optimizely custom_attribute_conditions: " << passed << "/" << total
                                                                << " passed, " << excluded_total
                                                                << " excluded");
  for (const auto& [why, n] : excluded) BOOST_TEST_MESSAGE("  excluded " << n << ": " << why);
  BOOST_TEST(total + excluded_total == 105);
}

namespace {

// Translates an Optimizely condition tree: and/or/not become $and/$or/$not, an array not
// starting with an operator is an implicit or, and each leaf becomes {"leafN": true} with the
// attribute leafN set to the result the case scripts for it (null as false).
struct TreeTranslator {
  explicit TreeTranslator(const json& test_case) : test(test_case) {}
  const json& test;
  json attributes = json::object();
  int leaves = 0;
  std::string excluded;

  bool leaf_value(const std::string& id, bool& is_null) {
    json v;
    if (test.contains("leafAlways")) {
      v = test.at("leafAlways");
    } else if (test.contains("leafResultsInCallOrder")) {
      // Both evaluators go left to right and stop at the first deciding operand, so the i-th
      // call is the i-th leaf in tree order.
      const json& order = test.at("leafResultsInCallOrder");
      v = leaves < int(order.size()) ? order.at(leaves) : json(false);
    } else {
      v = test.at("leafResultById").at(id);
    }
    is_null = v.is_null();
    return v.is_boolean() && v.get<bool>();
  }

  // `maybe_null` reports whether the subtree can evaluate to Optimizely's null.
  json translate(const json& tree, bool& maybe_null) {
    if (tree.is_string()) {
      bool is_null = false;
      const std::string attribute = "leaf" + std::to_string(leaves);
      attributes[attribute] = leaf_value(tree, is_null);
      ++leaves;
      maybe_null = is_null;
      return json{{attribute, true}};
    }
    std::string op = "or";
    std::size_t first = 0;
    if (!tree.empty() && tree.at(0).is_string() &&
        (tree.at(0) == "and" || tree.at(0) == "or" || tree.at(0) == "not")) {
      op = tree.at(0);
      first = 1;
    }
    json operands = json::array();
    maybe_null = false;
    for (std::size_t i = first; i < tree.size(); ++i) {
      bool sub_null = false;
      operands.push_back(translate(tree.at(i), sub_null));
      maybe_null = maybe_null || sub_null;
      if (op == "not") break;  // only the first operand counts
    }
    if (op == "not") {
      if (operands.empty() || maybe_null) {
        excluded = "three-valued null under \"not\" (Optimizely: not(null) is null; "
                   "two-valued logic here: not(false) is true)";
        return json();
      }
      return json{{"$not", operands.at(0)}};
    }
    if (operands.empty()) {
      excluded = "\"or\" without operands (Optimizely false; $or: [] is true in GrowthBook)";
      return json();
    }
    return json{{op == "and" ? "$and" : "$or", operands}};
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(optimizely_condition_trees_translated_into_ours_agree) {
  const auto data = vario::testing::conformance_file("optimizely/condition_tree.json");
  SKIP_WITHOUT(data, "optimizely/condition_tree.json");
  int passed = 0, total = 0;
  std::map<std::string, int> excluded;
  for (const json& c : data->at("cases")) {
    TreeTranslator translator{c};
    bool maybe_null = false;
    const json condition = translator.translate(c.at("tree"), maybe_null);
    if (!translator.excluded.empty()) {
      ++excluded[translator.excluded];
      continue;
    }
    const bool expected = c.at("expected").is_boolean() && c.at("expected").get<bool>();
    ++total;
    BOOST_TEST_CONTEXT(c.at("it").get<std::string>() << ": " << condition.dump() << " on "
                                                     << translator.attributes.dump()) {
      const bool result = evaluate(translator.attributes, condition);
      BOOST_TEST(result == expected);
      passed += result == expected;
    }
  }
  int excluded_total = 0;
  for (const auto& [why, n] : excluded) excluded_total += n;
  BOOST_TEST_MESSAGE("Optimizely condition_tree: " << passed << "/" << total << " passed, "
                                                   << excluded_total << " excluded");
  for (const auto& [why, n] : excluded) BOOST_TEST_MESSAGE("  excluded " << n << ": " << why);
  BOOST_TEST(total + excluded_total == 25);
}
