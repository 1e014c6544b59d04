#define BOOST_TEST_MODULE tag_build
#include <boost/test/unit_test.hpp>

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

nlohmann::json manifest_of(const host::BuiltTag& tag) {
  return nlohmann::json::parse(tag.find("manifest.json")->bytes);
}

}  // namespace

BOOST_AUTO_TEST_CASE(digests_match_published_test_vectors) {
  // FIPS 180-2 "abc" vectors; SRI of "alert('Hello, world.');" from the W3C SRI spec.
  BOOST_TEST(host::sha256_hex("abc") ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(host::sri_sha384("alert('Hello, world.');") ==
             "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO");
}

BOOST_AUTO_TEST_CASE(the_tag_carries_the_build_settings_in_place_of_the_placeholder) {
  const host::BuiltTag tag = host::build_tag(testing::headline_test(), engine());
  const std::string& js = tag.find("tag.js")->bytes;
  BOOST_TEST(js.find("@VARIO_BUILD@") == std::string::npos);
  const std::size_t start = js.find("const b=") + 8;
  const auto settings = nlohmann::json::parse(js.substr(start, js.find(";console") - start));
  BOOST_TEST(settings["account"] == "demo-shop");
  BOOST_TEST(settings["engine"]["src"] == "vario.wasm");
  BOOST_TEST(settings["engine"]["integrity"] == host::sri_sha384(tag.find("vario.wasm")->bytes));
  BOOST_TEST(settings["config"]["integrity"] == host::sri_sha384(tag.find("campaigns.bin")->bytes));
  BOOST_TEST(settings["hide"] == nlohmann::json::array({"#product-title"}));
  BOOST_TEST(settings["revealAfterMs"] == 1500);
}

BOOST_AUTO_TEST_CASE(the_manifest_lists_each_file_with_its_size_and_checksums) {
  const host::BuiltTag tag = host::build_tag(testing::headline_test(), engine());
  const auto manifest = manifest_of(tag);
  for (const char* name : {"tag.js", "vario.wasm", "campaigns.bin"}) {
    const std::string& bytes = tag.find(name)->bytes;
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST(manifest["files"][name]["bytes"] == bytes.size());
      BOOST_TEST(manifest["files"][name]["sha256"] == host::sha256_hex(bytes));
      BOOST_TEST(manifest["files"][name]["sri"] == host::sri_sha384(bytes));
    }
  }
  BOOST_TEST(tag.tag_sri == host::sri_sha384(tag.find("tag.js")->bytes));
}

BOOST_AUTO_TEST_CASE(the_same_inputs_build_byte_identical_files) {
  const host::BuiltTag a = host::build_tag(testing::headline_test(), engine());
  const host::BuiltTag b = host::build_tag(testing::headline_test(), engine());
  BOOST_REQUIRE(a.files.size() == b.files.size());
  for (std::size_t i = 0; i < a.files.size(); ++i) BOOST_TEST(a.files[i].bytes == b.files[i].bytes);
}

BOOST_AUTO_TEST_CASE(a_template_without_its_placeholder_is_refused) {
  host::EngineFiles broken = engine();
  broken.tag_template = "console.log(1)";
  BOOST_CHECK_THROW(host::build_tag(testing::headline_test(), broken), std::runtime_error);
}

// The engine reveals hide[i] of Settings.hide; the tag hid hide[i] of its build settings: one
// list, index for index.
BOOST_AUTO_TEST_CASE(the_tags_hide_list_is_the_compiled_settings_hide_list) {
  auto campaigns = testing::headline_test();
  auto& changes = campaigns["campaigns"][0]["variations"][1]["changes"];
  changes.push_back({{"action", "add_css"}, {"value", ".a{}"}});
  changes.push_back(
      {{"action", "move"}, {"selector", ".reviews"}, {"target", "h1"}, {"position", "after"}});
  changes.push_back({{"action", "hide"}, {"selector", "#product-title"}});
  const host::BuiltTag tag = host::build_tag(campaigns, engine());
  const std::string& js = tag.find("tag.js")->bytes;
  const std::size_t start = js.find("const b=") + 8;
  const auto settings = nlohmann::json::parse(js.substr(start, js.find(";console") - start));
  BOOST_TEST(settings["hide"] == nlohmann::json::array({"#product-title", ".reviews"}));
  auto loaded = Config::from_bytes(testing::bytes(tag.find("campaigns.bin")->bytes));
  BOOST_REQUIRE(loaded.ok());
  const auto* hide = loaded.value().settings().hide();
  BOOST_REQUIRE(hide);
  BOOST_REQUIRE(hide->size() == settings["hide"].size());
  for (flatbuffers::uoffset_t i = 0; i < hide->size(); ++i)
    BOOST_TEST(hide->Get(i)->str() == settings["hide"][i].get<std::string>());
}
