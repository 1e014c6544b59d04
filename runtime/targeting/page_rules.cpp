#include "vario/page_rules.hpp"

#include <cstddef>
#include <string>

namespace vario {
namespace {

// Iterative glob with single-star backtracking: linear in practice, no recursion, so a
// hostile pattern cannot blow the wasm stack.
bool glob_matches(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

bool page_rule_matches(MatchKind kind, std::string_view pattern, std::string_view path) {
  switch (kind) {
    case MatchKind::kExact:
      return path == pattern;
    case MatchKind::kPrefix:
      return path.starts_with(pattern);
    case MatchKind::kContains:
      return path.find(pattern) != std::string_view::npos;
    case MatchKind::kGlob:
      return glob_matches(pattern, path);
    case MatchKind::kRegex:
      return false;  // needs the host: the overload taking a RegexTester
  }
  return false;
}

std::optional<bool> page_rule_matches(const PageRule& rule, std::string_view url,
                                      const RegexTester& regex) {
  return page_rule_matches(rule, UrlParts(url), regex);
}

std::optional<bool> page_rule_matches(const PageRule& rule, const UrlParts& url,
                                      const RegexTester& regex) {
  std::string decoded;  // owns a query parameter's value
  std::string_view subject;
  switch (rule.on) {
    case UrlPart::kPath:
      subject = url.path;
      break;
    case UrlPart::kUrl:
      subject = url.url;
      break;
    case UrlPart::kHost:
      subject = url.host;
      break;
    case UrlPart::kHash:
      subject = url.fragment;
      break;
    case UrlPart::kQuery:
      subject = url.query;
      if (!rule.param.empty()) {
        auto value = query_param(subject, rule.param);
        if (!value) return false;
        decoded = std::move(*value);
        subject = decoded;
      }
      break;
  }
  if (rule.kind == MatchKind::kRegex) return regex.regex_test(rule.value, "", subject);
  return page_rule_matches(rule.kind, rule.value, subject);
}

}  // namespace vario
