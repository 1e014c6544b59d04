#define BOOST_TEST_MODULE preview_keys
#include <boost/test/unit_test.hpp>
#include <fstream>

#include "preview/keys.hpp"
#include "support/commands.hpp"

using namespace vario::host;

namespace {

// RFC 6979 appendix A.2.5: the P-256 key x = C9AFA9D8...2B120F6721, as PKCS#8 PEM.
constexpr const char* kRfc6979Key =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgya+p2EW6dRZrXCFX\n"
    "Z7HWk05Qw9s26JsSe4piKxIPZyGhRANCAARg/tS6JVqdMclh63TGNW1owEm4kjth\n"
    "+mzmaWIuYPKftnkD/hAIuLyZpBrp6VYovGTy8bIMLX6fUXejwpTURiKZ\n"
    "-----END PRIVATE KEY-----\n";

std::string hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

Pkey rfc6979_key(const vario::testing::Folder& f) {
  const auto path = f.dir / "rfc6979.pem";
  std::ofstream(path) << kRfc6979Key;
  std::string why;
  auto key = read_private_key(path, &why);
  BOOST_REQUIRE_MESSAGE(key, why);
  return std::move(*key);
}

}  // namespace

BOOST_AUTO_TEST_CASE(signatures_are_the_deterministic_ones_of_rfc_6979) {
  vario::testing::Folder f;
  const Pkey key = rfc6979_key(f);
  BOOST_TEST(hex(sign_p256(key.get(), "sample")) ==
             "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716"
             "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8");
  BOOST_TEST(hex(sign_p256(key.get(), "test")) ==
             "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367"
             "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083");
}

BOOST_AUTO_TEST_CASE(the_same_key_and_message_always_sign_the_same_64_bytes) {
  const Pkey key = generate_p256_key();
  const std::string a = sign_p256(key.get(), "campaigns");
  BOOST_TEST(a.size() == 64u);
  BOOST_TEST(sign_p256(key.get(), "campaigns") == a);
  BOOST_TEST(sign_p256(key.get(), "campaigns!") != a);
}

BOOST_AUTO_TEST_CASE(a_signature_verifies_only_for_its_message_and_its_key) {
  const Pkey key = generate_p256_key();
  const Pkey other = generate_p256_key();
  const std::string signature = sign_p256(key.get(), "campaigns");
  BOOST_TEST(verify_p256(key.get(), "campaigns", signature));
  BOOST_TEST(!verify_p256(key.get(), "campaignz", signature));
  BOOST_TEST(!verify_p256(other.get(), "campaigns", signature));
  std::string flipped = signature;
  flipped[10] ^= 1;
  BOOST_TEST(!verify_p256(key.get(), "campaigns", flipped));
  BOOST_TEST(!verify_p256(key.get(), "campaigns", signature.substr(0, 63)));
  BOOST_TEST(!verify_p256(key.get(), "campaigns", ""));
}

BOOST_AUTO_TEST_CASE(a_key_id_is_16_hex_digits_of_its_public_key_and_the_same_every_time) {
  vario::testing::Folder f;
  const Pkey key = rfc6979_key(f);
  const std::string id = public_key_id(key.get());
  BOOST_TEST(id.size() == 16u);
  BOOST_TEST(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  BOOST_TEST(public_key_id(rfc6979_key(f).get()) == id);
  BOOST_TEST(public_key_id(generate_p256_key().get()) != id);
}
