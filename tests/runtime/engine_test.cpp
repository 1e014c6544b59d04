#define BOOST_TEST_MODULE engine
#include <boost/test/unit_test.hpp>

#include "support/campaigns.hpp"
#include "support/fake_host.hpp"
#include "vario/engine.hpp"
#include "vario/json.hpp"

using namespace vario;
using testing::FakeHost;

namespace {

const std::string kOriginal = "Aurora Pour-Over Brewer";

struct Page {
  FakeHost host;
  Engine engine{host};
  explicit Page(const nlohmann::json& campaigns = testing::headline_test()) {
    host.dom.load(R"(<h1 id="product-title">)" + kOriginal + "</h1>");
    const std::string bin = host::compile_campaigns(campaigns);
    BOOST_REQUIRE(engine.load(testing::bytes(bin)).ok());
  }
  json::Value run(const std::string& context) {
    auto r = engine.start(context);
    BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
    auto parsed = json::parse(r.value());
    BOOST_REQUIRE(parsed.ok());
    return parsed.value();
  }
  std::string variation(const json::Value& decisions) {
    const json::Value* v = decisions.find("decisions")->items().at(0).find("variation");
    return v ? v->as_string() : "";
  }
};

const std::string kProduct = R"({"url": "http://127.0.0.1:8080/product.html?ref=mail"})";

}  // namespace

BOOST_AUTO_TEST_CASE(a_technical_test_runs_without_consent_with_only_its_assignment_stored) {
  Page page;
  const std::string variation = page.variation(page.run(kProduct));
  BOOST_REQUIRE(!variation.empty());
  BOOST_TEST(page.host.dom.text_of("#product-title") ==
             (variation == "benefit" ? "Brews a perfect cup" : kOriginal));
  BOOST_TEST(page.host.revealed.size() == 1u);
  BOOST_TEST(page.host.dom.live_handles() == 0u);  // every handle released
  BOOST_TEST(page.host.cookies.count("vario_id") == 0u);  // no identifier without consent
  BOOST_TEST(page.host.cookies.at("vario_as") == "product-headline=" + variation);

  BOOST_REQUIRE(page.host.sent.size() == 1u);
  BOOST_TEST(page.host.sent[0].first == "http://127.0.0.1:8080/v1/events");
  auto batch = json::parse(page.host.sent[0].second);
  BOOST_REQUIRE(batch.ok());
  const json::Value& e = batch.value().find("events")->items().at(0);
  BOOST_TEST(e.find("schema")->as_number() == 1);
  BOOST_TEST(e.find("type")->as_string() == "impression");
  BOOST_TEST(e.find("id")->as_string().size() == 32u);
  BOOST_TEST(e.find("ts")->as_number() == 1764400000000.0);
  BOOST_TEST(e.find("account")->as_string() == "demo-shop");
  BOOST_TEST(e.find("campaign")->as_string() == "product-headline");
  BOOST_TEST(e.find("variation")->as_string() == variation);
  BOOST_TEST(e.find("page")->as_string() == "/product.html");  // no query string
  BOOST_TEST(e.find("visitor") == nullptr);
}

BOOST_AUTO_TEST_CASE(a_returning_visitor_keeps_its_variation_through_the_stored_assignment) {
  for (int start = 0; start < 8; ++start) {
    Page page;
    page.host.next_random = static_cast<std::uint8_t>(start * 31);
    const std::string first = page.variation(page.run(kProduct));
    for (int i = 0; i < 3; ++i) BOOST_TEST(page.variation(page.run(kProduct)) == first);
  }
}

