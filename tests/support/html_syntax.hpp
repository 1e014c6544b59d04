// HTML text to DomTree nodes and back, for MemoryDom (memory_dom.hpp). The parser follows the
// HTML Standard's tree construction where test pages meet it, and is deliberately smaller
// elsewhere:
//   - Kept: lowercase tag and attribute names; the first of two same-named attributes wins;
//     double-quoted, single-quoted, unquoted and boolean attributes; void elements; "/>" ignored
//     on non-void elements (as browsers do); comments, "<!...>" and "<?...>" bogus comments;
//     DOCTYPE skipped; raw text in script, style, xmp, iframe, noembed, noframes; escapable raw
//     text in textarea and title; the leading newline of pre, listing and textarea dropped;
//     character references: decimal and hex, and the named ones in html_syntax.cpp (Latin-1,
//     the ASCII ones, common typographic ones), the legacy ones also without ';'; an end tag
//     closes the elements opened after its element, one with no open element is ignored,
//     "</p>" with no open <p> makes an empty one and "</br>" a <br>; whatever is open at the end
//     is closed; the implied ends of p, li, dt, dd, h1-h6, option and optgroup; a tr directly in
//     a table gets a tbody, a td or th gets a tr (and tbody).
//   - Foreign content: <svg> and <math> elements and their content are in their namespace, with
//     HTML's case-adjusted SVG names (viewBox, clipPath), "/>" closing an element, no raw text,
//     HTML again inside <foreignObject>, <desc>, <title> and MathML's text elements, and the
//     HTML tags that break out of it (<div>, <p>, ...).
//   - Not modelled: the adoption agency for misnested formatting elements (<b><i></b></i> gives
//     <b><i></i></b>, where a browser reopens an <i>), foster parenting of content misplaced in
//     tables (it stays in place), namespaced attributes (xlink:href is a plain name), CDATA
//     sections, quirks mode (pages parse as with <!DOCTYPE html>), scripting-enabled <noscript>
//     (parsed as markup, as in DOMParser), and the named references not in the table (left as
//     written).
// The tables in memory_dom_test.cpp were checked against Chromium 156 (DOMParser, template).
// Documents always get <html>, <head> and <body>: missing ones are implied, head-only elements
// (title, meta, link, style, script, base) that come before any content go into <head>, and
// everything else into <body>.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "support/dom_tree.hpp"

namespace vario::testing {

struct DocumentNodes {
  NodeId document = kNullNode;
  NodeId html = kNullNode;
  NodeId head = kNullNode;
  NodeId body = kNullNode;
};

// Parses a whole page into new nodes of `tree`.
DocumentNodes parse_document(DomTree& tree, std::string_view html);

// Parses HTML as the children of a <body> (or <template>) would be parsed: new, detached nodes,
// the top-level ones returned in order. <html>, <head> and <body> tags are ignored; table parts
// are kept wherever they appear (as in a <template>).
std::vector<NodeId> parse_fragment(DomTree& tree, std::string_view html);

// outerHTML (`outer`) or innerHTML of `node`, serialized as browsers do: attributes in order as
// name="value" with &, ", <, > and U+00A0 escaped (< and > since the 2025 HTML change that
// Chromium 138 shipped); text with &, <, > and U+00A0 escaped except inside raw text elements;
// comments as <!--data-->; void elements without an end tag. The document node serializes its
// children.
std::string serialize_html(const DomTree& tree, NodeId node, bool outer);

}  // namespace vario::testing
