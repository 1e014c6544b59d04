// ECDSA P-256 keys for preview links: the private key signs (a PEM file the team keeps), the
// public key verifies (base64 DER SubjectPublicKeyInfo in campaigns.json "preview", which is
// what WebCrypto's importKey("spki", ...) takes in the tag).
#pragma once

#include <openssl/evp.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace vario::host {

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

// A fresh P-256 key pair. Throws std::runtime_error when OpenSSL fails.
Pkey generate_preview_key();

// The private key as PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----").
std::string private_key_pem(EVP_PKEY* key);

// Base64 (standard alphabet, padded) of the DER SubjectPublicKeyInfo, named-curve form.
std::string public_key_base64(EVP_PKEY* key);

// Reads a PEM private key; nullopt with `why` set when the file cannot be read, is not a PEM
// private key, or is not an ECDSA P-256 key.
std::optional<Pkey> read_private_key(const std::filesystem::path& file, std::string* why);

// Parses campaigns.json's preview.public_key; nullopt with `why` set when it is not base64,
// not a DER SubjectPublicKeyInfo, or not a P-256 key.
std::optional<Pkey> read_public_key(std::string_view base64, std::string* why);

// Standard base64 with padding, and its inverse (nullopt on any other character or a bad
// length).
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

// Base64url without padding (RFC 4648 section 5), as the preview token uses.
std::string base64url_encode(std::string_view bytes);

}  // namespace vario::host
