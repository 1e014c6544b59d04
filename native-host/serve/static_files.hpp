// Maps a request path onto a file of the demo site, without ever leaving the site folder.
#pragma once

#include <filesystem>
#include <string_view>

namespace vario::host {

// The outcome of resolving a request path: `status` is 200 with `file` set to an existing
// regular file inside the site, 403 when the path tries to leave the site (a ".." segment, a
// backslash, a NUL byte, or a symlink pointing outside), or 404 when there is no such file
// (including hidden files and folders, whose names start with ".").
struct SiteFile {
  int status = 404;
  std::filesystem::path file;
};

// Resolves `request_path` (already percent-decoded, starting with "/") under `site_root`, which
// must be a canonical path (std::filesystem::canonical). "/" and any folder map to its
// index.html; a path without an extension that names no file maps to "<path>.html".
SiteFile resolve_site_file(const std::filesystem::path& site_root, std::string_view request_path);

// The Content-Type for a file, by extension (case-insensitive): html, css, js, mjs, json, svg,
// png, jpg/jpeg, gif, webp, ico, wasm, txt, woff2; anything else is application/octet-stream.
std::string_view content_type_for(const std::filesystem::path& file);

}  // namespace vario::host
