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
#include "config/validate_changes.hpp"

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
    {"goal_click_without_selector.json", {{"/goals/0", "missing required field 'selector'"}}},
    {"goal_unknown_kind.json",
     {{"/goals/0/kind",
       "must be 'page_view', 'click', 'submit', 'custom' or 'transaction', got 'clik'; did you "
       "mean 'click'?"}}},
    {"goal_field_of_another_kind.json",
     {{"/goals/0/selector",
       "unknown field 'selector': a page_view goal takes 'id', 'kind', 'name' and 'pages'"}}},
    {"goal_page_view_without_rules.json",
     {{"/goals/0/pages/include",
       "must have at least one rule: a goal without one counts no page view"}}},
    {"goal_duplicate_ids.json", {{"/goals/1/id", "goal id 'signup' is already used by /goals/0"}}},
    {"goal_bad_selector.json",
     {{"/goals/0/selector", "is not a valid CSS selector: '[' is never closed"}}},
    {"event_query_parameter_bad_name.json",
     {{"/events/query_parameters/1",
       "is not a query parameter name as written in a URL: ' ' (character 4) is not allowed"}}},
    {"event_settings_unknown_field.json",
     {{"/events/query_parameter",
       "unknown field 'query_parameter'; did you mean 'query_parameters'?"}}},
    {"http_collector_to_remote_host.json",
     {{"/collector", "uses plain http to 'collector.example.com': events are sent over https"}}},
    {"unknown_action.json",
     {{"/campaigns/0/variations/1/changes/0/action",
       "unknown action 'set_htlm'; did you mean 'set_html'?"}}},
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
    // The fields added to version 1 for targeting, scheduling and allocation, one check (or one
    // family of checks) per file.
    {"bots_unknown_value.json", {{"/bots", "must be 'exclude' or 'include', got 'block'"}}},
    {"attribute_built_in_name.json", {{"/attributes/device", "'device' is a built-in attribute"}}},
    {"attribute_bad_name.json",
     {{"/attributes/user id",
       "attribute name 'user id' may contain only letters a-z and A-Z, digits and '_'; ' ' "
       "(character 5)"}}},
    {"attribute_unknown_source.json",
     {{"/attributes/loyalty/source", "got 'cookies'; did you mean 'cookie'?"}}},
    {"attribute_cookie_without_name.json",
     {{"/attributes/loyalty", "missing required field 'name'"}}},
    {"attribute_bad_cookie_name.json",
     {{"/attributes/loyalty/name", "is not a cookie name: ';' (character 5) is not allowed"}}},
    {"attribute_bad_path.json",
     {{"/attributes/cart_value/path", "has an empty name between dots"}}},
    {"attribute_third_party_not_boolean.json",
     {{"/attributes/segment/third_party", "must be true or false, got string"}}},
    {"saved_group_bad_id.json",
     {{"/saved_groups/eu countries", "saved group id 'eu countries' may contain only letters"}}},
    {"saved_group_values_and_condition.json",
     {{"/saved_groups/eu", "must have either 'values' or 'condition', not both"}}},
    {"saved_group_without_values_or_condition.json",
     {{"/saved_groups/eu",
       "must have 'values' (a list of attribute values, for '$inGroup') or 'condition'"}}},
    {"saved_group_value_not_scalar.json",
     {{"/saved_groups/vips/values/1",
       "must be a string, number or boolean (an attribute value), got object"}}},
    {"saved_group_references.json",
     {{"/campaigns/0/audience/userId/$inGroup",
       "no saved group has the id 'stafff'; did you mean 'staff'?"},
      {"/campaigns/0/audience/language/$inGroup",
       "saved group 'eu' is a condition, not a list of values"},
      {"/campaigns/0/audience/$savedGroup",
       "saved group 'staff' is a list of values, not a condition"},
      {"/campaigns/0/audience/$and/0/$savedGroup", "no saved group has the id 'emea'"}}},
    {"saved_group_cycle.json",
     {{"/saved_groups/mobile-eu/condition/$and/1/$savedGroup",
       "closes a cycle of saved groups: eu -> mobile-eu -> eu"},
      {"/saved_groups/self/condition/$not/$savedGroup",
       "closes a cycle of saved groups: self -> self"}}},
    {"holdout_references.json",
     {{"/holdouts/0/campaigns/1",
       "no campaign has the id 'product-headlin'; did you mean 'product-headline'?"},
      {"/holdouts/0/campaigns/2", "campaign 'typo-fix' is a patch, and patches are never held out"},
      {"/holdouts/1/id", "holdout id 'h1' is already used by /holdouts/0"}}},
    {"holdout_campaign_listed_twice.json",
     {{"/holdouts/0/campaigns/1",
       "campaign 'product-headline' is already listed at /holdouts/0/campaigns/0"}}},
    {"holdout_missing_traffic.json", {{"/holdouts/0", "missing required field 'traffic'"}}},
    {"holdout_empty_campaigns.json",
     {{"/holdouts/0/campaigns", "must name at least one campaign"}}},
    {"holdout_traffic_out_of_range.json",
     {{"/holdouts/0/traffic", "must be between 0 and 1, got 5"}}},
    {"preview_pem_key.json",
     {{"/preview/public_key", "must be only the base64 between the '-----BEGIN PUBLIC KEY-----'"}}},
    {"preview_not_p256_key.json",
     {{"/preview/public_key", "is not an ECDSA P-256 public key: it must be the 91-byte DER"}}},
    {"preview_key_off_curve.json", {{"/preview/public_key", "its point is not on the curve"}}},
    {"schedule_not_rfc3339.json",
     {{"/campaigns/0/start", "must be an RFC 3339 timestamp such as '2026-12-01T00:00:00Z'"}}},
    {"schedule_without_time_zone.json",
     {{"/campaigns/0/start", "has no time zone: add 'Z' for UTC"}}},
    {"schedule_impossible_date.json",
     {{"/campaigns/0/end", "is not a real date: February 2027 has 28 days"}}},
    {"schedule_end_before_start.json",
     {{"/campaigns/0/end", "must be later than start (2026-12-01T00:00:00Z)"}}},
    {"priority_out_of_range.json",
     {{"/campaigns/0/priority", "must be between -1000 and 1000, got 5000"}}},
    {"hash_unknown_scheme.json",
     {{"/campaigns/0/hash",
       "must be 'murmur3', 'fnv1a_v1' or 'fnv1a_v2', got 'murmur'; did you mean 'murmur3'?"}}},
    {"seed_empty.json",
     {{"/campaigns/0/seed", "must not be empty (leave the field out to use the campaign id)"}}},
    {"hash_attribute_not_hashable.json",
     {{"/campaigns/0/hash_attribute", "names 'query', whose value is an object"}}},
    {"hash_attribute_bad_name.json",
     {{"/campaigns/0/hash_attribute", "attribute name 'customer id' may contain only"}}},
    {"group_malformed.json",
     {{"/campaigns/0/group", "missing required field 'id'"},
      {"/campaigns/0/group/range/1", "must be between 0 and 1, got 1.5"}}},
    {"group_ranges.json",
     {{"/campaigns/1/group/range",
       "overlaps the range [0, 0.6] of campaign 'product-headline' (/campaigns/0) in group "
       "'checkout': a visitor between 0.5 and 0.6 would be in both"},
      {"/campaigns/2/group/range", "is empty: start (0.7) must be less than end (0.7)"}}},
    {"regex_page_rule.json",
     {{"/campaigns/0/pages/include/0/value", "is not a valid regular expression"}}},
    {"page_rule_param_without_query.json",
     {{"/campaigns/0/pages/include/0/param",
       "names a query parameter, so it needs \"on\": \"query\""}}},
    {"page_rule_unknown_part.json",
     {{"/campaigns/0/pages/include/0/on",
       "must be 'path', 'url', 'host', 'query' or 'hash', got 'domain'"}}},
    {"page_rule_host_with_scheme.json",
     {{"/campaigns/0/pages/include/0/value", "can never match: a host has no scheme or path"}}},
    {"page_rule_query_with_question_mark.json",
     {{"/campaigns/0/pages/include/0/value",
       "can never match: the query string is matched without its leading '?', as in "
       "'utm_source='"}}},
    {"page_rule_hash_with_number_sign.json",
     {{"/campaigns/0/pages/include/0/value",
       "can never match: the fragment is matched without its leading '#', as in 'reviews'"}}},
    {"page_rule_url_without_scheme.json",
     {{"/campaigns/0/pages/include/0/value",
       "can never match: page URLs start with 'https://' or 'http://'"}}},
    {"audience_not_object.json", {{"/campaigns/0/audience", "must be an object, got array"}}},
    {"condition_unknown_operator.json",
     {{"/campaigns/0/audience/language/$inn", "unknown operator '$inn'; did you mean '$in'?"}}},
    {"condition_unknown_logical_operator.json",
     {{"/campaigns/0/audience/$an", "unknown operator '$an'; did you mean '$and'?"}}},
    {"condition_operator_at_condition_level.json",
     {{"/campaigns/0/audience/$in",
       "operator '$in' applies to an attribute's value and cannot stand at condition level"}}},
    {"condition_combinator_among_operators.json",
     {{"/campaigns/0/audience/device/$or",
       "operator '$or' combines conditions and cannot stand among an attribute's operators"}}},
    {"condition_mixed_operators_and_fields.json",
     {{"/campaigns/0/audience/cart", "mixes operators ('$gt') with plain fields ('currency')"}}},
    {"condition_empty_attribute_name.json",
     {{"/campaigns/0/audience/", "an attribute name must not be empty"}}},
    {"condition_in_not_array.json",
     {{"/campaigns/0/audience/language/$in", "must be an array, got string"}}},
    {"condition_in_element_not_scalar.json",
     {{"/campaigns/0/audience/language/$nin/1",
       "must be a string, number, boolean or null, got an array"}}},
    {"condition_eq_not_scalar.json",
     {{"/campaigns/0/audience/tags/$eq",
       "must be a string, number, boolean or null, got an array: it is compared with JavaScript's "
       "==="}}},
    {"condition_compare_boolean.json",
     {{"/campaigns/0/audience/pageViews/$gt", "must be a number or a string, got boolean"}}},
    {"condition_exists_not_boolean.json",
     {{"/campaigns/0/audience/query.coupon/$exists", "must be true or false, got string"}}},
    {"condition_unknown_type.json",
     {{"/campaigns/0/audience/query/$type", "got 'strng'; did you mean 'string'?"}}},
    {"condition_size_not_number.json",
     {{"/campaigns/0/audience/tags/$size",
       "must be a number or an object of operators such as {\"$gt\": 0}, got string"}}},
    {"condition_logical_not_array.json",
     {{"/campaigns/0/audience/$or", "must be an array, got object"}}},
    {"condition_logical_empty.json",
     {{"/campaigns/0/audience/$and",
       "must hold at least one condition: an empty '$and' matches every visitor"}}},
    {"condition_not_not_object.json",
     {{"/campaigns/0/audience/$not", "must be an object, got string"}}},
    {"condition_elem_match_not_object.json",
     {{"/campaigns/0/audience/tags/$elemMatch", "must be an object, got string"}}},
    {"condition_version_not_string.json",
     {{"/campaigns/0/audience/browserVersion/$vgt",
       "must be a version, as a string such as '2.1.0', got an array"}}},
    {"condition_regex_invalid.json",
     {{"/campaigns/0/audience/path/$regex", "is not a valid regular expression"},
      {"/campaigns/0/audience/host/$regexi", "is not a valid regular expression"}}},
    {"condition_too_deep.json",
     {{"/campaigns/0/audience/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/"
       "$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/"
       "$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/"
       "$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not/$not",
       "nests more than 64 levels of objects and arrays deep"}}},
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

