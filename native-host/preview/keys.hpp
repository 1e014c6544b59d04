// ECDSA P-256 keys, the one kind of key Vario signs with: preview links and, in the split tag
// layout, the campaigns file. The private key signs (a PEM file the team keeps); the public key
// verifies (base64 DER SubjectPublicKeyInfo, in campaigns.json "preview" and in the split tag's
// loader, which is what WebCrypto's importKey("spki", ...) takes in the tag).
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
Pkey generate_p256_key();

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

// A short name for a public key: the first 16 hex digits of the SHA-256 of its DER
// SubjectPublicKeyInfo. The same key always has the same id.
std::string public_key_id(EVP_PKEY* key);

// ECDSA P-256 with SHA-256 over `message`, as IEEE P1363 (r || s, 32 bytes each), the form
// WebCrypto verifies. Deterministic (RFC 6979): the same key and message always give the same
// 64 bytes, so that a build that signs is reproducible. `key` must be a P-256 private key; the
// signature is checked before it is returned. Throws std::runtime_error when OpenSSL fails.
std::string sign_p256(EVP_PKEY* key, std::string_view message);

// Whether `signature` (P1363, 64 bytes) is a P-256 / SHA-256 signature of `message` by `key`
// (a public or private P-256 key). Any malformed signature is simply not valid.
bool verify_p256(EVP_PKEY* key, std::string_view message, std::string_view signature);

// Standard base64 with padding, and its inverse (nullopt on any other character or a bad
// length).
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

// Base64url without padding (RFC 4648 section 5), as the preview token uses.
std::string base64url_encode(std::string_view bytes);

}  // namespace vario::host
