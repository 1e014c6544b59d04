#include "results/results.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace vario::host {
namespace {

using nlohmann::json;

// What one variation's events add up to while they are read.
struct Tally {
  std::set<std::string> visitors;  // identified units
  std::uint64_t anonymous_impressions = 0;
  std::uint64_t impressions = 0;
  // goal -> identified visitors who reached it, and anonymous conversions
  std::map<std::string, std::set<std::string>> converted;
  std::map<std::string, std::uint64_t> anonymous_conversions;
  // currency -> visitor -> revenue; anonymous transactions count as units of their own
  std::map<std::string, std::map<std::string, double>> revenue_by_visitor;
  std::map<std::string, std::vector<double>> anonymous_revenue;
  std::map<std::string, std::uint64_t> transactions;
};

json number(double d) { return std::isfinite(d) ? json(d) : json(nullptr); }

json comparison_json(const Comparison& c) {
  return {{"difference", number(c.difference)},
          {"interval", {number(c.low), number(c.high)}},
          {"relative", number(c.relative)},
          {"relative_interval", {number(c.relative_low), number(c.relative_high)}},
          {"p_value", number(c.p_value)}};
}

CampaignResult campaign_result(const ServedCampaign& campaign,
                               const std::map<std::string, Tally>& tallies,
                               const std::vector<ServedGoal>& goals) {
  CampaignResult out{campaign.id, campaign.name, "visitors", {}, {}, false};
  std::set<std::string> currencies;
  for (const auto& [variation, tally] : tallies)
    for (const auto& [currency, unused] : tally.transactions) currencies.insert(currency);
  std::uint64_t identified = 0, anonymous = 0;
  static const Tally kNone;
  for (const ServedVariation& v : campaign.variations) {
    const auto it = tallies.find(v.id);
    const Tally& t = it == tallies.end() ? kNone : it->second;
    VariationResult r{v.id, v.name, v.weight, 0, t.visitors.size(), t.impressions, {}, {}};
    r.visitors = r.identified_visitors + t.anonymous_impressions;
    identified += r.identified_visitors;
    anonymous += t.anonymous_impressions;
    for (const ServedGoal& g : goals) {
      GoalResult goal{g.id, 0, 0, std::nullopt};
      if (const auto c = t.converted.find(g.id); c != t.converted.end())
        goal.conversions += c->second.size();
      if (const auto c = t.anonymous_conversions.find(g.id); c != t.anonymous_conversions.end())
        goal.conversions += c->second;
      // Anonymous conversions cannot be matched to anonymous impressions: at most every unit.
      goal.conversions = std::min(goal.conversions, r.visitors);
      goal.rate = r.visitors > 0 ? static_cast<double>(goal.conversions) / r.visitors : 0;
      r.goals.push_back(goal);
    }
    for (const std::string& currency : currencies) {
      RevenueResult rev{currency, 0, 0, 0, {}, std::nullopt};
      if (const auto c = t.transactions.find(currency); c != t.transactions.end())
        rev.transactions = c->second;
      double squares = 0;
      if (const auto c = t.revenue_by_visitor.find(currency); c != t.revenue_by_visitor.end())
        for (const auto& [visitor, amount] : c->second) {
          rev.revenue += amount;
          squares += amount * amount;
        }
      if (const auto c = t.anonymous_revenue.find(currency); c != t.anonymous_revenue.end())
        for (double amount : c->second) {
          rev.revenue += amount;
          squares += amount * amount;
        }
      // Every unit is one observation; those without a transaction spent 0.
      rev.sample = Sample{static_cast<double>(r.visitors), rev.revenue, squares};
      rev.per_visitor = r.visitors > 0 ? rev.revenue / r.visitors : 0;
      r.revenue.push_back(rev);
    }
    out.variations.push_back(std::move(r));
  }
  out.unit = anonymous == 0    ? "visitors"
             : identified == 0 ? "impressions"
                               : "visitors and impressions";

  const VariationResult& control = out.variations.front();
  for (std::size_t i = 1; i < out.variations.size(); ++i) {
    VariationResult& r = out.variations[i];
    for (std::size_t g = 0; g < r.goals.size(); ++g)
      r.goals[g].lift = compare_proportions(control.goals[g].conversions, control.visitors,
                                            r.goals[g].conversions, r.visitors);
    for (std::size_t c = 0; c < r.revenue.size(); ++c)
      r.revenue[c].lift = compare_means(control.revenue[c].sample, r.revenue[c].sample);
  }

  std::vector<std::uint64_t> observed;
  std::vector<double> weights;
  for (const VariationResult& r : out.variations) {
    observed.push_back(r.visitors);
    weights.push_back(r.weight);
  }
  out.srm = chi_square_goodness_of_fit(observed, weights);
  out.sample_ratio_mismatch = out.srm.degrees_of_freedom > 0 && out.srm.p_value < kSrmThreshold;
  return out;
}

std::string pad(const std::string& s, std::size_t width, bool right = false) {
  if (s.size() >= width) return s;
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

}  // namespace

Results compute_results(EventStore& store, const ServedCampaigns& served, std::string& error) {
  Results out{served.account, served.goals, {}};
  error.clear();
  for (const ServedCampaign& campaign : served.campaigns) {
    std::map<std::string, Tally> tallies;
    const bool ok = store.scan(
        {served.account, campaign.id},
        [&](const StoredEvent& e) {
          if (!e.variation) return true;  // health events of the campaign
          Tally& t = tallies[*e.variation];
          if (e.visitor) t.visitors.insert(*e.visitor);
          if (e.type == "impression") {
            ++t.impressions;
            if (!e.visitor) ++t.anonymous_impressions;
          } else if (e.goal && (e.type == "goal" || e.type == "transaction")) {
            if (e.visitor)
              t.converted[*e.goal].insert(*e.visitor);
            else
              ++t.anonymous_conversions[*e.goal];
            if (e.type == "transaction" && e.currency && e.revenue) {
              ++t.transactions[*e.currency];
              if (e.visitor)
                t.revenue_by_visitor[*e.currency][*e.visitor] += *e.revenue;
              else
                t.anonymous_revenue[*e.currency].push_back(*e.revenue);
            }
          }
          return true;
        },
        error);
    if (!ok) return out;
    out.campaigns.push_back(campaign_result(campaign, tallies, served.goals));
  }
  return out;
}

json results_json(const Results& results) {
  json goals = json::array();
  for (const ServedGoal& g : results.goals)
    goals.push_back({{"id", g.id}, {"name", g.name}, {"kind", goal_kind_name(g.kind)}});
  json campaigns = json::array();
  for (const CampaignResult& c : results.campaigns) {
    json variations = json::array();
    for (const VariationResult& v : c.variations) {
      json vg = json::array();
      for (const GoalResult& g : v.goals) {
        json one = {{"goal", g.goal}, {"conversions", g.conversions}, {"rate", number(g.rate)}};
        if (g.lift) one["lift"] = comparison_json(*g.lift);
        vg.push_back(one);
      }
      json revenue = json::array();
      for (const RevenueResult& r : v.revenue) {
        json one = {{"currency", r.currency},
                    {"transactions", r.transactions},
                    {"revenue", number(r.revenue)},
                    {"per_visitor", number(r.per_visitor)}};
        if (r.lift) one["lift"] = comparison_json(*r.lift);
        revenue.push_back(one);
      }
      variations.push_back({{"id", v.id},
                            {"name", v.name},
                            {"weight", v.weight},
                            {"control", &v == &c.variations.front()},
                            {"visitors", v.visitors},
                            {"identified_visitors", v.identified_visitors},
                            {"impressions", v.impressions},
                            {"goals", vg},
                            {"revenue", revenue}});
    }
    campaigns.push_back({{"id", c.id},
                         {"name", c.name},
                         {"unit", c.unit},
                         {"variations", variations},
                         {"srm",
                          {{"chi_square", number(c.srm.statistic)},
                           {"degrees_of_freedom", c.srm.degrees_of_freedom},
                           {"p_value", number(c.srm.p_value)},
                           {"threshold", kSrmThreshold},
                           {"mismatch", c.sample_ratio_mismatch}}}});
  }
  return {{"account", results.account}, {"goals", goals}, {"campaigns", campaigns}};
}

std::string results_table(const Results& results) {
  std::ostringstream out;
  out << "Results for account " << results.account << "\n";
  for (const CampaignResult& c : results.campaigns) {
    out << "\n" << c.id << (c.name.empty() ? "" : "  (" + c.name + ")") << "\n";
    out << "  " << pad("variation", 14)
        << pad(c.unit == "impressions" ? "impressions" : "visitors", 12, true) << "\n";
    for (const VariationResult& v : c.variations)
      out << "  " << pad(v.id + (&v == &c.variations.front() ? " *" : ""), 14)
          << pad(std::to_string(v.visitors), 12, true) << "\n";
    for (std::size_t g = 0; g < results.goals.size(); ++g) {
      out << "  goal " << results.goals[g].id << "\n";
      out << "    " << pad("variation", 14) << pad("conversions", 12, true) << pad("rate", 10, true)
          << pad("lift", 10, true) << pad("95% interval", 24, true) << pad("p", 9, true) << "\n";
      for (const VariationResult& v : c.variations) {
        const GoalResult& r = v.goals[g];
        out << "    " << pad(v.id, 14) << pad(std::to_string(r.conversions), 12, true)
            << pad(percent_text(r.rate), 10, true);
        if (r.lift)
          out << pad(percent_text(r.lift->relative, 1), 10, true)
              << pad("[" + percent_text(r.lift->low) + ", " + percent_text(r.lift->high) + "]", 24,
                     true)
              << pad(p_value_text(r.lift->p_value), 9, true);
        else
          out << pad("control", 10, true);
        out << "\n";
      }
    }
    if (!c.variations.empty())
      for (std::size_t k = 0; k < c.variations.front().revenue.size(); ++k) {
        out << "  revenue per visitor, " << c.variations.front().revenue[k].currency << "\n";
        for (const VariationResult& v : c.variations) {
          const RevenueResult& r = v.revenue[k];
          out << "    " << pad(v.id, 14) << pad(fixed_text(r.per_visitor, 2), 12, true);
          if (r.lift)
            out << pad(percent_text(r.lift->relative, 1), 10, true)
                << pad("[" + fixed_text(r.lift->low, 2) + ", " + fixed_text(r.lift->high, 2) + "]",
                       24, true)
                << pad(p_value_text(r.lift->p_value), 9, true);
          else
            out << pad("control", 10, true);
          out << "\n";
        }
      }
    out << "  sample ratio: chi-square " << fixed_text(c.srm.statistic, 2) << ", df "
        << c.srm.degrees_of_freedom << ", p = " << p_value_text(c.srm.p_value)
        << (c.sample_ratio_mismatch ? "  SAMPLE RATIO MISMATCH (p < 0.001)" : "  ok") << "\n";
  }
  return out.str();
}

std::string fixed_text(double d, int decimals, std::string_view undefined) {
  if (!std::isfinite(d)) return std::string(undefined);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, d);
  return buffer;
}

std::string percent_text(double share, int decimals, std::string_view undefined) {
  return std::isfinite(share) ? fixed_text(share * 100, decimals) + "%" : std::string(undefined);
}

std::string p_value_text(double p, std::string_view undefined) {
  if (!std::isfinite(p)) return std::string(undefined);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, p >= 0.001 ? "%.3f" : "%.1e", p);
  return buffer;
}

}  // namespace vario::host
