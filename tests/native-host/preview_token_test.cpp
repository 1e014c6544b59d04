#define BOOST_TEST_MODULE preview_token
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <openssl/ec.h>
#include <string>

#include "preview/keys.hpp"
#include "preview/preview_token.hpp"

using namespace vario::host;

namespace {

double now_ms() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t in_an_hour() { return static_cast<std::int64_t>(now_ms() / 1000) + 3600; }

const ForcedVariations kForced{{"product-headline", "benefit"}, {"cart-banner", "control"}};

// Runs `script` with node and the given arguments; returns its stdout, or nullopt when node is
// missing (the test then says so and passes).
std::optional<std::string> run_node(const std::string& script, const std::string& args) {
  if (std::system("node --version > /dev/null 2>&1") != 0) return std::nullopt;
  const auto file = std::filesystem::temp_directory_path() / "vario_preview_webcrypto.cjs";
  std::ofstream(file) << script;
  std::string out;
  FILE* pipe = popen(("node " + file.string() + " " + args).c_str(), "r");
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  BOOST_TEST(pclose(pipe) == 0);
  std::filesystem::remove(file);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_signed_token_verifies_and_gives_back_the_forced_variations) {
  const Pkey key = generate_p256_key();
  const std::string token = sign_preview_token(key.get(), kForced, in_an_hour());
  std::string why;
  const auto forced = verify_preview_token(token, public_key_base64(key.get()), now_ms(), &why);
  BOOST_TEST_REQUIRE(forced.has_value(), why);
  BOOST_TEST((*forced == kForced));

  // The payload is the documented JSON, and the signature is 64 raw bytes (P1363, not DER).
  const std::size_t dot = token.find('.');
  BOOST_TEST(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                     "0123456789-_.") == std::string::npos);
  BOOST_TEST(token.size() - dot - 1 == 86u);  // 64 bytes in unpadded base64url
}

BOOST_AUTO_TEST_CASE(a_tampered_payload_is_rejected) {
  const Pkey key = generate_p256_key();
  const std::string token = sign_preview_token(key.get(), kForced, in_an_hour());
  const std::string other =
      sign_preview_token(key.get(), {{"product-headline", "control"}}, in_an_hour());
  // The other token's payload with this token's signature.
  const std::string forged = other.substr(0, other.find('.')) + token.substr(token.find('.'));
  std::string why;
  BOOST_TEST(!verify_preview_token(forged, public_key_base64(key.get()), now_ms(), &why));
  BOOST_TEST(why.find("signature does not match") != std::string::npos, why);

  std::string flipped = token;
  flipped[3] = flipped[3] == 'A' ? 'B' : 'A';
  BOOST_TEST(!verify_preview_token(flipped, public_key_base64(key.get()), now_ms(), nullptr));
}

BOOST_AUTO_TEST_CASE(an_expired_token_is_rejected) {
  const Pkey key = generate_p256_key();
  const std::int64_t past = static_cast<std::int64_t>(now_ms() / 1000) - 1;
  const std::string token = sign_preview_token(key.get(), kForced, past);
  std::string why;
  BOOST_TEST(!verify_preview_token(token, public_key_base64(key.get()), now_ms(), &why));
  BOOST_TEST(why.find("expired") != std::string::npos, why);
  // The same token was good before its expiry.
  BOOST_TEST(
      verify_preview_token(token, public_key_base64(key.get()), (past - 60) * 1000.0, nullptr)
          .has_value());
}

BOOST_AUTO_TEST_CASE(a_token_signed_with_another_key_is_rejected) {
  const Pkey key = generate_p256_key();
  const Pkey other = generate_p256_key();
  const std::string token = sign_preview_token(other.get(), kForced, in_an_hour());
  std::string why;
  BOOST_TEST(!verify_preview_token(token, public_key_base64(key.get()), now_ms(), &why));
  BOOST_TEST(why.find("signature does not match") != std::string::npos, why);
}

