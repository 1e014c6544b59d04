// Base64url (RFC 4648 section 5), the alphabet A-Z a-z 0-9 - _ that the preview token and the
// IAB TC string are written in. Shared so that the engine has one copy of the alphabet.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vario {

// The 6-bit value of one base64url character (A = 0 ... _ = 63), or -1 for any other byte.
// The TC string decoder reads these values bit by bit: its segments are bit strings cut into
// 6-bit characters, and their last character carries bits that no whole byte holds.
int base64url_value(char c);

// Bytes from base64url without padding; trailing '=' padding is accepted. Bits that do not
// make a whole byte at the end are dropped. nullopt on any other character.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace vario
