#define BOOST_TEST_MODULE config_validate
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "config/validate.hpp"

using vario::host::Diagnostic;
using vario::host::format_diagnostic;
using vario::host::validate_campaigns;
using vario::host::validate_campaigns_text;

namespace {

std::filesystem::path source_dir() {
  if (const char* dir = std::getenv("VARIO_SOURCE_DIR")) return dir;
  // Run by hand, outside ctest: this file is tests/native-host/config_validate_test.cpp.
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  BOOST_TEST_REQUIRE(in.good(), path.string() << " cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string listed(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += "\n  " + format_diagnostic(d);
  return out.empty() ? " (none)" : out;
}

struct Expected {
  std::string_view pointer;
  std::string_view fragment;  // part of the message
};

struct Case {
  std::string_view file;              // in tests/fixtures/invalid/
  std::vector<Expected> diagnostics;  // all of them, in order
};

const std::vector<Case> kInvalidFiles = {
    {"unknown_field.json",
     {{"/campaigns/0/variations/1/wieght", "unknown field 'wieght'; did you mean 'weight'?"},
      {"/colour", "unknown field 'colour'"}}},
    {"weights_not_summing_to_1.json",
     {{"/campaigns/0/variations", "weights sum to 0.9, they must sum to 1"}}},
    {"bad_selector.json",
     {{"/campaigns/0/variations/1/changes/0/selector",
       "is not a valid CSS selector: '[' is never closed (at character 3)"}}},
    {"duplicate_campaign_ids.json",
     {{"/campaigns/2/id", "campaign id 'product-headline' is already used by /campaigns/0"}}},
    {"duplicate_variation_ids.json",
     {{"/campaigns/0/variations/1/id",
       "variation id 'control' is already used by /campaigns/0/variations/0"}}},
    {"wrong_type.json",
     {{"/campaigns/0/variations", "must be an array, got object"},
      {"/campaigns/0/traffic", "must be a number, got string"}}},
    {"missing_field.json",
     {{"/campaigns/0", "missing required field 'purpose'"},
      {"/campaigns/0", "missing required field 'variations'"}}},
    {"bad_account.json",
     {{"/account", "may contain only lowercase letters a-z, digits and '-'; 'D' (character 1)"}}},
    {"http_collector_to_remote_host.json",
     {{"/collector", "uses plain http to 'collector.example.com': events are sent over https"}}},
    {"unsupported_action.json",
     {{"/campaigns/0/variations/1/changes/0/action",
       "unknown action 'set_html': version 1 supports only 'set_text'"}}},
    {"regex_page_rule.json",
     {{"/campaigns/0/pages/include/0/match", "regex page rules are not supported in version 1"}}},
    {"traffic_out_of_range.json", {{"/campaigns/0/traffic", "must be between 0 and 1, got 1.5"}}},
    {"version_2.json", {{"/version", "version 2 is not supported: this vario reads version 1"}}},
    {"syntax_error.json",
     {{"", "invalid JSON at line 5, column 1: syntax error while parsing object key"}}},
    {"empty_include_list.json", {{"/campaigns/0/pages/include", "must have at least one rule"}}},
    {"repeated_key.json",
     {{"/campaigns/0/variations", "weights sum to 1.4"},
      {"/campaigns/0/variations/0/weight", "field 'weight' appears more than once"}}},
    {"pointer_escaping.json", {{"/campaigns/0/a~1b~0c", "unknown field 'a/b~c'"}}},
    {"not_an_object.json", {{"", "the campaigns file must be a JSON object, got array"}}},
    // Several problems, reported in the order the file reads (anti_flicker_ms comes last in the
    // text though it sorts first by key).
    {"many_errors.json",
     {{"/collector", "must not start with '//'"},
      {"/campaigns/0/id", "' ' (character 8) is not allowed"},
      {"/campaigns/0/type", "got 'ab-test'; did you mean 'ab_test'?"},
      {"/campaigns/0/status", "must be 'running', 'paused' or 'draft', got 'live'"},
      {"/campaigns/0/pages/include/0/value", "can never match: URL paths start with '/'"},
      {"/campaigns/0/pages/exclude/0/value", "can never match: rules see only the URL path"},
      {"/campaigns/0/variations/1/changes/0/selector",
       "an ID cannot start with a digit unless the digit is escaped"},
      {"/campaigns/0/variations/1/changes/0/value", "must be a string, got number"},
      {"/anti_flicker_ms", "must be between 0 and 5000, got 6000"}}},
};

// Every field of format version 1, each kind of campaign and page rule.
constexpr std::string_view kCompleteDocument = R"json({
  "$schema": "../docs/campaigns.schema.json",
  "version": 1,
  "account": "acme-2",
  "collector": "https://events.acme.example/v1/events",
  "consent": {"required": false},
  "anti_flicker_ms": 800,
  "campaigns": [
    {
      "id": "product-headline",
      "name": "Product page headline: lead with the benefit",
      "type": "ab_test",
      "purpose": "revenue",
      "status": "running",
      "pages": {
        "include": [{"match": "glob", "value": "/product*.html"},
                    {"match": "exact", "value": "/"}],
        "exclude": [{"match": "contains", "value": "/preview/"}]
      },
      "traffic": 0.5,
      "variations": [
        {"id": "control", "name": "Product name", "weight": 0.34, "changes": []},
        {"id": "benefit", "weight": 0.33, "changes": [
          {"action": "set_text", "selector": "h1#product-title", "value": "Pour-over in 4 minutes"}]},
        {"id": "Price_First", "weight": 0.33, "changes": [
          {"action": "set_text", "selector": "main .price:not([hidden]), a[href^=\"/cart\"]",
           "value": ""}]}
      ]
    },
    {
      "id": "typo-fix",
      "type": "patch",
      "purpose": "technical",
      "status": "paused",
      "pages": {"include": [{"match": "prefix", "value": "/"}]},
      "variations": [{"id": "fixed", "weight": 1, "changes": [
        {"action": "set_text", "selector": "footer > p:nth-child(2n+1)", "value": "© 2024 Acme"}]}]
    },
    {
      "id": "greeting",
      "type": "personalization",
      "purpose": "technical",
      "status": "draft",
      "pages": {"include": [{"match": "contains", "value": "account"}]},
      "traffic": 0,
      "variations": [{"id": "hello", "weight": 1.0, "changes": []}]
    }
  ]
})json";

}  // namespace

