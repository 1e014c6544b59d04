// Compiled into the native conformance test and into the wasm test module, so it keeps the
// engine's rules: no exceptions, no iostream or printf, nothing platform-specific.
#include "conformance/runner.hpp"

#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "vario/bucketing.hpp"
#include "vario/conditions.hpp"
#include "vario/hashing.hpp"
#include "vario/json.hpp"
#include "vario/result.hpp"
#include "vario/version.hpp"

namespace vario::conformance {
namespace {

using json::Value;

// What one check computed, and whether it is what the data expects.
struct Outcome {
  bool pass = false;
  Value actual;
};

// Reads the fields of one case. The first missing or mistyped field is remembered and every
// later read returns a harmless default, so a check reads all its fields and tests failed()
// once, instead of testing after every read.
class Reader {
 public:
  const Value& at(const Value& tuple, std::size_t index) {
    if (tuple.type() == Value::Type::kArray && index < tuple.items().size())
      return tuple.items()[index];
    fail("element " + json::to_decimal(index) + " is missing");
    return null_;
  }
  const Value& member(const Value& object, std::string_view key) {
    if (const Value* member = object.find(key)) return *member;
    fail("member \"" + std::string(key) + "\" is missing");
    return null_;
  }
  // An optional member: nullptr when absent, without failing.
  const Value* optional(const Value& object, std::string_view key) { return object.find(key); }

  double number(const Value& v) {
    if (v.type() == Value::Type::kNumber) return v.as_number();
    fail("a number was expected");
    return 0;
  }
  std::string_view string(const Value& v) {
    if (v.is_string()) return v.as_string();
    fail("a string was expected");
    return {};
  }
  bool boolean(const Value& v) {
    if (v.type() == Value::Type::kBool) return v.as_bool();
    fail("a boolean was expected");
    return false;
  }
  const std::vector<Value>& array(const Value& v) {
    if (v.type() == Value::Type::kArray) return v.items();
    fail("an array was expected");
    return null_.items();
  }
  std::vector<double> numbers(const Value& v) {
    std::vector<double> out;
    for (const Value& item : array(v)) out.push_back(number(item));
    return out;
  }
  std::vector<BucketRange> ranges(const Value& v) {
    std::vector<BucketRange> out;
    for (const Value& item : array(v)) out.emplace_back(number(at(item, 0)), number(at(item, 1)));
    return out;
  }

  bool failed() const { return !error_.empty(); }
  Error error() const { return make_error(ErrorCode::kInvalidArgument, error_); }

