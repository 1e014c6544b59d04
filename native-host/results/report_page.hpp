// The results web page (/report): per campaign, the variations side by side and, per goal, a
// chart of each variation's conversion rate with its 95% interval, drawn by the server as inline
// SVG. Clean under the demo's Content-Security-Policy: no script, no style attribute (the look
// is in /report.css, the chart's colours are SVG presentation attributes), nothing from another
// origin. It refreshes itself with <meta http-equiv="refresh">, so it follows events as they
// arrive.
#pragma once

#include <string>

#include "results/results.hpp"

namespace vario::host {

// Seconds between two refreshes of the page.
inline constexpr int kReportRefreshSeconds = 5;

// The whole page for `results`.
std::string report_page(const Results& results);

// The stylesheet /report.css.
const std::string& report_stylesheet();

}  // namespace vario::host
