// The parts of a page URL that page rules and attributes look at. URLs come from the browser
// (location.href, already normalized) or from `vario decide`, which may pass a bare path.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vario {

// The path of a URL: "https://shop.example/a/b?q#h" -> "/a/b"; a URL that already is a path
// ("/a/b?q") loses its query and fragment; a URL with no path gives "/".
std::string_view url_path(std::string_view url);

// The origin of an absolute URL ("https://shop.example:8443"); empty when `url` has no
// scheme and host.
std::string_view url_origin(std::string_view url);

// The host of an origin or absolute URL, without port ("127.0.0.1", "[::1]", "localhost").
std::string_view url_host(std::string_view url);

// The query string without its '?' and without any fragment; empty when there is none.
std::string_view url_query(std::string_view url);

// The fragment without its '#'; empty when there is none.
std::string_view url_fragment(std::string_view url);

// application/x-www-form-urlencoded decoding as URLSearchParams does it: '+' is a space,
// %XX is a byte, a malformed escape stays as written.
std::string form_decode(std::string_view s);

// The query's parameters, decoded, in order ("a=1&b&a=2" -> a:1, b:"", a:2).
std::vector<std::pair<std::string, std::string>> query_params(std::string_view query);

// The decoded value of the last parameter named `name`, nullopt when there is none.
std::optional<std::string> query_param(std::string_view query, std::string_view name);

}  // namespace vario
