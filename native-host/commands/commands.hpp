// The `vario` subcommands. Each returns the process exit code: 0 success, 1 the input is
// invalid or the work failed (with a located message on stderr), 2 bad usage.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "commands/option_range.hpp"

namespace vario::host {

// Reads and validates a campaigns file; prints every diagnostic as "FILE: /pointer: message"
// on stderr and returns nullopt when there is any.
std::optional<nlohmann::json> load_valid_campaigns(const std::filesystem::path& file);

int run_check(const std::filesystem::path& campaigns);

struct BuildArgs {
  std::filesystem::path campaigns;
  std::filesystem::path out_dir;
  std::filesystem::path engine_dir;
};
int run_build(const BuildArgs& args);

struct DecideArgs {
  std::filesystem::path campaigns;
  std::filesystem::path visitor;   // one visitor JSON object
  std::filesystem::path visitors;  // JSON lines, one visitor per line
};
int run_decide(const DecideArgs& args);

inline constexpr OptionRange<int> kPortRange{0, 65535};

struct ServeArgs {
  std::filesystem::path campaigns;
  std::filesystem::path site;
  std::filesystem::path db;
  std::filesystem::path engine_dir;
  std::string host;
  int port = 8080;
};
int run_serve(const ServeArgs& args);

}  // namespace vario::host
