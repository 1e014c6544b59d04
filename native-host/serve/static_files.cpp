#include "serve/static_files.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <system_error>
#include <utility>

namespace vario::host {
namespace {

namespace fs = std::filesystem;

bool is_inside(const fs::path& root, const fs::path& candidate) {
  auto [root_end, unused] =
      std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
  return root_end == root.end();
}

}  // namespace

SiteFile resolve_site_file(const fs::path& site_root, std::string_view request_path) {
  if (request_path.empty() || request_path.front() != '/') return {403, {}};
  if (request_path.find('\0') != std::string_view::npos ||
      request_path.find('\\') != std::string_view::npos) {
    return {403, {}};
  }

  // Build the path one segment at a time so that ".." is seen as a segment, whatever the
  // lexical normalization of std::filesystem would make of it.
  fs::path candidate = site_root;
  std::size_t start = 1;
  while (start <= request_path.size()) {
    std::size_t end = request_path.find('/', start);
    if (end == std::string_view::npos) end = request_path.size();
    std::string_view segment = request_path.substr(start, end - start);
    start = end + 1;
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") return {403, {}};
    if (segment.front() == '.') return {404, {}};
    candidate /= std::string(segment);
  }

  std::error_code ec;
  if (fs::is_directory(candidate, ec)) {
    candidate /= "index.html";
  } else if (!fs::exists(candidate, ec) && !candidate.has_extension()) {
    candidate += ".html";
  }

  // canonical() follows symlinks, so a link to /etc inside the site is caught here.
  fs::path resolved = fs::canonical(candidate, ec);
  if (ec) return {404, {}};
  if (!is_inside(site_root, resolved)) return {403, {}};
  if (!fs::is_regular_file(resolved, ec)) return {404, {}};
  return {200, std::move(resolved)};
}

std::string_view content_type_for(const fs::path& file) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".wasm", "application/wasm"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
  }};
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [known, type] : kTypes) {
    if (ext == known) return type;
  }
  return "application/octet-stream";
}

}  // namespace vario::host
