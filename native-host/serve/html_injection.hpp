// Puts the Vario tag into a page, the way a site owner would paste it: one <script> element at
// the top of <head>, right after <meta charset>, so that the tag runs before the body is parsed
// and can hide what it changes.
#pragma once

#include <string>
#include <string_view>

namespace vario::host {

// `value` with & " < > as character references: safe inside an attribute value in double
// quotes, and inside element text.
std::string escape_attribute(std::string_view value);

// The element pasted into pages:
//   <script src="SRC" integrity="SRI" crossorigin="anonymous"></script>
// The integrity attribute is left out when `sri` is empty. Attribute values are HTML-escaped.
std::string script_tag(std::string_view src, std::string_view sri);

// Returns `html` with `element` inserted:
// - right after the opening <head ...> tag (matched case-insensitively, attributes allowed), or
//   after the <meta charset=...> (or http-equiv Content-Type) that comes first in it, among
//   other <meta>, <link> and <base> elements and comments: the encoding must be declared
//   within the first 1024 bytes, and a browser parses the page in the declared one;
// - else, when the page has no <head>, right after the opening <html ...> tag, or before the
//   first element or text that follows the doctype and any comments (after a <meta charset>
//   there too);
// - else (nothing but a doctype and comments) at the end of that preamble, or at the very start
//   of an empty document.
// It never inserts before the doctype (that would switch the page to quirks mode), and it skips
// comments, so "<!-- <head> -->" is not taken for the head. Only the part of the document before
// the first body content is looked at; the rest is copied unchanged.
std::string inject_into_head(std::string_view html, std::string_view element);

}  // namespace vario::host
