// Compiled into the native conformance test and into the wasm test module, so it keeps the
// engine's rules: no exceptions, no iostream or printf, nothing platform-specific.
#include "conformance/runner.hpp"

#include <algorithm>
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
#include "vario/tc_string.hpp"
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
  const Value& object(const Value& v) {
    if (v.is_object()) return v;
    fail("an object was expected");
    return null_;
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

// ---- IAB TCF: tcf/vectors.json ---------------------------------------------------------------

// The ids of a mask (bit i-1 = id i) as the data writes sets: an ascending array.
Value mask_ids(std::uint64_t mask) {
  Value out = Value::array();
  for (int id = 1; id <= 64; ++id)
    if (mask_has(mask, id)) out.push(Value::number(id));
  return out;
}

// The ids a set contains, asked of VendorSet::contains itself, from 1 to `max_id`.
Value vendor_ids(const VendorSet& set, std::uint32_t max_id) {
  Value out = Value::array();
  for (std::uint32_t id = 1; id <= max_id; ++id)
    if (set.contains(static_cast<std::uint16_t>(id))) out.push(Value::number(id));
  return out;
}

Value ranges_value(const VendorSet& set) {
  Value out = Value::array();
  for (const VendorRange& r : set.ranges) out.push(number_array({double(r.first), double(r.last)}));
  return out;
}

Value section_value(const VendorSection& s) {
  Value out = Value::object();
  out.set("maxVendorId", Value::number(s.max_vendor_id));
  out.set("isRangeEncoding", Value::boolean(s.range_encoded));
  if (s.range_encoded) out.set("numEntries", Value::number(s.num_entries));
  out.set("ranges", ranges_value(s.vendors));
  out.set("vendorIds", vendor_ids(s.vendors, s.max_vendor_id));
  return out;
}

std::string padded(std::uint64_t n, std::size_t width) {
  std::string digits = json::to_decimal(n);
  return std::string(digits.size() < width ? width - digits.size() : 0, '0') + digits;
}

// Deciseconds since the epoch as the data writes dates: "2020-03-05T19:24:40.900Z".
std::string iso_time(std::uint64_t deciseconds) {
  const std::uint64_t ms = deciseconds * 100, day_ms = ms % 86400000;
  // Civil date from days since 1970-01-01 (Howard Hinnant's civil_from_days).
  const std::uint64_t z = ms / 86400000 + 719468, era = z / 146097, doe = z - era * 146097;
  const std::uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  const std::uint64_t day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
  const std::uint64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2) + "T" +
         padded(day_ms / 3600000, 2) + ":" + padded(day_ms / 60000 % 60, 2) + ":" +
         padded(day_ms / 1000 % 60, 2) + "." + padded(day_ms % 1000, 3) + "Z";
}

// A decoded string in the data's field names (iabtcf-es TCModel style, see the file's _meta).
// Purpose sets are the bits as written (purposeLegitimateInterests keeps purpose 1 where a
// string sets it); vendor sets come from VendorSet::contains.
Value tc_value(const TcString& tc) {
  Value out = Value::object();
  const auto number = [&](std::string_view key, double n) { out.set(key, Value::number(n)); };
  const auto boolean = [&](std::string_view key, bool b) { out.set(key, Value::boolean(b)); };
  const auto letters = [&](std::string_view key, const std::array<char, 2>& l) {
    out.set(key, Value::string(std::string(l.data(), 2)));
  };
  number("version", tc.version);
  number("created_ds", static_cast<double>(tc.created_deciseconds));
  number("lastUpdated_ds", static_cast<double>(tc.last_updated_deciseconds));
  out.set("created", Value::string(iso_time(tc.created_deciseconds)));
  out.set("lastUpdated", Value::string(iso_time(tc.last_updated_deciseconds)));
  number("cmpId", tc.cmp_id);
  number("cmpVersion", tc.cmp_version);
  number("consentScreen", tc.consent_screen);
  letters("consentLanguage", tc.consent_language);
  number("vendorListVersion", tc.vendor_list_version);
  number("tcfPolicyVersion", tc.policy_version);
  boolean("isServiceSpecific", tc.is_service_specific);
  boolean("useNonStandardTexts", tc.use_non_standard_texts);
  out.set("specialFeatureOptIns", mask_ids(tc.special_feature_opt_ins));
  out.set("purposeConsents", mask_ids(tc.purposes_consent));
  out.set("purposeLegitimateInterests", mask_ids(tc.purposes_li_transparency));
  boolean("purposeOneTreatment", tc.purpose_one_treatment);
  letters("publisherCountryCode", tc.publisher_cc);
  out.set("vendorConsents", section_value(tc.vendor_consents));
  out.set("vendorLegitimateInterests", section_value(tc.vendor_legitimate_interests));
  Value restrictions = Value::array();
  for (const PublisherRestriction& r : tc.publisher_restrictions) {
    Value entry = Value::object();
    entry.set("purposeId", Value::number(r.purpose));
    entry.set("restrictionType", Value::number(static_cast<int>(r.type)));
    entry.set("ranges", ranges_value(r.vendors));
    entry.set("vendorIds",
              vendor_ids(r.vendors, r.vendors.ranges.empty() ? 0 : r.vendors.ranges.back().last));
    restrictions.push(std::move(entry));
  }
  out.set("publisherRestrictions", std::move(restrictions));
  if (tc.disclosed_vendors) out.set("disclosedVendors", section_value(*tc.disclosed_vendors));
  if (tc.allowed_vendors) out.set("allowedVendors", section_value(*tc.allowed_vendors));
  if (tc.publisher_tc) {
    Value p = Value::object();
    p.set("pubPurposesConsent", mask_ids(tc.publisher_tc->purposes_consent));
    p.set("pubPurposesLITransparency", mask_ids(tc.publisher_tc->purposes_li_transparency));
    p.set("numCustomPurposes", Value::number(tc.publisher_tc->num_custom_purposes));
    p.set("customPurposesConsent", mask_ids(tc.publisher_tc->custom_purposes_consent));
    p.set("customPurposesLITransparency",
          mask_ids(tc.publisher_tc->custom_purposes_li_transparency));
    out.set("publisherTC", std::move(p));
  }
  return out;
}

