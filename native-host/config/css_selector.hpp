// A checker for the CSS selectors campaigns target, so that `vario check` rejects a selector
// before the browser does: the tag hands selectors to querySelectorAll(), which throws a
// SyntaxError on what it does not accept, and the change would silently not apply.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vario::host {

// Checks `selector` against Selectors Level 4 as Chromium's querySelectorAll() accepts it (the
// tables in the test were checked against Chromium 156): type and universal selectors ('*|'
// and '|' namespace prefixes; named prefixes are refused because querySelectorAll has no way to
// declare them), #id, .class, attribute selectors ([a], [a=v], [a~=v], [a|=v], [a^=v], [a$=v],
// [a*=v] with an identifier or quoted value and an optional 'i' flag), the pseudo-classes
// Chromium knows (including :not(), :is(), :where(), :has(), :nth-child(An+B [of S]),
// :nth-last-child(), :nth-of-type(), :nth-last-of-type(), :lang(tag), :dir(), :host(),
// :state()), pseudo-elements (::before and the other known ones, ::part(), ::slotted(),
// ::highlight(), ::cue(); the four legacy single-colon forms), the combinators ' ', '>', '+'
// and '~', comma-separated lists, comments, CSS escapes and non-ASCII names. '::-webkit-'
// pseudo-element names are accepted unchecked; '-moz-' names are refused (Firefox only), as are
// Selectors 4 parts Chromium lacks: the 's' attribute flag and :lang() with a list or a string.
//
// Stricter than the browser in three ways, because each is always an authoring mistake: an
// unclosed string, bracket, parenthesis or comment is an error (CSS would close it at the end);
// :is() and :where() must hold a valid, non-empty list (the browser would drop the invalid
// parts, so they would match nothing); and :has() may not be nested in :has(), even through
// :is().
//
// Returns std::nullopt when the selector is valid. Otherwise one sentence saying what is wrong
// and where, counting characters (Unicode code points) from 1, e.g.
// "'[' is never closed (at character 2)" or "expected a selector after '>' (at the end)".
std::optional<std::string> check_css_selector(std::string_view selector);

}  // namespace vario::host
