#include "config/compile.hpp"

#include <algorithm>
#include <cmath>

#include "config/css_text.hpp"
#include "config/rfc3339.hpp"
#include "config/validate_changes.hpp"
#include "vario/campaigns_generated.h"
#include "vario/config.hpp"

namespace vario::host {
namespace {

using nlohmann::json;
namespace fbs = flatbuffers;

fb::CampaignType campaign_type(const std::string& s) {
  if (s == "patch") return fb::CampaignType::Patch;
  if (s == "personalization") return fb::CampaignType::Personalization;
  return fb::CampaignType::AbTest;
}

fb::Status status(const std::string& s) {
  if (s == "paused") return fb::Status::Paused;
  if (s == "draft") return fb::Status::Draft;
  return fb::Status::Running;
}

fb::MatchKind match_kind(const std::string& s) {
  if (s == "prefix") return fb::MatchKind::Prefix;
  if (s == "contains") return fb::MatchKind::Contains;
  if (s == "glob") return fb::MatchKind::Glob;
  if (s == "regex") return fb::MatchKind::Regex;
  return fb::MatchKind::Exact;
}

fb::UrlPart url_part(const std::string& s) {
  if (s == "url") return fb::UrlPart::Url;
  if (s == "host") return fb::UrlPart::Host;
  if (s == "query") return fb::UrlPart::Query;
  if (s == "hash") return fb::UrlPart::Hash;
  return fb::UrlPart::Path;
}

fb::HashScheme hash_scheme(const std::string& s) {
  if (s == "fnv1a_v1") return fb::HashScheme::GrowthBookFnv1aV1;
  if (s == "fnv1a_v2") return fb::HashScheme::GrowthBookFnv1aV2;
  return fb::HashScheme::Murmur3X86_32Seed1;
}

fb::AttributeSource attribute_source(const std::string& s) {
  if (s == "cookie") return fb::AttributeSource::Cookie;
  if (s == "data_layer") return fb::AttributeSource::DataLayer;
  if (s == "page_variable") return fb::AttributeSource::PageVariable;
  return fb::AttributeSource::Pushed;
}

fb::Action action(const std::string& s) {
  if (s == "set_html") return fb::Action::SetHtml;
  if (s == "set_attribute") return fb::Action::SetAttribute;
  if (s == "remove_attribute") return fb::Action::RemoveAttribute;
  if (s == "add_class") return fb::Action::AddClass;
  if (s == "remove_class") return fb::Action::RemoveClass;
  if (s == "set_style") return fb::Action::SetStyle;
  if (s == "insert_html") return fb::Action::InsertHtml;
  if (s == "move") return fb::Action::Move;
  if (s == "remove") return fb::Action::Remove;
  if (s == "hide") return fb::Action::Hide;
  if (s == "add_css") return fb::Action::AddCss;
  if (s == "redirect") return fb::Action::Redirect;
  return fb::Action::SetText;
}

fb::Position position(const std::string& s) {
  if (s == "after") return fb::Position::After;
  if (s == "prepend") return fb::Position::Prepend;
  if (s == "append") return fb::Position::Append;
  return fb::Position::Before;
}

fbs::Offset<fbs::String> optional_string(fbs::FlatBufferBuilder& b, const json& obj,
                                         const char* key) {
  const auto it = obj.find(key);
  return it == obj.end() ? 0 : b.CreateString(it->get<std::string>());
}

fbs::Offset<fbs::Vector<fbs::Offset<fb::PageRule>>> rules(fbs::FlatBufferBuilder& b,
                                                          const json& list) {
  std::vector<fbs::Offset<fb::PageRule>> out;
  for (const json& r : list)
    out.push_back(fb::CreatePageRule(b, match_kind(r.at("match").get<std::string>()),
                                     b.CreateString(r.at("value").get<std::string>()),
                                     url_part(r.value("on", "path")),
                                     optional_string(b, r, "param")));
  return b.CreateVector(out);
}

// The value as the engine uses it: set_style's without its "!important" (stored as
// `important`), a class list with single spaces, a redirect's URL.
std::string change_value(const std::string& action, const json& c) {
  if (action == "redirect") return c.at("url").get<std::string>();
  const std::string value = c.value("value", std::string());
  if (action == "set_style") return std::string(split_important(value).value);
  if (action == "add_class" || action == "remove_class") {
    std::string out;
    for (std::string_view name : validation::class_names(value))
      out += (out.empty() ? "" : " ") + std::string(name);
    return out;
  }
  return value;
}

fbs::Offset<fb::Change> change(fbs::FlatBufferBuilder& b, const json& c) {
  const std::string a = c.at("action").get<std::string>();
  const auto selector = optional_string(b, c, "selector");
  const auto value = a == "remove_attribute" || a == "move" || a == "remove" || a == "hide"
                         ? fbs::Offset<fbs::String>()
                         : b.CreateString(change_value(a, c));
  const auto name = optional_string(b, c, "name");
  const auto target = optional_string(b, c, "target");
  fb::ChangeBuilder cb(b);
  cb.add_action(action(a));
  if (!selector.IsNull()) cb.add_selector(selector);
  if (!value.IsNull()) cb.add_value(value);
  if (!name.IsNull()) cb.add_name(name);
  cb.add_position(position(c.value("position", std::string("before"))));
  if (!target.IsNull()) cb.add_target(target);
  cb.add_important(a == "set_style" && split_important(c.at("value").get<std::string>()).important);
  cb.add_keep_query(c.value("keep_query", true));
  return cb.Finish();
}

fbs::Offset<fb::Variation> variation(fbs::FlatBufferBuilder& b, const json& v) {
  std::vector<fbs::Offset<fb::Change>> changes;
  for (const json& c : v.at("changes")) changes.push_back(change(b, c));
  return fb::CreateVariation(b, b.CreateString(v.at("id").get<std::string>()),
                             b.CreateVector(changes), v.at("weight").get<double>());
}

// Replaces every {"$savedGroup": id} member by that group's condition, recursively. An object
// with other members too becomes {"$and": [rest, group...]}. The validator has refused cycles;
// the depth bound only keeps a broken caller from recursing forever.
json inline_groups(const json& node, const json& groups, int depth = 0) {
  if (depth > 64) return node;
  if (node.is_array()) {
    json out = json::array();
    for (const json& item : node) out.push_back(inline_groups(item, groups, depth + 1));
    return out;
  }
  if (!node.is_object()) return node;
  json rest = json::object();
  json inlined = json::array();
  for (const auto& [key, value] : node.items()) {
    if (key == "$savedGroup" && value.is_string() && groups.contains(value.get<std::string>()))
      inlined.push_back(
          inline_groups(groups.at(value.get<std::string>()).at("condition"), groups, depth + 1));
    else
      rest[key] = inline_groups(value, groups, depth + 1);
  }
  if (inlined.empty()) return rest;
  if (rest.empty() && inlined.size() == 1) return inlined[0];
  json all = json::array();
  if (!rest.empty()) all.push_back(rest);
  for (json& g : inlined) all.push_back(std::move(g));
  return json{{"$and", std::move(all)}};
}

// Every attribute path a condition reads: the keys of condition objects that are not operators.
void attribute_paths(const json& node, std::vector<std::string>& out) {
  if (node.is_array()) {
    for (const json& item : node) attribute_paths(item, out);
  } else if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (!key.starts_with('$')) out.push_back(key);
      attribute_paths(value, out);
    }
  }
}

