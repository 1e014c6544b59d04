#include "preview/keys.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <stdexcept>

#include "input_file.hpp"
#include "tag/digest.hpp"

namespace vario::host {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct BnFree {
  void operator()(BIGNUM* b) const { BN_clear_free(b); }
};
struct BnCtxFree {
  void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
struct GroupFree {
  void operator()(EC_GROUP* g) const { EC_GROUP_free(g); }
};
struct PointFree {
  void operator()(EC_POINT* p) const { EC_POINT_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct SigFree {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using Sig = std::unique_ptr<ECDSA_SIG, SigFree>;

constexpr int kHalf = 32;  // bytes of r, of s, of a P-256 scalar and of a SHA-256 digest

[[noreturn]] void openssl_failed(const char* what) {
  throw std::runtime_error(std::string("OpenSSL could not ") + what);
}

Bn new_bn() {
  Bn n(BN_new());
  if (!n) openssl_failed("allocate a number");
  return n;
}

// A scalar as 32 big-endian bytes (RFC 6979's int2octets for P-256).
std::string octets(const BIGNUM* n) {
  std::string out(kHalf, '\0');
  if (BN_bn2binpad(n, reinterpret_cast<unsigned char*>(out.data()), kHalf) != kHalf)
    openssl_failed("encode a number");
  return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len))
    openssl_failed("compute an HMAC");
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string sha256_bytes(std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out, &len, EVP_sha256(), nullptr) != 1)
    openssl_failed("compute a SHA-256 digest");
  return std::string(reinterpret_cast<const char*>(out), len);
}

// r || s -> DER ECDSA-Sig-Value, which is what OpenSSL verifies.
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

Pkey generate_p256_key() {
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

std::string public_key_id(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(key, &der);
  if (len <= 0) openssl_failed("encode the public key");
  const std::string hex =
      sha256_hex(std::string_view(reinterpret_cast<char*>(der), static_cast<std::size_t>(len)));
  OPENSSL_free(der);
  return hex.substr(0, 16);
}

// OpenSSL 3.0 draws ECDSA nonces at random, which would make every signed build differ; the
// nonce here is RFC 6979's (section 3.2, HMAC-SHA-256, for a 256-bit order), and the signature
// arithmetic is ECDSA's: r = x(kG) mod n, s = k^-1 (e + r d) mod n.
std::string sign_p256(EVP_PKEY* key, std::string_view message) {
  if (!is_p256(key)) throw std::runtime_error("the signing key is not an ECDSA P-256 key");
  BIGNUM* d_raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d_raw) != 1)
    throw std::runtime_error("the signing key has no private half");
  const Bn d(d_raw);
  const std::unique_ptr<EC_GROUP, GroupFree> group(
      EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  const std::unique_ptr<BN_CTX, BnCtxFree> ctx(BN_CTX_new());
  if (!group || !ctx) openssl_failed("set up P-256");
  const BIGNUM* n = EC_GROUP_get0_order(group.get());

  // e = bits2int(H(m)): the digest is exactly as long as the order, so no shift.
  const std::string h1 = sha256_bytes(message);
  const Bn e(BN_bin2bn(reinterpret_cast<const unsigned char*>(h1.data()), kHalf, nullptr));
  Bn e_mod_n = new_bn();
  if (!e || BN_nnmod(e_mod_n.get(), e.get(), n, ctx.get()) != 1)
    openssl_failed("reduce the digest");
  const std::string seed =
      octets(d.get()) + octets(e_mod_n.get());  // int2octets(x) || bits2octets(h1)

  std::string v(kHalf, '\x01');
  std::string k_mac(kHalf, '\0');
  k_mac = hmac_sha256(k_mac, v + '\x00' + seed);
  v = hmac_sha256(k_mac, v);
  k_mac = hmac_sha256(k_mac, v + '\x01' + seed);
  v = hmac_sha256(k_mac, v);
  for (;;) {
    v = hmac_sha256(k_mac, v);
    Bn k(BN_bin2bn(reinterpret_cast<const unsigned char*>(v.data()), kHalf, nullptr));
    if (!k) openssl_failed("read the nonce");
    if (!BN_is_zero(k.get()) && BN_cmp(k.get(), n) < 0) {
      BN_set_flags(k.get(), BN_FLG_CONSTTIME);
      const std::unique_ptr<EC_POINT, PointFree> point(EC_POINT_new(group.get()));
      Bn x = new_bn(), r = new_bn(), s = new_bn();
      const Bn k_inverse(point ? BN_mod_inverse(nullptr, k.get(), n, ctx.get()) : nullptr);
      if (!point || !k_inverse ||
          EC_POINT_mul(group.get(), point.get(), k.get(), nullptr, nullptr, ctx.get()) != 1 ||
          EC_POINT_get_affine_coordinates(group.get(), point.get(), x.get(), nullptr, ctx.get()) !=
              1 ||
          BN_nnmod(r.get(), x.get(), n, ctx.get()) != 1 ||
          BN_mod_mul(s.get(), r.get(), d.get(), n, ctx.get()) != 1 ||
          BN_mod_add(s.get(), s.get(), e.get(), n, ctx.get()) != 1 ||
          BN_mod_mul(s.get(), s.get(), k_inverse.get(), n, ctx.get()) != 1)
        openssl_failed("compute the signature");
      if (!BN_is_zero(r.get()) && !BN_is_zero(s.get())) {
        std::string signature = octets(r.get()) + octets(s.get());
        // OpenSSL's own verification checks the arithmetic above on every signature.
        if (!verify_p256(key, message, signature))
          throw std::runtime_error("the signature does not verify with its own key");
        return signature;
      }
    }
    k_mac = hmac_sha256(k_mac, v + '\x00');
    v = hmac_sha256(k_mac, v);
  }
}

bool verify_p256(EVP_PKEY* key, std::string_view message, std::string_view signature) {
  const auto der = p1363_to_der(signature);
  if (!der || !is_p256(key)) return false;
  const std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(der->data()),
                          der->size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
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
