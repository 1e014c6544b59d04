// Validation of a variation's changes (docs/changes.md): each action's fields, the values they
// carry (selectors, HTML, attribute names and values, classes, CSS properties and values,
// stylesheets, redirect URLs), and that a variation that redirects does nothing else. Internal
// to the validator (config/validate.hpp).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/validate_report.hpp"

namespace vario::host::validation {

// At most this many changes in one variation.
constexpr std::size_t kMaxChanges = 200;

// The actions a change may have, in the order docs/changes.md describes them.
std::span<const std::string_view> change_actions();

// A redirect whose own fields are valid, for the checks across campaigns
// (config/validate_redirects.hpp).
struct Redirect {
  std::string url;
  bool keep_query = true;
  std::string pointer;  // of its "url"
};

// The class names of an add_class or remove_class value: the runs between ASCII whitespace,
// as classList.add() takes them one by one ("  sale  new" -> "sale", "new").
std::vector<std::string_view> class_names(std::string_view value);

// Checks a CSS selector at `p` (a string, at most 1024 characters, that Chromium's
// querySelectorAll accepts) and reports what is wrong; true when it is valid.
bool check_selector(Report& report, const json& v, const std::string& p);

// Checks the "changes" array of a variation at `p`: every change, and that a variation that
// redirects has no other change and only one redirect. Returns the redirects whose url and
// keep_query are valid, in order.
std::vector<Redirect> check_changes(Report& report, const json& changes, const std::string& p);

}  // namespace vario::host::validation
