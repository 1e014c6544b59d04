#include <iostream>

#include "commands/commands.hpp"
#include "config/validate.hpp"
#include "input_file.hpp"

namespace vario::host {

std::optional<nlohmann::json> load_valid_campaigns(const std::filesystem::path& file) {
  std::string why;
  const auto text = read_input_file(file, "a campaigns file", &why);
  if (!text) {
    std::cerr << why << "\n";
    return std::nullopt;
  }
  const std::vector<Diagnostic> diagnostics = validate_campaigns_text(*text);
  if (!diagnostics.empty()) {
    for (const Diagnostic& d : diagnostics)
      std::cerr << file.string() << ": " << format_diagnostic(d) << "\n";
    if (diagnostics.size() > kMaxDiagnostics)  // the last one says how many more there are
      std::cerr << "more than " << kMaxDiagnostics << " errors";
    else
      std::cerr << diagnostics.size() << (diagnostics.size() == 1 ? " error" : " errors");
    std::cerr << " in " << file.string() << "\n";
    return std::nullopt;
  }
  return nlohmann::json::parse(*text);
}

int run_check(const std::filesystem::path& campaigns) {
  const auto doc = load_valid_campaigns(campaigns);
  if (!doc) return 1;
  const std::size_t n = doc->at("campaigns").size();
  std::cout << campaigns.string() << ": valid (" << n << (n == 1 ? " campaign" : " campaigns")
            << ")\n";
  return 0;
}

}  // namespace vario::host