bool uses_third_party(const json& doc, const json& audience) {
  if (audience.is_null()) return false;
  const json attributes = doc.value("attributes", json::object());
  std::vector<std::string> paths;
  attribute_paths(audience, paths);
  for (const std::string& path : paths) {
    const std::string root = path.substr(0, path.find('.'));
    const auto it = attributes.find(root);
    if (it != attributes.end() && it->value("third_party", false)) return true;
  }
  return false;
}

fbs::Offset<fb::Campaign> campaign(fbs::FlatBufferBuilder& b, const json& doc, const json& c) {
  std::vector<fbs::Offset<fb::Variation>> variations;
  for (const json& v : c.at("variations")) variations.push_back(variation(b, v));
  const json& pages = c.at("pages");
  const json audience = inlined_audience(doc, c);
  const auto schedule = [&](const char* key) -> std::int64_t {
    const auto it = c.find(key);
    return it == c.end() ? 0 : parse_rfc3339_ms(it->get<std::string>()).value_or(0);
  };
  const auto group = c.find("group");

  const auto id = b.CreateString(c.at("id").get<std::string>());
  const auto include = rules(b, pages.at("include"));
  const auto exclude = rules(b, pages.value("exclude", json::array()));
  const auto variation_vector = b.CreateVector(variations);
  const auto seed = optional_string(b, c, "seed");
  const auto hash_attribute = optional_string(b, c, "hash_attribute");
  const auto audience_text = audience.is_null() ? 0 : b.CreateString(audience.dump());
  const auto group_id = group == c.end() ? 0 : b.CreateString(group->at("id").get<std::string>());

  fb::CampaignBuilder cb(b);
  cb.add_id(id);
  cb.add_type(campaign_type(c.at("type").get<std::string>()));
  cb.add_purpose(c.at("purpose").get<std::string>() == "revenue" ? fb::Purpose::Revenue
                                                                 : fb::Purpose::Technical);
  cb.add_status(status(c.value("status", "running")));
  cb.add_include(include);
  cb.add_exclude(exclude);
  cb.add_hash(hash_scheme(c.value("hash", "murmur3")));
  cb.add_variations(variation_vector);
  cb.add_traffic(c.value("traffic", 1.0));
  if (!seed.IsNull()) cb.add_seed(seed);
  if (!hash_attribute.IsNull()) cb.add_hash_attribute(hash_attribute);
  cb.add_start_ms(schedule("start"));
  cb.add_end_ms(schedule("end"));
  cb.add_priority(c.value("priority", 0));
  if (!audience_text.IsNull()) cb.add_audience(audience_text);
  cb.add_third_party(uses_third_party(doc, audience));
  if (!group_id.IsNull()) {
    cb.add_group(group_id);
    cb.add_group_start(group->at("range").at(0).get<double>());
    cb.add_group_end(group->at("range").at(1).get<double>());
  }
  return cb.Finish();
}

