#include <iostream>

#include "commands/commands.hpp"
#include "input_file.hpp"
#include "serve/served_campaigns.hpp"
#include "serve/server.hpp"
#include "tag/build_tag.hpp"

namespace vario::host {
namespace {

// A browser's Origin header: scheme, host and optional port, nothing after.
std::optional<std::string> origin_problem(const std::string& origin) {
  const bool scheme = origin.starts_with("https://") || origin.starts_with("http://");
  const std::size_t host = origin.find("://") + 3;
  if (!scheme || host >= origin.size() || origin.find_first_of("/?#@ ", host) != std::string::npos)
    return "must be an origin as a browser sends it: https://HOST or https://HOST:PORT, with no "
           "path or trailing '/', got " +
           origin;
  return std::nullopt;
}

}  // namespace

int run_serve(const ServeArgs& args) {
  if (const auto problem = kPortRange.problem(args.port)) {
    std::cerr << "vario serve: --port: " << *problem << "\n";
    return 2;
  }
  if (const auto problem = kRetentionRange.problem(args.retention_months)) {
    std::cerr << "vario serve: --retention-months: " << *problem << "\n";
    return 2;
  }
  for (const std::string& origin : args.origins)
    if (const auto problem = origin_problem(origin)) {
      std::cerr << "vario serve: --origin: " << *problem << "\n";
      return 2;
    }
  const auto location = args.events.location("serve");
  if (!location) return 1;
  const auto doc = load_valid_campaigns(args.campaigns);
  if (!doc) return 1;
  ServeOptions options;
  try {
    options.tag = build_tag(*doc, load_engine_files(args.engine_dir));
  } catch (const std::exception& e) {
    std::cerr << "vario serve: " << e.what() << "\n";
    return 1;
  }
  options.host = args.host;
  options.port = args.port;
  options.site_dir = args.site;
  options.db_path = args.events.db;
  options.store = *location;
  options.account = doc->at("account").get<std::string>();
  options.served = served_campaigns(*doc);
  options.origins = args.origins;
  options.retention_months = args.retention_months;
  return serve(options);
}

}  // namespace vario::host
