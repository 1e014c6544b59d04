// `vario simulate`: runs the real engine (vario::decide) over many made-up visitors and reports,
// per campaign, who was eligible, how the variations split, and whether the split matches the
// weights (a chi-square sample-ratio-mismatch test). docs/cli.md describes the output.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "commands/option_range.hpp"
#include "stats/chi_square.hpp"
#include "vario/config.hpp"
#include "vario/decision.hpp"
#include "vario/regex.hpp"

namespace vario::host {

struct SimulateArgs {
  std::filesystem::path campaigns;
  std::uint64_t visitors = 1'000'000;
  std::uint64_t seed = 1;
  std::string url;    // empty: each campaign on a page its first include rule matches
  bool json = false;  // one JSON document on stdout instead of the table
  // JSON lines of attribute objects (e.g. a sample of what the site pushes); visitor i gets
  // line i modulo their number merged over its built-ins. Empty: built-ins only.
  std::filesystem::path attributes;
  // Shares of visitors who grant consent: one rate for every capability, and a rate per
  // capability that overrides it (storage, measurement, personalization, third_party).
  std::optional<double> consent;
  std::array<std::optional<double>, 4> consent_by_capability;
};
inline constexpr OptionRange<double> kConsentRateRange{0, 1};
// A hundred million visitors already take minutes; the bound turns a typo (a digit too many,
// a minus sign) into a message instead of a run that seems to hang.
inline constexpr OptionRange<std::uint64_t> kVisitorsRange{1, 100'000'000};
inline constexpr OptionRange<std::uint64_t> kSeedRange{0, UINT64_MAX};

// Exit codes as commands.hpp: 0 (also when a sample-ratio mismatch is flagged: that is a
// finding, not a failure), 1 invalid campaigns file, 2 bad usage.
int run_simulate(const SimulateArgs& args);

struct SimulationOptions {
  std::uint64_t visitors = 1'000'000;
  std::uint64_t seed = 1;
  std::string url;    // as SimulateArgs::url
  double now_ms = 0;  // the moment every visit happens (schedules are judged against it)
  // Attribute objects merged over the built-ins, visitor i taking profile i modulo their number.
  std::vector<json::Value> attribute_profiles;
  // The share of visitors granting each capability (kCapabilities order); the others refuse
  // it, so campaigns that need it are decided as the site would decide them without consent.
  std::array<double, 4> consent_rates{1, 1, 1, 1};
};

struct VariationResult {
  std::string id;
  double expected_share = 0;  // its weight
  std::uint64_t visitors = 0;
};

struct CampaignResult {
  std::string id;
  std::string url;          // the page the visitors saw
  bool url_matches = true;  // false: the campaign's page rules reject `url`
  double traffic = 1;
  std::uint64_t eligible = 0;  // passed schedule, page, bot, consent and audience checks
  std::uint64_t assigned = 0;  // got a variation (eligible minus holdouts, groups, traffic)
  std::vector<std::pair<Reason, std::uint64_t>> not_applied;  // in Reason order, non-zero only
  std::vector<VariationResult> variations;
  GoodnessOfFit split;  // variation counts against the weights
  bool sample_ratio_mismatch() const { return split.p_value < kSrmThreshold; }
};

struct SimulationResult {
  std::uint64_t visitors = 0;
  std::uint64_t seed = 0;
  std::vector<CampaignResult> campaigns;
  std::uint64_t evaluations = 0;  // visitor x campaign decisions the engine computed
  double engine_seconds = 0;      // time inside vario::decide
  double wall_seconds = 0;        // everything, visitor generation included
};

// Called with (visitors done, visitors in total) about a thousand times per run, and at the end.
using SimulationProgress = std::function<void(std::uint64_t, std::uint64_t)>;

// Every visitor views each distinct campaign page once; each view decides every campaign
// (that is what the engine does on a page), and each campaign is tallied on its own page.
// Visitors grant each capability at its rate (drawn from their id, so a visitor answers alike
// on every page), are never bots and have no stored assignments.
SimulationResult simulate(const Config& config, const SimulationOptions& options,
                          const RegexTester& regex, const SimulationProgress& progress = {});

// A URL that `rule` probably matches, on https://www.example.com: the rule's literal text with
// globs' wildcards and regexes' classes filled in. Callers check it with the page rules.
std::string sample_url(const fb::PageRule& rule);

// The short name of a reason in simulate's output ("audience_not_matched").
std::string_view reason_name(Reason reason);

nlohmann::ordered_json simulation_json(const SimulationResult& result);
void print_simulation(std::ostream& out, const SimulationResult& result);

}  // namespace vario::host
