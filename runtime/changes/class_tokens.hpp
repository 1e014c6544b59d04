// The class attribute as DOMTokenList sees it: tokens separated by ASCII whitespace. The engine
// edits the attribute itself (one host primitive fewer) and must agree with classList.
#pragma once

#include <string>
#include <string_view>

namespace vario {

// `attribute` with every class of `classes` (space-separated) that it lacks appended, tokens
// joined by single spaces, as classList.add serializes.
std::string with_classes(std::string_view attribute, std::string_view classes);
// `attribute` without any class of `classes`, as classList.remove serializes.
std::string without_classes(std::string_view attribute, std::string_view classes);
// The classes of `classes` that `attribute` lacks / has, space-separated.
std::string added_classes(std::string_view attribute, std::string_view classes);
std::string present_classes(std::string_view attribute, std::string_view classes);
bool has_all_classes(std::string_view attribute, std::string_view classes);
bool has_no_class(std::string_view attribute, std::string_view classes);

}  // namespace vario