// The change actions' refusals, one per file, each with its whole message: the `fragment` of
// these is the message.
const std::vector<Case> kChangeFiles = {
    {"change_unknown_field.json",
     {{"/campaigns/0/variations/1/changes/0/nmae", "unknown field 'nmae'; did you mean 'name'?"},
      {"/campaigns/0/variations/1/changes/1/name",
       "unknown field 'name': set_text takes 'selector' and 'value'"}}},
    {"change_missing_field.json",
     {{"/campaigns/0/variations/1/changes/0", "missing required field 'position'"}}},
    {"set_attribute_event_handler.json",
     {{"/campaigns/0/variations/1/changes/0/name",
       "'onclick' is an event handler attribute: event handlers are script, and Vario never runs "
       "script"}}},
    {"set_attribute_style.json",
     {{"/campaigns/0/variations/1/changes/0/name",
       "'style' is set one property at a time with set_style (a strict Content-Security-Policy "
       "blocks style attributes)"}}},
    {"set_attribute_class.json",
     {{"/campaigns/0/variations/1/changes/0/name",
       "'class' is changed with add_class and remove_class, which keep the classes the page sets "
       "itself"}}},
    {"set_attribute_bad_name.json",
     {{"/campaigns/0/variations/1/changes/0/name",
       "is not a valid attribute name: ' ' (character 5) is not allowed in a name (letters, "
       "digits, '-', '_', '.' and ':', starting with a letter, '_' or ':')"}}},
    {"set_attribute_script_url.json",
     {{"/campaigns/0/variations/1/changes/0/value",
       "is a javascript: URL, in the href attribute: Vario never runs script"}}},
    {"set_attribute_srcdoc.json",
     {{"/campaigns/0/variations/1/changes/0/name",
       "'srcdoc' holds a document of its own, which could run script: Vario never runs script"}}},
    {"add_class_with_dot.json",
     {{"/campaigns/0/variations/1/changes/0/value",
       "class names are written without the '.' of a selector: 'highlight', not '.highlight'"}}},
    {"remove_class_empty.json",
     {{"/campaigns/0/variations/1/changes/0/value", "must name at least one class"}}},
    {"set_style_unknown_property.json",
     {{"/campaigns/0/variations/1/changes/0/name",
       "unknown CSS property 'colr'; did you mean 'color'?"},
      {"/campaigns/0/variations/1/changes/1/name",
       "unknown CSS property 'backgroundColor': CSS writes it 'background-color'"}}},
    {"set_style_two_declarations.json",
     {{"/campaigns/0/variations/1/changes/0/value",
       "must be one CSS value: ';' (character 5) would end the declaration; set each property with "
       "a set_style change of its own"}}},
    {"set_style_script_url.json",
     {{"/campaigns/0/variations/1/changes/0/value",
       "has a javascript: URL at character 1: Vario never runs script"}}},
    {"insert_html_unknown_position.json",
     {{"/campaigns/0/variations/1/changes/0/position",
       "must be 'before', 'after', 'prepend' or 'append', got 'apend'; did you mean 'append'?"}}},
    {"move_target_is_selector.json",
     {{"/campaigns/0/variations/1/changes/0/target",
       "is the selector itself: a move whose target is the element itself has nowhere to go"}}},
    {"add_css_with_selector.json",
     {{"/campaigns/0/variations/1/changes/0/selector",
       "unknown field 'selector': add_css takes only 'value', and no selector: its stylesheet "
       "applies to the whole page"}}},
    {"add_css_closing_style_tag.json",
     {{"/campaigns/0/variations/1/changes/0/value",
       "has '</style' at character 24: it would end the <style> element a stylesheet may be "
       "written into"}}},
    {"add_css_script_import.json",
     {{"/campaigns/0/variations/1/changes/0/value",
       "has a javascript: URL at character 1: Vario never runs script"}}},
    {"add_css_expression.json",
     {{"/campaigns/0/variations/1/changes/0/value",
       "uses expression() at character 17: it runs script (in old Internet Explorer), and Vario "
       "never runs script"}}},
    {"redirect_bad_url.json",
     {{"/campaigns/0/variations/1/changes/0/url",
       "must be a path starting with '/' or an absolute URL starting with 'https://' or 'http://', "
       "got 'www.demo-shop.example/product-b'"}}},
    {"redirect_with_other_changes.json",
     {{"/campaigns/0/variations/1/changes/1",
       "would never be seen: the variation redirects (changes/0), so the visitor leaves the page "
       "before it applies"}}},
    {"redirect_twice.json",
     {{"/campaigns/0/variations/1/changes/1",
       "is a second redirect: a variation redirects at most once, and changes/0 already does"}}},
    {"redirect_to_own_page.json",
     {{"/campaigns/0/variations/1/changes/0/url",
       "leads to a page of its own campaign (include rule /campaigns/0/pages/include/0 matches "
       "it): visitors would be redirected again on arrival"}}},
    {"redirect_loop.json",
     {{"/campaigns/0/variations/1/changes/0/url",
       "redirects in a loop between campaigns: winter-offer -> spring-offer -> winter-offer: each "
       "sends visitors to a page of the next, so they would be redirected on and on"},
      {"/campaigns/1/variations/1/changes/0/url",
       "redirects in a loop between campaigns: spring-offer -> winter-offer -> spring-offer: each "
       "sends visitors to a page of the next, so they would be redirected on and on"}}},
    {"hydration_roots_bad_selector.json",
     {{"/hydration_roots/1", "is not a valid CSS selector: '[' is never closed (at character 4)"},
      {"/hydration_roots/2", "is already listed at /hydration_roots/0"}}},
    {"html_script.json",
     {{"/campaigns/0/variations/1/changes/0/value",
       "HTML carries a <script> element at character 12: Vario never runs script"}}},
    {"html_event_handler.json",
     {{"/campaigns/0/variations/1/changes/0/value",
       "HTML carries an onload attribute (on <img>) at character 23: event handlers are script, "
       "and Vario never runs script"}}},
    {"html_script_url.json",
     {{"/campaigns/0/variations/1/changes/0/value",
       "HTML carries a javascript: URL in the href attribute of <a> at character 4: Vario never "
       "runs script"}}},
    {"html_loading_element.json",
     {{"/campaigns/0/variations/1/changes/0/value",
       "HTML carries an <iframe> element at character 1: it loads and runs content of its own, "
       "which Vario does not put into pages"}}},
    {"html_inline_style.json",
     {{"/campaigns/0/variations/1/changes/0/value",
       "HTML carries a style attribute (on <span>) at character 7: a strict "
       "Content-Security-Policy blocks inline styles; use set_style or add_css"}}},
    {"html_form_script_action.json",
     {{"/campaigns/0/variations/1/changes/0/value",
       "HTML carries a javascript: URL in the action attribute of <form> at character 7: Vario "
       "never runs script"}}},
    {"html_markup_in_textarea.json",
     {{"/campaigns/0/variations/1/changes/0/value",
       "HTML has '<' inside <textarea> at character 23: write it as &lt;, since whether it starts "
       "a tag there depends on where the HTML lands"}}},
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

// The fixture's diagnostics are exactly the case's, in order; `whole`: each message is the
// case's text itself, not just a part of it.
void expect_fixture_diagnostics(const Case& c, bool whole) {
  BOOST_TEST_CONTEXT("fixture " << c.file) {
    const auto found = validate_campaigns_text(
        read_file(source_dir() / "tests" / "fixtures" / "invalid" / c.file));
    BOOST_TEST_REQUIRE(found.size() == c.diagnostics.size(), "found:" << listed(found));
    for (std::size_t i = 0; i < found.size(); ++i) {
      BOOST_TEST(found[i].pointer == c.diagnostics[i].pointer, "found:" << listed(found));
      if (whole)
        BOOST_TEST(found[i].message == c.diagnostics[i].fragment);
      else
        BOOST_TEST(found[i].message.find(c.diagnostics[i].fragment) != std::string::npos,
                   "'" << found[i].message << "' lacks '" << c.diagnostics[i].fragment << "'");
    }
  }
}

BOOST_AUTO_TEST_CASE(each_invalid_fixture_gives_exactly_its_expected_diagnostics_in_order) {
  for (const Case& c : kInvalidFiles) expect_fixture_diagnostics(c, false);
}

BOOST_AUTO_TEST_CASE(each_change_fixture_gives_exactly_its_located_messages) {
  for (const Case& c : kChangeFiles) expect_fixture_diagnostics(c, true);
}

BOOST_AUTO_TEST_CASE(every_fixture_in_the_invalid_folder_is_in_a_table) {
  for (const auto& entry :
       std::filesystem::directory_iterator(source_dir() / "tests" / "fixtures" / "invalid")) {
    const std::string name = entry.path().filename().string();
    const auto in = [&](const std::vector<Case>& table) {
      return std::any_of(table.begin(), table.end(), [&](const Case& c) { return c.file == name; });
    };
    BOOST_TEST((in(kInvalidFiles) || in(kChangeFiles)),
               name << " has no expected diagnostics in a table");
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

// The text of every ```json block of a Markdown page, in order.
std::vector<std::string> json_blocks(const std::string& markdown) {
  std::vector<std::string> out;
  for (std::size_t start = markdown.find("```json\n"); start != std::string::npos;
       start = markdown.find("```json\n", start + 1)) {
    const std::size_t end = markdown.find("```", start + 8);
    BOOST_TEST_REQUIRE(end != std::string::npos);
    out.push_back(markdown.substr(start + 8, end - start - 8));
  }
  return out;
}

// Every ```json block of docs/campaigns.md that is a whole campaigns file (it has "version");
// the others are fragments.
BOOST_AUTO_TEST_CASE(the_complete_examples_in_docs_campaigns_md_are_valid) {
  std::size_t complete = 0;
  for (const std::string& block : json_blocks(read_file(source_dir() / "docs" / "campaigns.md"))) {
    const auto parsed = nlohmann::json::parse(block, nullptr, false);
    if (!parsed.is_object() || !parsed.contains("version")) continue;
    ++complete;
    const auto found = validate_campaigns_text(block);
    BOOST_TEST(found.empty(), "found:" << listed(found) << "\nin:\n" << block.substr(0, 200));
  }
  BOOST_TEST(complete >= 1u, "docs/campaigns.md has no complete ```json example");
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

// `found` is exactly the edit's diagnostic (or nothing, for an edit that keeps the file valid).
void expect_only_the_edits_diagnostic(const Edit& e, const std::vector<Diagnostic>& found) {
  if (e.fragment.empty()) {
    BOOST_TEST(found.empty(), "found:" << listed(found));
    return;
  }
  BOOST_TEST_REQUIRE(found.size() == 1u, "found:" << listed(found));
  BOOST_TEST(found[0].pointer == e.pointer);
  BOOST_TEST(found[0].message.find(e.fragment) != std::string::npos,
             "'" << found[0].message << "' lacks '" << e.fragment << "'");
}

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
       "must be 'exact', 'prefix', 'contains', 'glob' or 'regex', got 'suffix'"},
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
      expect_only_the_edits_diagnostic(e, validate_campaigns(doc));
    }
  }
}

