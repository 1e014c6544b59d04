// The `vario` subcommands. Each returns the process exit code: 0 success, 1 the input is
// invalid or the work failed (with a located message on stderr), 2 bad usage.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
// Months events are kept: at most the 25 the platform promises, never more.
inline constexpr OptionRange<int> kRetentionRange{1, 25};

// Where events are: --db (a SQLite file, the default) or --store (a PostgreSQL URI).
struct StoreArgs {
  std::filesystem::path db = ".vario/events.db";
  std::string store;

  // The location open_event_store() takes; prints the problem and returns nullopt when the
  // two options contradict each other or --db names a folder.
  std::optional<std::string> location(std::string_view command) const;
};

struct ServeArgs {
  std::filesystem::path campaigns;
  std::filesystem::path site;
  StoreArgs events;
  std::filesystem::path engine_dir;
  std::string host;
  int port = 8080;
  std::vector<std::string> origins;
  int retention_months = 25;
  std::string layout = "split";
  std::filesystem::path key;  // empty: a key made for this run, in memory
};
int run_serve(const ServeArgs& args);

// `vario results`: the results of every campaign of the file, as a table or as JSON.
struct ResultsArgs {
  std::filesystem::path campaigns;
  StoreArgs events;
  bool json = false;
};
int run_results(const ResultsArgs& args);

// `vario export`: one campaign's events as CSV, to stdout or a file.
struct ExportArgs {
  std::filesystem::path campaigns;
  StoreArgs events;
  std::string campaign;
  std::filesystem::path out;  // empty: stdout
};
int run_export(const ExportArgs& args);

// `vario purge`: deletes the events older than the retention window, of every account.
struct PurgeArgs {
  StoreArgs events;
  int retention_months = 25;
};
int run_purge(const PurgeArgs& args);

}  // namespace vario::host
