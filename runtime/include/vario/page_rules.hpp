// Page rules: which pages a campaign runs on, matched against one part of the page URL.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "vario/regex.hpp"
#include "vario/url.hpp"

namespace vario {

enum class MatchKind { kExact, kPrefix, kContains, kGlob, kRegex };
enum class UrlPart { kPath, kUrl, kHost, kQuery, kHash };

struct PageRule {
  MatchKind kind = MatchKind::kExact;
  std::string_view value;
  UrlPart on = UrlPart::kPath;
  std::string_view param;  // with on = kQuery: match this parameter's value; empty: the query
};

// True when `subject` satisfies a non-regex rule. Glob: '*' matches any run of characters
// (including '/'), '?' exactly one character; everything else matches itself. kRegex needs a
// RegexTester: use the overload below.
bool page_rule_matches(MatchKind kind, std::string_view pattern, std::string_view subject);

// The parts of one page URL that rules look at, split once for all the rules of a decision.
struct UrlParts {
  explicit UrlParts(std::string_view url)
      : url(url),
        path(url_path(url)),
        host(url_host(url)),
        query(url_query(url)),
        fragment(url_fragment(url)) {}
  std::string_view url, path, host, query, fragment;
};

// Whether the page at `url` satisfies `rule`. A rule on a query parameter the URL lacks does
// not match. nullopt when the rule is a regex the host rejects.
std::optional<bool> page_rule_matches(const PageRule& rule, std::string_view url,
                                      const RegexTester& regex);
std::optional<bool> page_rule_matches(const PageRule& rule, const UrlParts& url,
                                      const RegexTester& regex);

}  // namespace vario
