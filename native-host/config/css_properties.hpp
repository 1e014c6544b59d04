// The CSS property names set_style accepts (docs/changes.md, "set_style"): the standard
// properties, the vendor-prefixed ones still in use, and custom properties. Internal to the
// validator (config/validate.hpp).
#pragma once

#include <span>
#include <string_view>

namespace vario::host {

// The standard property names, as the CSS indexes list them (CSS 2.2 and the CSS modules, SVG
// presentation properties, the newer ones Chromium ships), lowercase and sorted; then the
// -webkit- and -moz- prefixed properties that still have no standard equivalent or that sites
// still write (-webkit-line-clamp, -webkit-text-stroke). Both lists together make the
// candidates for "did you mean" suggestions.
std::span<const std::string_view> standard_css_properties();
std::span<const std::string_view> prefixed_css_properties();

// Whether set_style may set `name`: a listed standard or prefixed property, or a custom
// property ("--" followed by one or more letters, digits, '-', '_' or non-ASCII characters).
// Names are case-sensitive here: the CSSOM lowercases standard names, so "Color" works in a
// browser, but a file that says "color" reads the same everywhere.
bool is_known_css_property(std::string_view name);

}  // namespace vario::host
