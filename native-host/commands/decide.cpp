#include <iostream>
#include <sstream>

#include "commands/commands.hpp"
#include "config/compile.hpp"
#include "engine_host/offline_host.hpp"
#include "input_file.hpp"
#include "preview/preview_token.hpp"
#include "vario/engine.hpp"
#include "vario/json.hpp"

namespace vario::host {
namespace {

// A visitor may carry "preview": TOKEN, as the tag passes a link's token to the engine. Like the
// tag, check its signature against the campaigns' preview key first; the engine then sees the
// variations it forces as "forced". Returns the visitor JSON to decide, or an error sentence.
std::optional<std::string> with_verified_preview(const std::string& visitor,
                                                 const nlohmann::json& campaigns,
                                                 double now_ms, std::string& error) {
  if (visitor.find("\"preview\"") == std::string::npos) return visitor;
  // The engine's reader refuses deep nesting at once; nlohmann's would first build all of it.
  if (!vario::json::parse(visitor).ok()) return visitor;  // the engine reports it
  nlohmann::json doc = nlohmann::json::parse(visitor, nullptr, false);
  if (!doc.is_object() || !doc.contains("preview")) return visitor;  // the engine reports it
  if (!doc["preview"].is_string()) {
    error = "visitor: /preview must be a string (a preview token)";
    return std::nullopt;
  }
  const auto key = campaigns.contains("preview") ? campaigns["preview"].value("public_key", "")
                                                 : std::string();
  if (key.empty()) {
    error = "visitor: /preview: the campaigns file has no preview.public_key to check it with";
    return std::nullopt;
  }
  std::string why;
  const double now = doc.contains("now") && doc["now"].is_number() ? doc["now"].get<double>() : now_ms;
  const auto forced = verify_preview_token(doc["preview"].get<std::string>(), key, now, &why);
  if (!forced) {
    error = "visitor: /preview: " + why;
    return std::nullopt;
  }
  doc.erase("preview");
  nlohmann::json map = nlohmann::json::object();
  for (const auto& [campaign, variation] : *forced) map[campaign] = variation;
  doc["forced"] = map;
  return doc.dump();
}

}  // namespace

int run_decide(const DecideArgs& args) {
  const auto doc = load_valid_campaigns(args.campaigns);
  if (!doc) return 1;
  // The same path as the browser: compile to campaigns.bin, load it into the engine, decide.
  const std::string bin = compile_campaigns(*doc);
  OfflineHost host;
  Engine engine(host);
  if (const Status loaded = engine.load({reinterpret_cast<const std::uint8_t*>(bin.data()),
                                         bin.size()});
      !loaded.ok()) {
    std::cerr << "vario decide: " << loaded.error().message << "\n";
    return 1;
  }

  const bool many = !args.visitors.empty();
  const auto& path = many ? args.visitors : args.visitor;
  std::string why;
  const auto text = read_input_file(path, many ? "a visitors file" : "a visitor file", &why);
  if (!text) {
    std::cerr << why << "\n";
    return 1;
  }
  std::istringstream in(*text);
  int line_number = 0;
  std::string line;
  while (many ? static_cast<bool>(std::getline(in, line)) : line_number == 0) {
    ++line_number;
    const std::string& visitor = many ? line : *text;
    if (many && visitor.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path.string() + (many ? ":" + std::to_string(line_number) : "");
    std::string error;
    const auto checked = with_verified_preview(visitor, *doc, host.now_ms(), error);
    if (!checked) {
      std::cerr << where << ": " << error << "\n";
      return 1;
    }
    const Result<std::string> decided = engine.decide(*checked);
    if (!decided.ok()) {
      std::cerr << where << ": " << decided.error().message << "\n";
      return 1;
    }
    std::cout << decided.value() << "\n";
  }
  return 0;
}

}  // namespace vario::host