// Ranges as the set of ids they cover: sorted, overlapping and adjacent ones merged. The
// decoder keeps sets in this form; the data keeps entries as written ([[7,7],[7,7]]).
std::vector<std::pair<double, double>> merged_ranges(const Value& ranges) {
  std::vector<std::pair<double, double>> r;
  for (const Value& item : ranges.items())
    if (item.items().size() == 2)
      r.emplace_back(item.items()[0].as_number(), item.items()[1].as_number());
  std::sort(r.begin(), r.end());
  std::vector<std::pair<double, double>> out;
  for (const auto& range : r) {
    if (!out.empty() && range.first <= out.back().second + 1)
      out.back().second = std::max(out.back().second, range.second);
    else
      out.push_back(range);
  }
  return out;
}

// Whether `actual` says what `expected` says: equal scalars, arrays equal element by element,
// an object's expected members (members the data does not assert are not compared), and
// "ranges" as the sets they cover.
bool matches(const Value& expected, const Value& actual, std::string_view key = {}) {
  if (expected.type() != actual.type()) return false;
  switch (expected.type()) {
    case Value::Type::kNull:
      return true;
    case Value::Type::kBool:
      return expected.as_bool() == actual.as_bool();
    case Value::Type::kNumber:
      return expected.as_number() == actual.as_number();
    case Value::Type::kString:
      return expected.as_string() == actual.as_string();
    case Value::Type::kArray:
      if (key == "ranges") return merged_ranges(expected) == merged_ranges(actual);
      if (expected.items().size() != actual.items().size()) return false;
      for (std::size_t i = 0; i < expected.items().size(); ++i)
        if (!matches(expected.items()[i], actual.items()[i])) return false;
      return true;
    case Value::Type::kObject:
      for (const auto& [name, value] : expected.members()) {
        const Value* member = actual.find(name);
        if (!member || !matches(value, *member, name)) return false;
      }
      return true;
  }
  return false;
}

