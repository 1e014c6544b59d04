// The page session with consent (runtime/engine/page_session.cpp): what happens on a page for
// each consent path, natively against the in-memory DOM — held storage and events, the wait,
// a late grant, a denial, the page going away, a withdrawal.
#define BOOST_TEST_MODULE page_session
#include <boost/test/unit_test.hpp>

#include "support/campaigns.hpp"
#include "support/fake_host.hpp"
#include "vario/engine.hpp"

using namespace vario;
using testing::FakeHost;
using Json = nlohmann::json;

namespace {

// One campaign of a kind on /p, changing #t.
Json one(const std::string& type, const std::string& purpose, bool third_party = false) {
  Json doc = {{"version", 1}, {"account", "acme"}, {"collector", "/v1/events"},
              {"consent", {{"required", true}, {"wait_ms", 800}}}, {"anti_flicker_ms", 1500}};
  if (third_party) doc["attributes"] = {{"segment", {{"source", "pushed"}, {"third_party", true}}}};
  Json c = {{"id", "c"}, {"type", type}, {"purpose", purpose},
            {"pages", {{"include", {{{"match", "exact"}, {"value", "/p"}}}}}},
            {"variations", {{{"id", "v"}, {"weight", 1}, {"changes", {{{"action", "set_text"}, {"selector", "#t"}, {"value", "Changed"}}}}}}}};
  if (third_party) c["audience"] = {{"segment", "runners"}};
  doc["campaigns"] = {c};
  return doc;
}

struct Page {
  FakeHost host;
  Engine engine{host};
  explicit Page(const Json& campaigns) {
    host.dom.load(R"(<h1 id="t">Original</h1>)");
    BOOST_REQUIRE(engine.load(testing::bytes(host::compile_campaigns(campaigns))).ok());
  }
  void start(const std::string& extra = "") {
    const std::string context = R"({"url": "https://shop.example/p", "attributes": {"segment": "runners"})" + extra + "}";
    BOOST_REQUIRE(engine.start(context).ok());
  }
  void say(const std::string& consent) {
    BOOST_REQUIRE(engine.consent_signal(R"({"source": "page", "consent": )" + consent + "}").ok());
  }
  void wait() {
    BOOST_REQUIRE(host.timer.has_value());
    host.now += *host.timer;
    host.timer.reset();
    BOOST_REQUIRE(engine.timer_fired().ok());
  }
  std::vector<Json> sent() const {
    std::vector<Json> out;
    for (const auto& s : host.sent) {
      const Json batch = Json::parse(s.second);
      for (const Json& e : batch.at("events")) out.push_back(e);
    }
    return out;
  }
  std::string title() const { return host.dom.text_of("#t"); }
};

}  // namespace

BOOST_AUTO_TEST_CASE(while_pending_a_patch_applies_and_its_impression_waits_in_memory_for_a_grant) {
  Page page(one("patch", "technical"));
  page.start();
  BOOST_TEST(page.title() == "Changed");
  BOOST_TEST(page.host.sent.empty());
  BOOST_TEST(page.host.cookies.empty());
  const double started = page.host.now;
  page.host.now += 300;
  page.say(R"("granted")");
  const auto events = page.sent();
  BOOST_REQUIRE(events.size() == 1u);
  BOOST_TEST(events[0].at("type") == "impression");
  BOOST_TEST(events[0].at("ts").get<double>() == started);  // its own time, not the grant's
  BOOST_TEST(events[0].contains("visitor"));
  BOOST_TEST(page.host.cookies.count("vario_id") == 1u);
  BOOST_TEST(page.host.cookies.at("vario_as") == "c=v");
}

BOOST_AUTO_TEST_CASE(while_pending_a_denial_drops_what_was_held_and_nothing_is_sent_or_stored) {
  Page page(one("patch", "technical"));
  page.start();
  page.say(R"("denied")");
  page.engine.page_hidden();
  BOOST_TEST(page.host.sent.empty());
  BOOST_TEST(page.host.cookies.empty());
  BOOST_TEST(page.title() == "Changed");  // a patch needs no consent
}

