// Signing and verifying preview tokens (docs/campaigns.md, "Preview links"):
//   TOKEN = base64url(payload) "." base64url(signature)
//   payload = {"v": 1, "forced": {"campaign-id": "variation-id", ...}, "exp": unix_seconds}
//   signature = ECDSA P-256 with SHA-256 over the ASCII of the first part, in IEEE P1363 form
//   (r || s, 32 bytes each), which is what WebCrypto signs and verifies (preview/keys.hpp's
//   sign_p256 and verify_p256).
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vario::host {

using ForcedVariations = std::vector<std::pair<std::string, std::string>>;

// A token forcing `forced` (campaign id, variation id) until `expires_seconds` (Unix time).
// `key` must be a P-256 private key. Throws std::runtime_error when OpenSSL fails.
std::string sign_preview_token(EVP_PKEY* key, const ForcedVariations& forced,
                               std::int64_t expires_seconds);

// The forced variations of a token whose signature verifies with `public_key_base64` (the
// campaigns file's preview.public_key) and which has not expired at `now_ms` (Unix
// milliseconds). nullopt otherwise, with a sentence in *why (when given): malformed token,
// bad key, signature mismatch, expired.
std::optional<ForcedVariations> verify_preview_token(std::string_view token,
                                                     std::string_view public_key_base64,
                                                     double now_ms, std::string* why);

// `url` with the query parameter vario_preview=TOKEN, before any fragment; an existing
// vario_preview parameter is replaced.
std::string add_preview_parameter(std::string_view url, std::string_view token);

}  // namespace vario::host
