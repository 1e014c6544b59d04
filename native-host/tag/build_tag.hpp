// `vario build`: validated campaigns JSON + the engine (vario.wasm and the tag template from the
// wasm preset) -> the deployable tag files and their checksums, in one of two layouts
// (docs/deploying.md):
//   inline  tag.js = the loader with the engine and the campaigns inside, pinned as one file;
//   split   tag.js = the loader alone, which pins the engine by its SHA-256 and takes any
//           campaigns file signed by the account's key:
//             vario.<first 16 hex digits of its SHA-256>.wasm
//             campaigns.bin = "VSC1", u32 little-endian header length, the header (JSON: account,
//               key id, campaigns digest, what to hide, the reveal bound, the preview key), the
//               compiled campaigns, then a 64-byte ECDSA P-256 / SHA-256 signature (P1363) of
//               every byte before it.
#pragma once

#include <openssl/evp.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tag/built_tag.hpp"

namespace vario::host {

// The engine half of a build, produced by the wasm preset.
struct EngineFiles {
  std::string wasm;          // vario.wasm
  std::string tag_template;  // tag.template.js: the minified js-shim with "@VARIO_BUILD@"
};

// Reads vario.wasm and tag.template.js from `dir`. Throws std::runtime_error naming the missing
// file and the command that builds it.
EngineFiles load_engine_files(const std::filesystem::path& dir);

// The engine folder next to this executable (build/native/vario -> build/wasm).
std::filesystem::path default_engine_dir();

struct TagOptions {
  TagLayout layout = TagLayout::kSplit;
  // The account's ECDSA P-256 private key, which signs the campaigns file (and whose public
  // key the loader carries). Required for the split layout, unused inline. Not owned.
  EVP_PKEY* key = nullptr;
  // Where the files will be served from, for the snippet's src ("/vario/" + "tag.js").
  std::string base_url = "/vario/";
};

// Builds the files of `options.layout`, then manifest.json, from a document that
// validate_campaigns() accepted. Byte-identical for identical inputs (signatures included: they
// are deterministic). Throws std::runtime_error when the template lacks its placeholder or the
// split layout has no key.
BuiltTag build_tag(const nlohmann::json& campaigns, const EngineFiles& engine,
                   const TagOptions& options);

// The lines `vario build` prints: each file with its size, SHA-256 and SRI value, the
// campaigns digest (and key), then the <script> element to paste.
std::string describe(const BuiltTag& tag);

// "inline" or "split".
std::string_view layout_name(TagLayout layout);

}  // namespace vario::host
