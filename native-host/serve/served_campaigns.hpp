// What the collector knows of the campaigns file it serves: the account, the campaigns with
// their variations (the first is the control), the goals and the query parameters a page may
// keep. Events are checked against it (serve/event_validation.hpp) and results are laid out
// by it (results/results.hpp).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace vario::host {

enum class GoalKind { kPageView, kClick, kSubmit, kCustom, kTransaction };

// "page_view", "click", "submit", "custom" or "transaction", as the campaigns file writes it.
std::string_view goal_kind_name(GoalKind kind);

struct ServedVariation {
  std::string id;
  std::string name;  // empty when the file gives none
  double weight = 0;
};

struct ServedCampaign {
  std::string id;
  std::string name;
  std::vector<ServedVariation> variations;  // in file order; variations[0] is the control

  // The variation with this id, or nullptr.
  const ServedVariation* variation(std::string_view id) const;
};

struct ServedGoal {
  std::string id;
  std::string name;
  GoalKind kind = GoalKind::kCustom;
};

struct ServedCampaigns {
  std::string account;
  std::vector<ServedCampaign> campaigns;  // in file order
  std::vector<ServedGoal> goals;          // in file order
  std::vector<std::string> query_parameters;

  // The campaign or goal with this id, or nullptr.
  const ServedCampaign* campaign(std::string_view id) const;
  const ServedGoal* goal(std::string_view id) const;
};

// Reads a campaigns document that validate_campaigns() accepted (so every field present has
// its documented type). Every campaign counts, whatever its status or schedule: a paused
// campaign's late events are still its events.
ServedCampaigns served_campaigns(const nlohmann::json& doc);

}  // namespace vario::host
