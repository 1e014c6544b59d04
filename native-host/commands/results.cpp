// `vario results`, `vario export` and `vario purge`: what the collector stored, read from the
// same store `vario serve` writes (docs/cli.md).
#include "results/results.hpp"

#include <fstream>
#include <iostream>

#include "commands/commands.hpp"
#include "config/rfc3339.hpp"
#include "input_file.hpp"
#include "results/csv_export.hpp"
#include "serve/collector.hpp"
#include "serve/served_campaigns.hpp"
#include "store/event_store.hpp"
#include "store/retention.hpp"

namespace vario::host {

std::optional<std::string> StoreArgs::location(std::string_view command) const {
  if (!store.empty()) {
    if (!is_postgresql_location(store)) {
      std::cerr << "vario " << command << ": --store: must be a PostgreSQL URI starting with "
                << "postgresql:// (use --db for a SQLite file), got " << store << "\n";
      return std::nullopt;
    }
    return store;
  }
  // SQLite would say only "unable to open database file".
  if (const auto folder = folder_instead_of(db, "an events database file")) {
    std::cerr << *folder << "\n";
    return std::nullopt;
  }
  return db.string();
}

namespace {

// The store, opened for reading what `vario serve` wrote; prints why not and returns nullptr.
std::unique_ptr<EventStore> open_for(const StoreArgs& args, std::string_view command) {
  const auto location = args.location(command);
  if (!location) return nullptr;
  if (!is_postgresql_location(*location) && !std::filesystem::exists(*location)) {
    std::cerr << "vario " << command << ": " << *location
              << " does not exist: no events were collected there (vario serve --db)\n";
    return nullptr;
  }
  std::string error;
  auto store = open_event_store(*location, error);
  if (!store) std::cerr << error << "\n";
  return store;
}

}  // namespace

int run_results(const ResultsArgs& args) {
  const auto doc = load_valid_campaigns(args.campaigns);
  if (!doc) return 1;
  const auto store = open_for(args.events, "results");
  if (!store) return 1;
  std::string error;
  const Results results = compute_results(*store, served_campaigns(*doc), error);
  if (!error.empty()) {
    std::cerr << "vario results: could not read the events: " << error << "\n";
    return 1;
  }
  if (args.json)
    std::cout << results_json(results).dump(2) << "\n";
  else
    std::cout << results_table(results);
  return 0;
}

int run_export(const ExportArgs& args) {
  const auto doc = load_valid_campaigns(args.campaigns);
  if (!doc) return 1;
  const ServedCampaigns served = served_campaigns(*doc);
  if (!served.campaign(args.campaign)) {
    std::string known;
    for (const auto& c : served.campaigns) known += (known.empty() ? "" : ", ") + c.id;
    std::cerr << "vario export: --campaign: no campaign '" << args.campaign << "' in "
              << args.campaigns.string() << " (its campaigns: " << known << ")\n";
    return 1;
  }
  const auto store = open_for(args.events, "export");
  if (!store) return 1;
  std::ofstream file;
  if (!args.out.empty()) {
    file.open(args.out, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "vario export: cannot write " << args.out.string() << "\n";
      return 1;
    }
  }
  std::ostream& out = args.out.empty() ? std::cout : file;
  std::string error;
  if (!export_campaign_csv(
          *store, served.account, args.campaign,
          [&](std::string_view chunk) { out.write(chunk.data(), std::ssize(chunk)); }, error)) {
    std::cerr << "vario export: could not read the events: " << error << "\n";
    return 1;
  }
  out.flush();
  return out ? 0 : 1;
}

int run_purge(const PurgeArgs& args) {
  if (const auto problem = kRetentionRange.problem(args.retention_months)) {
    std::cerr << "vario purge: --retention-months: " << *problem << "\n";
    return 2;
  }
  const auto store = open_for(args.events, "purge");
  if (!store) return 1;
  const std::int64_t oldest = months_before(now_ms(), args.retention_months);
  std::string error;
  const auto deleted = store->purge_older_than(oldest, error);
  if (!deleted) {
    std::cerr << "vario purge: " << error << "\n";
    return 1;
  }
  std::cout << "Deleted " << *deleted << (*deleted == 1 ? " event" : " events") << " older than "
            << args.retention_months << " months (before " << format_rfc3339_utc(oldest / 1000)
            << ") from " << store->description() << "\n";
  return 0;
}

}  // namespace vario::host
