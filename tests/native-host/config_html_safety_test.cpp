#define BOOST_TEST_MODULE config_html_safety
#include <boost/test/unit_test.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "config/css_text.hpp"
#include "config/html_safety.hpp"

using vario::host::css_value_problem;
using vario::host::html_problem;
using vario::host::script_url_scheme;
using vario::host::split_important;
using vario::host::stylesheet_problem;

namespace {

struct Case {
  std::string_view what;
  std::string html;
  std::string_view problem;  // the whole message; empty: the HTML is accepted
};

void expect(const Case& c, const std::optional<std::string>& found) {
  BOOST_TEST_CONTEXT(c.what) {
    if (c.problem.empty())
      BOOST_TEST(!found.has_value(), "refused: " << found.value_or(""));
    else
      BOOST_TEST(found.value_or("(accepted)") == std::string(c.problem));
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(html_that_runs_or_loads_nothing_is_accepted) {
  const std::vector<Case> cases = {
      {"text and inline markup", "<b>Free</b> shipping &amp; <em>returns</em>", ""},
      {"a link, an image, a form to https", R"h(<a href="/cart">Cart</a><img src="a.png" alt="">
        <form action="https://shop.example/s" method="post"><button>Go</button></form>)h",
       ""},
      {"a comment may mention anything", "<!-- <script>alert(1)</script> -->ok", ""},
      {"'<' that starts no tag is text", "1 < 2 and a <3", ""},
      {"words like javascript: outside URL attributes",
       R"h(<p title="javascript: the good parts">x</p>)h", ""},
      {"an inline SVG icon", R"h(<svg viewBox="0 0 8 8"><path d="M0 0h8v8z" fill="red"/></svg>)h",
       ""},
      {"an https URL in an SVG animation",
       R"h(<svg><set attributeName="href" to="https://x.example/"/></svg>)h", ""},
      {"'/' in an unquoted value belongs to the value", "<img/src=x/onerror=alert(1)>", ""},
      {"a textarea with plain text", "<textarea>Tell us more &amp; more</textarea>", ""},
      {"data-onclick is no handler, but every name starting with on counts as one",
       R"h(<div data-onclick="x" one="1"></div>)h",
       "HTML carries an one attribute (on <div>) at character 23: event handlers are script, and "
       "Vario never runs script"},
  };
  for (const Case& c : cases) expect(c, html_problem(c.html));
}

BOOST_AUTO_TEST_CASE(script_and_its_disguises_are_refused_where_they_are) {
  const std::vector<Case> cases = {
      {"a script element", "<p>Hi</p> <script>alert(1)</script>",
       "HTML carries a <script> element at character 11: Vario never runs script"},
      {"in upper case", "<SCRIPT src=//evil.example/x.js></SCRIPT>",
       "HTML carries a <script> element at character 1: Vario never runs script"},
      {"inside SVG", "<svg><script>alert(1)</script></svg>",
       "HTML carries a <script> element at character 6: Vario never runs script"},
      {"an event handler", R"h(<img src="x" onerror="alert(1)">)h",
       "HTML carries an onerror attribute (on <img>) at character 14: event handlers are script, "
       "and Vario never runs script"},
      {"an event handler in upper case", "<button ONCLICK=go()>Buy</button>",
       "HTML carries an onclick attribute (on <button>) at character 9: event handlers are script, "
       "and Vario never runs script"},
      {"an event handler after a slash", "<img/onerror=alert(1) src=x>",
       "HTML carries an onerror attribute (on <img>) at character 6: event handlers are script, "
       "and Vario never runs script"},
      {"an event handler right after a quoted value", R"h(<a href="/"onclick="x()">a</a>)h",
       "HTML carries an onclick attribute (on <a>) at character 12: event handlers are script, "
       "and Vario never runs script"},
      {"counting characters, not bytes", "<p>Grüße</p><script></script>",
       "HTML carries a <script> element at character 13: Vario never runs script"},
      {"after a comment that '<!-->' closes at once", "<!--><script>x()</script>-->",
       "HTML carries a <script> element at character 6: Vario never runs script"},
      {"after a comment that '--!>' closes", "<!-- a --!><script></script>",
       "HTML carries a <script> element at character 12: Vario never runs script"},
      {"after a bogus comment", "<!doctype html><? x ?><script></script>",
       "HTML carries a <script> element at character 23: Vario never runs script"},
  };
  for (const Case& c : cases) expect(c, html_problem(c.html));
}

BOOST_AUTO_TEST_CASE(script_urls_are_found_after_decoding_as_browsers_do) {
  const std::vector<Case> cases = {
      {"plain", R"h(<a href="javascript:alert(1)">x</a>)h",
       "HTML carries a javascript: URL in the href attribute of <a> at character 4: Vario never "
       "runs script"},
      {"a decimal reference for the j", R"h(<a href="&#106;avascript:alert(1)">x</a>)h",
       "HTML carries a javascript: URL in the href attribute of <a> at character 4: Vario never "
       "runs script"},
      {"a hex reference, and a decimal one without its ';'",
       R"h(<a href="&#x6A;ava&#115cript:x">x</a>)h",
       "HTML carries a javascript: URL in the href attribute of <a> at character 4: Vario never "
       "runs script"},
      {"zeros before the number", R"h(<a href="&#0000106;avascript:x">x</a>)h",
       "HTML carries a javascript: URL in the href attribute of <a> at character 4: Vario never "
       "runs script"},
      {"a tab inside the scheme", "<a href=\"java\tscript:x\">x</a>",
       "HTML carries a javascript: URL in the href attribute of <a> at character 4: Vario never "
       "runs script"},
      {"an encoded tab and a named colon", R"h(<a href="java&#9;script&colon;x">x</a>)h",
       "HTML carries a javascript: URL in the href attribute of <a> at character 4: Vario never "
       "runs script"},
      {"&Tab; and &NewLine;", R"h(<a href="ja&Tab;va&NewLine;script:x">x</a>)h",
       "HTML carries a javascript: URL in the href attribute of <a> at character 4: Vario never "
       "runs script"},
      {"spaces and control characters before it, unquoted, mixed case",
       "<a href=\"\x01 JaVaScRiPt:x\">x</a>",
       "HTML carries a javascript: URL in the href attribute of <a> at character 4: Vario never "
       "runs script"},
      {"vbscript in an image", "<img src=vbscript:msgbox>",
       "HTML carries a vbscript: URL in the src attribute of <img> at character 6: Vario never "
       "runs script"},
      {"a data:text/html document", R"h(<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>)h",
       "HTML carries a data:text/html URL in the href attribute of <a> at character 4: Vario "
       "never runs script"},
      {"a form's action", "<form action=javascript:void(0)><button>Go</button></form>",
       "HTML carries a javascript: URL in the action attribute of <form> at character 7: Vario "
       "never runs script"},
      {"a button's formaction", R"h(<button formaction="javascript:x">Go</button>)h",
       "HTML carries a javascript: URL in the formaction attribute of <button> at character 9: "
       "Vario never runs script"},
      {"an SVG link", R"h(<svg><a xlink:href="javascript:x"><text>t</text></a></svg>)h",
       "HTML carries a javascript: URL in the xlink:href attribute of <a> at character 9: Vario "
       "never runs script"},
      {"an SVG animation that sets an href",
       R"h(<svg><a><set attributeName="href" to="javascript:x"/></a></svg>)h",
       "HTML carries a javascript: URL in the to attribute of <set> at character 35: Vario never "
       "runs script"},
      {"one of an animation's values", R"h(<svg><animate values="https://a;javascript:x"/></svg>)h",
       "HTML carries a javascript: URL in the values attribute of <animate> at character 15: Vario "
       "never runs script"},
      {"&#0; is U+FFFD, which is no whitespace", R"h(<a href="java&#0;script:x">x</a>)h", ""},
      {"an unknown reference stays as written", R"h(<a href="javascript&colonx;x">x</a>)h", ""},
  };
  for (const Case& c : cases) expect(c, html_problem(c.html));
}

BOOST_AUTO_TEST_CASE(elements_that_load_things_and_inline_styles_are_refused) {
  const std::vector<Case> cases = {
      {"an iframe", R"h(<iframe src="https://x.example/"></iframe>)h",
       "HTML carries an <iframe> element at character 1: it loads and runs content of its own, "
       "which Vario does not put into pages"},
      {"an object", "<object data=x.swf></object>",
       "HTML carries an <object> element at character 1: it loads and runs content of its own, "
       "which Vario does not put into pages"},
      {"an embed", "<p><embed src=x></p>",
       "HTML carries an <embed> element at character 4: it loads and runs content of its own, "
       "which Vario does not put into pages"},
      {"a base", "<base href=https://evil.example/>",
       "HTML carries a <base> element at character 1: it changes where every relative URL of the "
       "page points"},
      {"a meta refresh", R"h(<meta http-equiv="refresh" content="0;url=/x">)h",
       "HTML carries a <meta> element at character 1: it can refresh or redirect the page, or "
       "change its security policy"},
      {"a link", R"h(<link rel="stylesheet" href="/x.css">)h",
       "HTML carries a <link> element at character 1: it loads stylesheets and other resources "
       "into the page; use add_css for styles"},
      {"a srcdoc anywhere", R"h(<div srcdoc="<p>x</p>"></div>)h",
       "HTML carries a srcdoc attribute (on <div>) at character 6: it holds a document of its own, "
       "which could run script"},
      {"a style element", "<style>p{color:red}</style>",
       "HTML carries a <style> element at character 1: a strict Content-Security-Policy blocks "
       "inline styles; use set_style or add_css"},
      {"a style attribute", R"h(<p class="a" style="color:red">x</p>)h",
       "HTML carries a style attribute (on <p>) at character 14: a strict Content-Security-Policy "
       "blocks inline styles; use set_style or add_css"},
  };
  for (const Case& c : cases) expect(c, html_problem(c.html));
}

// Where the parser reads text or markup depending on where the HTML lands, nothing may hide.
BOOST_AUTO_TEST_CASE(content_read_as_text_in_one_place_and_markup_in_another_is_refused) {
  const std::vector<Case> cases = {
      {"markup in a textarea (inside <svg> it would be markup)h",
       "<textarea><!--</textarea><img src=x onerror=alert(1)>--></textarea>",
       "HTML has '<' inside <textarea> at character 11: write it as &lt;, since whether it starts "
       "a tag there depends on where the HTML lands"},
      {"markup in a title", "<svg><title><img src=x onerror=alert(1)></title></svg>",
       "HTML has '<' inside <title> at character 13: write it as &lt;, since whether it starts a "
       "tag there depends on where the HTML lands"},
      {"an xmp", "<xmp><!--</xmp><img src=x onerror=alert(1)>--></xmp>",
       "HTML carries a <xmp> element at character 1: its content is read as text or as markup "
       "depending on where the HTML lands, so it cannot be checked; leave the element out"},
      {"a noscript", "<noscript><p>x</p></noscript>",
       "HTML carries a <noscript> element at character 1: its content is read as text or as "
       "markup depending on where the HTML lands, so it cannot be checked; leave the element out"},
      {"markup after a textarea's end tag is checked", "<textarea>a</TEXTAREA ><script></script>",
       "HTML carries a <script> element at character 24: Vario never runs script"},
      {"CDATA is a comment up to the first '>', so what follows is checked",
       "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>",
       "HTML carries an onerror attribute (on <img>) at character 27: event handlers are script, "
       "and Vario never runs script"},
  };
  for (const Case& c : cases) expect(c, html_problem(c.html));
}

BOOST_AUTO_TEST_CASE(script_url_schemes_are_recognised_as_a_browser_would) {
  BOOST_TEST(script_url_scheme(" JaVa\tScript:x").value_or("") == "javascript:");
  BOOST_TEST(script_url_scheme("\x0f\x20vbscript:x").value_or("") == "vbscript:");
  BOOST_TEST(script_url_scheme("DATA:text/HTML,<p>").value_or("") == "data:text/html");
  BOOST_TEST(!script_url_scheme("data:image/png;base64,AAAA"));
  BOOST_TEST(!script_url_scheme("/javascript:x"));
  BOOST_TEST(!script_url_scheme("https://x.example/?javascript:"));
}

BOOST_AUTO_TEST_CASE(css_values_and_stylesheets_hold_no_script) {
  const std::vector<Case> values = {
      {"a colour", "#c00", ""},
      {"an image by https", "url(\"https://cdn.example/a.png\") no-repeat", ""},
      {"two declarations", "red; display: none",
       "must be one CSS value: ';' (character 4) would end the declaration; set each property "
       "with a set_style change of its own"},
      {"a brace", "red}body{",
       "must be one CSS value: '}' (character 4) is not allowed in a value"},
      {"a closing tag", "red</style>",
       "must be one CSS value: '</' (character 4) is not allowed in a value"},
      {"a script URL", "url( 'javascript:alert(1)' )h",
       "has a javascript: URL at character 1: Vario never runs script"},
      {"a script URL behind a CSS escape", "URL(\\6a avascript:x)h",
       "has a javascript: URL at character 1: Vario never runs script"},
      {"expression()h", "expression (alert(1))h",
       "uses expression() at character 1: it runs script (in old Internet Explorer), and Vario "
       "never runs script"},
  };
  for (const Case& c : values) expect(c, css_value_problem(c.html));
  const std::vector<Case> sheets = {
      {"rules and an https import", "@import url(https://x.example/a.css);\n.a{color:red}", ""},
      {"a closing style tag", ".a{}</STYLE><script>",
       "has '</style' at character 5: it would end the <style> element a stylesheet may be "
       "written into"},
      {"an import of a script URL", "@import 'javascript:alert(1)';",
       "has a javascript: URL at character 1: Vario never runs script"},
      {"expression()h", ".a { width: expression(alert(1)) }",
       "uses expression() at character 13: it runs script (in old Internet Explorer), and Vario "
       "never runs script"},
      {"a name ending in expression is no expression()h", ".a { --my-expression: 1 }", ""},
  };
  for (const Case& c : sheets) expect(c, stylesheet_problem(c.html));
}

BOOST_AUTO_TEST_CASE(important_is_split_off_a_value_with_its_spaces) {
  BOOST_TEST(split_important("red !important").value == "red");
  BOOST_TEST(split_important("red !important").important);
  BOOST_TEST(split_important("1px solid red  !  IMPORTANT  ").value == "1px solid red");
  BOOST_TEST(split_important("red!important").value == "red");
  BOOST_TEST(!split_important("red").important);
  BOOST_TEST(split_important("red").value == "red");
  BOOST_TEST(!split_important("important").important);
  BOOST_TEST(split_important("!important").important);
  BOOST_TEST(split_important("!important").value == "");
}
