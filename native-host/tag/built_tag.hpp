// What `vario build` produces, in memory: the files a site deploys, and their checksums.
// `vario build -o DIR` writes them; `vario serve` serves them without touching the disk.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vario::host {

// How the tag is deployed (docs/deploying.md, "Two layouts").
enum class TagLayout {
  kInline,  // one tag.js holding the loader, the engine and the campaigns
  kSplit,   // a loader, a content-addressed engine, a signed campaigns file
};

// What a file is to the page, which is what decides how long it may be cached.
enum class TagFileRole {
  kLoader,     // tag.js, the file the page's <script> references
  kEngine,     // vario.<hash>.wasm (split layout): changes only with a Vario release
  kCampaigns,  // campaigns.bin (split layout): changes at every publish
  kManifest,   // manifest.json: the checksums, for people and `vario verify`
};

struct TagFile {
  std::string name;          // "tag.js", "vario.0123456789abcdef.wasm", "campaigns.bin", ...
  std::string content_type;  // "text/javascript; charset=utf-8", "application/wasm", ...
  std::string bytes;
  TagFileRole role = TagFileRole::kLoader;
};

struct BuiltTag {
  TagLayout layout = TagLayout::kSplit;
  std::vector<TagFile> files;  // the loader first, the manifest last
  std::string tag_sha256_hex;  // SHA-256 of tag.js, lowercase hex
  std::string tag_sri;         // "sha384-<base64>" of tag.js, for <script integrity=...>
  // SHA-256 hex of the compiled campaigns the engine loads (the same in both layouts, and
  // whatever key signed them): what names one publish.
  std::string campaigns_digest;
  std::string key_id;   // the id of the key that signed the campaigns file; empty when inline
  std::string snippet;  // the <script> element to paste into <head>

  const TagFile* find(std::string_view name) const {
    for (const auto& f : files)
      if (f.name == name) return &f;
    return nullptr;
  }
};

}  // namespace vario::host
