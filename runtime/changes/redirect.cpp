#include "vario/redirect.hpp"

#include <algorithm>

#include "vario/url.hpp"

namespace vario {
namespace {

// "path?query" without the fragment.
std::string_view without_fragment(std::string_view url) { return url.substr(0, url.find('#')); }

}  // namespace

std::string redirect_target(std::string_view url, std::string_view page_url, bool keep_query) {
  std::string out = url.starts_with('/') && !url.starts_with("//")
                        ? std::string(url_origin(page_url)) + std::string(url)
                        : std::string(url);
  if (!keep_query) return out;
  const std::string_view fragment = url_fragment(out);
  const bool has_fragment = out.find('#') != std::string::npos;
  std::string base(without_fragment(out));
  const std::string_view query = url_query(page_url);
  if (!query.empty()) base.append(base.find('?') == std::string::npos ? "?" : "&").append(query);
  const std::string_view page_fragment = url_fragment(page_url);
  if (has_fragment) base.append("#").append(fragment);
  else if (!page_fragment.empty()) base.append("#").append(page_fragment);
  return base;
}

bool on_redirect_target(std::string_view page_url, std::string_view target_url) {
  const std::string_view target_origin = url_origin(target_url);
  if (!target_origin.empty() && target_origin != url_origin(page_url)) return false;
  if (url_path(page_url) != url_path(target_url)) return false;
  const auto page_params = query_params(url_query(page_url));
  for (const auto& param : query_params(url_query(target_url)))
    if (std::find(page_params.begin(), page_params.end(), param) == page_params.end()) return false;
  return true;
}

}  // namespace vario
