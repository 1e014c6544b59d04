#include "support/inline_style.hpp"

#include <algorithm>
#include <cctype>

#include "support/dom_tree.hpp"

namespace vario::testing {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ascii_whitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_whitespace(s.back())) s.remove_suffix(1);
  return s;
}

// Calls top_level(i) for every character of `text` outside strings and brackets. False when a
// string, bracket or escape is left open or a bracket closes one never opened.
template <class F>
bool scan_top_level(std::string_view text, F top_level) {
  std::string closers;  // the brackets still open, innermost last
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') {
      if (++i == text.size()) return false;
    } else if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '(' || c == '[') {
      closers += c == '(' ? ')' : ']';
    } else if (c == ')' || c == ']') {
      if (closers.empty() || closers.back() != c) return false;
      closers.pop_back();
    } else if (closers.empty()) {
      top_level(i);
    }
  }
  return !quote && closers.empty();
}

std::string property_key(std::string_view name) {
  return name.substr(0, 2) == "--" ? std::string(name) : ascii_lowercase(name);
}

// Splits "value !important" (any case, whitespace allowed after the '!').
std::pair<std::string_view, bool> split_important(std::string_view value) {
  const std::size_t bang = value.rfind('!');
  if (bang == std::string_view::npos) return {value, false};
  if (ascii_lowercase(trim(value.substr(bang + 1))) != "important") return {value, false};
  return {trim(value.substr(0, bang)), true};
}

void add_declaration(std::vector<StyleDeclaration>& out, StyleDeclaration d) {
  const auto earlier = std::find_if(
      out.begin(), out.end(), [&](const StyleDeclaration& e) { return e.property == d.property; });
  if (earlier != out.end()) {
    if (earlier->important && !d.important) return;
    out.erase(earlier);
  }
  out.push_back(std::move(d));
}

}  // namespace

std::vector<StyleDeclaration> parse_inline_style(std::string_view text) {
  std::vector<std::size_t> ends;
  scan_top_level(text, [&](std::size_t i) {
    if (text[i] == ';') ends.push_back(i);
  });
  ends.push_back(text.size());
  std::vector<StyleDeclaration> out;
  std::size_t begin = 0;
  for (const std::size_t end : ends) {
    const std::string_view declaration = text.substr(begin, end - begin);
    begin = end + 1;
    const std::size_t colon = declaration.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = trim(declaration.substr(0, colon));
    const auto [value, important] = split_important(trim(declaration.substr(colon + 1)));
    if (name.empty() || value.empty()) continue;
    add_declaration(out, {property_key(name), std::string(value), important});
  }
  return out;
}

std::optional<StyleDeclaration> find_inline_style(std::string_view attribute,
                                                  std::string_view property) {
  const std::string key = property_key(property);
  for (auto& d : parse_inline_style(attribute))
    if (d.property == key) return std::move(d);
  return std::nullopt;
}

std::string serialize_inline_style(const std::vector<StyleDeclaration>& declarations) {
  std::string out;
  for (const auto& d : declarations) {
    if (!out.empty()) out += ' ';
    out += d.property + ": " + d.value + (d.important ? " !important;" : ";");
  }
  return out;
}

bool acceptable_style(std::string_view property, std::string_view value) {
  const bool custom = property.substr(0, 2) == "--";
  if (property.empty() || (!custom && property.substr(0, 1) != "-" &&
                           !std::isalpha(static_cast<unsigned char>(property[0]))))
    return false;
  for (const char c : property)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  bool breaks_out = false;
  const bool balanced = scan_top_level(value, [&](std::size_t i) {
    if (std::string_view(";{}!").find(value[i]) != std::string_view::npos) breaks_out = true;
  });
  return balanced && !breaks_out;
}

std::optional<std::string> set_inline_style(std::string_view attribute, std::string_view property,
                                            std::string_view value, bool important) {
  std::vector<StyleDeclaration> declarations = parse_inline_style(attribute);
  const std::string key = property_key(property);
  const auto it = std::find_if(declarations.begin(), declarations.end(),
                               [&](const StyleDeclaration& d) { return d.property == key; });
  value = trim(value);
  if (value.empty()) {
    if (it == declarations.end()) return std::nullopt;
    declarations.erase(it);
  } else if (it != declarations.end()) {
    // setProperty() on a property already set keeps its place in the block.
    it->value = std::string(value);
    it->important = important;
  } else {
    declarations.push_back({key, std::string(value), important});
  }
  return serialize_inline_style(declarations);
}

}  // namespace vario::testing
