#include <iostream>

#include "commands/commands.hpp"
#include "input_file.hpp"
#include "serve/server.hpp"
#include "tag/build_tag.hpp"

namespace vario::host {

int run_serve(const ServeArgs& args) {
  if (const auto problem = kPortRange.problem(args.port)) {
    std::cerr << "vario serve: --port: " << *problem << "\n";
    return 2;
  }
  // SQLite would say only "unable to open database file".
  if (const auto folder = folder_instead_of(args.db, "an events database file")) {
    std::cerr << *folder << "\n";
    return 1;
  }
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
  options.db_path = args.db;
  options.account = doc->at("account").get<std::string>();
  return serve(options);
}

}  // namespace vario::host
