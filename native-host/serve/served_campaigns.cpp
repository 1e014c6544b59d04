#include "serve/served_campaigns.hpp"

#include <algorithm>

namespace vario::host {

using nlohmann::json;

std::string_view goal_kind_name(GoalKind kind) {
  switch (kind) {
    case GoalKind::kPageView:
      return "page_view";
    case GoalKind::kClick:
      return "click";
    case GoalKind::kSubmit:
      return "submit";
    case GoalKind::kCustom:
      return "custom";
    case GoalKind::kTransaction:
      return "transaction";
  }
  return "custom";
}

namespace {

GoalKind goal_kind(const std::string& s) {
  for (GoalKind kind : {GoalKind::kPageView, GoalKind::kClick, GoalKind::kSubmit, GoalKind::kCustom,
                        GoalKind::kTransaction})
    if (goal_kind_name(kind) == s) return kind;
  return GoalKind::kCustom;
}

template <class T>
const T* by_id(const std::vector<T>& list, std::string_view id) {
  const auto it = std::find_if(list.begin(), list.end(), [&](const T& t) { return t.id == id; });
  return it == list.end() ? nullptr : &*it;
}

}  // namespace

const ServedVariation* ServedCampaign::variation(std::string_view id) const {
  return by_id(variations, id);
}

const ServedCampaign* ServedCampaigns::campaign(std::string_view id) const {
  return by_id(campaigns, id);
}

const ServedGoal* ServedCampaigns::goal(std::string_view id) const { return by_id(goals, id); }

ServedCampaigns served_campaigns(const json& doc) {
  ServedCampaigns out;
  out.account = doc.at("account").get<std::string>();
  for (const json& c : doc.at("campaigns")) {
    ServedCampaign campaign{c.at("id").get<std::string>(), c.value("name", std::string()), {}};
    for (const json& v : c.at("variations"))
      campaign.variations.push_back({v.at("id").get<std::string>(), v.value("name", std::string()),
                                     v.at("weight").get<double>()});
    out.campaigns.push_back(std::move(campaign));
  }
  for (const json& g : doc.value("goals", json::array()))
    out.goals.push_back({g.at("id").get<std::string>(), g.value("name", std::string()),
                         goal_kind(g.at("kind").get<std::string>())});
  out.query_parameters =
      doc.value("events", json::object()).value("query_parameters", std::vector<std::string>());
  return out;
}

}  // namespace vario::host