 private:
  void fail(std::string what) {
    if (error_.empty()) error_ = std::move(what);
  }
  Value null_;
  std::string error_;
};

Value number_array(const std::vector<double>& numbers) {
  Value out = Value::array();
  for (const double n : numbers) out.push(Value::number(n));
  return out;
}

// GrowthBook's test rounding for ranges and weights (json.test.ts): floor(n * 1e8) / 1e8.
double round8(double n) { return std::floor(n * 1e8) / 1e8; }

bool same_after_rounding(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (round8(a[i]) != round8(b[i])) return false;
  return true;
}

// A JS number used where GrowthBook compares with === 1 / === 2: anything not integral is
// simply an unknown version.
int integral_or_zero(double n) {
  return n == std::floor(n) && n >= -1e9 && n <= 1e9 ? static_cast<int>(n) : 0;
}

Result<Outcome> check_hash(const Value& c, const RegexTester&) {
  Reader r;
  const std::string_view seed = r.string(r.at(c, 0));
  const std::string_view value = r.string(r.at(c, 1));
  const double version = r.number(r.at(c, 2));
  const Value& expected = r.at(c, 3);
  if (r.failed()) return r.error();
  const std::optional<double> h = growthbook_hash(seed, value, integral_or_zero(version));
  Outcome out;
  out.actual = h ? Value::number(*h) : Value();
  out.pass = h ? expected.type() == Value::Type::kNumber && *h == expected.as_number()
               : expected.type() == Value::Type::kNull;
  return out;
}

Result<Outcome> check_bucket_range(const Value& c, const RegexTester&) {
  Reader r;
  const Value& args = r.at(c, 1);
  const double n = r.number(r.at(args, 0));
  const double coverage = r.number(r.at(args, 1));
  const Value& weights_field = r.at(args, 2);
  // null stands for "no weights" (GrowthBook passes `weights ?? undefined`).
  const std::vector<double> weights =
      weights_field.type() == Value::Type::kNull ? std::vector<double>() : r.numbers(weights_field);
  const std::vector<BucketRange> expected = r.ranges(r.at(c, 2));
  if (r.failed()) return r.error();

  const std::vector<BucketRange> ranges = bucket_ranges(integral_or_zero(n), coverage, weights);
  Outcome out;
  out.actual = Value::array();
  std::vector<double> flat_actual, flat_expected;
  for (const auto& [start, end] : ranges) {
    out.actual.push(number_array({start, end}));
    flat_actual.insert(flat_actual.end(), {start, end});
  }
  for (const auto& [start, end] : expected) flat_expected.insert(flat_expected.end(), {start, end});
  out.pass = ranges.size() == expected.size() && same_after_rounding(flat_actual, flat_expected);
  return out;
}

Result<Outcome> check_choose_variation(const Value& c, const RegexTester&) {
  Reader r;
  const double n = r.number(r.at(c, 1));
  const std::vector<BucketRange> ranges = r.ranges(r.at(c, 2));
  const double expected = r.number(r.at(c, 3));
  if (r.failed()) return r.error();
  const int index = choose_variation(n, ranges);
  return Outcome{index == expected, Value::number(index)};
}

Result<Outcome> check_equal_weights(const Value& c, const RegexTester&) {
  Reader r;
  const double n = r.number(r.at(c, 0));
  const std::vector<double> expected = r.numbers(r.at(c, 1));
  if (r.failed()) return r.error();
  const std::vector<double> weights = equal_weights(integral_or_zero(n));
  return Outcome{same_after_rounding(weights, expected), number_array(weights)};
}

Result<Outcome> check_in_namespace(const Value& c, const RegexTester&) {
  Reader r;
  const std::string_view id = r.string(r.at(c, 1));
  const Value& ns = r.at(c, 2);
  const std::string_view ns_id = r.string(r.at(ns, 0));
  const double start = r.number(r.at(ns, 1));
  const double end = r.number(r.at(ns, 2));
  const bool expected = r.boolean(r.at(c, 3));
  if (r.failed()) return r.error();
  const bool in = in_namespace(id, ns_id, start, end);
  return Outcome{in == expected, Value::boolean(in)};
}

Result<Outcome> check_eval_condition(const Value& c, const RegexTester& regex) {
  Reader r;
  const Value& condition = r.at(c, 1);
  const Value& attributes = r.at(c, 2);
  const bool expected = r.boolean(r.at(c, 3));
  if (r.failed()) return r.error();
  // GrowthBook evaluates with `savedGroups ?? {}`.
  const Value no_groups = Value::object();
  const Value* groups = c.items().size() > 4 ? &c.items()[4] : &no_groups;
  ConditionContext ctx;
  ctx.saved_groups = groups;
  ctx.regex = &regex;
  const bool result = eval_condition(attributes, condition, ctx);
  return Outcome{result == expected, Value::boolean(result)};
}

// paddedVersionString(a) compared with paddedVersionString(b): negative, 0 or positive.
Result<Outcome> check_version_compare(const Value& c, char op) {
  Reader r;
  const std::string_view a = r.string(r.at(c, 0));
  const std::string_view b = r.string(r.at(c, 1));
  const bool expected = r.boolean(r.at(c, 2));
  if (r.failed()) return r.error();
  const int cmp = compare_padded_versions(a, b);
  bool pass = false;
  bool primary = false;
  // The assertions of GrowthBook's json.test.ts for each list.
  switch (op) {
    case '<':
      primary = cmp < 0;
      pass = primary == expected && (cmp <= 0) == expected;
      break;
    case '>':
      primary = cmp > 0;
      pass = primary == expected && (cmp >= 0) == expected;
      break;
    default:
      primary = cmp == 0;
      pass = primary == expected && (cmp != 0) == !expected && (cmp >= 0) == expected &&
             (cmp <= 0) == expected;
  }
  return Outcome{pass, Value::boolean(primary)};
}

Result<Outcome> check_version_lt(const Value& c, const RegexTester&) {
  return check_version_compare(c, '<');
}
Result<Outcome> check_version_gt(const Value& c, const RegexTester&) {
  return check_version_compare(c, '>');
}
Result<Outcome> check_version_eq(const Value& c, const RegexTester&) {
  return check_version_compare(c, '=');
}

Result<Outcome> check_optimizely_bucketing(const Value& c, const RegexTester&) {
  Reader r;
  const std::string_view visitor = r.string(r.member(c, "bucketingId"));
  const std::string_view parent = r.string(r.member(c, "parentId"));
  const double expected_bucket = r.number(r.member(c, "expectedBucketValue"));
  // The raw hash was computed by the data's author, not asserted upstream: checked when present.
  const Value* expected_hash = r.optional(c, "murmur3_x86_32_seed1_unsigned");
  const double expected_hash_value = expected_hash ? r.number(*expected_hash) : 0;
  if (r.failed()) return r.error();

  const std::uint32_t bucket = murmur3_bucket(visitor, parent);
  std::string key(visitor);
  key.append(parent);
  const std::uint32_t hash = murmur3_x86_32(key, 1);
  Outcome out;
  out.actual = Value::object();
  out.actual.set("bucket", Value::number(bucket));
  out.actual.set("hash", Value::number(hash));
  out.pass = bucket == expected_bucket && (!expected_hash || hash == expected_hash_value);
  return out;
}

Result<Outcome> check_optimizely_semver(const Value& c, const RegexTester&) {
  Reader r;
  const std::string_view condition = r.string(r.member(c, "conditionVersion"));
  const std::string_view user = r.string(r.member(c, "userVersion"));
  const Value& expected = r.member(c, "expected");
  if (r.failed()) return r.error();
  const std::optional<int> cmp = optimizely_compare_version(condition, user);
  Outcome out;
  out.actual = cmp ? Value::number(*cmp) : Value();
  out.pass = cmp ? expected.type() == Value::Type::kNumber && *cmp == expected.as_number()
                 : expected.type() == Value::Type::kNull;
  return out;
}

struct Section {
  std::string_view name;
  Result<Outcome> (*check)(const Value& c, const RegexTester& regex);
};

constexpr Section kSections[] = {
    {"hash", check_hash},
    {"getBucketRange", check_bucket_range},
    {"chooseVariation", check_choose_variation},
    {"getEqualWeights", check_equal_weights},
    {"inNamespace", check_in_namespace},
    {"evalCondition", check_eval_condition},
    {"versionCompare.lt", check_version_lt},
    {"versionCompare.gt", check_version_gt},
    {"versionCompare.eq", check_version_eq},
    {"bucketing", check_optimizely_bucketing},
    {"semver", check_optimizely_semver},
};

std::string failure(std::string message) {
  Value out = Value::object();
  out.set("pass", Value::boolean(false));
  out.set("error", Value::string(std::move(message)));
  return json::write(out);
}

}  // namespace

std::string check_conformance_case(std::string_view section, std::string_view case_json,
                                   const RegexTester& regex) {
  const Section* found = nullptr;
  for (const Section& s : kSections)
    if (s.name == section) found = &s;
  if (!found) return failure("unknown section \"" + std::string(section) + "\"");

  const Result<Value> parsed = json::parse(case_json);
  if (!parsed.ok()) return failure("case is not JSON: " + parsed.error().message);
  const Result<Outcome> outcome = found->check(parsed.value(), regex);
  if (!outcome.ok())
    return failure("case does not have the shape of " + std::string(section) + ": " +
                   outcome.error().message);

  Value out = Value::object();
  out.set("pass", Value::boolean(outcome.value().pass));
  out.set("actual", outcome.value().actual);
  return json::write(out);
}

}  // namespace vario::conformance
