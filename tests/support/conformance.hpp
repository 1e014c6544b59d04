// Access to ../shared/conformance (other projects' published test data). Tests that need it
// say "skipped" with the reason when the folder is absent instead of passing silently.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

namespace vario::testing {

inline std::optional<nlohmann::json> conformance_file(const std::string& relative) {
  const char* dir = std::getenv("VARIO_CONFORMANCE_DIR");
  const std::filesystem::path root = dir ? dir : "../shared/conformance";
  std::ifstream in(root / relative);
  if (!in) return std::nullopt;
  return nlohmann::json::parse(in);
}

inline std::filesystem::path source_dir() {
  const char* dir = std::getenv("VARIO_SOURCE_DIR");
  return dir ? dir : ".";
}

}  // namespace vario::testing
