// A campaign's results as an analyst reads them: per variation, how many visitors saw it, how
// many of them reached each goal, the revenue per visitor, and how each variation compares with
// the control (the first variation), plus the sample-ratio-mismatch check. GET /v1/results,
// `vario results` and /report all show this (docs/events.md#results).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "serve/served_campaigns.hpp"
#include "stats/chi_square.hpp"
#include "stats/significance.hpp"
#include "store/event_store.hpp"

namespace vario::host {

struct GoalResult {
  std::string goal;
  std::uint64_t conversions = 0;   // units that reached the goal at least once
  double rate = 0;                 // conversions / units
  std::optional<Comparison> lift;  // against the control; none for the control itself
};

struct RevenueResult {
  std::string currency;
  std::uint64_t transactions = 0;
  double revenue = 0;
  double per_visitor = 0;  // revenue / units
  Sample sample;           // revenue per unit, for Welch's test
  std::optional<Comparison> lift;
};

struct VariationResult {
  std::string id, name;
  double weight = 0;
  // Units: distinct visitor ids seen in the variation's events, plus one for each impression
  // without a visitor id (a visitor who did not consent to an id counts once per impression).
  std::uint64_t visitors = 0;
  std::uint64_t identified_visitors = 0;
  std::uint64_t impressions = 0;
  std::vector<GoalResult> goals;       // one per goal of the campaigns file, in its order
  std::vector<RevenueResult> revenue;  // one per currency seen in the campaign, sorted
};

struct CampaignResult {
  std::string id, name;
  // "visitors" when every impression carried a visitor id, "impressions" when none did,
  // "visitors and impressions" otherwise.
  std::string unit;
  std::vector<VariationResult> variations;  // in file order; [0] is the control
  GoodnessOfFit srm;
  bool sample_ratio_mismatch = false;
};

struct Results {
  std::string account;
  std::vector<ServedGoal> goals;
  std::vector<CampaignResult> campaigns;
};

// Reads every campaign's events from `store` and computes its results; on a database error
// returns what it has and sets `error`.
Results compute_results(EventStore& store, const ServedCampaigns& served, std::string& error);

// The document GET /v1/results answers (docs/events.md#results); NaN numbers become null.
nlohmann::json results_json(const Results& results);

// The results as a terminal table, one block per campaign (`vario results`).
std::string results_table(const Results& results);

// How the table and the report page write numbers: "12.35" (`decimals` places), "12.35%" (a
// share), "0.013" or "2.1e-05" (a p-value); "-" or the page's dash for NaN.
std::string fixed_text(double d, int decimals, std::string_view undefined = "-");
std::string percent_text(double share, int decimals = 2, std::string_view undefined = "-");
std::string p_value_text(double p, std::string_view undefined = "-");

}  // namespace vario::host
