// Checks of the campaigns file's string formats that need more than a pattern: RFC 3339
// timestamps (a real date and time) and the preview public key (a real P-256 point). Internal
// to the validator (config/validate.hpp).
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace vario::host::validation {

// "2026-12-01T00:00:00Z" or "2026-12-01T01:00:00.250+01:00": date, upper-case 'T', time with
// optional fraction, then 'Z' or an offset. The instant in seconds since 1970-01-01T00:00:00Z,
// or the problem as a sentence ending the message ("is not a real date: ..."). Leap seconds
// (":60") are refused: browsers' Date cannot represent them.
std::variant<double, std::string> parse_timestamp(std::string_view text);

// Whether `text` is the base64 (standard alphabet, padded) of the DER SubjectPublicKeyInfo of
// an ECDSA P-256 public key, as `vario keygen` prints it and WebCrypto's importKey("spki")
// accepts. Returns "" when it is, else the problem as the rest of a message.
std::string preview_key_problem(std::string_view text);

}  // namespace vario::host::validation
