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

BOOST_AUTO_TEST_CASE(every_change_action_compiles_with_every_field_it_has) {
  auto doc = nlohmann::json::parse(R"j({
    "version": 1, "account": "demo-shop",
    "hydration_roots": ["#app", "[data-reactroot]"],
    "campaigns": [{
      "id": "all", "type": "patch", "purpose": "technical",
      "pages": {"include": [{"match": "prefix", "value": "/"}]},
      "variations": [{"id": "v", "weight": 1, "changes": [
        {"action": "set_text", "selector": "h1", "value": "Title"},
        {"action": "set_html", "selector": ".d", "value": "<b>x</b>"},
        {"action": "set_attribute", "selector": "a", "name": "href", "value": "/cart"},
        {"action": "remove_attribute", "selector": "button", "name": "disabled"},
        {"action": "add_class", "selector": ".p", "value": "  sale\tbig  "},
        {"action": "remove_class", "selector": ".p", "value": "hidden"},
        {"action": "set_style", "selector": ".b", "name": "color", "value": "#c00  ! IMPORTANT "},
        {"action": "set_style", "selector": ".b", "name": "--gap", "value": " 4px "},
        {"action": "insert_html", "selector": ".p", "position": "after", "value": "<i>new</i>"},
        {"action": "move", "selector": ".r", "target": ".d", "position": "prepend"},
        {"action": "remove", "selector": ".popup"},
        {"action": "hide", "selector": ".x"},
        {"action": "add_css", "value": ".a{color:red}"}
      ]}]
    }, {
      "id": "go", "type": "ab_test", "purpose": "revenue",
      "pages": {"include": [{"match": "exact", "value": "/landing"}]},
      "variations": [
        {"id": "a", "weight": 0.5, "changes": [{"action": "redirect", "url": "/landing-b"}]},
        {"id": "b", "weight": 0.5, "changes": [
          {"action": "redirect", "url": "https://x.example/c", "keep_query": false}]}]
    }]})j");
  auto loaded = Config::from_bytes(testing::bytes(host::compile_campaigns(doc)));
  BOOST_REQUIRE(loaded.ok());
  const Config& config = loaded.value();
  const auto& changes = *config.root().campaigns()->Get(0)->variations()->Get(0)->changes();
  BOOST_REQUIRE(changes.size() == 13u);
  const auto text = [](const flatbuffers::String* s) { return s ? s->str() : "(absent)"; };
  struct Expected {
    fb::Action action;
    std::string selector, value, name;
    fb::Position position;
    std::string target;
    bool important;
  };
  const std::vector<Expected> expected = {
      {fb::Action::SetText, "h1", "Title", "(absent)", fb::Position::Before, "(absent)", false},
      {fb::Action::SetHtml, ".d", "<b>x</b>", "(absent)", fb::Position::Before, "(absent)", false},
      {fb::Action::SetAttribute, "a", "/cart", "href", fb::Position::Before, "(absent)", false},
      {fb::Action::RemoveAttribute, "button", "(absent)", "disabled", fb::Position::Before,
       "(absent)", false},
      // Class lists are written with single spaces, as classList takes them.
      {fb::Action::AddClass, ".p", "sale big", "(absent)", fb::Position::Before, "(absent)", false},
      {fb::Action::RemoveClass, ".p", "hidden", "(absent)", fb::Position::Before, "(absent)",
       false},
      // "!important" goes to its own field, with the spaces before it.
      {fb::Action::SetStyle, ".b", "#c00", "color", fb::Position::Before, "(absent)", true},
      {fb::Action::SetStyle, ".b", " 4px ", "--gap", fb::Position::Before, "(absent)", false},
      {fb::Action::InsertHtml, ".p", "<i>new</i>", "(absent)", fb::Position::After, "(absent)",
       false},
      {fb::Action::Move, ".r", "(absent)", "(absent)", fb::Position::Prepend, ".d", false},
      {fb::Action::Remove, ".popup", "(absent)", "(absent)", fb::Position::Before, "(absent)",
       false},
      {fb::Action::Hide, ".x", "(absent)", "(absent)", fb::Position::Before, "(absent)", false},
      {fb::Action::AddCss, "(absent)", ".a{color:red}", "(absent)", fb::Position::Before,
       "(absent)", false},
  };
  for (std::size_t i = 0; i < expected.size(); ++i) {
    BOOST_TEST_CONTEXT("change " << i) {
      const fb::Change& c = *changes.Get(static_cast<flatbuffers::uoffset_t>(i));
      BOOST_TEST((c.action() == expected[i].action));
      BOOST_TEST(text(c.selector()) == expected[i].selector);
      BOOST_TEST(text(c.value()) == expected[i].value);
      BOOST_TEST(text(c.name()) == expected[i].name);
      BOOST_TEST((c.position() == expected[i].position));
      BOOST_TEST(text(c.target()) == expected[i].target);
      BOOST_TEST(c.important() == expected[i].important);
      BOOST_TEST(c.keep_query());
    }
  }
  const auto& redirects = *config.root().campaigns()->Get(1)->variations();
  const fb::Change& kept = *redirects.Get(0)->changes()->Get(0);
  BOOST_TEST((kept.action() == fb::Action::Redirect));
  BOOST_TEST(!kept.selector());
  BOOST_TEST(kept.value()->str() == "/landing-b");
  BOOST_TEST(kept.keep_query());
  const fb::Change& dropped = *redirects.Get(1)->changes()->Get(0);
  BOOST_TEST(dropped.value()->str() == "https://x.example/c");
  BOOST_TEST(!dropped.keep_query());

  // The element actions' selectors, once each, in file order: what the tag hides, by index.
  const std::vector<std::string> hidden = {"h1", ".d", "a",      "button", ".p",
                                           ".b", ".r", ".popup", ".x"};
  BOOST_TEST(host::anti_flicker_selectors(doc) == hidden);
  const auto* hide = config.settings().hide();
  BOOST_REQUIRE(hide);
  BOOST_REQUIRE(hide->size() == hidden.size());
  for (flatbuffers::uoffset_t i = 0; i < hide->size(); ++i)
    BOOST_TEST(hide->Get(i)->str() == hidden[i]);
  const auto* roots = config.settings().hydration_roots();
  BOOST_REQUIRE(roots);
  BOOST_REQUIRE(roots->size() == 2u);
  BOOST_TEST(roots->Get(0)->str() == "#app");
  BOOST_TEST(roots->Get(1)->str() == "[data-reactroot]");
}