BOOST_AUTO_TEST_CASE(an_unknown_action_reports_its_selector_too) {
  const auto found = validate_campaigns_text(R"({"version": 1, "account": "a", "campaigns": [
    {"id": "c", "type": "patch", "purpose": "technical",
     "pages": {"include": [{"match": "exact", "value": "/"}]},
     "variations": [{"id": "v", "weight": 1, "changes": [
       {"action": "hid", "selector": "h1["}]}]}]})");
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

BOOST_AUTO_TEST_CASE(every_fixture_in_the_valid_folder_has_no_diagnostics) {
  std::size_t count = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(source_dir() / "tests" / "fixtures" / "valid")) {
    BOOST_TEST_CONTEXT("fixture " << entry.path().filename().string()) {
      const auto found = validate_campaigns_text(read_file(entry.path()));
      BOOST_TEST(found.empty(), "found:" << listed(found));
      ++count;
    }
  }
  BOOST_TEST(count >= 4u);
}

// The fields added for targeting, scheduling and allocation, edited one at a time into a valid
// document that declares an attribute and has one saved group of each kind.
BOOST_AUTO_TEST_CASE(single_edits_of_the_new_fields_give_the_expected_diagnostic_or_none) {
  const nlohmann::json base = nlohmann::json::parse(R"({
    "version": 1, "account": "demo-shop",
    "attributes": {"customer_no": {"source": "cookie", "name": "cno"}},
    "saved_groups": {"vips": {"values": ["a", 1, true]},
                     "eu": {"condition": {"timeZone": {"$regex": "^Europe/"}}},
                     "broken": {}},
    "campaigns": [
      {"id": "c", "type": "ab_test", "purpose": "technical",
       "pages": {"include": [{"match": "prefix", "value": "/"}]},
       "variations": [{"id": "a", "weight": 0.5, "changes": []},
                      {"id": "b", "weight": 0.5, "changes": []}]},
      {"id": "d", "type": "personalization", "purpose": "technical",
       "pages": {"include": [{"match": "prefix", "value": "/"}]},
       "variations": [{"id": "a", "weight": 1, "changes": []}]}]})");
  using P = nlohmann::json::json_pointer;
  const auto j = [](std::string_view text) { return nlohmann::json::parse(text); };
  const std::vector<Edit> edits = {
      // consent
      {"a consent wait within bounds is allowed", P("/consent"), j(R"({"wait_ms": 800})"), "", ""},
      {"a consent wait beyond five seconds is refused", P("/consent"), j(R"({"wait_ms": 6000})"),
       "/consent/wait_ms", "must be between 0 and 5000, got 6000"},
      {"a TCF vendor id and cookie are allowed", P("/consent"),
       j(R"({"tcf": {"vendor_id": 1234, "cookie": "my-tc"}})"), "", ""},
      {"a TCF vendor id of 0 is refused", P("/consent"), j(R"({"tcf": {"vendor_id": 0}})"),
       "/consent/tcf/vendor_id", "must be between 1 and 65535, got 0"},
      {"an empty TCF cookie name is refused", P("/consent"), j(R"({"tcf": {"cookie": ""}})"),
       "/consent/tcf/cookie", "must not be empty"},
      {"a TCF cookie name with a separator is refused", P("/consent"),
       j(R"({"tcf": {"cookie": "eu;consent"}})"), "/consent/tcf/cookie",
       "is not a cookie name: ';' (character 3) is not allowed"},
      // schedule
      {"a fraction of a second and an offset are allowed", P("/campaigns/0/start"),
       "2026-12-01T08:30:00.250+01:00", "", ""},
      {"29 February of a leap year exists", P("/campaigns/0/start"), "2028-02-29T00:00:00Z", "",
       ""},
      {"a date alone is not a timestamp", P("/campaigns/0/start"), "2026-12-01",
       "/campaigns/0/start", "is a date without a time: write '2026-12-01T00:00:00Z'"},
      {"a lower-case 't' is refused, as the schema does", P("/campaigns/0/start"),
       "2026-12-01t00:00:00Z", "/campaigns/0/start", "must be an RFC 3339 timestamp"},
      {"hour 24 does not exist", P("/campaigns/0/end"), "2026-12-01T24:00:00Z", "/campaigns/0/end",
       "is not a real time"},
      {"a leap second is refused", P("/campaigns/0/end"), "2026-12-31T23:59:60Z",
       "/campaigns/0/end", "is not a real time"},
      {"an offset of 24 hours does not exist", P("/campaigns/0/end"), "2026-12-01T00:00:00+24:00",
       "/campaigns/0/end", "has an offset that does not exist: '+24:00'"},
      {"start and end compare as instants, not as text", P("/campaigns/0"),
       j(R"({"id": "c", "type": "patch", "purpose": "technical", "start":
             "2026-12-01T00:30:00+01:00", "end": "2026-12-01T00:00:00Z",
             "pages": {"include": [{"match": "prefix", "value": "/"}]},
             "variations": [{"id": "a", "weight": 1, "changes": []}]})"),
       "", ""},
      {"an end equal to the start", P("/campaigns/0"),
       j(R"({"id": "c", "type": "patch", "purpose": "technical", "start": "2026-12-01T00:00:00Z",
             "end": "2026-12-01T01:00:00+01:00",
             "pages": {"include": [{"match": "prefix", "value": "/"}]},
             "variations": [{"id": "a", "weight": 1, "changes": []}]})"),
       "/campaigns/0/end", "must be later than start (2026-12-01T00:00:00Z)"},
      // priority, hashing
      {"a fractional priority", P("/campaigns/0/priority"), 1.5, "/campaigns/0/priority",
       "must be an integer, got 1.5"},
      {"the lowest priority", P("/campaigns/0/priority"), -1000, "", ""},
      {"a seed of 201 characters", P("/campaigns/0/seed"), std::string(201, 's'),
       "/campaigns/0/seed", "is 201 characters long; at most 200 are allowed"},
      {"a declared attribute may be hashed", P("/campaigns/0/hash_attribute"), "customer_no", "",
       ""},
      {"an undeclared attribute may be pushed", P("/campaigns/0/hash_attribute"), "userId", "", ""},
      {"a built-in string attribute may be hashed", P("/campaigns/0/hash_attribute"), "language",
       "", ""},
      {"a boolean built-in cannot be hashed", P("/campaigns/0/hash_attribute"), "returning",
       "/campaigns/0/hash_attribute", "names 'returning', whose value is true or false"},
      {"an implausible name gets a suggestion", P("/campaigns/0/hash_attribute"), "customer-no",
       "/campaigns/0/hash_attribute",
       "'-' (character 9) is not allowed; did you mean 'customer_no'?"},
      {"an empty hash attribute", P("/campaigns/0/hash_attribute"), "",
       "/campaigns/0/hash_attribute", "must not be empty (leave the field out to hash the Vario"},
      // groups
      {"adjacent ranges of one group do not overlap", P("/campaigns/1/group"),
       j(R"({"id": "g", "range": [0.5, 1]})"), "", ""},
      {"a range of three numbers", P("/campaigns/0/group"),
       j(R"({"id": "g", "range": [0, 0.5, 1]})"), "/campaigns/0/group/range",
       "must be [start, end], two numbers from 0 to 1, got 3 elements"},
      // page rules
      {"a regex on the path need not start with '/'", P("/campaigns/0/pages/include/0"),
       j(R"({"match": "regex", "value": "product"})"), "", ""},
      {"a query parameter's value may start with '?'", P("/campaigns/0/pages/include/0"),
       j(R"({"match": "exact", "value": "?", "on": "query", "param": "q"})"), "", ""},
      {"a glob on the URL may start with a wildcard", P("/campaigns/0/pages/include/0"),
       j(R"({"match": "glob", "value": "*://shop.example/*", "on": "url"})"), "", ""},
      {"a param with on=url", P("/campaigns/0/pages/include/0"),
       j(R"({"match": "contains", "value": "x", "on": "url", "param": "q"})"),
       "/campaigns/0/pages/include/0/param", "needs \"on\": \"query\", not 'url'"},
      {"an upper-case host can never match", P("/campaigns/0/pages/include/0"),
       j(R"({"match": "exact", "value": "Shop.example", "on": "host"})"),
       "/campaigns/0/pages/include/0/value", "host names in URLs are lowercase"},
      {"a query string cannot hold the fragment", P("/campaigns/0/pages/include/0"),
       j(R"({"match": "contains", "value": "a=1#top", "on": "query"})"),
       "/campaigns/0/pages/include/0/value", "the query string ends before the fragment"},
      {"the path checks point to the other parts of the URL", P("/campaigns/0/pages/include/0"),
       j(R"({"match": "prefix", "value": "/search?q=", "on": "path"})"),
       "/campaigns/0/pages/include/0/value", "match those with \"on\": \"query\""},
      // conditions and saved groups
      {"an attribute compared with a literal object", P("/campaigns/0/audience"),
       j(R"({"query": {"utm_source": "mail"}, "tags": [], "x": {}})"), "", ""},
      {"$inGroup with a value group", P("/campaigns/0/audience"),
       j(R"({"userId": {"$inGroup": "vips"}, "$savedGroup": "eu"})"), "", ""},
      {"a reference to a broken group is not reported again", P("/campaigns/0/audience"),
       j(R"({"userId": {"$notInGroup": "broken"}})"), "/saved_groups/broken", "must have 'values'"},
      {"an unknown operator inside $elemMatch", P("/campaigns/0/audience"),
       j(R"({"items": {"$elemMatch": {"$gte": 1, "$lt": 5, "$foo": 1}}})"),
       "/campaigns/0/audience/items/$elemMatch/$foo", "unknown operator '$foo'"},
      {"a condition inside $elemMatch is checked as one", P("/campaigns/0/audience"),
       j(R"({"items": {"$elemMatch": {"sku": {"$in": "A"}}}})"),
       "/campaigns/0/audience/items/$elemMatch/sku/$in", "must be an array, got string"},
      {"operators inside $all are checked", P("/campaigns/0/audience"),
       j(R"({"tags": {"$all": ["a", {"$regx": "b"}]}})"), "/campaigns/0/audience/tags/$all/1/$regx",
       "unknown operator '$regx'; did you mean '$regex'?"},
      {"operators inside $not are checked", P("/campaigns/0/audience"),
       j(R"({"tags": {"$not": {"$size": {"$gte": "x", "$lt": []}}}})"),
       "/campaigns/0/audience/tags/$not/$size/$lt", "must be a number or a string, got an array"},
      {"an empty $nor matches no visitor", P("/campaigns/0/audience"), j(R"({"$nor": []})"),
       "/campaigns/0/audience/$nor", "an empty '$nor' matches no visitor"},
      {"a semver operator with a number", P("/campaigns/0/audience"),
       j(R"({"browserVersion": {"$semverGte": 120}})"), "", ""},
      {"an unknown version operator", P("/campaigns/0/audience"),
       j(R"({"browserVersion": {"$vgtt": "1"}})"), "/campaigns/0/audience/browserVersion/$vgtt",
       "unknown operator '$vgtt'; did you mean '$vgt'?"},
      {"a condition 64 levels deep is allowed", P("/campaigns/0/audience"),
       [] {
         nlohmann::json c = {{"device", "mobile"}};
         for (int i = 0; i < 63; ++i) c = {{"$not", c}};
         return c;
       }(),
       "", ""},
      // top level
      {"bots may be included", P("/bots"), "include", "", ""},
      {"a declaration of a page variable", P("/attributes/plan"),
       j(R"({"source": "page_variable", "path": "app.user.plan", "third_party": false})"), "", ""},
      {"a pushed attribute has no path", P("/attributes/plan"),
       j(R"({"source": "pushed", "path": "x"})"), "/attributes/plan/path", "unknown field 'path'"},
      {"an attribute name cannot start with a digit", P("/attributes/1st_visit"),
       j(R"({"source": "pushed"})"), "/attributes/1st_visit",
       "attribute name '1st_visit' must not start with a digit"},
      {"a holdout of every campaign", P("/holdouts"), j(R"([{"id": "all", "traffic": 0.1}])"), "",
       ""},
      {"a key in base64url", P("/preview/public_key"),
       "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAElM_"
       "SmOpyNCsc2N2t0xB8qUzH9MV4ytFK6d9fLgdar1uR2mDFD55kqM7X"
       "L1yVikMu6OySoiuefGh2alB8zIdKNg==",
       "/preview/public_key", "is base64url, not base64"},
      {"a key cut short", P("/preview/public_key"), "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAElM/Sm",
       "/preview/public_key", "its length, 41, is not a multiple of 4"},
      {"a key whose last character sets unused bits", P("/preview/public_key"),
       "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAElM/"
       "SmOpyNCsc2N2t0xB8qUzH9MV4ytFK6d9fLgdar1uR2mDFD55kqM7X"
       "L1yVikMu6OySoiuefGh2alB8zIdKNh==",
       "/preview/public_key", "sets bits that no byte uses"},
  };
  for (const Edit& e : edits) {
    BOOST_TEST_CONTEXT(e.what) {
      nlohmann::json doc = base;
      doc[e.at] = e.value;
      // The base's broken group is reported in every document; only the edit's own diagnostic
      // is expected besides it.
      auto found = validate_campaigns(doc);
      std::erase_if(found, [&](const Diagnostic& d) {
        return d.pointer == "/saved_groups/broken" && e.pointer != "/saved_groups/broken";
      });
      expect_only_the_edits_diagnostic(e, found);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_key_repeated_inside_a_condition_is_reported) {
  const auto found = validate_campaigns_text(R"({"version": 1, "account": "a", "campaigns": [
    {"id": "c", "type": "patch", "purpose": "technical",
     "pages": {"include": [{"match": "exact", "value": "/"}]},
     "audience": {"$or": [{"device": {"$in": ["mobile"], "$in": ["tablet"]}}]},
     "variations": [{"id": "v", "weight": 1, "changes": []}]}]})");
  BOOST_TEST_REQUIRE(found.size() == 1u, "found:" << listed(found));
  BOOST_TEST(found[0].pointer == "/campaigns/0/audience/$or/0/device/$in");
  BOOST_TEST(found[0].message.find("appears more than once") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_cycle_is_reported_once_with_its_path_and_references_into_it_are_not) {
  const auto found = validate_campaigns_text(R"({"version": 1, "account": "a",
    "saved_groups": {
      "a": {"condition": {"$savedGroup": "b"}},
      "b": {"condition": {"$or": [{"x": 1}, {"$savedGroup": "c"}]}},
      "c": {"condition": {"$and": [{"$savedGroup": "a"}, {"$savedGroup": "d"}]}},
      "d": {"condition": {"y": 2}}},
    "campaigns": [{"id": "c", "type": "patch", "purpose": "technical",
      "pages": {"include": [{"match": "exact", "value": "/"}]},
      "audience": {"$savedGroup": "b"},
      "variations": [{"id": "v", "weight": 1, "changes": []}]}]})");
  BOOST_TEST_REQUIRE(found.size() == 1u, "found:" << listed(found));
  BOOST_TEST(found[0].pointer == "/saved_groups/c/condition/$and/0/$savedGroup");
  BOOST_TEST(found[0].message.find("a -> b -> c -> a") != std::string::npos, found[0].message);
}

BOOST_AUTO_TEST_CASE(an_audience_is_too_deep_when_its_saved_groups_inlined_make_it_so) {
  // A group 62 levels deep, under three levels of the audience: 65 once inlined.
  nlohmann::json deep = {{"device", "mobile"}};
  for (int i = 0; i < 61; ++i) deep = {{"$not", deep}};
  nlohmann::json doc = nlohmann::json::parse(R"({"version": 1, "account": "a",
    "campaigns": [{"id": "c", "type": "patch", "purpose": "technical",
      "pages": {"include": [{"match": "exact", "value": "/"}]},
      "audience": {"$and": [{"$not": {"$savedGroup": "outer"}}]},
      "variations": [{"id": "v", "weight": 1, "changes": []}]}]})");
  doc["saved_groups"]["deep"]["condition"] = deep;
  doc["saved_groups"]["outer"]["condition"] = {{"$savedGroup", "deep"}};
  auto found = validate_campaigns(doc);
  BOOST_TEST_REQUIRE(found.size() == 1u, "found:" << listed(found));
  BOOST_TEST(found[0].pointer == "/campaigns/0/audience");
  BOOST_TEST(found[0].message.find("nests 65 levels") != std::string::npos, found[0].message);
  // One level less is allowed.
  doc["campaigns"][0]["audience"] = nlohmann::json::parse(R"({"$not": {"$savedGroup": "outer"}})");
  found = validate_campaigns(doc);
  BOOST_TEST(found.empty(), "found:" << listed(found));
}

