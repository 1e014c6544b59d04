// What `vario check` refuses in the HTML and URLs that campaigns put into pages (docs/changes.md,
// "Safety"): Vario never runs script, so HTML that would run any, or load something that could,
// is refused before it reaches a visitor. The tag sets HTML inert as well (Trusted Types); this
// is the check that tells the author, with the place.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vario::host {

// The scheme of `url` when it is one whose URL runs script or opens a document that can:
// "javascript:", "vbscript:" or "data:text/html", else nullopt. Looks at the URL as a browser
// does and more: ASCII whitespace and control characters anywhere are ignored (browsers drop
// them at the ends and tabs and newlines inside), and letters compare in any case, so
// " JaVa\tScript:x" is a javascript: URL. Character references are not decoded here: that is
// HTML's business (html_problem decodes before asking).
std::optional<std::string_view> script_url_scheme(std::string_view url);

// Whether an attribute of this (lowercase) name holds a URL that the browser follows or loads:
// href, src, action, formaction, xlink:href, poster and the other HTML and SVG ones, including
// the values of SVG animations (to, from, by, values), which can set an href.
bool is_url_attribute(std::string_view name);

// Tokenizes `html` as a browser's HTML parser does (tags, attributes with quoted and unquoted
// values, character references in them, comments, bogus comments, the text content of <title>
// and <textarea>) and returns the first problem, as one sentence that starts "HTML carries" or
// "HTML has" and says at which character (counted from 1) it is, e.g. "HTML carries a <script>
// element at character 12: Vario never runs script". nullopt when there is none. Refused:
//   - <script> (any case), and any on* attribute (event handlers are script);
//   - a javascript:, vbscript: or data:text/html URL in a URL attribute, after decoding
//     character references (&#106;, &#x6A;, &colon;, &Tab;) and ignoring whitespace and control
//     characters as script_url_scheme does; any srcdoc attribute;
//   - <iframe>, <frame>, <object>, <embed>, <applet>, <base>, <meta> and <link>: they load or
//     run things of their own, or change how the page loads them;
//   - <style> elements and style attributes: a strict Content-Security-Policy blocks inline
//     styles (set_style and add_css go through the CSSOM, which it allows);
//   - <xmp>, <noembed>, <noframes>, <noscript> and <plaintext>, and '<' in the text of <title>
//     or <textarea>: whether their content is text or markup depends on where the HTML lands
//     (inside <svg> it is markup), so what they hold cannot be checked once for every place.
// Where this tokenizer and a browser could differ (a <![CDATA[ section inside <svg>, which it
// ends at the first '>' as HTML outside <svg> does), it reads more as markup than the browser
// would: it may refuse more, never less.
std::optional<std::string> html_problem(std::string_view html);

}  // namespace vario::host
