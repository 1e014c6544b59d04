#include <fstream>
#include <iostream>
#include <sstream>

#include "commands/commands.hpp"
#include "config/compile.hpp"
#include "engine_host/offline_host.hpp"
#include "vario/engine.hpp"

namespace vario::host {

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
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << path.string() << ": cannot be read\n";
    return 1;
  }
  std::string text;
  if (!many) {
    std::ostringstream s;
    s << in.rdbuf();
    text = s.str();
  }
  int line_number = 0;
  std::string line;
  while (many ? static_cast<bool>(std::getline(in, line)) : line_number == 0) {
    ++line_number;
    const std::string& visitor = many ? line : text;
    if (many && visitor.find_first_not_of(" \t\r") == std::string::npos) continue;
    const Result<std::string> decided = engine.decide(visitor);
    if (!decided.ok()) {
      std::cerr << path.string() << (many ? ":" + std::to_string(line_number) : "") << ": "
                << decided.error().message << "\n";
      return 1;
    }
    std::cout << decided.value() << "\n";
  }
  return 0;
}

}  // namespace vario::host
