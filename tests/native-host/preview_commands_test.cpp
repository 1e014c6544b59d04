#define BOOST_TEST_MODULE preview_commands
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "commands/commands.hpp"
#include "commands/preview.hpp"
#include "preview/preview_token.hpp"
#include "support/campaigns.hpp"
#include "support/commands.hpp"

using namespace vario::host;
namespace fs = std::filesystem;

namespace {

using vario::testing::capture;
using vario::testing::Captured;
using vario::testing::Folder;

std::string keygen(const fs::path& pem) {
  const Captured c = capture([&] { return run_keygen({.out = pem}); });
  BOOST_TEST_REQUIRE(c.code == 0, c.err);
  return c.out.substr(0, c.out.find('\n'));
}

fs::path campaigns_with_key(const fs::path& dir, const std::string& public_key) {
  nlohmann::json doc = vario::testing::headline_test();
  doc["preview"] = {{"public_key", public_key}};
  std::ofstream(dir / "campaigns.json") << doc.dump();
  return dir / "campaigns.json";
}

double now_ms() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

BOOST_AUTO_TEST_CASE(keygen_writes_a_private_key_only_its_owner_can_read_and_never_overwrites) {
  Folder f;
  const fs::path pem = f.dir / "preview.pem";
  const std::string public_key = keygen(pem);
  BOOST_TEST(public_key.starts_with("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"));  // P-256 SPKI
  struct stat st {};
  BOOST_TEST_REQUIRE(::stat(pem.c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0600u);
  std::ifstream in(pem);
  std::string first_line;
  std::getline(in, first_line);
  BOOST_TEST(first_line == "-----BEGIN PRIVATE KEY-----");

  const Captured again = capture([&] { return run_keygen({.out = pem}); });
  BOOST_TEST(again.code == 1);
  BOOST_TEST(again.err.find("already exists") != std::string::npos, again.err);
  BOOST_TEST(keygen(f.dir / "other.pem") != public_key);
}

BOOST_AUTO_TEST_CASE(preview_prints_the_url_with_a_token_that_verifies) {
  Folder f;
  const std::string public_key = keygen(f.dir / "k.pem");
  const fs::path campaigns = campaigns_with_key(f.dir, public_key);
  const Captured c = capture([&] {
    return run_preview({.campaigns = campaigns,
                        .key = f.dir / "k.pem",
                        .url = "https://shop.example/product.html?ref=qa#top",
                        .force = {"product-headline=benefit"},
                        .hours = 2});
  });
  BOOST_TEST_REQUIRE(c.code == 0, c.err);
  const std::string prefix = "https://shop.example/product.html?ref=qa&vario_preview=";
  BOOST_TEST_REQUIRE(c.out.starts_with(prefix), c.out);
  const std::string token = c.out.substr(prefix.size(), c.out.find("#top") - prefix.size());
  BOOST_TEST(c.out.ends_with("#top\n"));
  std::string why;
  const auto forced = verify_preview_token(token, public_key, now_ms(), &why);
  BOOST_TEST_REQUIRE(forced.has_value(), why);
  BOOST_TEST(forced->size() == 1u);
  BOOST_TEST((*forced)[0].second == "benefit");
  // Two hours from now, not more.
  BOOST_TEST(!verify_preview_token(token, public_key, now_ms() + 2 * 3600e3 + 1000, nullptr));
}

BOOST_AUTO_TEST_CASE(preview_refuses_unknown_ids_a_foreign_key_and_bad_usage) {
  Folder f;
  const std::string public_key = keygen(f.dir / "k.pem");
  keygen(f.dir / "foreign.pem");
  const fs::path campaigns = campaigns_with_key(f.dir, public_key);
  const auto run = [&](std::vector<std::string> force, fs::path key = {}, double hours = 24) {
    return capture([&] {
      return run_preview({.campaigns = campaigns,
                          .key = key.empty() ? f.dir / "k.pem" : key,
                          .url = "https://shop.example/",
                          .force = force,
                          .hours = hours});
    });
  };
  Captured c = run({"nope=benefit"});
  BOOST_TEST(c.code == 1);
  BOOST_TEST(c.err.find("has no campaign nope (campaigns: product-headline)") != std::string::npos,
             c.err);
  c = run({"product-headline=nope"});
  BOOST_TEST(c.code == 1);
  BOOST_TEST(
      c.err.find("has no variation nope (variations: control, benefit)") != std::string::npos,
      c.err);
  c = run({"product-headline=benefit"}, f.dir / "foreign.pem");
  BOOST_TEST(c.code == 1);
  BOOST_TEST(c.err.find("does not match") != std::string::npos, c.err);
  c = run({"product-headline=benefit"}, f.dir / "missing.pem");
  BOOST_TEST(c.code == 1);
  BOOST_TEST(run({"product-headline"}).code == 2);
  BOOST_TEST(run({"product-headline=benefit", "product-headline=control"}).code == 2);
  BOOST_TEST(run({"product-headline=benefit"}, {}, 0).code == 2);
  BOOST_TEST(run({}).code == 2);
  BOOST_TEST(c.out.empty());

  // A file without preview.public_key.
  std::ofstream(campaigns) << vario::testing::headline_test().dump();
  c = run({"product-headline=benefit"});
  BOOST_TEST(c.code == 1);
  BOOST_TEST(c.err.find("has no \"preview\"") != std::string::npos, c.err);
}

BOOST_AUTO_TEST_CASE(decide_follows_a_verified_preview_token_and_refuses_a_forged_one) {
  Folder f;
  const std::string public_key = keygen(f.dir / "k.pem");
  nlohmann::json doc = vario::testing::headline_test();
  doc["preview"] = {{"public_key", public_key}};
  doc["campaigns"][0]["status"] = "draft";  // previews show campaigns before they run
  std::ofstream(f.dir / "campaigns.json") << doc.dump();
  const Captured link = capture([&] {
    return run_preview({.campaigns = f.dir / "campaigns.json", .key = f.dir / "k.pem",
                        .url = "https://shop.example/product.html",
                        .force = {"product-headline=benefit"}, .hours = 1});
  });
  BOOST_TEST_REQUIRE(link.code == 0, link.err);
  const std::string token = link.out.substr(link.out.find("vario_preview=") + 14,
                                            link.out.find('\n') - link.out.find("vario_preview=") - 14);
  const auto decide_with = [&](const std::string& t) {
    std::ofstream(f.dir / "visitor.json")
        << nlohmann::json{{"id", "qa"}, {"url", "https://shop.example/product.html"}, {"preview", t}}.dump();
    return capture([&] {
      return run_decide({.campaigns = f.dir / "campaigns.json", .visitor = f.dir / "visitor.json"});
    });
  };
  const Captured ok = decide_with(token);
  BOOST_TEST_REQUIRE(ok.code == 0, ok.err);
  BOOST_TEST(ok.out.find(R"("variation":"benefit","reason":"variation forced by a preview link")") !=
                 std::string::npos,
             ok.out);
  // The payload edited to force another variation no longer matches its signature.
  std::string forged = token;
  forged[3] = forged[3] == 'A' ? 'B' : 'A';
  const Captured refused = decide_with(forged);
  BOOST_TEST(refused.code == 1);
  BOOST_TEST(refused.err.find("/preview") != std::string::npos, refused.err);
}
