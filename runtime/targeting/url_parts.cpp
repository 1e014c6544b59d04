#include "vario/url.hpp"

namespace vario {

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

std::string_view url_fragment(std::string_view url) {
  const std::size_t hash = url.find('#');
  return hash == std::string_view::npos ? std::string_view() : url.substr(hash + 1);
}

std::string_view url_query(std::string_view url) {
  url = url.substr(0, url.find('#'));
  const std::size_t mark = url.find('?');
  return mark == std::string_view::npos ? std::string_view() : url.substr(mark + 1);
}

std::string form_decode(std::string_view s) {
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> query_params(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    if (!item.empty()) {
      const std::size_t eq = item.find('=');
      out.emplace_back(form_decode(item.substr(0, eq)),
                       eq == std::string_view::npos ? std::string() : form_decode(item.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  std::optional<std::string> found;
  for (auto& [key, value] : query_params(query))
    if (key == name) found = std::move(value);
  return found;
}

}  // namespace vario
