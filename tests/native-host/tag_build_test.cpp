#define BOOST_TEST_MODULE tag_build
#include <boost/test/unit_test.hpp>

#include "preview/keys.hpp"
#include "support/campaigns.hpp"
#include "tag/build_tag.hpp"
#include "tag/digest.hpp"
#include "vario/config.hpp"

using namespace vario;

namespace {

host::EngineFiles engine() {
  return {std::string("\0asm\1\0\0\0", 8),
          R"(!function(){const b="@VARIO_BUILD@";console.log(b.engine.src)}();)"};
}

// One account key for the whole file: a split build signs with it.
EVP_PKEY* account_key() {
  static const host::Pkey key = host::generate_p256_key();
  return key.get();
}

host::BuiltTag split(const nlohmann::json& campaigns = testing::headline_test()) {
  return host::build_tag(campaigns, engine(),
                         {.layout = host::TagLayout::kSplit, .key = account_key()});
}

host::BuiltTag inline_tag(const nlohmann::json& campaigns = testing::headline_test()) {
  return host::build_tag(campaigns, engine(), {.layout = host::TagLayout::kInline});
}

nlohmann::json manifest_of(const host::BuiltTag& tag) {
  return nlohmann::json::parse(tag.find("manifest.json")->bytes);
}

// The build settings the loader carries in place of the placeholder.
nlohmann::json settings_of(const host::BuiltTag& tag) {
  const std::string& js = tag.find("tag.js")->bytes;
  const std::size_t start = js.find("const b=") + 8;
  return nlohmann::json::parse(js.substr(start, js.find(";console") - start));
}

std::uint32_t u32_le(const std::string& s, std::size_t at) {
  std::uint32_t n = 0;
  for (int i = 3; i >= 0; --i)
    n = n << 8 | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
  return n;
}

// A split layout's campaigns.bin, taken apart: the header and the compiled campaigns.
struct SignedCampaigns {
  std::string magic;
  nlohmann::json header;
  std::string campaigns;
  std::string signed_part;
  std::string signature;
};

SignedCampaigns open_signed(const std::string& file) {
  const std::uint32_t length = u32_le(file, 4);
  return {file.substr(0, 4), nlohmann::json::parse(file.substr(8, length)),
          file.substr(8 + length, file.size() - 64 - 8 - length), file.substr(0, file.size() - 64),
          file.substr(file.size() - 64)};
}

}  // namespace

