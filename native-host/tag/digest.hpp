// Checksums for the tag's integrity: SHA-256 (hex, for people comparing by eye) and SRI
// sha384 values (for <script integrity> and fetch's integrity option).
#pragma once

#include <string>
#include <string_view>

namespace vario::host {

std::string sha256_hex(std::string_view bytes);
// "sha384-" followed by the base64 of the SHA-384 digest, as Subresource Integrity expects.
std::string sri_sha384(std::string_view bytes);

}  // namespace vario::host
