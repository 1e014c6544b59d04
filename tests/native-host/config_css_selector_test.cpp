#define BOOST_TEST_MODULE config_css_selector
#include <boost/test/unit_test.hpp>
#include <string>
#include <string_view>

#include "config/css_selector.hpp"

using vario::host::check_css_selector;

namespace {

// What browsers accept in querySelectorAll().
constexpr std::string_view kValid[] = {
    "#product-title",
    "h1.product-title",
    "a[href^=\"/cart\"]",
    "ul > li:nth-child(2n+1)",
    ".a, .b",
    ":not(.x)",
    "div:has(> img)",
    "[data-x=\"a\\\"b\"]",
    "*",
    "div",
    "DIV.Upper#Mixed",
    ".a.b.c",
    "div p span",
    "div>p+span~em",
    "div > p + span ~ em",
    "[data-id]",
    "[ data-id = 'x' i ]",
    "input[type=text I]",
    "[lang|=en]",
    "[class~=big]",
    "[href$='.pdf'][href*=docs]",
    "a:hover::before",
    "p::first-line",
    "p:first-letter",
    "li:nth-child(odd)",
    "li:nth-child(EVEN)",
    "li:nth-child(-n+3)",
    "li:nth-child(+n)",
    "li:nth-child(2n - 1)",
    "li:nth-child(2n- 1)",
    "li:nth-child(n-2)",
    "li:nth-child(3)",
    "li:nth-last-child(2n+1 of .item)",
    "p:nth-of-type(2)",
    ":is(h1, h2) > a:where(.x, [y])",
    "section:has(+ aside, > h2.title)",
    ":not(:first-child):not([hidden])",
    "#\\31 23",
    ".a\\:b",
    ".\\31 0",
    ".café #日本 .\\1F600",
    "*|* , |p",
    "div /* a comment */ p",
    ":lang(fr-CA)",
    ":dir(rtl)",
    "::part(label icon):hover",
    "::before::marker",
    "input::-webkit-input-placeholder",
    "li:nth-child(2N+1)",
    "a:any-link:focus-visible",
    "::part(thumb):hover",
    "::-webkit-scrollbar-thumb:horizontal",
    ":-webkit-any(h1, h2)",
    ":host-context(.dark) p",
};

struct Invalid {
  std::string_view selector;
  std::string_view reason;  // a fragment of the message
};

constexpr Invalid kInvalid[] = {
    {"", "the selector is empty"},
    {"   ", "the selector is empty"},
    {"#", "expected an ID name after '#' (at character 1)"},
    {".", "expected a class name after '.' (at the end)"},
    {"div >", "expected a selector after '>' (at the end)"},
    {"> div", "cannot start with the combinator '>'"},
    {"a,,b", "expected a selector between two commas (at character 3)"},
    {"a,", "expected a selector after ','"},
    {",a", "expected a selector before ','"},
    {"[x", "'[' is never closed (at character 1)"},
    {"[x=]", "expected a value after '=' (at character 4)"},
    {"[x=1]", "must be quoted"},
    {"[x=\"a\" q]", "unknown attribute flag 'q'"},
    {"a:nth-child(", "':nth-child(' is never closed (at character 2)"},
    {"a:nth-child(2n+)", "expected an An+B expression"},
    {"a:nth-child(+ n)", "expected an An+B expression"},
    {"a:nth-child(2n+-1)", "expected an An+B expression"},
    {"a:nth-child(1.5)", "expected an An+B expression"},
    {":not()", "':not()' is empty"},
    {"div::", "expected a pseudo-element name after '::' (at the end)"},
    {"1abc", "'1abc' is not a valid element name"},
    {"#1a",
     "an ID cannot start with a digit unless the digit is escaped: write '#\\31 a' for "
     "'#1a' (at character 1)"},
    {"#-2x", "write '#-\\32 x' for '#-2x'"},
    {"p.1a",
     "a class name cannot start with a digit unless the digit is escaped: write "
     "'.\\31 a' for '.1a' (at character 2)"},
    {"[data-x=\"abc]", "the quoted string is never closed (at character 9)"},
    {"a b )", "unexpected ')' with no '(' before it (at character 5)"},
    {"div:hovr", "unknown pseudo-class ':hovr'"},
    {"div::befor", "unknown pseudo-element '::befor'"},
    {"div: hover", "expected a pseudo-class name right after ':'"},
    {":not(::before)", "pseudo-elements such as '::before' are not allowed"},
    {":has(:has(a))", "':has()' cannot be nested inside ':has()'"},
    {"p::before span", "nothing can follow a pseudo-element"},
    {"p::before.x", "nothing but pseudo-classes"},
    {"p::before:first-child", "':first-child' cannot follow '::before'"},
    {"a::before:hover", "':hover' cannot follow '::before' (at character 10)"},
    {"::part(x):first-child", "':first-child' cannot follow '::part'"},
    {"[type=text s]", "the attribute flag 's' is not supported by Chromium"},
    {":lang(en, fr)", "unexpected ',' in ':lang()'"},
    {":lang(\"fr\")", "expected one unquoted language tag"},
    {"input::-moz-placeholder", "work only in Firefox"},
    {":is()", "':is()' is empty"},
    {":is(::before)", "pseudo-elements such as '::before' are not allowed"},
    {":playing", "unknown pseudo-class ':playing'"},
    {"::-webkit-scrollbar:empty", "':empty' cannot follow '::-webkit-scrollbar'"},
    {":-webkit-foo", "unknown pseudo-class ':-webkit-foo'"},
    {".a div*", "an element name or '*' must come first in a compound selector (at character 7)"},
    {"#a*", "an element name or '*' must come first"},
    {"svg|rect", "the namespace prefix 'svg|' cannot be used"},
    {"a || b", "the column combinator '||' is not supported by browsers (at character 3)"},
    {"a||b", "the column combinator '||' is not supported"},
    {"div > > p", "two combinators in a row"},
    {"div {color: red}", "unexpected '{'"},
    {"a /* open", "the comment is never closed"},
    {":nth-of-type(2n of .x)", "'of' is only allowed in ':nth-child()'"},
    {":foo(a)", "unknown pseudo-class ':foo()'"},
    {"div(", "'div(' is not a selector"},
    {".é, #日本 > [x", "'[' is never closed (at character 11)"},
};

}  // namespace

BOOST_AUTO_TEST_CASE(selectors_browsers_accept_are_valid) {
  for (std::string_view selector : kValid) {
    const auto error = check_css_selector(selector);
    BOOST_TEST(!error.has_value(), "'" << selector << "' was refused: " << error.value_or(""));
  }
}

BOOST_AUTO_TEST_CASE(selectors_browsers_refuse_are_invalid_with_a_located_reason) {
  for (const Invalid& c : kInvalid) {
    const auto error = check_css_selector(c.selector);
    BOOST_TEST_CONTEXT("selector '" << c.selector << "'") {
      BOOST_TEST_REQUIRE(error.has_value());
      BOOST_TEST(error->find(c.reason) != std::string::npos,
                 "message '" << *error << "' lacks '" << c.reason << "'");
    }
  }
}

BOOST_AUTO_TEST_CASE(deeply_nested_selectors_are_refused_instead_of_exhausting_the_stack) {
  std::string selector;
  for (int i = 0; i < 10000; ++i) selector += ":not(";
  selector += "a";
  for (int i = 0; i < 10000; ++i) selector += ")";
  const auto error = check_css_selector(selector);
  BOOST_TEST_REQUIRE(error.has_value());
  BOOST_TEST(error->find("nested too deeply") != std::string::npos);
}