BOOST_AUTO_TEST_CASE(digests_match_published_test_vectors) {
  // FIPS 180-2 "abc" vectors; SRI of "alert('Hello, world.');" from the W3C SRI spec.
  BOOST_TEST(host::sha256_hex("abc") ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(host::sri_sha384("alert('Hello, world.');") ==
             "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO");
}

BOOST_AUTO_TEST_CASE(the_inline_tag_is_one_file_holding_the_engine_and_the_campaigns) {
  const host::BuiltTag tag = inline_tag();
  BOOST_TEST(tag.files.size() == 2u);  // tag.js, manifest.json
  BOOST_TEST(tag.find("tag.js")->bytes.find("@VARIO_BUILD@") == std::string::npos);
  const auto settings = settings_of(tag);
  BOOST_TEST(settings["account"] == "demo-shop");
  BOOST_TEST(*host::base64_decode(settings["engine"]["base64"].get<std::string>()) ==
             engine().wasm);
  const std::string compiled =
      *host::base64_decode(settings["campaigns"]["base64"].get<std::string>());
  BOOST_TEST(compiled == host::compile_campaigns(testing::headline_test()));
  BOOST_TEST(settings["campaigns"]["hide"] == nlohmann::json::array({"#product-title"}));
  BOOST_TEST(settings["campaigns"]["revealAfterMs"] == 1500);
  BOOST_TEST(tag.campaigns_digest == host::sha256_hex(compiled));
  BOOST_TEST(tag.key_id.empty());
}

BOOST_AUTO_TEST_CASE(the_split_loader_pins_the_engine_by_hash_and_carries_the_account_key) {
  const host::BuiltTag tag = split();
  const std::string engine_sha256 = host::sha256_hex(engine().wasm);
  const std::string engine_name = "vario." + engine_sha256.substr(0, 16) + ".wasm";
  BOOST_REQUIRE(tag.find(engine_name));
  BOOST_TEST(tag.find(engine_name)->bytes == engine().wasm);
  BOOST_TEST(tag.find(engine_name)->content_type == "application/wasm");
  const auto settings = settings_of(tag);
  BOOST_TEST(settings["engine"]["src"] == engine_name);
  BOOST_TEST(settings["engine"]["sha256"] == engine_sha256);
  BOOST_TEST(settings["campaigns"]["src"] == "campaigns.bin");
  BOOST_TEST(settings["key"]["id"] == host::public_key_id(account_key()));
  BOOST_TEST(settings["key"]["spki"] == host::public_key_base64(account_key()));
  BOOST_TEST(!settings.contains("hide"), "nothing of the campaigns is in the loader");
  BOOST_TEST(!settings["campaigns"].contains("hide"));
}

BOOST_AUTO_TEST_CASE(the_split_loader_is_the_same_for_every_publish_of_the_campaigns) {
  auto other = testing::headline_test();
  other["campaigns"][0]["variations"][1]["changes"][0]["selector"] = "h1.title";
  other["campaigns"][0]["variations"][0]["weight"] = 0.3;
  other["campaigns"][0]["variations"][1]["weight"] = 0.7;
  other["anti_flicker_ms"] = 800;
  const host::BuiltTag a = split(), b = split(other);
  BOOST_TEST(a.find("tag.js")->bytes == b.find("tag.js")->bytes);
  BOOST_TEST(a.tag_sri == b.tag_sri);
  BOOST_TEST(a.find("campaigns.bin")->bytes != b.find("campaigns.bin")->bytes);
  BOOST_TEST(a.campaigns_digest != b.campaigns_digest);
}

BOOST_AUTO_TEST_CASE(the_split_campaigns_file_is_signed_by_the_account_key_over_all_it_holds) {
  auto campaigns = testing::headline_test();
  campaigns["preview"] = {{"public_key", host::public_key_base64(account_key())}};
  const host::BuiltTag tag = split(campaigns);
  const SignedCampaigns file = open_signed(tag.find("campaigns.bin")->bytes);
  BOOST_TEST(file.magic == "VSC1");
  BOOST_TEST(file.campaigns == host::compile_campaigns(campaigns));
  BOOST_TEST(file.header["account"] == "demo-shop");
  BOOST_TEST(file.header["key"] == tag.key_id);
  BOOST_TEST(file.header["digest"] == tag.campaigns_digest);
  BOOST_TEST(file.header["digest"] == host::sha256_hex(file.campaigns));
  BOOST_TEST(file.header["hide"] == nlohmann::json::array({"#product-title"}));
  BOOST_TEST(file.header["revealAfterMs"] == 1500);
  BOOST_TEST(file.header["previewKey"] == campaigns["preview"]["public_key"]);
  BOOST_TEST(host::verify_p256(account_key(), file.signed_part, file.signature));
  std::string tampered = file.signed_part;
  tampered[tampered.size() / 2] ^= 1;
  BOOST_TEST(!host::verify_p256(account_key(), tampered, file.signature));
}

BOOST_AUTO_TEST_CASE(a_split_build_without_a_key_is_refused) {
  BOOST_CHECK_THROW(
      host::build_tag(testing::headline_test(), engine(), {.layout = host::TagLayout::kSplit}),
      std::runtime_error);
}

BOOST_AUTO_TEST_CASE(the_loader_reports_refusals_only_when_the_campaigns_need_no_consent) {
  BOOST_TEST(!settings_of(split()).contains("report"), "consent is required by default");
  auto open = testing::headline_test();
  open["consent"] = {{"required", false}};
  BOOST_TEST(settings_of(split(open))["report"] == "/v1/events");
  open["collector"] = "https://collect.example/v1/events";
  BOOST_TEST(settings_of(split(open))["report"] == "https://collect.example/v1/events");
}

BOOST_AUTO_TEST_CASE(the_manifest_lists_each_file_the_engine_the_campaigns_and_the_snippet) {
  for (const host::BuiltTag& tag : {split(), inline_tag()}) {
    const auto manifest = manifest_of(tag);
    BOOST_TEST_CONTEXT(manifest["layout"]) {
      BOOST_TEST(manifest["files"].size() == tag.files.size() - 1);
      for (const host::TagFile& f : tag.files) {
        if (f.role == host::TagFileRole::kManifest) continue;
        BOOST_TEST_CONTEXT(f.name) {
          BOOST_TEST(manifest["files"][f.name]["bytes"] == f.bytes.size());
          BOOST_TEST(manifest["files"][f.name]["sha256"] == host::sha256_hex(f.bytes));
          BOOST_TEST(manifest["files"][f.name]["sri"] == host::sri_sha384(f.bytes));
        }
      }
      BOOST_TEST(manifest["engine"]["version"] == VARIO_VERSION);
      BOOST_TEST(manifest["engine"]["sha256"] == host::sha256_hex(engine().wasm));
      BOOST_TEST(manifest["campaigns"]["digest"] == tag.campaigns_digest);
      BOOST_TEST(tag.tag_sri == host::sri_sha384(tag.find("tag.js")->bytes));
      BOOST_TEST(manifest["snippet"] == "<script src=\"/vario/tag.js\" integrity=\"" + tag.tag_sri +
                                            "\" crossorigin=\"anonymous\"></script>");
    }
  }
  const auto manifest = manifest_of(split());
  BOOST_TEST(manifest["layout"] == "split");
  BOOST_TEST(manifest["campaigns"]["key_id"] == host::public_key_id(account_key()));
  BOOST_TEST(manifest["campaigns"]["public_key"] == host::public_key_base64(account_key()));
}

BOOST_AUTO_TEST_CASE(the_snippet_points_where_the_files_will_be_served) {
  const host::BuiltTag tag = host::build_tag(
      testing::headline_test(), engine(),
      {.layout = host::TagLayout::kInline, .base_url = "https://cdn.example/shop/"});
  BOOST_TEST(tag.snippet.rfind(
                 "<script src=\"https://cdn.example/shop/tag.js\" integrity=\"sha384-", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(the_same_inputs_build_byte_identical_files_in_both_layouts) {
  for (const bool inline_layout : {true, false}) {
    const host::BuiltTag a = inline_layout ? inline_tag() : split();
    const host::BuiltTag b = inline_layout ? inline_tag() : split();
    BOOST_REQUIRE(a.files.size() == b.files.size());
    for (std::size_t i = 0; i < a.files.size(); ++i) {
      BOOST_TEST(a.files[i].name == b.files[i].name);
      BOOST_TEST(a.files[i].bytes == b.files[i].bytes, a.files[i].name);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_template_without_its_placeholder_is_refused) {
  host::EngineFiles broken = engine();
  broken.tag_template = "console.log(1)";
  BOOST_CHECK_THROW(
      host::build_tag(testing::headline_test(), broken, {.layout = host::TagLayout::kInline}),
      std::runtime_error);
}

// The engine reveals hide[i] of Settings.hide; the tag hid hide[i] of the list it was given:
// one list, index for index, in both layouts.
BOOST_AUTO_TEST_CASE(the_tags_hide_list_is_the_compiled_settings_hide_list) {
  auto campaigns = testing::headline_test();
  auto& changes = campaigns["campaigns"][0]["variations"][1]["changes"];
  changes.push_back({{"action", "add_css"}, {"value", ".a{}"}});
  changes.push_back(
      {{"action", "move"}, {"selector", ".reviews"}, {"target", "h1"}, {"position", "after"}});
  changes.push_back({{"action", "hide"}, {"selector", "#product-title"}});
  const host::BuiltTag tag = split(campaigns);
  const SignedCampaigns file = open_signed(tag.find("campaigns.bin")->bytes);
  BOOST_TEST(file.header["hide"] == nlohmann::json::array({"#product-title", ".reviews"}));
  BOOST_TEST(settings_of(inline_tag(campaigns))["campaigns"]["hide"] == file.header["hide"]);
  auto loaded = Config::from_bytes(testing::bytes(file.campaigns));
  BOOST_REQUIRE(loaded.ok());
  const auto* hide = loaded.value().settings().hide();
  BOOST_REQUIRE(hide);
  BOOST_REQUIRE(hide->size() == file.header["hide"].size());
  for (flatbuffers::uoffset_t i = 0; i < hide->size(); ++i)
    BOOST_TEST(hide->Get(i)->str() == file.header["hide"][i].get<std::string>());
}
