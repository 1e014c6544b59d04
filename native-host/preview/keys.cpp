#include "preview/keys.hpp"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <stdexcept>

#include "input_file.hpp"

namespace vario::host {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};

bool is_p256(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "EC") != 1) return false;
  char group[64] = {};
  std::size_t len = 0;
  if (EVP_PKEY_get_group_name(key, group, sizeof group, &len) != 1) return false;
  return std::string_view(group, len) == "prime256v1" || std::string_view(group, len) == "P-256";
}

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string encode(std::string_view bytes, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                   static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                   static_cast<unsigned char>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += alphabet[(n >> shift) & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    if (rest == 2) out += alphabet[(n >> 6) & 63];
    if (pad) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

}  // namespace

Pkey generate_preview_key() {
  Pkey key(EVP_EC_gen("P-256"));
  if (!key) throw std::runtime_error("OpenSSL could not generate a P-256 key");
  return key;
}

std::string private_key_pem(EVP_PKEY* key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    throw std::runtime_error("OpenSSL could not write the private key");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::string public_key_base64(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(key, &der);
  if (len <= 0) throw std::runtime_error("OpenSSL could not encode the public key");
  std::string out =
      base64_encode(std::string_view(reinterpret_cast<char*>(der), static_cast<std::size_t>(len)));
  OPENSSL_free(der);
  return out;
}

std::optional<Pkey> read_private_key(const std::filesystem::path& file, std::string* why) {
  std::string unread;
  const auto text = read_input_file(file, "a key file", why ? why : &unread);
  if (!text) return std::nullopt;
  const std::string& pem = *text;
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Pkey key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) {
    if (why) *why = file.string() + ": is not a PEM private key";
    return std::nullopt;
  }
  if (!is_p256(key.get())) {
    if (why) *why = file.string() + ": is not an ECDSA P-256 key (make one with vario keygen)";
    return std::nullopt;
  }
  return key;
}

std::optional<Pkey> read_public_key(std::string_view base64, std::string* why) {
  const auto der = base64_decode(base64);
  if (!der) {
    if (why) *why = "preview.public_key is not base64";
    return std::nullopt;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(der->data());
  Pkey key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der->size())));
  if (!key || p != reinterpret_cast<const unsigned char*>(der->data()) + der->size()) {
    if (why) *why = "preview.public_key is not a DER SubjectPublicKeyInfo";
    return std::nullopt;
  }
  if (!is_p256(key.get())) {
    if (why) *why = "preview.public_key is not an ECDSA P-256 key";
    return std::nullopt;
  }
  return key;
}

std::string base64_encode(std::string_view bytes) { return encode(bytes, kBase64, true); }

std::string base64url_encode(std::string_view bytes) {
  return encode(bytes, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", false);
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  while (padding < 2 && !text.empty() && text[text.size() - 1 - padding] == '=') ++padding;
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (std::size_t i = 0; i < text.size() - padding; ++i) {
    const char* at = std::char_traits<char>::find(kBase64, 64, text[i]);
    if (!at) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(at - kBase64);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  return out;
}

}  // namespace vario::host
