// The parts of the campaigns validator (config/validate.hpp) that its pieces share: the
// wording of messages (quoting, suggestions, JSON pointers) and a Report that collects
// Diagnostics through the checks every field needs (type, range, length, one of a list, known
// fields). Internal to native-host/config; the validator's promises are in validate.hpp.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/validate.hpp"
#include "vario/suggestion.hpp"

namespace vario::host::validation {

using nlohmann::json;

// Ids of campaigns, variations, holdouts, groups and saved groups travel in cookies, events and
// CSV exports: 1 to 64 of A-Z a-z 0-9 _ -.
constexpr std::size_t kMaxIdChars = 64;

// ---- wording -------------------------------------------------------------------------------

// `pointer` extended by one object key (escaped as RFC 6901 says) or one array index.
std::string child(const std::string& pointer, std::string_view key);
std::string child(const std::string& pointer, std::size_t index);

// Characters (code points) in UTF-8 text: what a person writing the file counts.
std::size_t char_count(std::string_view utf8);

// "'x' (character 3)" for the character starting at byte `i`, shown whole.
std::string character_at(std::string_view s, std::size_t i);

// 'value' in quotes for a message, cut after 60 characters so one value cannot flood the output.
std::string in_quotes(std::string_view s);

// "'a', 'b' or 'c'".
std::string in_quotes_list(std::span<const std::string_view> names);

// Near misses of known names, shared with the engine's visitor reader: closest(word,
// candidates) and suggestion(word, candidates), "; did you mean 'weight'?" or "".
using vario::closest;
using vario::suggestion;

// A number written as a person would read it back: 0.5, 1, 1e-07.
std::string number_text(double d);

// A whole number, also when written as a float (1500.0).
bool is_integral(const json& v);

// The problem with `s` as an id (empty, too long, a character outside A-Z a-z 0-9 _ -), or
// nullopt when it is a valid id.
std::optional<std::string> identifier_problem(std::string_view s);

// The problem with `s` as an attribute name (^[A-Za-z_][A-Za-z0-9_]*$), or nullopt.
std::optional<std::string> attribute_name_problem(std::string_view s);

// ---- collecting diagnostics ----------------------------------------------------------------

enum class Kind { kString, kBoolean, kNumber, kInteger, kObject, kArray };

class Report {
 public:
  std::vector<Diagnostic> take() { return std::move(diagnostics_); }
  // Problems found beyond the kMaxDiagnostics kept.
  std::size_t left_out() const { return left_out_; }

  void error(std::string pointer, std::string message);

  // Each check reports its own problem at `p` and says whether the value passed, so that a
  // caller looks inside a value only when its shape is right.
  bool expect(const json& v, const std::string& p, Kind kind);
  // Expects a number first (the caller has checked the type).
  bool range(const json& v, const std::string& p, double low, double high);
  bool max_chars(const std::string& s, const std::string& p, std::size_t limit);
  bool one_of(const json& v, const std::string& p, std::initializer_list<std::string_view> allowed);
  bool identifier(const json& v, const std::string& p);

  // Reports the required fields `obj` lacks (at `p`) and the fields it should not have, then
  // hands every known field to `on_field`, in the object's order. A misspelt required field is
  // reported once, as unknown with a suggestion, not also as missing.
  template <class OnField>
  void fields(const json& obj, const std::string& p,
              std::initializer_list<std::string_view> required,
              std::initializer_list<std::string_view> optional, OnField&& on_field) {
    std::vector<std::string_view> names(required);
    names.insert(names.end(), optional.begin(), optional.end());
    const auto known = [&](const std::string& key) {
      return std::find(names.begin(), names.end(), key) != names.end();
    };
    std::set<std::string_view> meant;  // the known names unknown keys look like
    for (const auto& [key, value] : obj.items())
      if (!known(key))
        if (const auto best = closest(key, names)) meant.insert(*best);
    for (std::string_view name : required)
      if (!obj.contains(name) && !meant.contains(name))
        error(p, "missing required field " + in_quotes(name));
    for (const auto& [key, value] : obj.items()) {
      if (known(key))
        on_field(std::string_view(key), value, child(p, key));
      else
        error(child(p, key), "unknown field " + in_quotes(key) + suggestion(key, names));
    }
  }

  // Whether `obj` has a key that is, or looks like a misspelling of, `name` (so that its absence
  // is already reported as an unknown field with a suggestion).
  static bool has_or_misspells(const json& obj, std::string_view name,
                               std::span<const std::string_view> known_names);

 private:
  std::vector<Diagnostic> diagnostics_;
  std::size_t left_out_ = 0;
};

}  // namespace vario::host::validation