BOOST_AUTO_TEST_CASE(with_consent_the_visitor_gets_a_stored_id_that_events_carry) {
  Page page;
  page.run(R"({"url": "https://shop.example/product.html", "consent": "granted"})");
  const std::string id = page.host.cookies.at("vario_id");
  BOOST_TEST(id.size() == 32u);
  auto batch = json::parse(page.host.sent.at(0).second);
  BOOST_TEST(batch.value().find("events")->items().at(0).find("visitor")->as_string() == id);
  BOOST_TEST(page.host.sent.at(0).first == "https://shop.example/v1/events");

  // The next page reuses the id.
  page.run(R"({"url": "https://shop.example/product.html", "consent": "granted"})");
  BOOST_TEST(page.host.cookies.at("vario_id") == id);
}

BOOST_AUTO_TEST_CASE(a_revenue_test_without_consent_shows_the_original_and_stores_and_sends_nothing) {
  Page page(testing::headline_test("revenue"));
  const json::Value decisions = page.run(kProduct);
  const json::Value& d = decisions.find("decisions")->items().at(0);
  BOOST_TEST(!d.find("applied")->as_bool());
  BOOST_TEST(d.find("reason")->as_string() ==
             "revenue A/B test needs personalization consent, which is pending");
  BOOST_TEST(page.host.dom.text_of("#product-title") == kOriginal);
  BOOST_TEST(page.host.cookies.empty());
  BOOST_TEST(page.host.sent.empty());
  // What the test would change stays hidden while an answer may come, then shows as it is.
  BOOST_TEST(page.host.revealed.empty());
  BOOST_REQUIRE(page.host.timer.has_value());
  page.host.now += *page.host.timer;
  page.host.timer.reset();
  BOOST_REQUIRE(page.engine.timer_fired().ok());
  BOOST_TEST(page.host.revealed == std::vector<std::int32_t>{Host::kAllRules});
  BOOST_TEST(page.host.dom.text_of("#product-title") == kOriginal);
  BOOST_TEST(page.host.sent.empty());
}

BOOST_AUTO_TEST_CASE(a_page_outside_the_rules_is_left_alone) {
  Page page;
  const json::Value decisions = page.run(R"({"url": "http://localhost/cart.html"})");
  BOOST_TEST(decisions.find("decisions")->items().at(0).find("reason")->as_string() ==
             "page /cart.html matches no include rule");
  BOOST_TEST(page.host.dom.text_of("#product-title") == kOriginal);
  BOOST_TEST(page.host.sent.empty());
  BOOST_TEST(page.host.revealed.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_selector_the_browser_rejects_becomes_a_health_event_not_a_failure) {
  Page page;
  page.host.dom.refuse_selector("#product-title");
  // Find a visitor in the variation with a change: the assignment cookie decides it.
  page.host.cookies["vario_as"] = "product-headline=benefit";
  // Health events are measurement: they leave with consent.
  const json::Value decisions =
      page.run(R"({"url": "https://shop.example/product.html", "consent": "granted"})");
  BOOST_TEST(decisions.find("decisions")->items().at(0).find("applied")->as_bool());
  auto batch = json::parse(page.host.sent.at(0).second);
  const auto& events = batch.value().find("events")->items();
  BOOST_REQUIRE(events.size() == 2u);
  BOOST_TEST(events[0].find("type")->as_string() == "health");
  BOOST_TEST(events[0].find("code")->as_string() == "selector_rejected");
  BOOST_TEST(events[1].find("type")->as_string() == "impression");
  BOOST_TEST(page.host.revealed.size() == 1u);
}

BOOST_AUTO_TEST_CASE(events_are_never_sent_over_plain_http_to_another_host) {
  Page page;
  page.run(R"({"url": "http://shop.example/product.html"})");
  BOOST_TEST(page.host.sent.empty());
  BOOST_REQUIRE(!page.host.logs.empty());
  BOOST_TEST(page.host.logs.back().find("https only") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(calls_before_load_and_bad_inputs_return_errors_not_crashes) {
  FakeHost host;
  Engine engine(host);
  BOOST_TEST((engine.start(kProduct).error().code == ErrorCode::kNotLoaded));
  BOOST_TEST((engine.decide("{}").error().code == ErrorCode::kNotLoaded));

  const std::string garbage = "not a campaigns file at all";
  const Status bad = engine.load(testing::bytes(garbage));
  BOOST_REQUIRE(!bad.ok());
  BOOST_TEST((bad.error().code == ErrorCode::kBadConfig));

  Page page;
  auto no_url = page.engine.start(R"({"referrer": ""})");
  BOOST_TEST(no_url.error().message == "page context: /url must be a non-empty string");
  auto bad_json = page.engine.decide(R"({"id": "a", )");
  BOOST_TEST((bad_json.error().code == ErrorCode::kInvalidArgument));
  auto bad_consent = page.engine.decide(R"({"id": "a", "url": "/", "consent": "maybe"})");
  BOOST_TEST(bad_consent.error().message.find("/consent") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_page_context_may_carry_fields_a_visitor_file_may_not) {
  // The tag builds the page context, and a newer tag may report more than this engine reads.
  Page page;
  const json::Value decided =
      page.run(R"({"url": "http://127.0.0.1:8080/product.html", "colour": "red",
                   "screen": {"width": 390, "pixelRatio": 3}})");
  BOOST_TEST(page.variation(decided) != "");
}

BOOST_AUTO_TEST_CASE(a_corrupted_campaigns_binary_is_refused_by_verification) {
  std::string bin = host::compile_campaigns(testing::headline_test());
  FakeHost host;
  Engine engine(host);
  // Flip bytes after the header: offsets point outside the buffer or strings lose their end.
  for (std::size_t i = 8; i < bin.size(); i += 7) {
    std::string broken = bin;
    broken[i] = static_cast<char>(broken[i] ^ 0x7f);
    const Status s = engine.load(testing::bytes(broken));
    // Some flips land in string bytes and stay structurally valid; none may crash.
    if (!s.ok()) BOOST_TEST((s.error().code == ErrorCode::kBadConfig));
  }
  std::string truncated = bin.substr(0, bin.size() / 2);
  BOOST_TEST(!engine.load(testing::bytes(truncated)).ok());
}

// ---- targeting on the page -------------------------------------------------------------------

namespace {

nlohmann::json with_audience(nlohmann::json audience) {
  auto doc = testing::headline_test();
  doc["consent"] = {{"required", false}};
  doc["campaigns"][0]["variations"][0]["weight"] = 0;
  doc["campaigns"][0]["variations"][1]["weight"] = 1;
  doc["campaigns"][0]["audience"] = std::move(audience);
  return doc;
}

std::string events_of(const FakeHost& host) {
  std::string all;
  for (const auto& [url, body] : host.sent) all += body;
  return all;
}

}  // namespace

BOOST_AUTO_TEST_CASE(declared_attributes_are_read_from_the_page_for_the_audience) {
  auto doc = with_audience({{"plan", "pro"}, {"cart.total", {{"$gt", 50}}}});
  doc["attributes"] = nlohmann::json::parse(R"({
    "plan": {"source": "cookie", "name": "shop_plan"},
    "cart": {"source": "data_layer", "path": "cart"}})");
  Page page(doc);
  page.host.page_values[{PageValueSource::kCookie, "shop_plan"}] = R"("pro")";
  page.host.page_values[{PageValueSource::kDataLayer, "cart"}] = R"({"total": 80})";
  BOOST_TEST(page.variation(page.run(kProduct)) == "benefit");
  page.host.page_values[{PageValueSource::kDataLayer, "cart"}] = R"({"total": 20})";
  BOOST_TEST(page.variation(page.run(kProduct)).empty());
}

BOOST_AUTO_TEST_CASE(pushed_attributes_and_built_ins_reach_the_audience) {
  Page page(with_audience({{"plan", "pro"}, {"device", "mobile"}, {"query.ref", "mail"}}));
  const std::string iphone =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
      "Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
  BOOST_TEST(page.variation(page.run(R"({"url": "https://shop.example/product.html?ref=mail",
      "userAgent": ")" + iphone + R"(", "attributes": {"plan": "pro"}})")) == "benefit");
  BOOST_TEST(page.variation(page.run(R"({"url": "https://shop.example/product.html?ref=mail",
      "userAgent": ")" + iphone + R"(", "attributes": {"plan": "free"}})")).empty());
}

BOOST_AUTO_TEST_CASE(third_party_attributes_are_not_even_read_without_consent) {
  auto doc = with_audience({{"segment", "vip"}});
  doc["consent"] = {{"required", true}};
  doc["attributes"] = nlohmann::json::parse(
      R"({"segment": {"source": "page_variable", "path": "dmp.segment", "third_party": true}})");
  Page page(doc);
  page.host.page_values[{PageValueSource::kPageVariable, "dmp.segment"}] = R"("vip")";
  BOOST_TEST(page.variation(page.run(kProduct)).empty());
  BOOST_TEST(page.host.page_value_reads.empty());
  const std::string granted = R"({"url": "https://shop.example/product.html", "consent": "granted"})";
  BOOST_TEST(page.variation(page.run(granted)) == "benefit");
  BOOST_TEST(page.host.page_value_reads.size() == 1u);
}

BOOST_AUTO_TEST_CASE(visit_counters_are_kept_only_with_consent_and_start_a_visit_after_30_minutes) {
  Page page(with_audience({{"returning", true}}));
  const std::string granted = R"({"url": "https://shop.example/product.html", "consent": "granted"})";
  BOOST_TEST(page.variation(page.run(granted)).empty());  // first visit
  BOOST_TEST(page.host.cookies.at("vario_vc") == "1.1.1764400000");
  page.host.now += 10 * 60 * 1000.0;
  BOOST_TEST(page.variation(page.run(granted)).empty());  // same visit, second page
  BOOST_TEST(page.host.cookies.at("vario_vc") == "1.2.1764400600");
  page.host.now += 31 * 60 * 1000.0;
  BOOST_TEST(page.variation(page.run(granted)) == "benefit");  // a new visit: returning
  BOOST_TEST(page.host.cookies.at("vario_vc") == "2.3.1764402460");

  Page anonymous(with_audience({{"returning", true}}));
  anonymous.run(R"({"url": "https://shop.example/product.html", "consent": "denied"})");
  BOOST_TEST(anonymous.host.cookies.count("vario_vc") == 0u);
}

BOOST_AUTO_TEST_CASE(an_automated_browser_sees_the_original_page_and_sends_nothing) {
  Page page;
  page.run(R"({"url": "https://shop.example/product.html", "webdriver": true})");
  BOOST_TEST(page.host.dom.text_of("#product-title") == kOriginal);
  BOOST_TEST(page.host.sent.empty());
}

BOOST_AUTO_TEST_CASE(a_condition_that_cannot_be_evaluated_is_reported_in_a_health_event) {
  Page page(with_audience({{"plan", {{"$regex", "(unclosed"}}}}));
  page.run(R"({"url": "https://shop.example/product.html", "attributes": {"plan": "pro"}})");
  BOOST_TEST(page.host.dom.text_of("#product-title") == kOriginal);
  const std::string sent = events_of(page.host);
  BOOST_TEST(sent.find(R"("code":"condition_invalid")") != std::string::npos, sent);
}

BOOST_AUTO_TEST_CASE(a_preview_token_forces_its_variation_is_kept_until_expiry_and_counts_nothing) {
  auto doc = testing::headline_test();
  doc["campaigns"][0]["status"] = "draft";
  Page page(doc);
  // The engine trusts the host to have checked the signature; it reads payload and expiry.
  const std::string payload = R"({"v":1,"forced":{"product-headline":"benefit"},"exp":1764403600})";
  std::string encoded;
  {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::uint32_t bits = 0;
    int count = 0;
    for (const unsigned char c : payload) {
      bits = (bits << 8) | c;
      count += 8;
      while (count >= 6) encoded += kAlphabet[(bits >> (count -= 6)) & 63];
    }
    if (count) encoded += kAlphabet[(bits << (6 - count)) & 63];
  }
  const std::string token = encoded + ".c2ln";
  BOOST_TEST(page.variation(page.run(R"({"url": "https://shop.example/product.html", "preview": ")" +
                                     token + R"("})")) == "benefit");
  BOOST_TEST(page.host.dom.text_of("#product-title") == "Brews a perfect cup");
  BOOST_TEST(page.host.cookies.at("vario_preview") == token);
  BOOST_TEST(page.host.cookies.count("vario_as") == 0u);
  BOOST_TEST(events_of(page.host).find("impression") == std::string::npos);

  page.host.now = 1764403600000.0;  // expired
  BOOST_TEST(page.variation(page.run(R"({"url": "https://shop.example/product.html", "preview": ")" +
                                     token + R"("})")).empty());
}