BOOST_AUTO_TEST_CASE(a_file_without_hydration_roots_compiles_an_empty_list) {
  auto loaded =
      Config::from_bytes(testing::bytes(host::compile_campaigns(testing::headline_test())));
  BOOST_REQUIRE(loaded.ok());
  const auto* hide = loaded.value().settings().hide();
  BOOST_REQUIRE(hide);
  BOOST_TEST(hide->size() == 1u);
  BOOST_TEST(hide->Get(0)->str() == "#product-title");
  const auto* roots = loaded.value().settings().hydration_roots();
  BOOST_TEST((!roots || roots->size() == 0u));
}

BOOST_AUTO_TEST_CASE(goals_and_the_allowed_query_parameters_compile_in_file_order) {
  auto doc = testing::headline_test();
  doc["events"] = {{"query_parameters", {"utm_source", "utm_medium"}}};
  doc["goals"] = nlohmann::json::parse(R"([
    {"id": "checkout", "kind": "page_view",
     "pages": {"include": [{"match": "prefix", "value": "/checkout"}],
               "exclude": [{"match": "exact", "value": "/checkout/help"}]}},
    {"id": "cart", "kind": "click", "selector": "button.add"},
    {"id": "news", "kind": "submit", "selector": "form#news"},
    {"id": "signup", "kind": "custom", "name": "Signed up"},
    {"id": "purchase", "kind": "transaction"}])");
  auto loaded = Config::from_bytes(testing::bytes(host::compile_campaigns(doc)));
  BOOST_REQUIRE(loaded.ok());
  const Config& config = loaded.value();
  // Added at the ends of their tables: the format version stays what the engine reads.
  BOOST_TEST(config.root().format_version() == kFormatVersion);
  const auto* params = config.settings().page_query_params();
  BOOST_REQUIRE(params);
  BOOST_TEST(params->size() == 2u);
  BOOST_TEST(params->Get(0)->str() == "utm_source");
  BOOST_TEST(params->Get(1)->str() == "utm_medium");

  const auto* goals = config.root().goals();
  BOOST_REQUIRE(goals);
  BOOST_REQUIRE(goals->size() == 5u);
  const fb::Goal& page = *goals->Get(0);
  BOOST_TEST(page.id()->str() == "checkout");
  BOOST_TEST((page.kind() == fb::GoalKind::PageView));
  BOOST_TEST(!page.selector());
  BOOST_TEST((page.include()->Get(0)->match() == fb::MatchKind::Prefix));
  BOOST_TEST(page.include()->Get(0)->value()->str() == "/checkout");
  BOOST_TEST(page.exclude()->Get(0)->value()->str() == "/checkout/help");
  BOOST_TEST((goals->Get(1)->kind() == fb::GoalKind::Click));
  BOOST_TEST(goals->Get(1)->selector()->str() == "button.add");
  BOOST_TEST(!goals->Get(1)->include());
  BOOST_TEST((goals->Get(2)->kind() == fb::GoalKind::Submit));
  BOOST_TEST(goals->Get(2)->selector()->str() == "form#news");
  BOOST_TEST((goals->Get(3)->kind() == fb::GoalKind::Custom));
  BOOST_TEST((goals->Get(4)->kind() == fb::GoalKind::Transaction));
  BOOST_TEST(goals->Get(4)->id()->str() == "purchase");
}

BOOST_AUTO_TEST_CASE(a_file_without_goals_compiles_to_empty_lists) {
  auto loaded =
      Config::from_bytes(testing::bytes(host::compile_campaigns(testing::headline_test())));
  BOOST_REQUIRE(loaded.ok());
  BOOST_TEST(loaded.value().root().goals()->size() == 0u);
  BOOST_TEST(loaded.value().settings().page_query_params()->size() == 0u);
}
