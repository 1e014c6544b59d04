#include "results/report_page.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "serve/html_injection.hpp"

namespace vario::host {
namespace {

std::string esc(std::string_view s) { return escape_attribute(s); }

// The page writes an undefined number as a dash.
constexpr std::string_view kDash = "–";

std::string fixed(double d, int decimals) { return fixed_text(d, decimals, kDash); }
std::string percent(double d, int decimals = 2) { return percent_text(d, decimals, kDash); }
std::string p_text(double p) { return p_value_text(p, kDash); }

// The 95% interval of one rate x/n (Wald, clamped to [0, 1]): what the chart's whiskers show.
std::pair<double, double> rate_interval(double rate, std::uint64_t n) {
  if (n == 0) return {0, 0};
  const double half = 1.959963984540054 * std::sqrt(rate * (1 - rate) / n);
  return {std::max(0.0, rate - half), std::min(1.0, rate + half)};
}

constexpr const char* kBarColours[] = {"#8a94a6", "#2f6fdf", "#d9822b", "#2e9e6a", "#b5478b"};

// Horizontal bars, one per variation, with the interval as a whisker; presentation attributes
// only, so that style-src 'self' allows it.
std::string chart(const CampaignResult& c, std::size_t goal, const std::string& goal_id) {
  constexpr int kLabel = 120, kPlot = 420, kRow = 34, kTop = 10, kAxis = 26;
  const int height = kTop + static_cast<int>(c.variations.size()) * kRow + kAxis;
  double top = 0;
  for (const VariationResult& v : c.variations)
    top = std::max(top, rate_interval(v.goals[goal].rate, v.visitors).second);
  // A round scale: the next tenth of a percent point step above the highest whisker.
  double scale = 0.01;
  for (double s : {0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0})
    if (top <= s) {
      scale = s;
      break;
    }
  const auto x = [&](double rate) { return kLabel + rate / scale * kPlot; };
  std::string svg = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    std::to_string(kLabel + kPlot + 20) + "\" height=\"" + std::to_string(height) +
                    "\" viewBox=\"0 0 " + std::to_string(kLabel + kPlot + 20) + " " +
                    std::to_string(height) + "\" role=\"img\" aria-label=\"Conversion rate of " +
                    esc(goal_id) + " by variation, with 95% intervals\" data-goal=\"" +
                    esc(goal_id) + "\">";
  svg += "<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>";
  // Ticks at round values: fifths of 1%, 5%, 10%, 25%, 50% and 100%, quarters of 2% and 20%.
  const int divisions = scale == 0.02 || scale == 0.2 ? 4 : 5;
  for (int tick = 0; tick <= divisions; ++tick) {
    const double rate = scale * tick / divisions;
    const std::string tx = fixed(x(rate), 1);
    svg += "<line x1=\"" + tx + "\" y1=\"" + std::to_string(kTop) + "\" x2=\"" + tx + "\" y2=\"" +
           std::to_string(height - kAxis + 4) + "\" stroke=\"#d8dce3\" stroke-width=\"1\"/>";
    svg += "<text x=\"" + tx + "\" y=\"" + std::to_string(height - 8) +
           "\" font-size=\"11\" text-anchor=\"middle\" fill=\"#4a5160\">" +
           percent(rate, scale < 0.05 ? 1 : 0) + "</text>";
  }
  for (std::size_t i = 0; i < c.variations.size(); ++i) {
    const VariationResult& v = c.variations[i];
    const double rate = v.goals[goal].rate;
    const auto [low, high] = rate_interval(rate, v.visitors);
    const int y = kTop + static_cast<int>(i) * kRow;
    const std::string colour = kBarColours[i % std::size(kBarColours)];
    svg += "<text x=\"" + std::to_string(kLabel - 8) + "\" y=\"" + std::to_string(y + 20) +
           "\" font-size=\"12\" text-anchor=\"end\" fill=\"#1d2330\">" + esc(v.id) + "</text>";
    svg += "<rect class=\"bar\" x=\"" + std::to_string(kLabel) + "\" y=\"" + std::to_string(y + 6) +
           "\" width=\"" + fixed(std::max(1.0, x(rate) - kLabel), 1) + "\" height=\"20\" fill=\"" +
           colour + "\" data-variation=\"" + esc(v.id) + "\"/>";
    const std::string ym = std::to_string(y + 16);
    svg += "<line class=\"interval\" x1=\"" + fixed(x(low), 1) + "\" y1=\"" + ym + "\" x2=\"" +
           fixed(x(high), 1) + "\" y2=\"" + ym + "\" stroke=\"#1d2330\" stroke-width=\"2\"/>";
    for (double end : {low, high})
      svg += "<line x1=\"" + fixed(x(end), 1) + "\" y1=\"" + std::to_string(y + 10) + "\" x2=\"" +
             fixed(x(end), 1) + "\" y2=\"" + std::to_string(y + 22) +
             "\" stroke=\"#1d2330\" stroke-width=\"2\"/>";
    svg += "<text x=\"" + fixed(std::min<double>(x(high) + 6, kLabel + kPlot - 30), 1) + "\" y=\"" +
           std::to_string(y + 20) + "\" font-size=\"11\" fill=\"#1d2330\">" + percent(rate) +
           "</text>";
  }
  return svg + "</svg>";
}

std::string campaign_section(const Results& results, const CampaignResult& c) {
  std::string html = "<section class=\"campaign\" id=\"campaign-" + esc(c.id) + "\"><h2>" +
                     esc(c.name.empty() ? c.id : c.name) + " <code>" + esc(c.id) + "</code></h2>";
  html += "<table class=\"variations\"><thead><tr><th></th>";
  for (const VariationResult& v : c.variations)
    html += "<th>" + esc(v.id) + (&v == &c.variations.front() ? " <small>control</small>" : "") +
            "</th>";
  html += "</tr></thead><tbody><tr><th>" + esc(c.unit) + "</th>";
  for (const VariationResult& v : c.variations)
    html += "<td>" + std::to_string(v.visitors) + "</td>";
  html += "</tr>";
  for (std::size_t g = 0; g < results.goals.size(); ++g) {
    html += "<tr><th>" + esc(results.goals[g].id) + "</th>";
    for (const VariationResult& v : c.variations) {
      const GoalResult& r = v.goals[g];
      html += "<td>" + std::to_string(r.conversions) + " · " + percent(r.rate);
      if (r.lift)
        html += "<br><small>" + percent(r.lift->relative, 1) + " [" + percent(r.lift->low) + ", " +
                percent(r.lift->high) + "] p = " + p_text(r.lift->p_value) + "</small>";
      html += "</td>";
    }
    html += "</tr>";
  }
  if (!c.variations.empty())
    for (std::size_t k = 0; k < c.variations.front().revenue.size(); ++k) {
      html += "<tr><th>revenue per visitor (" + esc(c.variations.front().revenue[k].currency) +
              ")</th>";
      for (const VariationResult& v : c.variations) {
        const RevenueResult& r = v.revenue[k];
        html += "<td>" + fixed(r.per_visitor, 2);
        if (r.lift)
          html += "<br><small>" + percent(r.lift->relative, 1) + " [" + fixed(r.lift->low, 2) +
                  ", " + fixed(r.lift->high, 2) + "] p = " + p_text(r.lift->p_value) + "</small>";
        html += "</td>";
      }
      html += "</tr>";
    }
  html += "</tbody></table>";
  html += std::string("<p class=\"srm") + (c.sample_ratio_mismatch ? " mismatch" : "") +
          "\">Sample ratio: chi-square " + fixed(c.srm.statistic, 2) + ", df " +
          std::to_string(c.srm.degrees_of_freedom) + ", p = " + p_text(c.srm.p_value) +
          (c.sample_ratio_mismatch ? ": SAMPLE RATIO MISMATCH, the split is not what the weights "
                                     "promise and these results cannot be trusted"
                                   : ": ok") +
          "</p>";
  for (std::size_t g = 0; g < results.goals.size(); ++g)
    html += "<figure>" + chart(c, g, results.goals[g].id) + "<figcaption>Conversion rate of " +
            esc(results.goals[g].id) + " with its 95% interval</figcaption></figure>";
  return html + "</section>";
}

}  // namespace

std::string report_page(const Results& results) {
  std::string html =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"refresh\" content=\"" +
      std::to_string(kReportRefreshSeconds) +
      "\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>Results: " +
      esc(results.account) +
      "</title><link rel=\"stylesheet\" href=\"/report.css\"><link rel=\"icon\" href=\"data:,\">"
      "</head><body><h1>Results: " +
      esc(results.account) + "</h1><p class=\"meta\">Refreshed every " +
      std::to_string(kReportRefreshSeconds) +
      " seconds. Lifts are against the control, with 95% intervals; p-values from a "
      "two-proportion z-test (rates) and Welch's t-test (revenue). "
      "<a href=\"/v1/results\">JSON</a></p>";
  if (results.goals.empty())
    html +=
        "<p class=\"empty\">The campaigns file declares no goals: only visitors are counted.</p>";
  for (const CampaignResult& c : results.campaigns) html += campaign_section(results, c);
  return html + "</body></html>\n";
}

const std::string& report_stylesheet() {
  static const std::string css =
      R"css(body { font: 14px/1.45 system-ui, sans-serif; color: #1d2330; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
h1 { font-size: 1.5rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; }
h2 code { font-size: 0.85rem; color: #4a5160; }
.meta { color: #4a5160; }
table.variations { border-collapse: collapse; margin: 0.75rem 0; }
table.variations th, table.variations td { border: 1px solid #d8dce3; padding: 0.35rem 0.7rem; text-align: right; vertical-align: top; }
table.variations tbody th { text-align: left; font-weight: 600; }
small { color: #4a5160; }
.srm.mismatch { color: #b3261e; font-weight: 600; }
figure { margin: 1rem 0; }
figcaption { color: #4a5160; font-size: 0.9rem; }
)css";
  return css;
}

}  // namespace vario::host
