// Audience conditions, behaviour by behaviour. GrowthBook's own cases run in
// conditions_conformance_test.cpp; these pin down the JavaScript semantics those cases do not
// reach, the trace, and the regex host contract.
#define BOOST_TEST_MODULE conditions
#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>
#include <vector>

#include "vario/conditions.hpp"
#include "vario/json.hpp"

using namespace vario;

namespace {

json::Value parse(std::string_view text) {
  auto v = json::parse(text);
  BOOST_REQUIRE_MESSAGE(v.ok(), "bad test JSON: " << text);
  return std::move(v).value();
}

// A regex host that finds `pattern` as a literal substring, rejects the pattern "(", and
// remembers every question.
class FakeRegex : public RegexTester {
 public:
  struct Call {
    std::string pattern, flags, subject;
  };
  mutable std::vector<Call> calls;

  std::optional<bool> regex_test(std::string_view pattern, std::string_view flags,
                                 std::string_view subject) const override {
    calls.push_back({std::string(pattern), std::string(flags), std::string(subject)});
    if (pattern == "(") return std::nullopt;
    return subject.find(pattern) != std::string_view::npos;
  }
};

struct Eval {
  json::Value groups = parse("{}");
  FakeRegex regex;
  ConditionTrace trace;

  bool operator()(std::string_view condition, std::string_view attributes) {
    const json::Value c = parse(condition), a = parse(attributes);
    ConditionContext ctx;
    ctx.saved_groups = &groups;
    ctx.regex = &regex;
    trace = ConditionTrace{};
    const bool traced = eval_condition(a, c, ctx, &trace);
    const bool plain = eval_condition(a, c, ctx);
    BOOST_TEST(traced == plain);  // a trace never changes the answer
    return plain;
  }
};

bool holds(std::string_view condition, std::string_view attributes) {
  Eval eval;
  return eval(condition, attributes);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(paths)

BOOST_AUTO_TEST_CASE(dotted_paths_reach_nested_objects) {
  BOOST_TEST(holds(R"({"a.b.c": 1})", R"({"a": {"b": {"c": 1}}})"));
  BOOST_TEST(!holds(R"({"a.b.c": 1})", R"({"a": {"b": {"c": 2}}})"));
}

BOOST_AUTO_TEST_CASE(dotted_paths_index_arrays_and_read_their_length) {
  BOOST_TEST(holds(R"({"items.1.name": "b"})", R"({"items": [{"name": "a"}, {"name": "b"}]})"));
  BOOST_TEST(holds(R"({"tags.length": 2})", R"({"tags": ["x", "y"]})"));
  BOOST_TEST(holds(R"({"items.01": null})", R"({"items": [1, 2]})"));  // not a canonical index
}

BOOST_AUTO_TEST_CASE(a_path_through_a_non_object_is_null) {
  BOOST_TEST(holds(R"({"name.first": null})", R"({"name": "Ann"})"));
  BOOST_TEST(holds(R"({"name.first": {"$exists": false}})", R"({"name": "Ann"})"));
}

BOOST_AUTO_TEST_CASE(a_duplicate_key_keeps_its_last_value_as_json_parse_does) {
  BOOST_TEST(holds(R"({"a": 1, "a": 2})", R"({"a": 2})"));
  BOOST_TEST(holds(R"({"a": 1})", R"({"a": 2, "a": 1})"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(plain_values)

BOOST_AUTO_TEST_CASE(a_string_condition_compares_javascript_string_forms) {
  BOOST_TEST(holds(R"({"n": "8"})", R"({"n": 8})"));
  BOOST_TEST(holds(R"({"flag": "true"})", R"({"flag": true})"));
  BOOST_TEST(holds(R"({"x": "null"})", R"({})"));  // String(null)
  BOOST_TEST(holds(R"({"list": "a,,b"})", R"({"list": ["a", null, "b"]})"));
  BOOST_TEST(holds(R"({"o": "[object Object]"})", R"({"o": {"k": 1}})"));
}

BOOST_AUTO_TEST_CASE(numbers_become_text_as_javascript_writes_them) {
  const std::pair<const char*, const char*> cases[] = {
      {"0.1", "0.1"},     {"3.14", "3.14"},       {"100", "100"},       {"-0", "0"},
      {"1e21", "1e+21"},  {"1e-7", "1e-7"},       {"0.000001", "0.000001"},
      {"123456789012", "123456789012"},           {"1152921504606846976", "1152921504606847000"},
      {"1.5e300", "1.5e+300"}, {"-2.5", "-2.5"},  {"12345.678", "12345.678"},
      {"4.35", "4.35"},   {"0.3", "0.3"},         {"1e20", "100000000000000000000"}};
  for (const auto& [number, text] : cases) {
    BOOST_TEST_CONTEXT(number << " -> " << text) {
      BOOST_TEST(holds(std::string(R"({"n": ")") + text + "\"}",
                       std::string(R"({"n": )") + number + "}"));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_number_condition_coerces_the_attribute_with_to_number) {
  BOOST_TEST(holds(R"({"n": 8})", R"({"n": "8"})"));
  BOOST_TEST(holds(R"({"n": 8})", R"({"n": " 8\n"})"));
  BOOST_TEST(holds(R"({"n": 16})", R"({"n": "0x10"})"));
  BOOST_TEST(holds(R"({"n": 0})", R"({"n": ""})"));
  BOOST_TEST(holds(R"({"n": 0})", R"({"n": []})"));
  BOOST_TEST(holds(R"({"n": 5})", R"({"n": ["5"]})"));
  BOOST_TEST(holds(R"({"n": 1})", R"({"n": true})"));
  BOOST_TEST(holds(R"({"n": 1500})", R"({"n": "1.5e3"})"));
  BOOST_TEST(!holds(R"({"n": 8})", R"({"n": "8px"})"));
  BOOST_TEST(!holds(R"({"n": 0})", R"({"n": {}})"));
}

BOOST_AUTO_TEST_CASE(a_boolean_condition_tests_truthiness_but_not_of_null) {
  BOOST_TEST(holds(R"({"b": true})", R"({"b": "yes"})"));
  BOOST_TEST(holds(R"({"b": false})", R"({"b": 0})"));
  BOOST_TEST(!holds(R"({"b": false})", R"({"b": null})"));
  BOOST_TEST(!holds(R"({"b": false})", R"({})"));
}

BOOST_AUTO_TEST_CASE(object_equality_follows_json_stringify_including_key_order) {
  BOOST_TEST(holds(R"({"o": {"a": 1, "b": [1, 2]}})", R"({"o": {"a": 1, "b": [1, 2]}})"));
  BOOST_TEST(!holds(R"({"o": {"a": 1, "b": 2}})", R"({"o": {"b": 2, "a": 1}})"));
  // Integer-like keys come first in ascending order, whatever the document order.
  BOOST_TEST(holds(R"({"o": {"2": 1, "1": 2}})", R"({"o": {"1": 2, "2": 1}})"));
  // An object mixing '$' keys and others is a value, not operators.
  BOOST_TEST(holds(R"({"o": {"$x": 1, "y": 2}})", R"({"o": {"$x": 1, "y": 2}})"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(operators)

BOOST_AUTO_TEST_CASE(an_unknown_operator_is_false) {
  BOOST_TEST(!holds(R"({"a": {"$regx": "x"}})", R"({"a": "x"})"));
  BOOST_TEST(!holds(R"({"a": {"$eq": 1, "$nope": 1}})", R"({"a": 1})"));
}

BOOST_AUTO_TEST_CASE(eq_and_ne_are_strict_and_arrays_are_never_equal) {
  BOOST_TEST(!holds(R"({"a": {"$eq": 1}})", R"({"a": "1"})"));
  BOOST_TEST(!holds(R"({"a": {"$eq": [1]}})", R"({"a": [1]})"));
  BOOST_TEST(holds(R"({"a": {"$ne": [1]}})", R"({"a": [1]})"));
  BOOST_TEST(holds(R"({"a": {"$eq": null}})", R"({})"));
}

BOOST_AUTO_TEST_CASE(comparisons_use_javascript_relational_coercion) {
  BOOST_TEST(holds(R"({"a": {"$lt": "9"}})", R"({"a": "10"})"));  // both strings: text order
  BOOST_TEST(holds(R"({"a": {"$gt": "9"}})", R"({"a": 10})"));    // mixed: numbers
  BOOST_TEST(holds(R"({"a": {"$gte": 0}})", R"({"a": null})"));   // null is 0
  BOOST_TEST(holds(R"({"a": {"$lt": 1}})", R"({"a": []})"));      // [] is "" is 0
  BOOST_TEST(holds(R"({"a": {"$gt": 1}})", R"({"a": [2]})"));
  // NaN compares false every way, so <= is not "not >".
  BOOST_TEST(!holds(R"({"a": {"$gt": 1}})", R"({"a": "abc"})"));
  BOOST_TEST(!holds(R"({"a": {"$lte": 1}})", R"({"a": "abc"})"));
  BOOST_TEST(!holds(R"({"a": {"$gte": 1}})", R"({"a": {}})"));
}

BOOST_AUTO_TEST_CASE(strings_compare_by_utf16_code_units_like_javascript) {
  // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FF61 in UTF-16 though its
  // UTF-8 bytes sort after.
  BOOST_TEST(holds("{\"a\": {\"$lt\": \"\xEF\xBD\xA1\"}}", "{\"a\": \"\xF0\x9F\x98\x80\"}"));
  BOOST_TEST(holds(R"({"a": {"$lt": "b"}})", R"({"a": "B"})"));
}

BOOST_AUTO_TEST_CASE(in_and_nin_intersect_with_array_attributes) {
  BOOST_TEST(holds(R"({"tags": {"$in": ["a", "z"]}})", R"({"tags": ["x", "a"]})"));
  BOOST_TEST(holds(R"({"tags": {"$nin": ["a", "z"]}})", R"({"tags": ["x", "y"]})"));
  BOOST_TEST(holds(R"({"x": {"$in": [null]}})", R"({})"));
  BOOST_TEST(!holds(R"({"x": {"$in": [1]}})", R"({"x": "1"})"));
  BOOST_TEST(!holds(R"({"x": {"$nin": "abc"}})", R"({"x": "z"})"));  // not an array: false
}

BOOST_AUTO_TEST_CASE(case_insensitive_operators_fold_non_ascii_letters_too) {
  BOOST_TEST(holds(R"({"c": {"$ini": ["ÄRGER", "x"]}})", R"({"c": "ärger"})"));
  BOOST_TEST(holds(R"({"c": {"$ini": ["МОСКВА"]}})", R"({"c": "Москва"})"));
  BOOST_TEST(holds(R"({"c": {"$nini": ["a"]}})", R"({"c": "b"})"));
  BOOST_TEST(holds(R"({"t": {"$alli": ["ONE"]}})", R"({"t": ["one", "two"]})"));
  BOOST_TEST(!holds(R"({"c": {"$ini": [1]}})", R"({"c": "1"})"));
}

BOOST_AUTO_TEST_CASE(elem_match_skips_falsy_elements) {
  BOOST_TEST(!holds(R"({"xs": {"$elemMatch": {"$eq": 0}}})", R"({"xs": [0, ""]})"));
  BOOST_TEST(holds(R"({"xs": {"$elemMatch": {"$gt": 1}}})", R"({"xs": [0, 2]})"));
  BOOST_TEST(holds(R"({"xs": {"$elemMatch": {"id": 2, "ok": true}}})",
                   R"({"xs": [{"id": 1, "ok": true}, {"id": 2, "ok": true}]})"));
  BOOST_TEST(!holds(R"({"xs": {"$elemMatch": {"$gt": 1}}})", R"({"xs": 5})"));
}

BOOST_AUTO_TEST_CASE(size_all_exists_and_type) {
  BOOST_TEST(holds(R"({"xs": {"$size": {"$gte": 2, "$lt": 4}}})", R"({"xs": [1, 2, 3]})"));
  BOOST_TEST(!holds(R"({"xs": {"$size": 0}})", R"({"xs": ""})"));
  BOOST_TEST(holds(R"({"xs": {"$all": [1, {"$gt": 5}]}})", R"({"xs": [1, 7]})"));
  BOOST_TEST(!holds(R"({"xs": {"$all": [1, {"$gt": 5}]}})", R"({"xs": [1, 3]})"));
  BOOST_TEST(holds(R"({"x": {"$exists": false}})", R"({"x": null})"));
  BOOST_TEST(holds(R"({"x": {"$exists": 1}})", R"({"x": 0})"));
  BOOST_TEST(holds(R"({"x": {"$type": "array"}})", R"({"x": []})"));
  BOOST_TEST(holds(R"({"x": {"$type": "null"}})", R"({})"));
  BOOST_TEST(!holds(R"({"x": {"$type": "undefined"}})", R"({})"));
}

BOOST_AUTO_TEST_CASE(logical_operators_and_their_empty_forms) {
  BOOST_TEST(holds(R"({"$or": []})", R"({})"));
  BOOST_TEST(holds(R"({"$and": []})", R"({})"));
  BOOST_TEST(!holds(R"({"$nor": []})", R"({})"));  // GrowthBook: evalOr([]) is true
  BOOST_TEST(holds(R"({"$nor": [{"a": 1}, {"a": 2}]})", R"({"a": 3})"));
  BOOST_TEST(holds(R"({"a": {"$not": {"$in": [1, 2]}}})", R"({"a": 3})"));
  BOOST_TEST(holds(R"({"$not": {"a": 1}, "b": 2})", R"({"a": 3, "b": 2})"));
}

BOOST_AUTO_TEST_CASE(growthbook_versions_accept_numbers_and_treat_other_values_as_zero) {
  BOOST_TEST(holds(R"({"v": {"$vgt": 1}})", R"({"v": 2})"));
  BOOST_TEST(holds(R"({"v": {"$vgte": "1.2.0", "$vlt": "1.10.0"}})", R"({"v": "v1.9.3"})"));
  BOOST_TEST(holds(R"({"v": {"$veq": "0"}})", R"({})"));
  BOOST_TEST(holds(R"({"v": {"$vne": "1.0.0"}})", R"({"v": "1.0.0-rc.1"})"));
}

BOOST_AUTO_TEST_CASE(optimizely_semver_operators_compare_to_the_condition_precision) {
  BOOST_TEST(holds(R"({"app": {"$semverEq": "2.9"}})", R"({"app": "2.9.1"})"));
  BOOST_TEST(holds(R"({"app": {"$semverGt": "1.8.1"}})", R"({"app": "1.9"})"));
  BOOST_TEST(holds(R"({"app": {"$semverLte": "1.9.1"}})", R"({"app": "1.9"})"));
  BOOST_TEST(holds(R"({"app": {"$semverGte": "2.0.0", "$semverLt": "3"}})", R"({"app": "2.5.0"})"));
  BOOST_TEST(!holds(R"({"app": {"$semverEq": "2.0"}})", R"({"app": 2})"));  // not a string
  BOOST_TEST(!holds(R"({"app": {"$semverLt": "3.0"}})", R"({"app": "2.x"})"));  // invalid
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(regex)

BOOST_AUTO_TEST_CASE(regex_asks_the_host_with_the_javascript_string_of_the_value) {
  Eval eval;
  BOOST_TEST(eval(R"({"ua": {"$regex": "Mobile"}})", R"({"ua": "Android Mobile"})"));
  BOOST_TEST(eval(R"({"n": {"$regex": "42"}})", R"({"n": 42})"));
  BOOST_TEST(eval(R"({"x": {"$regex": "ull"}})", R"({})"));  // String(null) is "null"
  BOOST_TEST(eval(R"({"ua": {"$regexi": "mobile"}})", R"({"ua": "x"})") == false);
  BOOST_REQUIRE(!eval.regex.calls.empty());
  const auto& last = eval.regex.calls.back();
  BOOST_TEST(last.pattern == "mobile");
  BOOST_TEST(last.flags == "i");
  BOOST_TEST(last.subject == "x");
  bool saw_number = false, saw_null = false;
  for (const auto& call : eval.regex.calls) {
    saw_number = saw_number || (call.pattern == "42" && call.subject == "42");
    saw_null = saw_null || (call.pattern == "ull" && call.subject == "null");
    if (call.pattern != "mobile") BOOST_TEST(call.flags == "");
  }
  BOOST_TEST(saw_number);
  BOOST_TEST(saw_null);
}

BOOST_AUTO_TEST_CASE(a_rejected_regex_is_false_and_marks_the_trace_invalid) {
  Eval eval;
  BOOST_TEST(!eval(R"({"ua": {"$regex": "("}})", R"({"ua": "x"})"));
  BOOST_TEST(eval.trace.invalid);
  BOOST_TEST(eval.trace.path == "/ua/$regex");
  BOOST_TEST(eval.trace.detail.find("\"(\"") != std::string::npos, eval.trace.detail);
}

BOOST_AUTO_TEST_CASE(a_rejected_regex_is_reported_even_when_the_answer_is_true) {
  Eval eval;
  BOOST_TEST(eval(R"({"ua": {"$not": {"$regex": "("}}})", R"({"ua": "x"})"));  // as GrowthBook
  BOOST_TEST(eval.trace.invalid);
  BOOST_TEST(eval.trace.path == "/ua/$not/$regex");
}

BOOST_AUTO_TEST_CASE(without_a_regex_host_or_with_a_non_string_pattern_regex_is_invalid) {
  const json::Value c = parse(R"({"ua": {"$regex": "x"}})"), a = parse(R"({"ua": "x"})");
  ConditionTrace trace;
  BOOST_TEST(!eval_condition(a, c, ConditionContext{}, &trace));
  BOOST_TEST(trace.invalid);
  Eval eval;
  BOOST_TEST(!eval(R"({"ua": {"$regex": 5}})", R"({"ua": "5"})"));
  BOOST_TEST(eval.trace.invalid);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(trace)

BOOST_AUTO_TEST_CASE(the_trace_names_the_failing_path_and_the_actual_value) {
  Eval eval;
  BOOST_TEST(!eval(R"({"browser": "chrome", "country": {"$in": ["US", "CA"]}})",
                   R"({"browser": "chrome", "country": "DE"})"));
  BOOST_TEST(eval.trace.path == "/country/$in");
  BOOST_TEST(eval.trace.detail == "country is \"DE\"");
  BOOST_TEST(!eval.trace.invalid);
}

BOOST_AUTO_TEST_CASE(the_trace_says_when_an_attribute_is_missing) {
  Eval eval;
  BOOST_TEST(!eval(R"({"pets.dog.name": "fido"})", R"({})"));
  BOOST_TEST(eval.trace.path == "/pets.dog.name");
  BOOST_TEST(eval.trace.detail == "pets.dog.name is missing");
}

BOOST_AUTO_TEST_CASE(the_trace_follows_and_or_not_and_nor) {
  Eval eval;
  BOOST_TEST(!eval(R"({"$and": [{"a": 1}, {"b": {"$gt": 5}}]})", R"({"a": 1, "b": 3})"));
  BOOST_TEST(eval.trace.path == "/$and/1/b/$gt");
  BOOST_TEST(eval.trace.detail == "b is 3");

  BOOST_TEST(!eval(R"({"$or": [{"a": 2}, {"b": 2}]})", R"({"a": 1, "b": 3})"));
  BOOST_TEST(eval.trace.path == "/$or/0/a");  // the first alternative's reason
  BOOST_TEST(eval.trace.detail == "a is 1");

  BOOST_TEST(!eval(R"({"$or": [{"a": 2}, {"a": 1}], "c": true})", R"({"a": 1})"));
  BOOST_TEST(eval.trace.path == "/c");  // a rescued $or alternative is not the reason

  BOOST_TEST(!eval(R"({"$not": {"a": 1}})", R"({"a": 1})"));
  BOOST_TEST(eval.trace.path == "/$not");

  BOOST_TEST(!eval(R"({"$nor": [{"a": 2}, {"a": 1}]})", R"({"a": 1})"));
  BOOST_TEST(eval.trace.path == "/$nor/1");
}

BOOST_AUTO_TEST_CASE(the_trace_points_at_operators_inside_value_conditions) {
  Eval eval;
  BOOST_TEST(!eval(R"({"age": {"$gt": 30, "$lt": 60}})", R"({"age": 61})"));
  BOOST_TEST(eval.trace.path == "/age/$lt");
  BOOST_TEST(!eval(R"({"tags": {"$elemMatch": {"$eq": "x"}}})", R"({"tags": ["a", "b"]})"));
  BOOST_TEST(eval.trace.path == "/tags/$elemMatch");
  BOOST_TEST(eval.trace.detail == "tags is [\"a\",\"b\"]");
}

BOOST_AUTO_TEST_CASE(the_trace_escapes_pointer_tokens_and_shortens_long_values) {
  Eval eval;
  BOOST_TEST(!eval(R"({"a/b~c": 1})", R"({"a/b~c": 2})"));
  BOOST_TEST(eval.trace.path == "/a~1b~0c");
  const std::string long_value(500, 'x');
  BOOST_TEST(!eval(R"({"s": "y"})", "{\"s\": \"" + long_value + "\"}"));
  BOOST_TEST(eval.trace.detail.size() < 120u);
  BOOST_TEST(eval.trace.detail.ends_with("..."));
}

BOOST_AUTO_TEST_CASE(the_trace_is_empty_when_the_condition_holds) {
  Eval eval;
  BOOST_TEST(eval(R"({"a": 1})", R"({"a": 1})"));
  BOOST_TEST(eval.trace.path.empty());
  BOOST_TEST(eval.trace.detail.empty());
  BOOST_TEST(!eval.trace.invalid);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(saved_groups)

BOOST_AUTO_TEST_CASE(in_group_looks_the_value_up_strictly_in_the_named_group) {
  Eval eval;
  eval.groups = parse(R"({"beta": ["u1", 7], "empty": []})");
  BOOST_TEST(eval(R"({"id": {"$inGroup": "beta"}})", R"({"id": "u1"})"));
  BOOST_TEST(eval(R"({"id": {"$inGroup": "beta"}})", R"({"id": 7})"));
  BOOST_TEST(!eval(R"({"id": {"$inGroup": "beta"}})", R"({"id": "7"})"));
  BOOST_TEST(eval(R"({"ids": {"$inGroup": "beta"}})", R"({"ids": ["x", "u1"]})"));
  BOOST_TEST(!eval(R"({"id": {"$inGroup": "unknown"}})", R"({"id": "u1"})"));
  BOOST_TEST(eval(R"({"id": {"$notInGroup": "unknown"}})", R"({"id": "u1"})"));
  BOOST_TEST(eval(R"({"id": {"$notInGroup": "empty"}})", R"({"id": "u1"})"));
}

BOOST_AUTO_TEST_CASE(without_saved_groups_every_group_is_empty) {
  const json::Value c = parse(R"({"id": {"$notInGroup": "g"}})"), a = parse(R"({"id": 1})");
  BOOST_TEST(eval_condition(a, c, ConditionContext{}));
}

BOOST_AUTO_TEST_CASE(a_saved_group_that_is_not_an_array_is_invalid) {
  Eval eval;
  eval.groups = parse(R"({"g": {"values": [1]}})");
  BOOST_TEST(!eval(R"({"id": {"$notInGroup": "g"}})", R"({"id": 2})"));
  BOOST_TEST(eval.trace.invalid);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(malformed_conditions)

BOOST_AUTO_TEST_CASE(shapes_on_which_javascript_would_throw_are_false_and_invalid) {
  Eval eval;
  BOOST_TEST(!eval(R"(null)", R"({})"));
  BOOST_TEST(eval.trace.invalid);
  BOOST_TEST(!eval(R"({"$not": {"$and": null}})", R"({})"));  // the throw passes through $not
  BOOST_TEST(eval.trace.invalid);
  BOOST_TEST(eval.trace.path == "/$not/$and");
  BOOST_TEST(!eval(R"({"xs": {"$elemMatch": null}})", R"({"xs": [1]})"));
  BOOST_TEST(eval.trace.invalid);
}

BOOST_AUTO_TEST_CASE(other_non_object_conditions_follow_object_entries) {
  BOOST_TEST(holds(R"(5)", R"({})"));                      // no entries
  BOOST_TEST(holds(R"(["x"])", R"({"0": "x"})"));          // index keys
  BOOST_TEST(holds(R"({"$not": "ab"})", R"({"0": "a"})"));  // "1" is missing: "null" != "b"
  BOOST_TEST(holds(R"({"$or": {}})", R"({})"));            // `.length` undefined: true
}

BOOST_AUTO_TEST_CASE(deeply_nested_conditions_evaluate) {
  std::string condition = R"({"a": 1})";
  for (int i = 0; i < 30; ++i) condition = R"({"$and": [)" + condition + "]}";
  BOOST_TEST(holds(condition, R"({"a": 1})"));
  BOOST_TEST(!holds(condition, R"({"a": 2})"));
}

BOOST_AUTO_TEST_SUITE_END()
