// CSS selectors over a DomTree, for MemoryDom::query_all and the watch filter. The subset test
// pages and campaigns use; anything outside it is refused, as querySelectorAll() refuses what
// it cannot parse (so a test meets an unsupported selector as a loud nullopt, not a silent
// empty match):
//   - type selectors and '*'; #id; .class (type and attribute names are ASCII
//     case-insensitive, on SVG elements too, as Chromium matches "clippath" and "[viewbox]");
//   - [attr], [attr=v], [attr~=v], [attr^=v], [attr$=v], [attr*=v], [attr|=v], the value an
//     identifier or a quoted string, with an optional 'i' (ASCII case-insensitive) flag;
//   - compound selectors; the combinators ' ', '>', '+', '~'; comma-separated lists;
//   - :not(list), :is(list), :where(list) (lists of complex selectors; the browser's forgiving
//     parsing of :is/:where is not modelled: an invalid item refuses the whole selector);
//   - :first-child, :last-child, :only-child, :nth-child(An+B | odd | even),
//     :nth-last-child(...), :root, :empty;
//   - CSS escapes in names and strings (".md\:flex", "#\31 23").
// Refused: namespace prefixes, pseudo-elements, every other pseudo-class (:has, :hover, ...),
// ":nth-child(An+B of S)", comments, and anything malformed. Stricter than Chromium as
// `vario check` is (native-host/config/css_selector.hpp): an unclosed string or bracket is an
// error, and so is an empty :is() or :where(). Matching is as in a no-quirks document (ids and
// classes are case-sensitive). The tables in memory_dom_test.cpp were checked against Chromium
// 156's querySelectorAll().
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "support/dom_tree.hpp"

namespace vario::testing {

class DomSelector {
 public:
  // nullopt when `selector` is malformed or outside the subset above.
  static std::optional<DomSelector> parse(std::string_view selector);

  // Whether `element` matches, its ancestors and siblings in `tree` taken into account (a
  // detached subtree is matched as if its root had no parent).
  bool matches(const DomTree& tree, NodeId element) const;

  struct List;  // the parsed selector list (dom_selector.cpp)

 private:
  explicit DomSelector(std::shared_ptr<const List> list) : list_(std::move(list)) {}
  std::shared_ptr<const List> list_;  // shared: a parsed selector is immutable
};

}  // namespace vario::testing
