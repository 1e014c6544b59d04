// The campaigns compiler: validated campaigns JSON in, campaigns.bin (runtime/config/
// campaigns.fbs) out. The engine reads the result in place and never sees the JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace vario::host {

// Compiles a document that validate_campaigns() accepted. Deterministic: the same document
// gives the same bytes. Weights and traffic become bucket ranges out of 10,000: variation i
// ends at round(traffic * (w_0 + ... + w_i) * 10000), the last one exactly at
// round(traffic * 10000).
std::string compile_campaigns(const nlohmann::json& doc);

// The selectors the tag hides before the engine runs (every selector a running campaign's
// changes target), deduplicated, in file order.
std::vector<std::string> anti_flicker_selectors(const nlohmann::json& doc);

}  // namespace vario::host