// One change edited into a valid campaign: the one message it gives, whole, or none.
BOOST_AUTO_TEST_CASE(single_changes_give_their_whole_located_message_or_none) {
  const nlohmann::json base = nlohmann::json::parse(R"j({
    "version": 1, "account": "demo-shop",
    "campaigns": [{"id": "c", "type": "ab_test", "purpose": "technical",
      "pages": {"include": [{"match": "prefix", "value": "/product"}]},
      "variations": [{"id": "a", "weight": 0.5, "changes": []},
                     {"id": "b", "weight": 0.5, "changes": [
                       {"action": "set_text", "selector": "h1", "value": "x"}]}]}]})j");
  const std::string at = "/campaigns/0/variations/1/changes/0";
  const auto j = [](std::string_view text) { return nlohmann::json::parse(text); };
  struct ChangeEdit {
    std::string_view what;
    nlohmann::json change;
    std::string pointer;  // empty with an empty message: the change is valid
    std::string message;
  };
  const std::vector<ChangeEdit> edits = {
      // each action at its smallest
      {"set_html may empty an element",
       j(R"j({"action": "set_html", "selector": "h1", "value": ""})j"), "", ""},
      {"set_attribute of an ARIA label",
       j(R"j({"action": "set_attribute", "selector": "a", "name": "aria-label", "value": "Buy"})j"),
       "", ""},
      {"set_attribute of an https link",
       j(R"j({"action": "set_attribute", "selector": "a", "name": "href", "value": "https://x.example/"})j"),
       "", ""},
      {"set_attribute of an SVG xlink:href",
       j(R"j({"action": "set_attribute", "selector": "use", "name": "xlink:href", "value": "#icon"})j"),
       "", ""},
      {"a script scheme in an attribute that holds no URL is text",
       j(R"j({"action": "set_attribute", "selector": "img", "name": "alt", "value": "javascript: the good parts"})j"),
       "", ""},
      {"remove_attribute may remove a handler or the class",
       j(R"j({"action": "remove_attribute", "selector": "a", "name": "onclick"})j"), "", ""},
      {"add_class with tabs and runs of spaces",
       j("{\"action\": \"add_class\", \"selector\": \"p\", \"value\": \"a\\tb   c w-1/2\"}"), "",
       ""},
      {"remove_class", j(R"j({"action": "remove_class", "selector": "p", "value": "hidden"})j"), "",
       ""},
      {"set_style with a spaced !important",
       j(R"j({"action": "set_style", "selector": "p", "name": "color", "value": "red ! important"})j"),
       "", ""},
      {"set_style of a custom property",
       j(R"j({"action": "set_style", "selector": "p", "name": "--brand-color", "value": "#c00"})j"),
       "", ""},
      {"set_style of a listed prefixed property",
       j(R"j({"action": "set_style", "selector": "p", "name": "-webkit-text-stroke", "value": "1px red"})j"),
       "", ""},
      {"insert_html before",
       j(R"j({"action": "insert_html", "selector": "p", "position": "before", "value": "<hr>"})j"),
       "", ""},
      {"move after another element",
       j(R"j({"action": "move", "selector": ".a", "target": ".b", "position": "after"})j"), "", ""},
      {"remove", j(R"j({"action": "remove", "selector": ".popup"})j"), "", ""},
      {"hide", j(R"j({"action": "hide", "selector": ".popup"})j"), "", ""},
      {"add_css importing a stylesheet over https",
       j(R"j({"action": "add_css", "value": "@import url(https://x.example/a.css);"})j"), "", ""},
      {"redirect to an absolute http URL, without the query",
       j(R"j({"action": "redirect", "url": "http://localhost:8080/b?x=1#top", "keep_query": false})j"),
       "", ""},
      // actions and fields
      {"an unknown action far from any", j(R"j({"action": "replace", "selector": "h1"})j"),
       at + "/action",
       "unknown action 'replace': it must be 'set_text', 'set_html', 'set_attribute', "
       "'remove_attribute', 'add_class', 'remove_class', 'set_style', 'insert_html', 'move', "
       "'remove', 'hide', 'add_css' or 'redirect'"},
      {"an action that is not a string", j(R"j({"action": 5, "selector": "h1"})j"), at + "/action",
       "must be a string, got number"},
      {"a field of another action", j(R"j({"action": "remove", "selector": "h1", "value": "x"})j"),
       at + "/value", "unknown field 'value': remove takes only 'selector'"},
      {"hide without a selector", j(R"j({"action": "hide"})j"), at,
       "missing required field 'selector'"},
      {"a redirect with a selector",
       j(R"j({"action": "redirect", "selector": "h1", "url": "/b"})j"), at + "/selector",
       "unknown field 'selector': redirect takes 'url' and 'keep_query', and no selector: it sends "
       "the visitor to another page"},
      // set_attribute
      {"an event handler in upper case",
       j(R"j({"action": "set_attribute", "selector": "a", "name": "ONCLICK", "value": "x()"})j"),
       at + "/name",
       "'ONCLICK' is an event handler attribute: event handlers are script, and Vario never runs "
       "script"},
      {"style in another case",
       j(R"j({"action": "set_attribute", "selector": "a", "name": "Style", "value": "x"})j"),
       at + "/name",
       "'style' is set one property at a time with set_style (a strict Content-Security-Policy "
       "blocks style attributes)"},
      {"an attribute name starting with a digit",
       j(R"j({"action": "set_attribute", "selector": "a", "name": "1x", "value": "x"})j"),
       at + "/name",
       "is not a valid attribute name: '1' (character 1) is not allowed first (letters, digits, "
       "'-', '_', '.' and ':', starting with a letter, '_' or ':')"},
      {"an empty attribute name",
       j(R"j({"action": "remove_attribute", "selector": "a", "name": ""})j"), at + "/name",
       "must not be empty"},
      {"a script URL with spaces and capitals",
       j(R"j({"action": "set_attribute", "selector": "button", "name": "formaction", "value": " JavaScript:x()"})j"),
       at + "/value", "is a javascript: URL, in the formaction attribute: Vario never runs script"},
      {"a data:text/html document",
       j(R"j({"action": "set_attribute", "selector": "img", "name": "SRC", "value": "data:text/html,<p>"})j"),
       at + "/value", "is a data:text/html URL, in the src attribute: Vario never runs script"},
      {"a value of 10,001 characters",
       {{"action", "set_attribute"},
        {"selector", "a"},
        {"name", "title"},
        {"value", std::string(10001, 'x')}},
       at + "/value",
       "is 10001 characters long; at most 10000 are allowed"},
      // set_style
      {"a prefixed standard property",
       j(R"j({"action": "set_style", "selector": "p", "name": "-webkit-transform", "value": "none"})j"),
       at + "/name", "unknown CSS property '-webkit-transform': use the standard 'transform'"},
      {"a custom property without a name",
       j(R"j({"action": "set_style", "selector": "p", "name": "--", "value": "1"})j"), at + "/name",
       "unknown CSS property '--': a custom property is '--' and a name of letters, digits, '-' "
       "and "
       "'_'"},
      {"only !important",
       j(R"j({"action": "set_style", "selector": "p", "name": "color", "value": "!important"})j"),
       at + "/value", "has only '!important': a value is needed before it"},
      {"an empty value",
       j(R"j({"action": "set_style", "selector": "p", "name": "color", "value": ""})j"),
       at + "/value", "must not be empty"},
      {"a brace",
       j(R"j({"action": "set_style", "selector": "p", "name": "color", "value": "red{"})j"),
       at + "/value", "must be one CSS value: '{' (character 4) is not allowed in a value"},
      // insert_html, move
      {"nothing to insert",
       j(R"j({"action": "insert_html", "selector": "p", "position": "after", "value": ""})j"),
       at + "/value", "must not be empty: there would be nothing to insert"},
      {"inserted HTML is checked",
       j(R"j({"action": "insert_html", "selector": "p", "position": "after", "value": "<svg onload=x()>"})j"),
       at + "/value",
       "HTML carries an onload attribute (on <svg>) at character 6: event handlers are script, and "
       "Vario never runs script"},
      {"a move's target is a selector",
       j(R"j({"action": "move", "selector": ".a", "target": ".b[", "position": "after"})j"),
       at + "/target", "is not a valid CSS selector: '[' is never closed (at character 3)"},
      // add_css
      {"an empty stylesheet", j(R"j({"action": "add_css", "value": " \n"})j"), at + "/value",
       "must not be empty"},
      {"a stylesheet of 50,001 characters",
       {{"action", "add_css"}, {"value", std::string(50001, ' ')}},
       at + "/value",
       "is 50001 characters long; at most 50000 are allowed"},
      // redirect
      {"a scheme-relative URL", j(R"j({"action": "redirect", "url": "//evil.example/x"})j"),
       at + "/url", "must not start with '//': write the scheme, as in 'https://evil.example/x'"},
      {"a URL without a host", j(R"j({"action": "redirect", "url": "https:///x"})j"), at + "/url",
       "has no host after 'https://'"},
      {"a URL with a password", j(R"j({"action": "redirect", "url": "https://u:p@x.example/"})j"),
       at + "/url", "must not contain a user name or password: the tag and its files are public"},
      {"a space in a URL", j(R"j({"action": "redirect", "url": "/a b"})j"), at + "/url",
       "must not contain spaces or control characters: ' ' (character 3) is one (write a space as "
       "%20)"},
      {"a script URL", j(R"j({"action": "redirect", "url": "javascript:alert(1)"})j"), at + "/url",
       "must be a path starting with '/' or an absolute URL starting with 'https://' or 'http://', "
       "got 'javascript:alert(1)'"},
      {"keep_query that is not a boolean",
       j(R"j({"action": "redirect", "url": "/b", "keep_query": "no"})j"), at + "/keep_query",
       "must be true or false, got string"},
  };
  for (const ChangeEdit& e : edits) {
    BOOST_TEST_CONTEXT(e.what) {
      nlohmann::json doc = base;
      doc[nlohmann::json::json_pointer(at)] = e.change;
      const auto found = validate_campaigns(doc);
      if (e.message.empty()) {
        BOOST_TEST(found.empty(), "found:" << listed(found));
        continue;
      }
      BOOST_TEST_REQUIRE(found.size() == 1u, "found:" << listed(found));
      BOOST_TEST(found[0].pointer == e.pointer);
      BOOST_TEST(found[0].message == e.message);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_variation_has_at_most_200_changes) {
  nlohmann::json doc = nlohmann::json::parse(R"j({"version": 1, "account": "a", "campaigns": [
    {"id": "c", "type": "patch", "purpose": "technical",
     "pages": {"include": [{"match": "exact", "value": "/"}]},
     "variations": [{"id": "v", "weight": 1, "changes": []}]}]})j");
  for (int i = 0; i < 201; ++i)
    doc["campaigns"][0]["variations"][0]["changes"].push_back(
        {{"action", "hide"}, {"selector", ".x"}});
  const auto found = validate_campaigns(doc);
  BOOST_TEST_REQUIRE(found.size() == 1u, "found:" << listed(found));
  BOOST_TEST(found[0].pointer == "/campaigns/0/variations/0/changes");
  BOOST_TEST(found[0].message == "has 201 changes; at most 200 are allowed");
}

namespace {

// A campaign on `pages` whose only variation redirects to `url`.
nlohmann::json redirecting(std::string_view id, std::string_view pages, std::string_view redirect) {
  return nlohmann::json::parse(R"j({"id": ")j" + std::string(id) +
                               R"j(", "type": "ab_test", "purpose": "technical", "pages": )j" +
                               std::string(pages) + R"j(, "variations": [{"id": "v", "weight": 1,
                               "changes": [)j" +
                               std::string(redirect) + "]}]}");
}

std::vector<Diagnostic> check_campaigns(const std::vector<nlohmann::json>& campaigns) {
  nlohmann::json doc = {{"version", 1}, {"account", "a"}, {"campaigns", campaigns}};
  return validate_campaigns(doc);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_redirect_onto_its_own_campaigns_pages_is_refused_only_when_certain) {
  const std::string at = "/campaigns/0/variations/0/changes/0/url";
  const std::string again = "): visitors would be redirected again on arrival";
  struct RedirectCase {
    std::string_view what, pages, redirect;
    std::string message;  // empty: accepted
  };
  const std::vector<RedirectCase> cases = {
      {"a glob that matches the target",
       R"j({"include": [{"match": "glob", "value": "/landing*"}]})j",
       R"j({"action": "redirect", "url": "/landing-b?x=1"})j",
       "leads to a page of its own campaign (include rule /campaigns/0/pages/include/0 matches "
       "it" +
           again},
      {"a regex that matches the target",
       R"j({"include": [{"match": "exact", "value": "/a"}, {"match": "regex", "value": "^/b"}]})j",
       R"j({"action": "redirect", "url": "/b"})j",
       "leads to a page of its own campaign (include rule /campaigns/0/pages/include/1 matches "
       "it" +
           again},
      {"an absolute URL on a host the campaign includes",
       R"j({"include": [{"match": "exact", "value": "shop.example", "on": "host"}]})j",
       R"j({"action": "redirect", "url": "https://shop.example:8443/other"})j",
       "leads to a page of its own campaign (include rule /campaigns/0/pages/include/0 matches "
       "it" +
           again},
      {"a relative URL when every include rule is on the host",
       R"j({"include": [{"match": "exact", "value": "shop.example", "on": "host"}]})j",
       R"j({"action": "redirect", "url": "/other"})j",
       "leads to a page of its own campaign (a relative URL stays on the host its include rules "
       "matched" +
           again},
      {"the query, known without keep_query",
       R"j({"include": [{"match": "exact", "value": "b", "on": "query", "param": "v"}]})j",
       R"j({"action": "redirect", "url": "/x?v=b", "keep_query": false})j",
       "leads to a page of its own campaign (include rule /campaigns/0/pages/include/0 matches "
       "it" +
           again},
      {"a host rule excluding the page it leaves excludes a relative target too",
       R"j({"include": [{"match": "prefix", "value": "/"}], "exclude": [{"match": "exact", "value": "staging.example", "on": "host"}]})j",
       R"j({"action": "redirect", "url": "/b"})j",
       "leads to a page of its own campaign (include rule /campaigns/0/pages/include/0 matches "
       "it" +
           again},
      {"a target the exclude rules take out",
       R"j({"include": [{"match": "prefix", "value": "/landing"}],
         "exclude": [{"match": "exact", "value": "/landing-b"}]})j",
       R"j({"action": "redirect", "url": "/landing-b"})j", ""},
      {"a target on another host when the campaign names its host",
       R"j({"include": [{"match": "exact", "value": "shop.example", "on": "host"}]})j",
       R"j({"action": "redirect", "url": "https://offers.example/"})j", ""},
      {"the query carried over is not known",
       R"j({"include": [{"match": "exact", "value": "b", "on": "query", "param": "v"}]})j",
       R"j({"action": "redirect", "url": "/x?v=b"})j", ""},
      {"an exclude rule on the query carried over keeps it from being certain",
       R"j({"include": [{"match": "prefix", "value": "/"}], "exclude": [{"match": "contains", "value": "seen", "on": "query"}]})j",
       R"j({"action": "redirect", "url": "/b"})j", ""},
  };
  for (const RedirectCase& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const auto found = check_campaigns({redirecting("c", c.pages, c.redirect)});
      if (c.message.empty()) {
        BOOST_TEST(found.empty(), "found:" << listed(found));
        continue;
      }
      BOOST_TEST_REQUIRE(found.size() == 1u, "found:" << listed(found));
      BOOST_TEST(found[0].pointer == at);
      BOOST_TEST(found[0].message == c.message);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_loop_of_redirects_is_named_at_each_running_campaign_in_it) {
  const auto page = [](std::string_view path) {
    return R"j({"include": [{"match": "exact", "value": ")j" + std::string(path) + R"j("}]})j";
  };
  const auto to = [](std::string_view url) {
    return R"j({"action": "redirect", "url": ")j" + std::string(url) + R"j("})j";
  };
  const std::string loop = "redirects in a loop between campaigns: ";
  const std::string tail =
      ": each sends visitors to a page of the next, so they would be redirected on and on";
  auto found = check_campaigns({redirecting("a", page("/a"), to("/b")),
                                redirecting("b", page("/b"), to("/c")),
                                redirecting("c", page("/c"), to("https://x.example/a")),
                                redirecting("d", page("/d"), to("/a"))});
  BOOST_TEST_REQUIRE(found.size() == 3u, "found:" << listed(found));
  BOOST_TEST(found[0].pointer == "/campaigns/0/variations/0/changes/0/url");
  BOOST_TEST(found[0].message == loop + "a -> b -> c -> a" + tail);
  BOOST_TEST(found[1].message == loop + "b -> c -> a -> b" + tail);
  BOOST_TEST(found[2].pointer == "/campaigns/2/variations/0/changes/0/url");
  BOOST_TEST(found[2].message == loop + "c -> a -> b -> c" + tail);

  // A paused campaign sends nobody anywhere; an excluded target breaks the chain.
  auto paused = redirecting("b", page("/b"), to("/a"));
  paused["status"] = "paused";
  found = check_campaigns({redirecting("a", page("/a"), to("/b")), paused});
  BOOST_TEST(found.empty(), "found:" << listed(found));
  auto excluding = redirecting(
      "b",
      R"j({"include": [{"match": "prefix", "value": "/b"}], "exclude": [{"match": "exact", "value": "/b"}]})j",
      to("/a"));
  found = check_campaigns({redirecting("a", page("/a"), to("/b")), excluding});
  BOOST_TEST(found.empty(), "found:" << listed(found));
}

BOOST_AUTO_TEST_CASE(hydration_roots_are_a_list_of_selectors) {
  nlohmann::json doc = nlohmann::json::parse(R"j({"version": 1, "account": "a", "campaigns": [],
    "hydration_roots": ["#app", "main > [data-hydrate]"]})j");
  BOOST_TEST(validate_campaigns(doc).empty());
  doc["hydration_roots"] = "#app";
  const auto found = validate_campaigns(doc);
  BOOST_TEST_REQUIRE(found.size() == 1u, "found:" << listed(found));
  BOOST_TEST(found[0].pointer == "/hydration_roots");
  BOOST_TEST(found[0].message == "must be an array, got string");
}

// Each action has its section in docs/changes.md, and each of its examples is a valid change.
BOOST_AUTO_TEST_CASE(every_change_example_in_docs_changes_md_is_valid) {
  const std::string doc = read_file(source_dir() / "docs" / "changes.md");
  for (std::string_view action : vario::host::validation::change_actions())
    BOOST_TEST(doc.find("### `" + std::string(action) + "`") != std::string::npos,
               "docs/changes.md has no section for " << action);
  std::size_t examples = 0;
  for (const std::string& block : json_blocks(doc)) {
    const auto change = nlohmann::json::parse(block, nullptr, false);
    if (!change.is_object() || !change.contains("action")) continue;
    ++examples;
    nlohmann::json file = nlohmann::json::parse(R"j({"version": 1, "account": "a", "campaigns": [
      {"id": "c", "type": "patch", "purpose": "technical",
       "pages": {"include": [{"match": "exact", "value": "/"}]},
       "variations": [{"id": "v", "weight": 1, "changes": []}]}]})j");
    file["campaigns"][0]["variations"][0]["changes"].push_back(change);
    const auto found = validate_campaigns(file);
    BOOST_TEST(found.empty(), "found:" << listed(found) << "\nin:\n" << block);
  }
  BOOST_TEST(examples >= vario::host::validation::change_actions().size());
}

BOOST_AUTO_TEST_CASE(nesting_deeper_than_68_levels_is_refused_at_its_line_and_column_unparsed) {
  // The root object is level 1, so the 68th bracket opens level 69, at column 75 of line 2.
  const std::string text = "{\n  \"x\": " + std::string(68, '[') + std::string(68, ']') + "}";
  const auto found = validate_campaigns_text(text);
  BOOST_TEST_REQUIRE(found.size() == 1u, "found:" << listed(found));
  BOOST_TEST(found[0].pointer == "");
  BOOST_TEST(found[0].message ==
             "JSON at line 2, column 75: nested deeper than 68 levels of arrays and objects");
}

BOOST_AUTO_TEST_CASE(brackets_inside_strings_do_not_count_toward_the_depth) {
  // Quotes escaped inside a string do not end it, so its brackets stay uncounted.
  const std::string brackets = "\\\"" + std::string(100, '[') + "\\\\";
  const auto found = validate_campaigns_text(
      R"({"version": 1, "account": "demo-shop", "campaigns": [], "x": ")" + brackets + R"("})");
  BOOST_TEST_REQUIRE(found.size() == 1u, "found:" << listed(found));
  BOOST_TEST(found[0].pointer == "/x");
}

BOOST_AUTO_TEST_CASE(a_file_of_mistakes_reports_the_first_hundred_and_how_many_more_there_are) {
  std::string text = R"({"version": 1, "account": "demo-shop", "campaigns": [)";
  for (int i = 0; i < 1000; ++i) text += std::string(i ? "," : "") + R"({"x": 1, "x": 2})";
  text += "]}";
  const auto found = validate_campaigns_text(text);
  BOOST_TEST_REQUIRE(found.size() == vario::host::kMaxDiagnostics + 1);
  // Each campaign: five required fields missing, and "x" repeated and unknown.
  BOOST_TEST(found[0].pointer == "/campaigns/0");
  BOOST_TEST(found[0].message == "missing required field 'id'");
  BOOST_TEST(found.back().pointer == "");
  BOOST_TEST(found.back().message == "6900 more errors are not shown; fix these first");
  BOOST_TEST(validate_campaigns(nlohmann::json::parse(text)).size() ==
             vario::host::kMaxDiagnostics + 1);
}
