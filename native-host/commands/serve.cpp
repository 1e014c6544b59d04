#include <iostream>

#include "commands/commands.hpp"
#include "input_file.hpp"
#include "serve/served_campaigns.hpp"
#include "preview/keys.hpp"
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
  const TagLayout layout = args.layout == "inline" ? TagLayout::kInline : TagLayout::kSplit;
  std::optional<Pkey> key;
  if (layout == TagLayout::kSplit && !args.key.empty()) {
    std::string why;
    key = read_private_key(args.key, &why);
    if (!key) {
      std::cerr << why << "\n";
      return 1;
    }
  }
  const auto doc = load_valid_campaigns(args.campaigns);
  if (!doc) return 1;
  ServeOptions options;
  try {
    // The demo must run with no key at hand: a key made for this run signs the campaigns. The
    // loader, which carries its public key, then changes at every start.
    if (layout == TagLayout::kSplit && !key) {
      key = generate_p256_key();
      options.stable_loader = false;
      std::cerr << "vario serve: the campaigns are signed with a key made for this run (pass "
                   "--key FILE.pem to keep the same loader across runs)\n";
    }
    options.tag = build_tag(*doc, load_engine_files(args.engine_dir),
                            {.layout = layout, .key = key ? key->get() : nullptr});
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
