// `vario build`: validated campaigns JSON + the engine (vario.wasm and the tag template from the
// wasm preset) -> the deployable tag files and their checksums.
#pragma once

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

// Builds tag.js, vario.wasm, campaigns.bin and manifest.json from a document that
// validate_campaigns() accepted. Byte-identical for identical inputs. Throws
// std::runtime_error when the template lacks its placeholder.
BuiltTag build_tag(const nlohmann::json& campaigns, const EngineFiles& engine);

// The lines `vario build` prints: each file with its size, SHA-256 and SRI value, then the
// <script> element to paste.
std::string describe(const BuiltTag& tag);

}  // namespace vario::host
