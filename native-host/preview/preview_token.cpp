#include "preview/preview_token.hpp"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "preview/keys.hpp"
#include "vario/base64url.hpp"
#include "vario/preview.hpp"

namespace vario::host {
namespace {

constexpr std::size_t kHalf = 32;  // bytes of r and of s for P-256

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct SigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using Sig = std::unique_ptr<ECDSA_SIG, SigFree>;

// DER ECDSA-Sig-Value (what OpenSSL signs) -> r || s, each left-padded to 32 bytes.
std::optional<std::string> der_to_p1363(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  Sig sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return std::nullopt;
  std::string out(2 * kHalf, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), bytes, kHalf) != kHalf ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), bytes + kHalf, kHalf) != kHalf)
    return std::nullopt;
  return out;
}

// r || s -> DER, for OpenSSL to verify.
std::optional<std::string> p1363_to_der(std::string_view raw) {
  if (raw.size() != 2 * kHalf) return std::nullopt;
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  BIGNUM* r = BN_bin2bn(bytes, kHalf, nullptr);
  BIGNUM* s = BN_bin2bn(bytes + kHalf, kHalf, nullptr);
  Sig sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

void fail(std::string* why, std::string message) {
  if (why) *why = std::move(message);
}

}  // namespace

std::string sign_preview_token(EVP_PKEY* key, const ForcedVariations& forced,
                               std::int64_t expires_seconds) {
  nlohmann::ordered_json payload{
      {"v", 1}, {"forced", nlohmann::ordered_json::object()}, {"exp", expires_seconds}};
  for (const auto& [campaign, variation] : forced) payload["forced"][campaign] = variation;
  const std::string first = base64url_encode(payload.dump());

  MdCtx ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(first.data()),
                     first.size()) != 1)
    throw std::runtime_error("OpenSSL could not sign the preview token");
  std::string der(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &len,
                     reinterpret_cast<const unsigned char*>(first.data()), first.size()) != 1)
    throw std::runtime_error("OpenSSL could not sign the preview token");
  der.resize(len);
  const auto raw = der_to_p1363(der);
  if (!raw) throw std::runtime_error("OpenSSL produced an unreadable ECDSA signature");
  return first + "." + base64url_encode(*raw);
}

std::optional<ForcedVariations> verify_preview_token(std::string_view token,
                                                     std::string_view public_key_base64,
                                                     double now_ms, std::string* why) {
  const std::size_t dot = token.find('.');
  if (dot == std::string_view::npos || token.find('.', dot + 1) != std::string_view::npos) {
    fail(why, "preview token: expected PAYLOAD.SIGNATURE");
    return std::nullopt;
  }
  const std::string_view first = token.substr(0, dot);
  const auto raw = base64url_decode(token.substr(dot + 1));
  const auto der = raw ? p1363_to_der(*raw) : std::nullopt;
  if (!der) {
    fail(why, "preview token: the signature is not 64 bytes of base64url");
    return std::nullopt;
  }
  std::string key_problem;
  const auto key = read_public_key(public_key_base64, &key_problem);
  if (!key) {
    fail(why, key_problem);
    return std::nullopt;
  }
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key->get()) != 1 ||
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(der->data()), der->size(),
                       reinterpret_cast<const unsigned char*>(first.data()), first.size()) != 1) {
    fail(why, "preview token: the signature does not match preview.public_key");
    return std::nullopt;
  }
  // The signature is good: the payload is read by the engine's own reader, so the CLI and the
  // tag accept exactly the same tokens.
  const Result<Preview> preview = read_preview(token, now_ms);
  if (!preview.ok()) {
    fail(why, preview.error().message);
    return std::nullopt;
  }
  return preview.value().forced;
}

std::string add_preview_parameter(std::string_view url, std::string_view token) {
  const std::size_t hash = url.find('#');
  const std::string_view fragment = hash == std::string_view::npos ? "" : url.substr(hash);
  const std::string_view before = url.substr(0, hash);
  const std::size_t question = before.find('?');
  std::string out(before.substr(0, question));
  std::string query;
  if (question != std::string_view::npos) {
    // Keep every other parameter as written, drop an earlier vario_preview.
    std::string_view rest = before.substr(question + 1);
    while (!rest.empty()) {
      const std::size_t amp = rest.find('&');
      const std::string_view param = rest.substr(0, amp);
      if (!param.empty() && param != "vario_preview" && !param.starts_with("vario_preview=")) {
        query += param;
        query += '&';
      }
      rest = amp == std::string_view::npos ? "" : rest.substr(amp + 1);
    }
  }
  out += '?';
  out += query;
  out += "vario_preview=";
  out += token;
  out += fragment;
  return out;
}

}  // namespace vario::host