// The element of an array whose members equal the filter's: "purposeId=1,restrictionType=1".
const Value* select(const Value& array, std::string_view filter) {
  const Value* found = nullptr;
  for (const Value& item : array.items()) {
    bool all = true;
    std::string_view rest = filter;
    while (all && !rest.empty()) {
      const std::size_t comma = rest.find(','), eq = rest.find('=');
      const std::string_view clause = rest.substr(0, comma);
      const Value* member = eq < clause.size() ? item.find(clause.substr(0, eq)) : nullptr;
      all = member && member->type() == Value::Type::kNumber &&
            json::to_decimal(static_cast<std::uint64_t>(member->as_number())) ==
                clause.substr(eq + 1);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    if (all) {
      if (found) return nullptr;  // ambiguous: the data means one entry
      found = &item;
    }
  }
  return found;
}

// Checks one dotted key of `expected` ("vendorConsents.vendorIds",
// "publisherRestrictions[purposeId=1,restrictionType=1].vendorIds",
// "purposeConsents.containsAll", "publisherTC.pubPurposesConsent.count") against the decoded
// string. Returns what was found there, or nullopt when the key names nothing.
std::optional<Value> resolve(const Value& decoded, std::string_view key, const Value& expected,
                             bool& pass) {
  const Value* node = &decoded;
  while (!key.empty()) {
    const std::size_t dot = key.find('.');
    std::string_view part = key.substr(0, dot);
    key = dot == std::string_view::npos ? std::string_view() : key.substr(dot + 1);
    if (part == "count" && key.empty() && node->type() == Value::Type::kArray) {
      const Value count = Value::number(static_cast<double>(node->items().size()));
      pass = matches(expected, count);
      return count;
    }
    if (part == "containsAll" && key.empty() && node->type() == Value::Type::kArray) {
      pass = expected.type() == Value::Type::kArray;
      for (const Value& id : expected.items())
        pass = pass && std::any_of(node->items().begin(), node->items().end(),
                                   [&](const Value& v) { return matches(id, v); });
      return *node;
    }
    std::string_view filter;
    if (const std::size_t open = part.find('[');
        open != std::string_view::npos && part.back() == ']') {
      filter = part.substr(open + 1, part.size() - open - 2);
      part = part.substr(0, open);
    }
    node = node->find(part);
    if (node && !filter.empty())
      node = node->type() == Value::Type::kArray ? select(*node, filter) : nullptr;
    if (!node) return std::nullopt;
  }
  pass = matches(expected, *node);
  return *node;
}

bool contains_text(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// A refusal is checked for its reason where the data gives one: a version other than 2 must be
// refused as that version, a TCF 2.2 legitimate-interest string for the first purpose 3-6 it
// sets, so that a decoder refusing everything would not pass.
bool refused_for_the_expected_reason(const Value* expected, std::string_view message) {
  if (!expected) return true;
  const Value* version = expected->find("version");
  if (version && version->type() == Value::Type::kNumber && version->as_number() != 2)
    return contains_text(
        message,
        "Version is " + json::to_decimal(static_cast<std::uint64_t>(version->as_number())) + ",");
  const Value* policy = expected->find("tcfPolicyVersion");
  const Value* li = expected->find("purposeLegitimateInterests");
  if (policy && li && policy->type() == Value::Type::kNumber && policy->as_number() >= 4)
    for (const Value& p : li->items())
      if (p.type() == Value::Type::kNumber && p.as_number() >= 3 && p.as_number() <= 6)
        return contains_text(message,
                             "sets purpose " +
                                 json::to_decimal(static_cast<std::uint64_t>(p.as_number())) +
                                 ",") &&
               contains_text(message,
                             "(TcfPolicyVersion " +
                                 json::to_decimal(static_cast<std::uint64_t>(policy->as_number())) +
                                 ")");
  return true;
}

Result<Outcome> check_tcf(const Value& c, const RegexTester&) {
  Reader r;
  const std::string_view tc_string = r.string(r.member(c, "tcString"));
  const Value* expected = r.optional(c, "expected");
  const bool expect_error = r.optional(c, "expectError") != nullptr;
  if (expected) r.object(*expected);
  if (r.failed()) return r.error();

  const Result<TcString> decoded = decode_tc_string(tc_string);
  Outcome out;
  out.actual = Value::object();
  if (!decoded.ok()) out.actual.set("error", Value::string(decoded.error().message));
  // Vario reads TCF v2 only: a v1 string (version 1 expected) is refused as version 1.
  const Value* version = expected ? expected->find("version") : nullptr;
  const bool v1 = version && version->type() == Value::Type::kNumber && version->as_number() != 2;
  if (expect_error || v1) {
    out.pass = !decoded.ok() && refused_for_the_expected_reason(expected, decoded.error().message);
    return out;
  }
  if (!decoded.ok()) return out;  // pass stays false

  const Value tc = tc_value(decoded.value());
  const Value* minor_error = expected ? expected->find("minorVersionError") : nullptr;
  const Value none = Value::object();
  out.pass = true;
  for (const auto& [key, value] : (expected ? *expected : none).members()) {
    bool pass = false;
    if (key == "tcfMinorVersion") {
      // iabconsent names no minor version for policy 5 (its 100 and minorVersionError);
      // Vario reads policy 5 as TCF 2.2 (vario/tc_string.hpp, tcf_minor_version).
      const Value actual = Value::number(decoded.value().tcf_minor_version());
      pass = minor_error ? actual.as_number() == 2 : matches(value, actual);
      out.actual.set(key, actual);
    } else if (key == "minorVersionError") {
      pass = true;  // checked with tcfMinorVersion: Vario accepts what iabconsent refuses
      out.actual.set(key, Value());
    } else {
      const std::optional<Value> actual = resolve(tc, key, value, pass);
      if (!actual)
        return make_error(ErrorCode::kInvalidArgument,
                          "expected key \"" + key + "\" names no field");
      out.actual.set(key, *actual);
    }
    out.pass = out.pass && pass;
  }
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
    {"tcf", check_tcf},
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
