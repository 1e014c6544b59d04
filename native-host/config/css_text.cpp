#include "config/css_text.hpp"

#include <cstdint>

#include "config/html_safety.hpp"
#include "config/validate_report.hpp"

namespace vario::host {
namespace {

using validation::ascii_lowercase;
using validation::character_at;
using validation::character_number;
using validation::hex_digit_value;
using validation::is_ascii_whitespace;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

std::string where(std::string_view s, std::size_t i) {
  return "at character " + std::to_string(character_number(s, i));
}

// CSS escapes decoded ("\6a avascript:" is "javascript:"), so that a scheme cannot hide behind
// them. Code points beyond ASCII only need to stay non-ASCII: they never spell a scheme.
std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    std::size_t j = i + 1;
    std::uint32_t cp = 0;
    for (; j < s.size() && j < i + 7 && hex_digit_value(s[j]) >= 0; ++j)
      cp = cp * 16 + static_cast<std::uint32_t>(hex_digit_value(s[j]));
    if (j == i + 1) {  // "\x" is x
      out += s[j];
      i = j;
      continue;
    }
    if (j < s.size() && is_ascii_whitespace(s[j])) ++j;  // one space ends the escape
    out += cp < 0x80 ? static_cast<char>(cp) : '\x80';
    i = j - 1;
  }
  return out;
}

// The argument of url( or the string after @import starting at `i`: quoted or up to ')'.
std::string_view argument_at(std::string_view s, std::size_t i) {
  while (i < s.size() && is_ascii_whitespace(s[i])) ++i;
  if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
    const std::size_t close = s.find(s[i], i + 1);
    return s.substr(i + 1,
                    close == std::string_view::npos ? std::string_view::npos : close - i - 1);
  }
  const std::size_t close = s.find(')', i);
  return s.substr(i, close == std::string_view::npos ? std::string_view::npos : close - i);
}

// `word` at `i` of the lowercased text, not inside a longer name ("myexpression(" is not it).
bool word_at(const std::string& lower, std::size_t i, std::string_view word) {
  return lower.compare(i, word.size(), word) == 0 && (i == 0 || !is_name_char(lower[i - 1]));
}

// url(javascript:...), @import "javascript:..." and expression(...).
std::optional<std::string> script_problem(std::string_view css) {
  const std::string lower = ascii_lowercase(css);
  for (std::size_t i = 0; i < lower.size(); ++i) {
    std::optional<std::string_view> argument;
    if (word_at(lower, i, "url(")) {
      argument = argument_at(css, i + 4);
    } else if (lower.compare(i, 7, "@import") == 0) {
      std::size_t j = i + 7;
      while (j < css.size() && is_ascii_whitespace(css[j])) ++j;
      if (j < css.size() && (css[j] == '"' || css[j] == '\'')) argument = argument_at(css, j);
    } else if (word_at(lower, i, "expression")) {
      std::size_t j = i + 10;
      while (j < css.size() && is_ascii_whitespace(css[j])) ++j;
      if (j < css.size() && css[j] == '(')
        return "uses expression() " + where(css, i) +
               ": it runs script (in old Internet Explorer), and Vario never runs script";
    }
    if (argument)
      if (const auto scheme = script_url_scheme(unescape(*argument)))
        return "has a " + std::string(*scheme) + " URL " + where(css, i) +
               ": Vario never runs script";
  }
  return std::nullopt;
}

}  // namespace

CssValue split_important(std::string_view value) {
  std::string_view v = value;
  while (!v.empty() && is_ascii_whitespace(v.back())) v.remove_suffix(1);
  constexpr std::string_view kImportant = "important";
  if (v.size() < kImportant.size() ||
      ascii_lowercase(v.substr(v.size() - kImportant.size())) != kImportant)
    return {value, false};
  v.remove_suffix(kImportant.size());
  while (!v.empty() && is_ascii_whitespace(v.back())) v.remove_suffix(1);
  if (v.empty() || v.back() != '!') return {value, false};
  v.remove_suffix(1);
  while (!v.empty() && is_ascii_whitespace(v.back())) v.remove_suffix(1);
  return {v, true};
}

std::optional<std::string> css_value_problem(std::string_view value) {
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == ';')
      return "must be one CSS value: " + character_at(value, i) +
             " would end the declaration; set each property with a set_style change of its own";
    if (value[i] == '{' || value[i] == '}')
      return "must be one CSS value: " + character_at(value, i) + " is not allowed in a value";
    if (value.substr(i).starts_with("</"))
      return "must be one CSS value: '</' (character " +
             std::to_string(character_number(value, i)) + ") is not allowed in a value";
  }
  return script_problem(value);
}

std::optional<std::string> stylesheet_problem(std::string_view css) {
  const std::string lower = ascii_lowercase(css);
  if (const std::size_t at = lower.find("</style"); at != std::string::npos)
    return "has '</style' " + where(css, at) +
           ": it would end the <style> element a stylesheet may be written into";
  return script_problem(css);
}

}  // namespace vario::host
