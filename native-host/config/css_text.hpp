// What set_style values and add_css stylesheets may hold (docs/changes.md, "set_style" and
// "add_css"): one value per set_style change, and no CSS that runs script. Internal to the
// validator and the compiler.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vario::host {

// A set_style value split from its trailing "!important" (any case, with spaces before and
// after the '!' and at the end, as CSS allows): "red !important" -> {"red", true}; "red" ->
// {"red", false}. The engine passes the priority to the CSSOM separately, which is why the
// compiler stores it apart.
struct CssValue {
  std::string_view value;
  bool important = false;
};
CssValue split_important(std::string_view value);

// The problem with `value` (a set_style value without its "!important") as the rest of a
// message, or nullopt: ';' (it would end the declaration), '{', '}', '</', a javascript: or
// vbscript: URL in url(), or expression().
std::optional<std::string> css_value_problem(std::string_view value);

// The problem with an add_css stylesheet as the rest of a message, or nullopt: '</style' (it
// would close the element a stylesheet may be written into), a javascript: or vbscript: URL in
// url() or @import, or expression(). Nothing else is checked: a rule the browser cannot parse
// is dropped by the browser, and the rest of the stylesheet still applies.
std::optional<std::string> stylesheet_problem(std::string_view css);

}  // namespace vario::host