BOOST_AUTO_TEST_CASE(malformed_tokens_and_keys_are_rejected_with_a_reason) {
  const Pkey key = generate_p256_key();
  const std::string public_key = public_key_base64(key.get());
  const std::string token = sign_preview_token(key.get(), kForced, in_an_hour());
  const std::string first = token.substr(0, token.find('.'));
  for (const std::string& bad : {std::string(), first, token + ".x", first + ".AAAA",
                                 first + ".!!!", "." + token.substr(token.find('.') + 1)}) {
    std::string why;
    BOOST_TEST(!verify_preview_token(bad, public_key, now_ms(), &why), bad);
    BOOST_TEST(!why.empty());
  }
  std::string why;
  BOOST_TEST(!verify_preview_token(token, "not base64!", now_ms(), &why));
  BOOST_TEST(why == "preview.public_key is not base64");
  BOOST_TEST(!verify_preview_token(token, base64_encode("not DER"), now_ms(), &why));
  BOOST_TEST(why == "preview.public_key is not a DER SubjectPublicKeyInfo");
  Pkey p384(EVP_EC_gen("P-384"));
  BOOST_TEST(!read_public_key(public_key_base64(p384.get()), &why));
  BOOST_TEST(why == "preview.public_key is not an ECDSA P-256 key");
}

BOOST_AUTO_TEST_CASE(base64_follows_rfc_4648) {
  const std::pair<std::string, std::string> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [raw, encoded] : vectors) {
    BOOST_TEST(base64_encode(raw) == encoded);
    BOOST_TEST(base64_decode(encoded).value_or("?") == raw);
  }
  BOOST_TEST(base64url_encode("\xfb\xff") == "-_8");
  BOOST_TEST(!base64_decode("Zm9"));
  BOOST_TEST(!base64_decode("Zm9-"));
}

BOOST_AUTO_TEST_CASE(the_preview_parameter_is_added_before_the_fragment_and_replaces_an_old_one) {
  BOOST_TEST(add_preview_parameter("https://shop.example/p", "T") ==
             "https://shop.example/p?vario_preview=T");
  BOOST_TEST(add_preview_parameter("https://shop.example/p?a=1#top", "T") ==
             "https://shop.example/p?a=1&vario_preview=T#top");
  BOOST_TEST(add_preview_parameter("/p?vario_preview=OLD&a=1&", "T") == "/p?a=1&vario_preview=T");
}

BOOST_AUTO_TEST_CASE(webcrypto_verifies_our_tokens_and_we_verify_webcrypto_signatures) {
  const Pkey key = generate_p256_key();
  const std::string public_key = public_key_base64(key.get());
  const std::string token = sign_preview_token(key.get(), kForced, in_an_hour());
  // What the tag does: importKey("spki") and verify({name: "ECDSA", hash: "SHA-256"}); then it
  // signs a token of its own for the reverse check.
  const auto out = run_node(R"JS(
const { subtle } = require("node:crypto").webcrypto;
const [token, spki] = process.argv.slice(2);
(async () => {
  const ecdsa = { name: "ECDSA", namedCurve: "P-256" };
  const key = await subtle.importKey("spki", Buffer.from(spki, "base64"), ecdsa, false, ["verify"]);
  const [payload, signature] = token.split(".");
  const verified = await subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key,
      Buffer.from(signature, "base64url"), new TextEncoder().encode(payload));
  const tampered = await subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key,
      Buffer.from(signature, "base64url"), new TextEncoder().encode(payload + "x"));
  const pair = await subtle.generateKey(ecdsa, true, ["sign", "verify"]);
  const body = Buffer.from(JSON.stringify({ v: 1, forced: { a: "b" },
      exp: Math.floor(Date.now() / 1000) + 60 })).toString("base64url");
  const sig = await subtle.sign({ name: "ECDSA", hash: "SHA-256" }, pair.privateKey,
      new TextEncoder().encode(body));
  const ownSpki = Buffer.from(await subtle.exportKey("spki", pair.publicKey)).toString("base64");
  console.log(JSON.stringify({ verified, tampered,
      token: body + "." + Buffer.from(sig).toString("base64url"), spki: ownSpki,
      payload: JSON.parse(Buffer.from(payload, "base64url").toString()) }));
})();
)JS",
                            token + " " + public_key);
  if (!out) {
    BOOST_TEST_MESSAGE("skipped: node is not installed");
    return;
  }
  const auto result = nlohmann::json::parse(*out);
  BOOST_TEST(result["verified"] == true);
  BOOST_TEST(result["tampered"] == false);
  BOOST_TEST(result["payload"]["v"] == 1);
  BOOST_TEST(result["payload"]["forced"]["product-headline"] == "benefit");
  std::string why;
  const auto forced = verify_preview_token(result["token"].get<std::string>(),
                                           result["spki"].get<std::string>(), now_ms(), &why);
  BOOST_TEST_REQUIRE(forced.has_value(), why);
  BOOST_TEST(((*forced)[0] == std::pair<std::string, std::string>{"a", "b"}));
}
