// The "style" attribute as the CSSOM sees it (element.style), for MemoryDom. The attribute text
// stays the one truth: it is parsed when read, and rewritten only when a property is set through
// the CSSOM, as browsers do (an authored style="color:red" serializes as written until then).
//
// Unlike a browser, nothing is validated or normalized beyond trimming: a browser drops unknown
// properties and invalid values and normalizes what it keeps (colors to rgb(), 0 to 0px,
// shorthands expanded), so a native test that compares style serializations byte for byte
// only holds in the browser for values already in their normal form.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vario::testing {

struct StyleDeclaration {
  std::string property;  // lowercase, except custom properties (--name), which keep their case
  std::string value;     // trimmed
  bool important = false;
  bool operator==(const StyleDeclaration&) const = default;
};

// The declarations of a style attribute, in order. Declarations without a ':' or with an empty
// name or value are dropped; a property declared twice keeps the later declaration, at the later
// position, unless only the earlier one is !important (the cascade inside one block).
std::vector<StyleDeclaration> parse_inline_style(std::string_view text);

// The declaration of `property` (any case, but custom properties) in a style attribute.
std::optional<StyleDeclaration> find_inline_style(std::string_view attribute,
                                                  std::string_view property);

// "color: red; margin: 0 !important;": how browsers serialize element.style.cssText.
std::string serialize_inline_style(const std::vector<StyleDeclaration>& declarations);

// Whether setProperty() would accept the pair here: a property name (an identifier or a custom
// property) and a value that cannot break out of its declaration (no ';', '{', '}' or '!' at the
// top level, quotes and brackets balanced). Browsers check far more, per property.
bool acceptable_style(std::string_view property, std::string_view value);

// Sets (or, for an empty value, removes) one property; returns the new attribute text, or
// nullopt when nothing changed because an absent property was removed.
std::optional<std::string> set_inline_style(std::string_view attribute, std::string_view property,
                                            std::string_view value, bool important);

}  // namespace vario::testing
