// One case of the shared conformance data (../shared/conformance: GrowthBook's cases.json and
// versionCompare_legacy.json, Optimizely's bucketing and semver vectors, the IAB TC strings of
// tcf/vectors.json) run through the engine. The native tests
// (tests/runtime/allocation_conformance_test.cpp, consent_tc_string_conformance_test.cpp) and
// the wasm test module
// (tests/conformance/wasm_exports.cpp, driven by tests/wasm/conformance.test.mjs) both call this
// one function, so the two builds are held to the same data by the same checks.
// tests/conformance/sections.json says where each section's cases are in the data files.
#pragma once

#include <string>
#include <string_view>

#include "vario/regex.hpp"

namespace vario::conformance {

// Checks one case of `section`; `case_json` is the JSON text of one element of that section's
// list, exactly as in the data file. Sections and their case shapes:
//   GrowthBook (cases.json, tuples)
//     "hash"             [seed, value, version, expected number or null]    exact equality
//     "getBucketRange"   [name, [n, coverage, weights or null], [[s, e]...]] after floor(x*1e8)/1e8
//     "chooseVariation"  [name, n, [[s, e]...], expected index or -1]
//     "getEqualWeights"  [n, [weights...]]                                    after floor(x*1e8)/1e8
//     "inNamespace"      [name, id, [namespace, start, end], expected bool]
//     "evalCondition"    [name, condition, attributes, expected bool, savedGroups?]
//   GrowthBook (versionCompare_legacy.json, paddedVersionString comparisons as upstream tested)
//     "versionCompare.lt" [a, b, expected]   a < b and a <= b both equal expected
//     "versionCompare.gt" [a, b, expected]   a > b and a >= b both equal expected
//     "versionCompare.eq" [a, b, expected]   a == b, a >= b, a <= b equal expected; a != b not
//   Optimizely (objects)
//     "bucketing"  {bucketingId, parentId, expectedBucketValue, murmur3_x86_32_seed1_unsigned?}
//     "semver"     {conditionVersion, userVersion, expected -1, 0, 1 or null}  compareVersion
//   IAB TCF (tcf/vectors.json, objects; decode_tc_string)
//     "tcf"  {tcString, expected?, expectError?}. Each key of `expected` is a field of the
//            decoded string in the file's names, or a dotted path into one: "a.b" a member,
//            "a[k=1,j=2].b" the one array element with those members, a final ".count" an
//            array's length, ".containsAll" every listed id present. Objects are compared on
//            the members the data gives, "ranges" as the set of ids they cover.
//            With expectError, or a version other than 2 expected (Vario reads v2 only), the
//            string must be refused, and for the reason the data gives where it gives one.
//            tcfMinorVersion is TcString::tcf_minor_version; where iabconsent has none
//            (minorVersionError, policy 5), Vario's is 2: it reads policy 5 as TCF 2.2.
// `regex` answers $regex/$regexi in evalCondition.
//
// Returns JSON text: {"pass": bool, "actual": what the engine computed}, or
// {"pass": false, "error": message} when the section is unknown or the case does not have the
// section's shape (a changed data file, not an engine bug).
std::string check_conformance_case(std::string_view section, std::string_view case_json,
                                   const RegexTester& regex);

}  // namespace vario::conformance
