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
  BOOST_TEST(c.variations()->Get(0)->weight() == 0.5);
  BOOST_TEST(c.traffic() == 1.0);
  BOOST_TEST((c.hash() == fb::HashScheme::Murmur3X86_32Seed1));
  BOOST_TEST(!c.audience());
  BOOST_TEST(!config.settings().include_bots());
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

BOOST_AUTO_TEST_CASE(targeting_and_allocation_fields_compile_to_what_the_engine_reads) {
  auto doc = testing::headline_test();
  doc["bots"] = "include";
  doc["preview"] = {{"public_key", "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"}};
  doc["attributes"] = nlohmann::json::parse(R"({
    "plan": {"source": "cookie", "name": "shop_plan"},
    "cartValue": {"source": "data_layer", "path": "ecommerce.value"},
    "segment": {"source": "pushed", "third_party": true}})");
  doc["saved_groups"] = nlohmann::json::parse(R"({
    "staff": {"values": ["u1", "u2"]},
    "mobile": {"condition": {"device": "mobile"}}})");
  auto& c = doc["campaigns"][0];
  c["start"] = "2026-01-01T00:00:00Z";
  c["end"] = "2026-01-01T01:00:00+01:00";
  c["priority"] = 7;
  c["hash"] = "fnv1a_v2";
  c["seed"] = "legacy-seed";
  c["hash_attribute"] = "uid";
  c["traffic"] = 0.25;
  c["group"] = {{"id", "pdp"}, {"range", {0.25, 0.75}}};
  c["audience"] = nlohmann::json::parse(R"({"$savedGroup": "mobile", "segment": "vip"})");
  c["pages"]["include"][0] = {{"match", "regex"}, {"value", "^x"}, {"on", "query"}, {"param", "p"}};
  auto patch = c;
  patch["id"] = "typo";
  patch["type"] = "patch";
  patch.erase("audience");
  doc["campaigns"].push_back(patch);
  doc["holdouts"] = {{{"id", "h1"}, {"traffic", 0.05}}};

  const std::string bin = host::compile_campaigns(doc);
  auto loaded = Config::from_bytes(testing::bytes(bin));
  BOOST_REQUIRE(loaded.ok());
  const Config& config = loaded.value();
  BOOST_TEST(config.settings().include_bots());
  BOOST_TEST(config.settings().preview_key()->str() == "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE");
  const fb::Campaign& compiled = *config.root().campaigns()->Get(0);
  BOOST_TEST(compiled.start_ms() == 1767225600000);
  BOOST_TEST(compiled.end_ms() == 1767225600000);
  BOOST_TEST(compiled.priority() == 7);
  BOOST_TEST((compiled.hash() == fb::HashScheme::GrowthBookFnv1aV2));
  BOOST_TEST(compiled.seed()->str() == "legacy-seed");
  BOOST_TEST(compiled.hash_attribute()->str() == "uid");
  BOOST_TEST(compiled.traffic() == 0.25);
  BOOST_TEST(compiled.group()->str() == "pdp");
  BOOST_TEST(compiled.group_start() == 0.25);
  BOOST_TEST(compiled.group_end() == 0.75);
  // The condition group is inlined; the third-party attribute makes the campaign need consent.
  BOOST_TEST(compiled.audience()->str() == R"({"$and":[{"segment":"vip"},{"device":"mobile"}]})");
  BOOST_TEST(compiled.third_party());
  BOOST_TEST(!config.root().campaigns()->Get(1)->third_party());
  const fb::PageRule& rule = *compiled.include()->Get(0);
  BOOST_TEST((rule.match() == fb::MatchKind::Regex));
  BOOST_TEST((rule.on() == fb::UrlPart::Query));
  BOOST_TEST(rule.param()->str() == "p");
  BOOST_TEST(config.audience(0).condition.has_value());
  BOOST_TEST(config.saved_groups().find("staff") != nullptr);
  BOOST_TEST(config.saved_groups().find("mobile") == nullptr);
  const auto* attributes = config.root().attributes();
  BOOST_REQUIRE(attributes->size() == 3u);
  // nlohmann keeps object members sorted by name.
  BOOST_TEST(attributes->Get(0)->name()->str() == "cartValue");
  BOOST_TEST((attributes->Get(0)->source() == fb::AttributeSource::DataLayer));
  BOOST_TEST(attributes->Get(0)->key()->str() == "ecommerce.value");
  BOOST_TEST(attributes->Get(1)->key()->str() == "shop_plan");
  BOOST_TEST(attributes->Get(2)->third_party());
  // The holdout covers the A/B test, never the patch.
  const fb::Holdout& holdout = *config.root().holdouts()->Get(0);
  BOOST_TEST(holdout.id()->str() == "h1");
  BOOST_TEST(holdout.campaigns()->size() == 1u);
  BOOST_TEST(holdout.campaigns()->Get(0) == 0u);
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
  BOOST_TEST(loaded.error().message.find("format version 3; this engine reads version 2") !=
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
