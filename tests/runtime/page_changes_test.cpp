// The page lifecycle natively: the engine on an in-memory DOM, fed facts as the tag would feed
// them. Every change action applied and reverted exactly, the order on shared elements, late
// elements, the re-render guard, single-page navigation, hydration and redirects.
#define BOOST_TEST_MODULE page_changes
#include <boost/test/unit_test.hpp>

#include "support/campaigns.hpp"
#include "support/fake_host.hpp"
#include "vario/engine.hpp"
#include "vario/json.hpp"
#include "vario/page_changes.hpp"

using namespace vario;
using testing::FakeHost;
using Json = nlohmann::json;

namespace {

const char* kBody = R"(<main id="m"><h1 id="t" class="a  b">Original <em>title</em></h1><p id="p" title="tip" lang="en">Text</p><ul id="list"><li>one</li></ul></main>)";

// A campaigns file of patches, each {"id", "pages": [exact paths], "priority"?, "changes"}.
Json patches(const Json& list) {
  Json doc = {{"version", 1}, {"account", "acme"}, {"collector", "/v1/events"},
              {"consent", {{"required", false}}}, {"campaigns", Json::array()}};
  for (const Json& p : list) {
    Json include = Json::array();
    for (const Json& path : p.at("pages")) include.push_back({{"match", "exact"}, {"value", path}});
    doc["campaigns"].push_back({{"id", p.at("id")}, {"type", "patch"}, {"purpose", "technical"},
                                {"priority", p.value("priority", 0)},
                                {"pages", {{"include", include}}},
                                {"variations", {{{"id", "on"}, {"weight", 1}, {"changes", p.at("changes")}}}}});
  }
  return doc;
}

struct Page {
  FakeHost host;
  Engine engine{host};
  Page(const Json& campaigns, std::string_view body = kBody) {
    host.dom.load(body);
    const std::string bin = host::compile_campaigns(campaigns);
    BOOST_REQUIRE(engine.load(testing::bytes(bin)).ok());
  }
  Json start(std::string_view path) {
    auto r = engine.start(Json{{"url", "https://shop.example" + std::string(path)}}.dump());
    BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
    return Json::parse(r.value());
  }
  void go(std::string_view path) {
    BOOST_REQUIRE(engine.url_changed("https://shop.example" + std::string(path)).ok());
  }
  // What the tag's observer would report after the page's own mutations.
  void deliver() {
    const testing::PageFacts facts = host.facts();
    if (!facts.appeared.empty()) BOOST_REQUIRE(engine.elements_appeared(facts.appeared).ok());
    if (!facts.mutated.empty()) BOOST_REQUIRE(engine.nodes_mutated(facts.mutated).ok());
  }
  // Lets the clock run to the pending timer and fires it, as the tag's one timer does.
  void fire_timer() {
    BOOST_REQUIRE(host.timer.has_value());
    host.now += *host.timer;
    host.timer.reset();
    BOOST_REQUIRE(engine.timer_fired().ok());
  }
  std::string body() const { return host.dom.body_html(); }
  // The events sent so far, of one type.
  std::vector<Json> events(std::string_view type) const {
    std::vector<Json> out;
    for (const auto& sent : host.sent) {
      const Json batch = Json::parse(sent.second);
      for (const Json& e : batch.at("events"))
        if (e.at("type").get<std::string>() == type) out.push_back(e);
    }
    return out;
  }
};

Json change(std::string action, Json fields) {
  fields["action"] = std::move(action);
  return fields;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_action_changes_the_page_and_a_navigation_away_reverts_it_byte_for_byte) {
  struct Row {
    Json change;
    std::string after;  // the body once applied
  };
  const std::string main_open = R"(<main id="m">)";
  const Row rows[] = {
      {change("set_text", {{"selector", "#t"}, {"value", "New <title>"}}),
       R"(<main id="m"><h1 id="t" class="a  b">New &lt;title&gt;</h1><p id="p" title="tip" lang="en">Text</p><ul id="list"><li>one</li></ul></main>)"},
      {change("set_html", {{"selector", "#p"}, {"value", "<b>bold</b> text"}}),
       R"(<main id="m"><h1 id="t" class="a  b">Original <em>title</em></h1><p id="p" title="tip" lang="en"><b>bold</b> text</p><ul id="list"><li>one</li></ul></main>)"},
      {change("set_attribute", {{"selector", "#p"}, {"name", "title"}, {"value", "new tip"}}),
       R"(<main id="m"><h1 id="t" class="a  b">Original <em>title</em></h1><p id="p" title="new tip" lang="en">Text</p><ul id="list"><li>one</li></ul></main>)"},
      {change("set_attribute", {{"selector", "#p"}, {"name", "data-x"}, {"value", "1"}}),
       R"(<main id="m"><h1 id="t" class="a  b">Original <em>title</em></h1><p id="p" title="tip" lang="en" data-x="1">Text</p><ul id="list"><li>one</li></ul></main>)"},
      {change("remove_attribute", {{"selector", "#p"}, {"name", "title"}}),
       R"(<main id="m"><h1 id="t" class="a  b">Original <em>title</em></h1><p id="p" lang="en">Text</p><ul id="list"><li>one</li></ul></main>)"},
      {change("add_class", {{"selector", "#t"}, {"value", "c b"}}),
       R"(<main id="m"><h1 id="t" class="a b c">Original <em>title</em></h1><p id="p" title="tip" lang="en">Text</p><ul id="list"><li>one</li></ul></main>)"},
      {change("remove_class", {{"selector", "#t"}, {"value", "a"}}),
       R"(<main id="m"><h1 id="t" class="b">Original <em>title</em></h1><p id="p" title="tip" lang="en">Text</p><ul id="list"><li>one</li></ul></main>)"},
      {change("set_style", {{"selector", "#p"}, {"name", "color"}, {"value", "red !important"}}),
       R"(<main id="m"><h1 id="t" class="a  b">Original <em>title</em></h1><p id="p" title="tip" lang="en" style="color: red !important;">Text</p><ul id="list"><li>one</li></ul></main>)"},
      {change("insert_html", {{"selector", "#p"}, {"position", "before"}, {"value", "<i>1</i><i>2</i>"}}),
       R"(<main id="m"><h1 id="t" class="a  b">Original <em>title</em></h1><i>1</i><i>2</i><p id="p" title="tip" lang="en">Text</p><ul id="list"><li>one</li></ul></main>)"},
      {change("insert_html", {{"selector", "#p"}, {"position", "after"}, {"value", "<i>1</i><i>2</i>"}}),
       R"(<main id="m"><h1 id="t" class="a  b">Original <em>title</em></h1><p id="p" title="tip" lang="en">Text</p><i>1</i><i>2</i><ul id="list"><li>one</li></ul></main>)"},
      {change("insert_html", {{"selector", "#list"}, {"position", "prepend"}, {"value", "<li>0</li><li>0.5</li>"}}),
       R"(<main id="m"><h1 id="t" class="a  b">Original <em>title</em></h1><p id="p" title="tip" lang="en">Text</p><ul id="list"><li>0</li><li>0.5</li><li>one</li></ul></main>)"},
      {change("insert_html", {{"selector", "#list"}, {"position", "append"}, {"value", "<li>two</li>"}}),
       R"(<main id="m"><h1 id="t" class="a  b">Original <em>title</em></h1><p id="p" title="tip" lang="en">Text</p><ul id="list"><li>one</li><li>two</li></ul></main>)"},
      {change("move", {{"selector", "#p"}, {"target", "#list"}, {"position", "append"}}),
       R"(<main id="m"><h1 id="t" class="a  b">Original <em>title</em></h1><ul id="list"><li>one</li><p id="p" title="tip" lang="en">Text</p></ul></main>)"},
      {change("move", {{"selector", "#list"}, {"target", "#t"}, {"position", "before"}}),
       R"(<main id="m"><ul id="list"><li>one</li></ul><h1 id="t" class="a  b">Original <em>title</em></h1><p id="p" title="tip" lang="en">Text</p></main>)"},
      {change("remove", {{"selector", "#p"}}),
       R"(<main id="m"><h1 id="t" class="a  b">Original <em>title</em></h1><ul id="list"><li>one</li></ul></main>)"},
      {change("hide", {{"selector", "#p"}}),
       R"(<main id="m"><h1 id="t" class="a  b">Original <em>title</em></h1><p id="p" title="tip" lang="en" style="display: none !important;">Text</p><ul id="list"><li>one</li></ul></main>)"},
  };
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT(row.change.dump()) {
      Page page(patches(Json::array({{{"id", "c"}, {"pages", {"/a"}}, {"changes", {row.change}}}})));
      const std::string original = page.body();
      page.start("/a");
      BOOST_TEST(page.body() == row.after);
      page.go("/b");
      BOOST_TEST(page.body() == original);
      BOOST_TEST(page.host.dom.live_handles() == 0u);
      BOOST_TEST(page.host.dom.misuses().empty());
      BOOST_TEST(page.host.guarded.empty());
      page.go("/a");  // and back: applied again
      BOOST_TEST(page.body() == row.after);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_campaign_stylesheet_is_added_with_the_campaign_and_removed_with_it) {
  Page page(patches(Json::array({{{"id", "c"}, {"pages", {"/a"}},
                                  {"changes", {change("add_css", {{"value", "p { color: red; }"}})}}}})));
  page.start("/a");
  BOOST_TEST(page.host.dom.stylesheets() == std::vector<std::string>{"p { color: red; }"});
  page.go("/b");
  BOOST_TEST(page.host.dom.stylesheets().empty());
}

BOOST_AUTO_TEST_CASE(on_a_shared_element_the_highest_priority_wins_whatever_the_file_order) {
  const Json high = {{"id", "high"}, {"priority", 5}, {"pages", {"/a", "/a/only-high"}},
                     {"changes", {change("set_text", {{"selector", "#t"}, {"value", "High"}})}}};
  const Json low = {{"id", "low"}, {"priority", 1}, {"pages", {"/a"}},
                    {"changes", {change("set_text", {{"selector", "#t"}, {"value", "Low"}}),
                                 change("add_class", {{"selector", "#t"}, {"value", "low"}})}}};
  for (const Json& order : {Json::array({high, low}), Json::array({low, high})}) {
    Page page(patches(order));
    const std::string original = page.host.dom.html("#t");
    page.start("/a");
    BOOST_TEST(page.host.dom.text_of("#t") == "High");
    BOOST_TEST(page.host.dom.attribute_of("#t", "class").value_or("") == "a b low");
    // The low campaign stops applying: its changes go, the high one's stay on top.
    page.go("/a/only-high");
    BOOST_TEST(page.host.dom.html("#t") == R"(<h1 id="t" class="a  b">High</h1>)");
    // It comes back beneath the high one, which still wins.
    page.go("/a");
    BOOST_TEST(page.host.dom.text_of("#t") == "High");
    BOOST_TEST(page.host.dom.attribute_of("#t", "class").value_or("") == "a b low");
    page.go("/elsewhere");
    BOOST_TEST(page.host.dom.html("#t") == original);
    BOOST_TEST(page.host.dom.live_handles() == 0u);
  }
}

BOOST_AUTO_TEST_CASE(within_a_variation_changes_apply_in_file_order) {
  Page page(patches(Json::array(
      {{{"id", "c"}, {"pages", {"/a"}},
        {"changes", {change("set_text", {{"selector", "#t"}, {"value", "Set"}}),
                     change("insert_html", {{"selector", "#t"}, {"position", "append"}, {"value", "<b>!</b>"}})}}}})));
  page.start("/a");
  BOOST_TEST(page.host.dom.html("#t") == R"(<h1 id="t" class="a  b">Set<b>!</b></h1>)");
}

BOOST_AUTO_TEST_CASE(elements_that_appear_later_are_changed_once_each_as_they_appear) {
  Page page(patches(Json::array(
      {{{"id", "c"}, {"pages", {"/a"}},
        {"changes", {change("add_class", {{"selector", ".card"}, {"value", "seen"}}),
                     change("set_text", {{"selector", ".card .price"}, {"value", "€9"}})}}}})));
  page.start("/a");
  BOOST_TEST(page.host.watched.size() == 2u);
  page.host.dom.page_append_html("#list", R"(<li class="card"><span class="price">€10</span></li>)");
  page.deliver();
  BOOST_TEST(page.host.dom.html(".card") ==
             R"(<li class="card seen"><span class="price">€9</span></li>)");
  // Another one later; the first is not changed again.
  page.host.dom.page_append_html("#list", R"(<li class="card"><span class="price">€11</span></li>)");
  page.deliver();
  BOOST_TEST(page.host.dom.inner_html("#list") ==
             R"(<li>one</li><li class="card seen"><span class="price">€9</span></li>)"
             R"(<li class="card seen"><span class="price">€9</span></li>)");
  // An element that starts to match when the page sets its class appears too.
  page.host.dom.page_set_attribute("#p", "class", "card");
  page.deliver();
  BOOST_TEST(page.host.dom.attribute_of("#p", "class").value_or("") == "card seen");
  BOOST_TEST(page.host.dom.misuses().empty());
}

BOOST_AUTO_TEST_CASE(a_move_whose_target_appears_later_happens_when_it_appears) {
  Page page(patches(Json::array(
      {{{"id", "c"}, {"pages", {"/a"}},
        {"changes", {change("move", {{"selector", "#p"}, {"target", "#late"}, {"position", "prepend"}})}}}})));
  page.start("/a");
  BOOST_TEST(page.host.dom.count("#late") == 0u);
  page.host.dom.page_append_html("#m", R"(<div id="late"></div>)");
  page.deliver();
  BOOST_TEST(page.host.dom.html("#late") == R"(<div id="late"><p id="p" title="tip" lang="en">Text</p></div>)");
}

BOOST_AUTO_TEST_CASE(a_change_the_page_overwrites_is_applied_again_and_reverting_restores_the_pages_version) {
  Page page(patches(Json::array(
      {{{"id", "c"}, {"pages", {"/a"}}, {"changes", {change("set_text", {{"selector", "#t"}, {"value", "Vario"}})}}}})));
  page.start("/a");
  page.host.dom.page_set_text("#t", "Framework v2");
  page.deliver();
  BOOST_TEST(page.host.dom.text_of("#t") == "Vario");
  page.go("/b");
  BOOST_TEST(page.host.dom.html("#t") == R"(<h1 id="t" class="a  b">Framework v2</h1>)");
}

BOOST_AUTO_TEST_CASE(a_page_that_keeps_overwriting_an_element_wins_after_five_re_applications_reported_once) {
  Page page(patches(Json::array(
      {{{"id", "c"}, {"pages", {"/a"}}, {"changes", {change("set_text", {{"selector", "#t"}, {"value", "Vario"}})}}}})));
  page.start("/a");
  int vario_writes = 0;
  for (int i = 0; i < 20; ++i) {
    page.host.now += 50;
    page.host.dom.page_set_text("#t", "Page " + std::to_string(i));
    page.deliver();
    if (page.host.dom.text_of("#t") == "Vario") ++vario_writes;
  }
  BOOST_TEST(vario_writes == PageChanges::kRerenderLimit);
  BOOST_TEST(page.host.dom.text_of("#t") == "Page 19");
  const auto health = page.events("health");
  BOOST_REQUIRE(health.size() == 1u);
  BOOST_TEST(health[0].at("code") == "rerender_loop");
  BOOST_TEST(health[0].at("campaign") == "c");
  BOOST_TEST(page.host.guarded.empty());
}

BOOST_AUTO_TEST_CASE(re_applications_spread_wider_than_the_window_never_trip_the_guard) {
  Page page(patches(Json::array(
      {{{"id", "c"}, {"pages", {"/a"}}, {"changes", {change("set_text", {{"selector", "#t"}, {"value", "Vario"}})}}}})));
  page.start("/a");
  for (int i = 0; i < 20; ++i) {
    page.host.now += 1000;  // a re-render a second: five within any two seconds never happen
    page.host.dom.page_set_text("#t", "Page " + std::to_string(i));
    page.deliver();
    BOOST_TEST(page.host.dom.text_of("#t") == "Vario");
  }
  BOOST_TEST(page.events("health").empty());
}

BOOST_AUTO_TEST_CASE(a_framework_replacing_the_element_gets_the_change_on_the_new_one) {
  Page page(patches(Json::array(
      {{{"id", "c"}, {"pages", {"/a"}}, {"changes", {change("set_text", {{"selector", "#t"}, {"value", "Vario"}})}}}})));
  page.start("/a");
  page.host.dom.page_replace("#t", R"(<h1 id="t">Rendered again</h1>)");
  page.deliver();
  BOOST_TEST(page.host.dom.html("#t") == R"(<h1 id="t">Vario</h1>)");
  page.go("/b");
  BOOST_TEST(page.host.dom.html("#t") == R"(<h1 id="t">Rendered again</h1>)");
  BOOST_TEST(page.host.dom.live_handles() == 0u);
}

BOOST_AUTO_TEST_CASE(single_page_navigation_reverts_what_no_longer_applies_and_counts_each_campaign_once) {
  Page page(patches(Json::array(
      {{{"id", "home"}, {"pages", {"/"}}, {"changes", {change("set_text", {{"selector", "#t"}, {"value", "Home"}})}}},
       {{"id", "about"}, {"pages", {"/about"}}, {"changes", {change("add_class", {{"selector", "#t"}, {"value", "about"}})}}}})));
  page.start("/");
  BOOST_TEST(page.host.dom.text_of("#t") == "Home");
  page.go("/about");
  BOOST_TEST(page.host.dom.html("#t") == R"(<h1 id="t" class="a b about">Original <em>title</em></h1>)");
  page.go("/");
  page.go("/about");
  std::vector<std::string> counted;
  for (const Json& e : page.events("impression")) counted.push_back(e.at("campaign"));
  BOOST_TEST(counted == (std::vector<std::string>{"home", "about"}));
}

BOOST_AUTO_TEST_CASE(the_anti_flicker_rules_are_lifted_once_the_present_elements_are_changed) {
  Page page(patches(Json::array(
      {{{"id", "c"}, {"pages", {"/a"}}, {"changes", {change("set_text", {{"selector", "#t"}, {"value", "Vario"}})}}}})));
  page.start("/a");
  BOOST_TEST(page.host.revealed == std::vector<std::int32_t>{Host::kAllRules});
}

BOOST_AUTO_TEST_CASE(changes_inside_a_hydration_root_wait_for_the_framework_and_stay_hidden_meanwhile) {
  Json doc = patches(Json::array(
      {{{"id", "c"}, {"pages", {"/a"}},
        {"changes", {change("set_text", {{"selector", "#t"}, {"value", "Vario"}})}}},
       {{"id", "other"}, {"pages", {"/elsewhere"}},
        {"changes", {change("set_text", {{"selector", "#p"}, {"value", "Other"}})}}}}));
  doc["hydration_roots"] = {"#m"};
  Page page(doc);
  page.host.dom.set_hydrated("#m", false);
  page.start("/a");
  BOOST_TEST(page.host.dom.text_of("#t") == "Original title");
  // The rule of #p (a campaign that does not apply here) is lifted; #t's stays.
  BOOST_TEST(page.host.revealed == std::vector<std::int32_t>{1});
  page.fire_timer();
  BOOST_TEST(page.host.dom.text_of("#t") == "Original title");
  page.host.dom.set_hydrated("#m", true);
  page.fire_timer();
  BOOST_TEST(page.host.dom.text_of("#t") == "Vario");
  BOOST_TEST(page.host.revealed.back() == Host::kAllRules);
  BOOST_TEST(!page.host.timer.has_value());
}

BOOST_AUTO_TEST_CASE(a_hydration_root_that_never_hydrates_is_waited_for_ten_seconds_at_most) {
  Json doc = patches(Json::array(
      {{{"id", "c"}, {"pages", {"/a"}}, {"changes", {change("set_text", {{"selector", "#t"}, {"value", "Vario"}})}}}}));
  doc["hydration_roots"] = {"#m"};
  Page page(doc);
  page.host.dom.set_hydrated("#m", false);
  page.start("/a");
  for (int i = 0; i < 1000 && page.host.timer; ++i) page.fire_timer();
  BOOST_TEST(page.host.dom.text_of("#t") == "Vario");
  BOOST_TEST(page.host.now - 1764400000000.0 >= PageChanges::kHydrationWaitMs);
}

BOOST_AUTO_TEST_CASE(html_the_browser_refuses_to_create_is_reported_and_the_other_changes_still_apply) {
  Page page(patches(Json::array(
      {{{"id", "c"}, {"pages", {"/a"}},
        {"changes", {change("set_html", {{"selector", "#p"}, {"value", "<b>x</b>"}}),
                     change("set_text", {{"selector", "#t"}, {"value", "Vario"}})}}}})));
  page.host.dom.refuse_html(true);
  page.start("/a");
  BOOST_TEST(page.host.dom.text_of("#t") == "Vario");
  BOOST_TEST(page.host.dom.text_of("#p") == "Text");
  const auto health = page.events("health");
  BOOST_REQUIRE(health.size() == 1u);
  BOOST_TEST(health[0].at("code") == "change_failed");
}

BOOST_AUTO_TEST_CASE(a_redirect_sends_its_impression_first_keeps_the_query_and_never_fires_on_its_target) {
  Json doc = patches(Json::array());
  doc["campaigns"].push_back(Json::parse(R"({
    "id": "layout", "type": "ab_test", "purpose": "technical",
    "pages": {"include": [{"match": "prefix", "value": "/cart"}]},
    "variations": [{"id": "b", "weight": 1, "changes": [{"action": "redirect", "url": "/cart-b"}]}]})"));
  // Remembers how many batches had left when the page navigated.
  struct Host : FakeHost {
    std::size_t sent_before_navigating = 0;
    void navigate(std::string_view url) override {
      sent_before_navigating = sent.size();
      FakeHost::navigate(url);
    }
  };
  Host host;
  host.dom.load(kBody);
  const std::string before = host.dom.body_html();
  Engine engine(host);
  BOOST_REQUIRE(engine.load(testing::bytes(host::compile_campaigns(doc))).ok());
  BOOST_REQUIRE(engine.start(R"({"url": "https://shop.example/cart?ref=mail#top"})").ok());
  BOOST_TEST(host.navigations == std::vector<std::string>{"https://shop.example/cart-b?ref=mail#top"});
  BOOST_TEST(host.sent_before_navigating == 1u);
  BOOST_TEST(host.dom.body_html() == before);  // nothing else is applied on a page being left
  // On the target (which the prefix rule matches too), no second redirect.
  Host target;
  target.dom.load(kBody);
  Engine again(target);
  BOOST_REQUIRE(again.load(testing::bytes(host::compile_campaigns(doc))).ok());
  BOOST_REQUIRE(again.start(R"({"url": "https://shop.example/cart-b?ref=mail#top"})").ok());
  BOOST_TEST(target.navigations.empty());
}

BOOST_AUTO_TEST_CASE(a_redirect_without_keep_query_drops_the_query_and_fragment) {
  Json doc = patches(Json::array());
  doc["campaigns"].push_back(Json::parse(R"({
    "id": "layout", "type": "ab_test", "purpose": "technical",
    "pages": {"include": [{"match": "exact", "value": "/cart"}]},
    "variations": [{"id": "b", "weight": 1, "changes": [{"action": "redirect", "url": "https://other.example/c", "keep_query": false}]}]})"));
  Page page(doc);
  page.start("/cart?ref=mail#top");
  BOOST_TEST(page.host.navigations == std::vector<std::string>{"https://other.example/c"});
}

BOOST_AUTO_TEST_CASE(facts_before_the_page_started_are_errors_not_crashes) {
  FakeHost host;
  Engine engine(host);
  BOOST_TEST((engine.url_changed("/x").error().code == ErrorCode::kNotLoaded));
  BOOST_TEST((engine.timer_fired().error().code == ErrorCode::kNotLoaded));
  const std::uint32_t ids[] = {1};
  BOOST_TEST((engine.elements_appeared(ids).error().code == ErrorCode::kNotLoaded));
}

BOOST_AUTO_TEST_CASE(a_framework_writing_into_the_text_node_the_change_made_gets_the_change_again) {
  // React updates an element with one text child by setting that text node's data.
  Page page(patches(Json::array(
      {{{"id", "c"}, {"pages", {"/a"}}, {"changes", {change("set_text", {{"selector", "#t"}, {"value", "Vario"}})}}}})));
  page.start("/a");
  page.host.dom.page_set_data("#t", "Renamed by the framework");
  page.deliver();
  BOOST_TEST(page.host.dom.text_of("#t") == "Vario");
}