fbs::Offset<fbs::Vector<fbs::Offset<fb::Attribute>>> attributes(fbs::FlatBufferBuilder& b,
                                                                const json& doc) {
  std::vector<fbs::Offset<fb::Attribute>> out;
  const json declared = doc.value("attributes", json::object());
  for (const auto& [name, a] : declared.items()) {
    const std::string source = a.at("source").get<std::string>();
    const char* key = source == "cookie" ? "name" : "path";
    out.push_back(fb::CreateAttribute(b, b.CreateString(name), attribute_source(source),
                                      optional_string(b, a, key), a.value("third_party", false)));
  }
  return b.CreateVector(out);
}

// Value groups only: condition groups are inlined into the audiences that use them.
fbs::Offset<fbs::String> saved_value_groups(fbs::FlatBufferBuilder& b, const json& doc) {
  json groups = json::object();
  const json saved = doc.value("saved_groups", json::object());
  for (const auto& [id, g] : saved.items())
    if (g.contains("values")) groups[id] = g.at("values");
  return groups.empty() ? 0 : b.CreateString(groups.dump());
}

fbs::Offset<fbs::Vector<fbs::Offset<fb::Holdout>>> holdouts(fbs::FlatBufferBuilder& b,
                                                            const json& doc) {
  const json& campaigns = doc.at("campaigns");
  std::vector<fbs::Offset<fb::Holdout>> out;
  const json list = doc.value("holdouts", json::array());
  for (const json& h : list) {
    std::vector<std::uint32_t> members;
    for (std::uint32_t i = 0; i < campaigns.size(); ++i) {
      const json& c = campaigns[i];
      const std::string id = c.at("id").get<std::string>();
      const bool listed = h.contains("campaigns")
                              ? std::find(h.at("campaigns").begin(), h.at("campaigns").end(), id) !=
                                    h.at("campaigns").end()
                              : c.at("type").get<std::string>() != "patch";
      if (listed) members.push_back(i);
    }
    out.push_back(fb::CreateHoldout(b, b.CreateString(h.at("id").get<std::string>()),
                                    h.at("traffic").get<double>(), b.CreateVector(members)));
  }
  return b.CreateVector(out);
}

fb::GoalKind goal_kind(const std::string& s) {
  if (s == "click") return fb::GoalKind::Click;
  if (s == "submit") return fb::GoalKind::Submit;
  if (s == "custom") return fb::GoalKind::Custom;
  if (s == "transaction") return fb::GoalKind::Transaction;
  return fb::GoalKind::PageView;
}

