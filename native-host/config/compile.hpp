// The campaigns compiler: validated campaigns JSON in, campaigns.bin (runtime/config/
// campaigns.fbs) out. The engine reads the result in place and never sees the JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace vario::host {

// Compiles a document that validate_campaigns() accepted. Deterministic: the same document
// gives the same bytes. Audiences are stored as canonical JSON with condition saved groups
// inlined ({"$savedGroup": id} becomes that group's condition), schedules as milliseconds
// since the epoch, holdouts as the indexes of the campaigns they cover.
std::string compile_campaigns(const nlohmann::json& doc);

// The audience of `campaign` with condition saved groups inlined, as the engine evaluates it;
// null when the campaign has none.
nlohmann::json inlined_audience(const nlohmann::json& doc, const nlohmann::json& campaign);

// The selectors the tag hides before the engine runs (every selector a running campaign's
// changes target), deduplicated, in file order.
std::vector<std::string> anti_flicker_selectors(const nlohmann::json& doc);

}  // namespace vario::host
