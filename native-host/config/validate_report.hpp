// The parts of the campaigns validator (config/validate.hpp) that its pieces share: the
// wording of messages (quoting, suggestions, JSON pointers) and a Report that collects
// Diagnostics through the checks every field needs (type, range, length, one of a list, known
// fields). Internal to native-host/config; the validator's promises are in validate.hpp.
#pragma once

#include <algorithm>
#include <cstdint>
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

// The number, counted in characters from 1, of the character starting at byte `i` of `s`.
std::size_t character_number(std::string_view s, std::size_t i);

// "'x' (character 3)" for the character starting at byte `i`, shown whole.
std::string character_at(std::string_view s, std::size_t i);

// 'value' in quotes for a message, cut after 60 characters so one value cannot flood the output.
std::string in_quotes(std::string_view s);

// "'a', 'b' or 'c'" (or with another word before the last name: "'a', 'b' and 'c'").
std::string in_quotes_list(std::span<const std::string_view> names, std::string_view last = "or");

// Near misses of known names, shared with the engine's visitor reader: closest(word,
// candidates) and suggestion(word, candidates), "; did you mean 'weight'?" or "".
using vario::closest;
using vario::suggestion;

// ---- text ----------------------------------------------------------------------------------

// Space, tab, LF, FF and CR: what HTML, CSS and URLs all call ASCII whitespace.
bool is_ascii_whitespace(char c);

// `s` with A-Z lowered and every other byte kept, so offsets into it are offsets into `s`.
std::string ascii_lowercase(std::string_view s);

// The value of a hex digit (0-9, a-f, A-F), or -1 for any other character.
int hex_digit_value(char c);

// Appends code point `cp` (at most U+10FFFF) to `out` in UTF-8.
void append_utf8(std::string& out, std::uint32_t cp);

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
  // reported once, as unknown with a suggestion, not also as missing. An unknown field that
  // looks like no known one gets `unknown_note` after its message when there is one ("unknown
  // field 'name': set_text takes 'selector' and 'value'").
  template <class OnField>
  void fields(const json& obj, const std::string& p, std::span<const std::string_view> required,
              std::span<const std::string_view> optional, OnField&& on_field,
              std::string_view unknown_note = {}) {
    std::vector<std::string_view> names(required.begin(), required.end());
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
      else if (const std::string near = suggestion(key, names);
               near.empty() && !unknown_note.empty())
        error(child(p, key), "unknown field " + in_quotes(key) + ": " + std::string(unknown_note));
      else
        error(child(p, key), "unknown field " + in_quotes(key) + near);
    }
  }
  template <class OnField>
  void fields(const json& obj, const std::string& p,
              std::initializer_list<std::string_view> required,
              std::initializer_list<std::string_view> optional, OnField&& on_field) {
    fields(obj, p, std::span(required.begin(), required.size()),
           std::span(optional.begin(), optional.size()), std::forward<OnField>(on_field));
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
