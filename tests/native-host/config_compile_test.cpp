#define BOOST_TEST_MODULE config_compile
#include <boost/test/unit_test.hpp>

#include "config/compile.hpp"
#include "support/campaigns.hpp"
#include "vario/config.hpp"

using namespace vario;

BOOST_AUTO_TEST_CASE(a_compiled_file_loads_back_with_every_field_the_json_said) {
  auto doc = testing::headline_test();
  doc["collector"] = "https://collect.example/v1/events";
  doc["consent"] = {{"required", false}};
  doc["anti_flicker_ms"] = 800;
  doc["campaigns"][0]["status"] = "paused";
  doc["campaigns"][0]["pages"]["exclude"] = {{{"match", "glob"}, {"value", "/product/*/preview"}}};
  const std::string bin = host::compile_campaigns(doc);
  auto loaded = Config::from_bytes(testing::bytes(bin));
  BOOST_REQUIRE(loaded.ok());
  const Config& config = loaded.value();

  BOOST_TEST(config.root().format_version() == kFormatVersion);
  BOOST_TEST(config.settings().account()->str() == "demo-shop");
  BOOST_TEST(config.settings().collector()->str() == "https://collect.example/v1/events");
  BOOST_TEST(!config.settings().consent_required());
  BOOST_TEST(config.settings().anti_flicker_ms() == 800u);

  const fb::Campaign& c = *config.root().campaigns()->Get(0);
  BOOST_TEST(c.id()->str() == "product-headline");
  BOOST_TEST((c.type() == fb::CampaignType::AbTest));
  BOOST_TEST((c.purpose() == fb::Purpose::Technical));
  BOOST_TEST((c.status() == fb::Status::Paused));
  BOOST_TEST((c.include()->Get(0)->match() == fb::MatchKind::Prefix));
  BOOST_TEST(c.include()->Get(0)->value()->str() == "/product");
  BOOST_TEST((c.exclude()->Get(0)->match() == fb::MatchKind::Glob));
  BOOST_TEST(c.variations()->size() == 2u);
  BOOST_TEST(c.variations()->Get(0)->id()->str() == "control");
  BOOST_TEST(c.variations()->Get(0)->bucket_end() == 5000);
  BOOST_TEST(c.variations()->Get(0)->changes()->size() == 0u);
  const fb::Change& change = *c.variations()->Get(1)->changes()->Get(0);
  BOOST_TEST((change.action() == fb::Action::SetText));
  BOOST_TEST(change.selector()->str() == "#product-title");
  BOOST_TEST(change.value()->str() == "Brews a perfect cup");
}

BOOST_AUTO_TEST_CASE(the_same_document_compiles_to_the_same_bytes) {
  BOOST_TEST(host::compile_campaigns(testing::headline_test()) ==
             host::compile_campaigns(testing::headline_test()));
}

BOOST_AUTO_TEST_CASE(weights_that_do_not_divide_evenly_still_close_at_the_traffic_bound) {
  auto doc = testing::headline_test();
  auto& vars = doc["campaigns"][0]["variations"];
  vars[0]["weight"] = 1.0 / 3;
  vars[1]["weight"] = 1.0 / 3;
  vars.push_back({{"id", "third"}, {"weight", 1.0 / 3}, {"changes", nlohmann::json::array()}});
  doc["campaigns"][0]["traffic"] = 0.7;
  const std::string bin = host::compile_campaigns(doc);
  auto config = Config::from_bytes(testing::bytes(bin));
  const auto* v = config.value().root().campaigns()->Get(0)->variations();
  BOOST_TEST(v->Get(0)->bucket_end() == 2333);
  BOOST_TEST(v->Get(1)->bucket_end() == 4667);
  BOOST_TEST(v->Get(2)->bucket_end() == 7000);
}

BOOST_AUTO_TEST_CASE(a_file_of_another_format_version_is_refused_with_a_clear_message) {
  std::string bin = host::compile_campaigns(testing::headline_test());
  // Rebuild with a different version number through the generated builder.
  flatbuffers::FlatBufferBuilder b;
  const auto settings = fb::CreateSettings(b, b.CreateString("a"), b.CreateString("/v1/events"));
  b.Finish(fb::CreateCampaigns(b, kFormatVersion + 1, settings), fb::CampaignsIdentifier());
  const std::string other(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
  auto loaded = Config::from_bytes(testing::bytes(other));
  BOOST_REQUIRE(!loaded.ok());
  BOOST_TEST(loaded.error().message.find("format version 2; this engine reads version 1") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(anti_flicker_selectors_cover_running_campaigns_once_each) {
  auto doc = testing::headline_test();
  auto second = doc["campaigns"][0];
  second["id"] = "paused-one";
  second["status"] = "paused";
  second["variations"][1]["changes"][0]["selector"] = ".never-hidden";
  doc["campaigns"].push_back(second);
  auto third = doc["campaigns"][0];
  third["id"] = "again";
  doc["campaigns"].push_back(third);
  BOOST_TEST(host::anti_flicker_selectors(doc) == std::vector<std::string>{"#product-title"});
}
