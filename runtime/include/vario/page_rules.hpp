// Page rules: which pages a campaign runs on, matched against the URL path.
#pragma once

#include <string_view>

namespace vario {

enum class MatchKind { kExact, kPrefix, kContains, kGlob };

// True when `path` satisfies the rule. Glob: '*' matches any run of characters (including
// '/'), '?' exactly one character; everything else matches itself.
bool page_rule_matches(MatchKind kind, std::string_view pattern, std::string_view path);

// The path of a URL: "https://shop.example/a/b?q#h" -> "/a/b"; a URL that already is a path
// ("/a/b?q") loses its query and fragment; a URL with no path gives "/".
std::string_view url_path(std::string_view url);

// The origin of an absolute URL ("https://shop.example:8443"); empty when `url` has no
// scheme and host.
std::string_view url_origin(std::string_view url);

// The host of an origin or absolute URL, without port ("127.0.0.1", "[::1]", "localhost").
std::string_view url_host(std::string_view url);

}  // namespace vario