fbs::Offset<fbs::Vector<fbs::Offset<fb::Goal>>> goals(fbs::FlatBufferBuilder& b, const json& doc) {
  std::vector<fbs::Offset<fb::Goal>> out;
  const json list = doc.value("goals", json::array());
  for (const json& g : list) {
    const auto id = b.CreateString(g.at("id").get<std::string>());
    const auto selector = optional_string(b, g, "selector");
    fbs::Offset<fbs::Vector<fbs::Offset<fb::PageRule>>> include, exclude;
    if (const auto pages = g.find("pages"); pages != g.end()) {
      include = rules(b, pages->at("include"));
      exclude = rules(b, pages->value("exclude", json::array()));
    }
    fb::GoalBuilder gb(b);
    gb.add_id(id);
    gb.add_kind(goal_kind(g.at("kind").get<std::string>()));
    if (!selector.IsNull()) gb.add_selector(selector);
    if (!include.IsNull()) gb.add_include(include);
    if (!exclude.IsNull()) gb.add_exclude(exclude);
    out.push_back(gb.Finish());
  }
  return b.CreateVector(out);
}

}  // namespace

json inlined_audience(const json& doc, const json& campaign) {
  const auto it = campaign.find("audience");
  if (it == campaign.end()) return nullptr;
  return inline_groups(*it, doc.value("saved_groups", json::object()));
}

std::string compile_campaigns(const json& doc) {
  fbs::FlatBufferBuilder b(1024);
  std::vector<fbs::Offset<fb::Campaign>> campaigns;
  for (const json& c : doc.at("campaigns")) campaigns.push_back(campaign(b, doc, c));
  const auto campaign_vector = b.CreateVector(campaigns);
  const auto attribute_vector = attributes(b, doc);
  const auto groups = saved_value_groups(b, doc);
  const auto holdout_vector = holdouts(b, doc);
  const json consent = doc.value("consent", json::object());
  const auto preview_key =
      doc.contains("preview")
          ? b.CreateString(doc.at("preview").at("public_key").get<std::string>())
          : 0;
  // The same list, in the same order, as the tag's build settings (tag/build_tag.cpp): the
  // engine reveals hide[i] by its index.
  const auto hide = b.CreateVectorOfStrings(anti_flicker_selectors(doc));
  const auto hydration_roots =
      b.CreateVectorOfStrings(doc.value("hydration_roots", std::vector<std::string>()));
  const auto page_query_params = b.CreateVectorOfStrings(
      doc.value("events", json::object()).value("query_parameters", std::vector<std::string>()));
  const auto goal_vector = goals(b, doc);
  const json tcf = consent.value("tcf", json::object());
  const auto tcf_cookie = b.CreateString(tcf.value("cookie", std::string("euconsent-v2")));
  const auto settings = fb::CreateSettings(
      b, b.CreateString(doc.at("account").get<std::string>()),
      b.CreateString(doc.value("collector", std::string("/v1/events"))),
      consent.value("required", true), doc.value("anti_flicker_ms", 1500u),
      doc.value("bots", std::string("exclude")) == "include", preview_key, hide, hydration_roots,
      consent.value("wait_ms", 1000u), tcf.value("vendor_id", 0u), tcf_cookie, page_query_params);
  b.Finish(fb::CreateCampaigns(b, kFormatVersion, settings, campaign_vector, attribute_vector,
                               groups, holdout_vector, goal_vector),
           fb::CampaignsIdentifier());
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

std::vector<std::string> anti_flicker_selectors(const json& doc) {
  std::vector<std::string> out;
  for (const json& c : doc.at("campaigns")) {
    if (c.value("status", "running") != "running") continue;
    for (const json& v : c.at("variations"))
      for (const json& change : v.at("changes")) {
        // add_css and redirect have no element to hide; a move hides the element it moves.
        // insert_html changes nothing that is there (its nodes arrive with it): hiding the
        // element it inserts at would hide a whole container of unrelated content.
        if (!change.contains("selector") || change.at("action") == "insert_html") continue;
        std::string selector = change.at("selector").get<std::string>();
        if (std::find(out.begin(), out.end(), selector) == out.end())
          out.push_back(std::move(selector));
      }
  }
  return out;
}

}  // namespace vario::host
