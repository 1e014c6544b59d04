// JavaScript's view of strings for UTF-8 text: UTF-16 order and length, toLowerCase equality,
// white space, and decoding one code point.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vario::js {

// JavaScript string order (UTF-16 code units) of two UTF-8 strings: negative, 0 or positive.
// It differs from byte order only between characters above U+FFFF and U+E000..U+FFFF.
int compare_utf16(std::string_view a, std::string_view b);

// The number of UTF-16 code units of a UTF-8 string (JavaScript's `length`).
std::size_t utf16_length(std::string_view s);

// Whether a.toLowerCase() === b.toLowerCase(). Lower-cases ASCII, Latin-1, Latin Extended-A,
// the Latin digraphs, Latin Extended Additional, Greek, Cyrillic, Armenian and fullwidth Latin
// (U+0130 becomes "i̇" as in JavaScript; no final-sigma rule); other characters compare
// unchanged.
bool equal_ignoring_case(std::string_view a, std::string_view b);

// Whether c is JavaScript white space or a line terminator (the \s class, String.trim).
bool is_js_space(char32_t c);

// Decodes the UTF-8 character at s[i] and advances i past it (invalid bytes decode as U+FFFD).
char32_t next_code_point(std::string_view s, std::size_t& i);

}  // namespace vario::js
