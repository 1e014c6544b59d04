#include "tag/digest.hpp"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace vario::host {
namespace {

std::string digest(const EVP_MD* md, std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out.data(), &len, md, nullptr) != 1)
    throw std::runtime_error("OpenSSL digest failed");
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (const unsigned char c : digest(EVP_sha256(), bytes)) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  return hex;
}

std::string sri_sha384(std::string_view bytes) {
  const std::string raw = digest(EVP_sha384(), bytes);
  std::string b64(4 * ((raw.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                                reinterpret_cast<const unsigned char*>(raw.data()),
                                static_cast<int>(raw.size()));
  b64.resize(static_cast<std::size_t>(n));
  return "sha384-" + b64;
}

}  // namespace vario::host
