// What `vario build` produces, in memory: the files a site deploys, and their checksums.
// `vario build -o DIR` writes them; `vario serve` serves them without touching the disk.
#pragma once

#include <string>
#include <vector>

namespace vario::host {

struct TagFile {
  std::string name;          // "tag.js", "vario.wasm", "campaigns.bin", "manifest.json"
  std::string content_type;  // "text/javascript; charset=utf-8", "application/wasm", ...
  std::string bytes;
};

struct BuiltTag {
  std::vector<TagFile> files;
  std::string tag_sha256_hex;  // SHA-256 of tag.js, lowercase hex
  std::string tag_sri;         // "sha384-<base64>" of tag.js, for <script integrity=...>

  const TagFile* find(std::string_view name) const {
    for (const auto& f : files)
      if (f.name == name) return &f;
    return nullptr;
  }
};

}  // namespace vario::host
