#include "vario/page_rules.hpp"

#include <cstddef>

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
  }
  return false;
}

std::string_view url_origin(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return {};
  const std::size_t host_start = scheme_end + 3;
  const std::size_t host_end = url.find_first_of("/?#", host_start);
  if (host_end == host_start) return {};
  return url.substr(0, host_end == std::string_view::npos ? url.size() : host_end);
}

std::string_view url_host(std::string_view url) {
  std::string_view origin = url_origin(url);
  if (origin.empty()) return {};
  std::string_view authority = origin.substr(origin.find("://") + 3);
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    return close == std::string_view::npos ? authority : authority.substr(0, close + 1);
  }
  return authority.substr(0, authority.find(':'));
}

std::string_view url_path(std::string_view url) {
  std::string_view rest = url;
  if (std::string_view origin = url_origin(url); !origin.empty()) rest.remove_prefix(origin.size());
  rest = rest.substr(0, rest.find_first_of("?#"));
  if (rest.empty()) return "/";
  return rest;
}

}  // namespace vario
