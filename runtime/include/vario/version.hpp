// Version comparison, two ways: GrowthBook's (used by $veq ... $vlte) and Optimizely's (used by
// $semverEq ... $semverLte). They disagree on purpose-built edge cases ("2.9" vs "2.9.1"), so a
// campaign keeps the semantics of the tool it came from.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vario {

// GrowthBook's paddedVersionString: "" becomes "0"; a leading "v" and a "+build" suffix are
// dropped; the rest splits on '-' and '.'; exactly three parts get a "~" part (so a release
// sorts after its pre-releases); all-digit parts are left-padded with spaces to width 5; the
// parts are joined with '-'. Callers turn numbers into text first and pass "0" for values that
// are neither strings nor numbers, as GrowthBook does.
std::string padded_version_string(std::string_view version);

// GrowthBook's order of two versions: padded_version_string(a) compared with that of b as
// JavaScript compares strings (UTF-16 code units). Negative, 0 or positive.
int compare_padded_versions(std::string_view a, std::string_view b);

// Optimizely's compareVersion(conditionVersion, userVersion): 1 when the user's version is
// greater, -1 when smaller, 0 when equal in every part the condition version has (so "2.9"
// equals "2.9.1"); pre-release ("-x") and build ("+x") suffixes follow Optimizely's rules.
// nullopt when either version is invalid: white space, more than two dots before the suffix,
// or a part before the suffix that is not all digits ("2.", "3.x", "-").
std::optional<int> optimizely_compare_version(std::string_view condition_version,
                                              std::string_view user_version);

}  // namespace vario
