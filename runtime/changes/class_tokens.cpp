#include "changes/class_tokens.hpp"

#include <algorithm>
#include <vector>

namespace vario {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

// Unique tokens in order, as DOMTokenList keeps them.
std::vector<std::string_view> tokens(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    const std::size_t start = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    const std::string_view t = s.substr(start, i - start);
    if (!t.empty() && std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  return out;
}

bool contains(const std::vector<std::string_view>& list, std::string_view t) {
  return std::find(list.begin(), list.end(), t) != list.end();
}

std::string join(const std::vector<std::string_view>& list) {
  std::string out;
  for (const std::string_view t : list) {
    if (!out.empty()) out += ' ';
    out.append(t);
  }
  return out;
}

}  // namespace

std::string with_classes(std::string_view attribute, std::string_view classes) {
  std::vector<std::string_view> list = tokens(attribute);
  for (const std::string_view t : tokens(classes))
    if (!contains(list, t)) list.push_back(t);
  return join(list);
}

std::string without_classes(std::string_view attribute, std::string_view classes) {
  const std::vector<std::string_view> gone = tokens(classes);
  std::vector<std::string_view> list = tokens(attribute);
  std::erase_if(list, [&](std::string_view t) { return contains(gone, t); });
  return join(list);
}

std::string added_classes(std::string_view attribute, std::string_view classes) {
  const std::vector<std::string_view> had = tokens(attribute);
  std::vector<std::string_view> list = tokens(classes);
  std::erase_if(list, [&](std::string_view t) { return contains(had, t); });
  return join(list);
}

std::string present_classes(std::string_view attribute, std::string_view classes) {
  const std::vector<std::string_view> had = tokens(attribute);
  std::vector<std::string_view> list = tokens(classes);
  std::erase_if(list, [&](std::string_view t) { return !contains(had, t); });
  return join(list);
}

bool has_all_classes(std::string_view attribute, std::string_view classes) {
  const std::vector<std::string_view> had = tokens(attribute);
  for (const std::string_view t : tokens(classes))
    if (!contains(had, t)) return false;
  return true;
}

bool has_no_class(std::string_view attribute, std::string_view classes) {
  const std::vector<std::string_view> had = tokens(attribute);
  for (const std::string_view t : tokens(classes))
    if (contains(had, t)) return false;
  return true;
}

}  // namespace vario