BOOST_AUTO_TEST_CASE(a_page_that_goes_away_while_pending_sends_nothing_even_if_granted_later) {
  Page page(one("patch", "technical"));
  page.start();
  BOOST_REQUIRE(page.engine.page_hidden().ok());
  page.say(R"("granted")");  // a bfcache return, say: what was held went with the page
  for (const Json& e : page.sent()) BOOST_TEST(e.at("type") != "impression");
}

BOOST_AUTO_TEST_CASE(a_revenue_test_waits_hidden_for_the_answer_and_applies_when_granted_in_time) {
  Page page(one("ab_test", "revenue"));
  page.start();
  BOOST_TEST(page.title() == "Original");
  BOOST_TEST(page.host.revealed.empty());
  page.host.now += 200;
  page.say(R"("granted")");
  BOOST_TEST(page.title() == "Changed");
  BOOST_TEST(page.host.revealed == std::vector<std::int32_t>{Host::kAllRules});
  BOOST_TEST(page.sent().size() == 1u);
}

BOOST_AUTO_TEST_CASE(past_the_wait_a_revenue_test_is_refused_for_the_page_even_if_a_grant_follows) {
  Page page(one("ab_test", "revenue"));
  page.start();
  page.wait();
  BOOST_TEST(page.host.revealed == std::vector<std::int32_t>{Host::kAllRules});
  page.say(R"("granted")");
  BOOST_TEST(page.title() == "Original");  // the visitor already sees the page as it is
  BOOST_TEST(page.sent().empty());
  BOOST_TEST(page.host.cookies.count("vario_id") == 1u);  // the grant still holds for storage
}

BOOST_AUTO_TEST_CASE(a_technical_test_without_consent_stores_its_assignment_and_sends_its_own_event_without_id) {
  Page page(one("ab_test", "technical"));
  page.start();
  BOOST_TEST(page.title() == "Changed");
  BOOST_TEST(page.host.cookies.at("vario_as") == "c=v");
  BOOST_TEST(page.host.cookies.count("vario_id") == 0u);
  const auto events = page.sent();
  BOOST_REQUIRE(events.size() == 1u);
  BOOST_TEST(!events[0].contains("visitor"));
}

BOOST_AUTO_TEST_CASE(a_third_party_campaign_applies_only_with_third_party_consent) {
  Page page(one("personalization", "technical", /*third_party=*/true));
  page.start(R"(, "consent": {"storage": "granted", "measurement": "granted", "personalization": "granted", "third_party": "denied"})");
  BOOST_TEST(page.title() == "Original");
  page.say(R"({"third_party": "granted"})");
  BOOST_TEST(page.title() == "Changed");
}

BOOST_AUTO_TEST_CASE(a_withdrawal_stops_sending_erases_what_was_stored_and_reverts_what_needed_consent) {
  Page page(one("ab_test", "revenue"));
  page.start(R"(, "consent": "granted")");
  BOOST_TEST(page.title() == "Changed");
  BOOST_TEST(page.host.cookies.count("vario_id") == 1u);
  BOOST_TEST(page.host.cookies.count("vario_vc") == 1u);
  const std::size_t batches = page.host.sent.size();
  page.say(R"("denied")");
  BOOST_TEST(page.title() == "Original");
  BOOST_TEST(page.host.cookies.empty());
  BOOST_TEST(page.host.sent.size() == batches);
  BOOST_TEST(page.host.dom.live_handles() == 0u);
}

BOOST_AUTO_TEST_CASE(a_stored_tc_string_that_does_not_decode_counts_as_no_consent) {
  Page page(one("ab_test", "revenue"));
  page.host.cookies["euconsent-v2"] = "garbage";
  page.start();
  BOOST_TEST(page.title() == "Original");
  BOOST_TEST(page.host.revealed == std::vector<std::int32_t>{Host::kAllRules});  // decided at once
}
