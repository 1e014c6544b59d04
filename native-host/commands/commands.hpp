// The `vario` subcommands. Each returns the process exit code: 0 success, 1 the input is
// invalid or the work failed (with a located message on stderr), 2 bad usage.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

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
  std::string layout = "split";  // "inline" or "split"
  std::filesystem::path key;     // the account's private key (PEM); required for split
  std::string base_url = "/vario/";
};
int run_build(const BuildArgs& args);

// `vario verify TARGET`: TARGET (a file, or an http(s) URL) against --sha256, --sri or
// --manifest, or a URL against the checksum its server publishes. Prints one verdict line;
// 0 match, 1 mismatch, 2 error (unreadable, unreachable, nothing to compare with).
struct VerifyArgs {
  std::string target;
  std::string sha256;
  std::string sri;
  std::filesystem::path manifest;
  std::string published;  // the checksum URL; default: ORIGIN/v1/tags/NAME/checksum
};
int run_verify(const VerifyArgs& args);

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
  std::string layout = "split";
  std::filesystem::path key;  // empty: a key made for this run, in memory
};
int run_serve(const ServeArgs& args);

}  // namespace vario::host