BOOST_AUTO_TEST_CASE(each_invalid_fixture_gives_exactly_its_expected_diagnostics_in_order) {
  for (const Case& c : kInvalidFiles) {
    BOOST_TEST_CONTEXT("fixture " << c.file) {
      const auto found = validate_campaigns_text(
          read_file(source_dir() / "tests" / "fixtures" / "invalid" / c.file));
      BOOST_TEST_REQUIRE(found.size() == c.diagnostics.size(), "found:" << listed(found));
      for (std::size_t i = 0; i < found.size(); ++i) {
        BOOST_TEST(found[i].pointer == c.diagnostics[i].pointer, "found:" << listed(found));
        BOOST_TEST(found[i].message.find(c.diagnostics[i].fragment) != std::string::npos,
                   "'" << found[i].message << "' lacks '" << c.diagnostics[i].fragment << "'");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(every_fixture_in_the_invalid_folder_is_in_the_table) {
  for (const auto& entry :
       std::filesystem::directory_iterator(source_dir() / "tests" / "fixtures" / "invalid")) {
    const std::string name = entry.path().filename().string();
    const bool listed_in_table = std::any_of(kInvalidFiles.begin(), kInvalidFiles.end(),
                                             [&](const Case& c) { return c.file == name; });
    BOOST_TEST(listed_in_table, name << " has no expected diagnostics in the table");
  }
}

BOOST_AUTO_TEST_CASE(a_complete_valid_document_has_no_diagnostics) {
  const auto found = validate_campaigns_text(kCompleteDocument);
  BOOST_TEST(found.empty(), "found:" << listed(found));
}

BOOST_AUTO_TEST_CASE(the_shop_example_campaigns_file_is_valid) {
  const auto path = source_dir() / "examples" / "shop" / "campaigns.json";
  BOOST_TEST_REQUIRE(std::filesystem::exists(path), path.string() << " does not exist");
  const auto found = validate_campaigns_text(read_file(path));
  BOOST_TEST(found.empty(), "found:" << listed(found));
}

BOOST_AUTO_TEST_CASE(the_complete_example_in_docs_campaigns_md_is_valid) {
  const std::string doc = read_file(source_dir() / "docs" / "campaigns.md");
  const std::size_t start = doc.find("```json\n");
  BOOST_TEST_REQUIRE(start != std::string::npos, "docs/campaigns.md has no ```json example");
  const std::size_t end = doc.find("```", start + 8);
  BOOST_TEST_REQUIRE(end != std::string::npos);
  const auto found = validate_campaigns_text(doc.substr(start + 8, end - start - 8));
  BOOST_TEST(found.empty(), "found:" << listed(found));
}

BOOST_AUTO_TEST_CASE(format_diagnostic_prints_the_pointer_then_the_message) {
  const auto found = validate_campaigns_text(
      read_file(source_dir() / "tests" / "fixtures" / "invalid" / "bad_selector.json"));
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(format_diagnostic(found[0]) ==
             "/campaigns/0/variations/1/changes/0/selector: is not a valid CSS selector: '[' is "
             "never closed (at character 3)");
  BOOST_TEST(format_diagnostic({"", "invalid JSON at line 1, column 1: x"}) ==
             "invalid JSON at line 1, column 1: x");
}

// Small documents for rules the fixtures do not show, each checked through the parsed-document
// entry point: (what to change in a valid campaign, the one diagnostic expected, or none).
struct Edit {
  std::string_view what;
  nlohmann::json::json_pointer at;
  nlohmann::json value;
  std::string_view pointer;  // empty with an empty fragment: the edit keeps the file valid
  std::string_view fragment;
};

BOOST_AUTO_TEST_CASE(single_edits_give_the_expected_diagnostic_or_none) {
  const nlohmann::json base = nlohmann::json::parse(R"({
    "version": 1, "account": "demo-shop",
    "campaigns": [{"id": "c", "type": "ab_test", "purpose": "technical",
      "pages": {"include": [{"match": "prefix", "value": "/"}]},
      "variations": [{"id": "a", "weight": 0.5, "changes": []},
                     {"id": "b", "weight": 0.5, "changes": [
                       {"action": "set_text", "selector": "h1", "value": "x"}]}]}]})");
  using P = nlohmann::json::json_pointer;
  const std::vector<Edit> edits = {
      {"weights in thirds written to 7 places sum to 1 within the tolerance",
       P("/campaigns/0/variations"),
       nlohmann::json::parse(R"([{"id":"a","weight":0.3333333,"changes":[]},
                                 {"id":"b","weight":0.3333333,"changes":[]},
                                 {"id":"c","weight":0.3333334,"changes":[]}])"),
       "", ""},
      {"a sum just outside the tolerance shows enough digits",
       P("/campaigns/0/variations/1/weight"), 0.500002, "/campaigns/0/variations",
       "weights sum to 1.000002, they must sum to 1"},
      {"an integral float is an integer", P("/anti_flicker_ms"), 1500.0, "", ""},
      {"a fractional anti-flicker bound is not", P("/anti_flicker_ms"), 1.5, "/anti_flicker_ms",
       "must be an integer, got 1.5"},
      {"http to localhost is allowed", P("/collector"), "http://localhost:8080/v1/events", "", ""},
      {"http to [::1] is allowed", P("/collector"), "http://[::1]/v1/events", "", ""},
      {"http to a host that only starts with localhost is not", P("/collector"),
       "http://localhost.example.com/v1/events", "/collector", "uses plain http to"},
      {"credentials in the collector URL are refused", P("/collector"),
       "https://user:secret@events.example/v1", "/collector", "must not contain a user name"},
      {"an upper-case scheme is refused, as the engine compares in lower case", P("/collector"),
       "HTTPS://events.example/v1", "/collector", "must be a path starting with '/' or a URL"},
      {"the consent object accepts only 'required'", P("/consent"),
       nlohmann::json::parse(R"({"requird": false})"), "/consent/requird",
       "unknown field 'requird'; did you mean 'required'?"},
      {"consent.required must be a boolean", P("/consent"),
       nlohmann::json::parse(R"({"required": "yes"})"), "/consent/required",
       "must be true or false, got string"},
      {"an account may not start with '-'", P("/account"), "-shop", "/account",
       "must start with a lowercase letter or a digit"},
      {"an account of 65 characters is too long", P("/account"), std::string(65, 'a'), "/account",
       "is 65 characters long; at most 64 are allowed"},
      {"an empty campaign id", P("/campaigns/0/id"), "", "/campaigns/0/id", "must not be empty"},
      {"a non-ASCII id character is shown whole", P("/campaigns/0/id"), "café", "/campaigns/0/id",
       "'é' (character 4) is not allowed"},
      {"an unknown purpose", P("/campaigns/0/purpose"), "marketing", "/campaigns/0/purpose",
       "must be 'technical' or 'revenue', got 'marketing'"},
      {"no variations", P("/campaigns/0/variations"), nlohmann::json::array(),
       "/campaigns/0/variations", "must have at least one variation"},
      {"a negative weight, and no sum on top", P("/campaigns/0/variations/0/weight"), -0.5,
       "/campaigns/0/variations/0/weight", "must be between 0 and 1, got -0.5"},
      {"a change without an action", P("/campaigns/0/variations/1/changes/0"),
       nlohmann::json::parse(R"({"selector": "h1", "value": "x"})"),
       "/campaigns/0/variations/1/changes/0", "missing required field 'action'"},
      {"a change missing its value", P("/campaigns/0/variations/1/changes/0"),
       nlohmann::json::parse(R"({"action": "set_text", "selector": "h1"})"),
       "/campaigns/0/variations/1/changes/0", "missing required field 'value'"},
      {"a selector longer than 1024 characters", P("/campaigns/0/variations/1/changes/0/selector"),
       std::string(1025, 'a'), "/campaigns/0/variations/1/changes/0/selector",
       "is 1025 characters long; at most 1024 are allowed"},
      {"a full URL as a page rule", P("/campaigns/0/pages/include/0/value"),
       "https://shop.example/product.html", "/campaigns/0/pages/include/0/value",
       "must be a URL path such as '/product.html'"},
      {"a glob may start with a wildcard", P("/campaigns/0/pages/include/0"),
       nlohmann::json::parse(R"({"match": "glob", "value": "*/product.html"})"), "", ""},
      {"an unknown match kind", P("/campaigns/0/pages/include/0/match"), "suffix",
       "/campaigns/0/pages/include/0/match",
       "must be 'exact', 'prefix', 'contains' or 'glob', got 'suffix'"},
      {"a short unknown field gets no far-fetched suggestion", P("/campaigns/0/x"), 1,
       "/campaigns/0/x", "unknown field 'x'"},
      {"21 variations are too many", P("/campaigns/0/variations"),
       [] {
         nlohmann::json list = nlohmann::json::array();
         for (int i = 0; i < 21; ++i)
           list.push_back({{"id", "v" + std::to_string(i)},
                           {"weight", i == 0 ? 1 : 0},
                           {"changes", nlohmann::json::array()}});
         return list;
       }(),
       "/campaigns/0/variations", "has 21 variations; at most 20 are allowed"},
  };
  for (const Edit& e : edits) {
    BOOST_TEST_CONTEXT(e.what) {
      nlohmann::json doc = base;
      doc[e.at] = e.value;
      const auto found = validate_campaigns(doc);
      if (e.fragment.empty()) {
        BOOST_TEST(found.empty(), "found:" << listed(found));
        continue;
      }
      BOOST_TEST_REQUIRE(found.size() == 1u, "found:" << listed(found));
      BOOST_TEST(found[0].pointer == e.pointer);
      BOOST_TEST(found[0].message.find(e.fragment) != std::string::npos,
                 "'" << found[0].message << "' lacks '" << e.fragment << "'");
    }
  }
}

BOOST_AUTO_TEST_CASE(an_unknown_action_reports_its_selector_too) {
  const auto found = validate_campaigns_text(R"({"version": 1, "account": "a", "campaigns": [
    {"id": "c", "type": "patch", "purpose": "technical",
     "pages": {"include": [{"match": "exact", "value": "/"}]},
     "variations": [{"id": "v", "weight": 1, "changes": [
       {"action": "hide", "selector": "h1["}]}]}]})");
  BOOST_TEST_REQUIRE(found.size() == 2u, "found:" << listed(found));
  BOOST_TEST(found[0].pointer == "/campaigns/0/variations/0/changes/0/action");
  BOOST_TEST(found[1].pointer == "/campaigns/0/variations/0/changes/0/selector");
}

BOOST_AUTO_TEST_CASE(an_empty_text_is_a_syntax_error_at_line_1) {
  const auto found = validate_campaigns_text("");
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(found[0].pointer == "");
  BOOST_TEST(found[0].message.starts_with("invalid JSON at line 1, column 1"), found[0].message);
}
