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
// since the epoch, holdouts as the indexes of the campaigns they cover. Changes keep every
// field the action has (add_css and redirect without a selector): a set_style value without
// its trailing "!important" (which sets `important`), an add_class or remove_class value as its
// class names joined by single spaces, a redirect's url as the value and keep_query (default
// true). Settings.hide is anti_flicker_selectors() in its order; Settings.hydration_roots the
// file's list; Settings.page_query_params events.query_parameters in file order. Goals keep
// file order, each with its kind, a click's or submit's selector and a page view's rules.
std::string compile_campaigns(const nlohmann::json& doc);

// The audience of `campaign` with condition saved groups inlined, as the engine evaluates it;
// null when the campaign has none.
nlohmann::json inlined_audience(const nlohmann::json& doc, const nlohmann::json& campaign);

// The selectors the tag hides before the engine runs, deduplicated, in file order: the selector
// of every change of a running campaign that changes an element (not add_css or redirect; for
// a move, the element moved). The tag's build settings and Settings.hide both hold this list,
// and the engine reveals an element by its index in it.
std::vector<std::string> anti_flicker_selectors(const nlohmann::json& doc);

}  // namespace vario::host
