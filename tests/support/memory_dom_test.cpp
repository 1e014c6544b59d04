#define BOOST_TEST_MODULE memory_dom
#include <boost/test/unit_test.hpp>
#include <functional>

#include "support/fake_host.hpp"
#include "support/memory_dom.hpp"

using namespace vario;
using testing::FakeHost;
using testing::MemoryDom;
using testing::PageFacts;

namespace {

// The first match's handle: the test acting as the engine.
NodeHandle one(MemoryDom& dom, std::string_view selector) {
  const auto nodes = dom.query_all(selector);
  BOOST_REQUIRE(nodes && !nodes->empty());
  return nodes->front();
}

}  // namespace

// ---- parsing and serializing -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(body_markup_serializes_as_browsers_write_it_and_reparses_to_itself) {
  struct Row {
    std::string_view html;
    std::string_view body;
  };
  const Row rows[] = {
      {R"(<p class="a" id='b' data-x=1 hidden>Hi</p>)",
       R"(<p class="a" id="b" data-x="1" hidden="">Hi</p>)"},
      {R"(<p>a<br>b<img src="x.png"/><input type=checkbox checked><hr></p>)",
       R"(<p>a<br>b<img src="x.png"><input type="checkbox" checked=""></p><hr><p></p>)"},
      {"<div><!-- a note --><!----></div>", "<div><!-- a note --><!----></div>"},
      {R"(<p title="&quot;x&quot; &amp; y &lt;">&lt;a&gt; &amp; &#65;&#x42;&#67&nbsp;&#39;</p>)",
       R"(<p title="&quot;x&quot; &amp; y &lt;">&lt;a&gt; &amp; ABC&nbsp;'</p>)"},
      {"<p>&bogus; &amp &#; 1 < 2</p>", "<p>&amp;bogus; &amp; &amp;#; 1 &lt; 2</p>"},
      {"<p>&copyright &notit; &hellip &Eacute;t&eacute; &rarr;</p>",
       "<p>\xC2\xA9right \xC2\xACit; &amp;hellip \xC3\x89t\xC3\xA9 \xE2\x86\x92</p>"},
      {R"(<a href="?a=1&copy=2&amp=3&lt&copy;">x</a>)",
       "<a href=\"?a=1&amp;copy=2&amp;amp=3&lt;\xC2\xA9\">x</a>"},
      {"<p>caf\xC3\xA9 &#x1F600; &#0; &#xD800;</p>",
       "<p>caf\xC3\xA9 \xF0\x9F\x98\x80 \xEF\xBF\xBD \xEF\xBF\xBD</p>"},
      {"<div><p>one<span>two</div><p>three", "<div><p>one<span>two</span></p></div><p>three</p>"},
      {"<ul><li>a<li>b<ul><li>c</ul></ul>", "<ul><li>a</li><li>b<ul><li>c</li></ul></li></ul>"},
      {"<dl><dt>t<dd>d<dt>u</dl>", "<dl><dt>t</dt><dd>d</dd><dt>u</dt></dl>"},
      {"<p>a<div>b</div><p>c<h2>d</h2>", "<p>a</p><div>b</div><p>c</p><h2>d</h2>"},
      {"<table><tr><td>1<td>2<tr><th>3</table>",
       "<table><tbody><tr><td>1</td><td>2</td></tr><tr><th>3</th></tr></tbody></table>"},
      {"<select><option>a<option>b</select>",
       "<select><option>a</option><option>b</option></select>"},
      {"<div>a</span>b</div></p></br>", "<div>ab</div><p></p><br>"},
      {"<div/>x<span/>y", "<div>x<span>y</span></div>"},
      {"<DIV CLASS=x Data-Y='z'>y</DIV>", R"(<div class="x" data-y="z">y</div>)"},
      {"<a href=1 href=2 HREF=3>x</a>", R"(<a href="1">x</a>)"},
      {"<div><script>if (a < b && c) { x('</p>') }</script></div>",
       "<div><script>if (a < b && c) { x('</p>') }</script></div>"},
      {"<div><style>p > a { color: red }</style></div>",
       "<div><style>p > a { color: red }</style></div>"},
      {"<textarea>\n&lt;b&gt; <i></textarea>", "<textarea>&lt;b&gt; &lt;i&gt;</textarea>"},
      {"<pre>\nline</pre>", "<pre>line</pre>"},
      {"<p title=\"a\xC2\xA0"
       "b\">x</p>",
       R"(<p title="a&nbsp;b">x</p>)"},
      {"<p>x</p>\n<p>y</p>\n", "<p>x</p>\n<p>y</p>\n"},
      {"a <b>b</b> c", "a <b>b</b> c"},
      {"<!doctype html><p>x", "<p>x</p>"},
      {R"(<svg viewBox="0 0 9 9"><path d="M0"/><circle r=1 /><clipPath id=c><rect/></clipPath>)"
       R"(<foreignObject><p>html<br/></p></foreignObject></svg><a href=/x/>t</a>)",
       R"(<svg viewBox="0 0 9 9"><path d="M0"></path><circle r="1"></circle><clipPath id="c">)"
       R"(<rect></rect></clipPath><foreignObject><p>html<br></p></foreignObject></svg>)"
       R"(<a href="/x/">t</a>)"},
      {"<svg><g><div>out</div></g></svg>", "<svg><g></g></svg><div>out</div>"},
      {"<svg><style>a>b{}</style><desc><b>d</b></desc></svg>",
       "<svg><style>a&gt;b{}</style><desc><b>d</b></desc></svg>"},
      {"<math definitionURL=u><mi>x</mi><mtext><b>y</b></mtext></math>",
       R"(<math definitionURL="u"><mi>x</mi><mtext><b>y</b></mtext></math>)"},
      {"<p>x<?xml version?></p><!x>", "<p>x<!--?xml version?--></p><!--x-->"},
  };
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT(row.html) {
      MemoryDom dom;
      dom.load(row.html);
      BOOST_TEST(dom.body_html() == row.body);
      dom.load(row.body);
      BOOST_TEST(dom.body_html() == row.body);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_page_always_has_html_head_and_body_with_head_content_in_the_head) {
  struct Row {
    std::string_view html;
    std::string_view document;
  };
  const Row rows[] = {
      {"", "<html><head></head><body></body></html>"},
      {"<p>x</p>", "<html><head></head><body><p>x</p></body></html>"},
      {"<title>T &amp; U</title><meta charset=utf-8><p>x",
       R"(<html><head><title>T &amp; U</title><meta charset="utf-8"></head><body><p>x</p></body></html>)"},
      {R"(<!DOCTYPE html><html lang="en"><head><link rel="stylesheet" href="a.css"></head>)"
       R"(<body class="b"><h1>x</h1></body></html>)",
       R"(<html lang="en"><head><link rel="stylesheet" href="a.css"></head>)"
       R"(<body class="b"><h1>x</h1></body></html>)"},
      {"<html>\n<head>\n<title>T</title>\n</head>\n<body>\n<p>x</p>\n</body>\n</html>\n",
       "<html><head>\n<title>T</title>\n</head>\n<body>\n<p>x</p>\n\n\n</body></html>"},
      {"<p>x</p></body></html><p>y</p>", "<html><head></head><body><p>x</p><p>y</p></body></html>"},
      {"<body data-a=1><p>x<body data-b=2 data-a=3>",
       R"(<html><head></head><body data-a="1" data-b="2"><p>x</p></body></html>)"},
  };
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT(row.html) {
      MemoryDom dom;
      dom.load(row.html);
      BOOST_TEST(dom.document_html() == row.document);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_test_reads_the_page_by_selector_or_handle) {
  MemoryDom dom;
  dom.load(R"(<div id="a" class="c">one <!-- no --><b>two</b></div><p class="c">three</p>)");
  BOOST_TEST(dom.html(".c") == R"(<div id="a" class="c">one <!-- no --><b>two</b></div>)");
  BOOST_TEST(dom.inner_html("#a") == "one <!-- no --><b>two</b>");
  BOOST_TEST(dom.text_of("#a") == "one two");
  BOOST_TEST(dom.count(".c") == 2u);
  BOOST_TEST(dom.count("#gone") == 0u);
  BOOST_TEST(dom.attribute_of("#a", "CLASS").value_or("") == "c");
  BOOST_TEST(!dom.attribute_of("#a", "title"));
  const NodeHandle b = one(dom, "b");
  BOOST_TEST(dom.html(b) == "<b>two</b>");
  BOOST_TEST(dom.held("#a b") == b);
  BOOST_TEST(dom.held("#a") == kNoNode);
  BOOST_CHECK_THROW(dom.html("#gone"), std::invalid_argument);
  BOOST_CHECK_THROW(dom.html("p::before"), std::invalid_argument);
  BOOST_CHECK_THROW(dom.count("[unclosed"), std::invalid_argument);
  dom.release(b);
  BOOST_CHECK_THROW(dom.html(b), std::invalid_argument);

  // SVG attribute names keep their case, and are looked up in it.
  dom.load(R"(<svg viewBox="0 0 1 1"></svg>)");
  const NodeHandle svg = one(dom, "svg");
  BOOST_TEST(dom.attribute(svg, "viewBox").value_or("") == "0 0 1 1");
  BOOST_TEST(!dom.attribute(svg, "viewbox"));
  BOOST_TEST(dom.set_attribute(svg, "preserveAspectRatio", "none"));
  BOOST_TEST(dom.html("svg") == R"(<svg viewBox="0 0 1 1" preserveAspectRatio="none"></svg>)");
}

// ---- selectors ---------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(selectors_match_the_subset_in_document_order) {
  MemoryDom dom;
  // Every element has an "n" to name it in the results.
  dom.load(R"(<div n=main id="main" class="box wide" data-kind="hero card" lang="en-US">
      <h1 n=title id="title">Title</h1>
      <p n=lead class="lead">One</p>
      <p n=two>Two</p>
      <ul n=list id="list"><li n=a>a</li><li n=b class="x">b</li><li n=c>c</li><li n=d>d</li>)"
           R"(<li n=e>e</li></ul>
    </div>
    <p n=out id="outside" title="Hello World">Three</p>
    <svg n=svg viewBox="0 0 1 1"><clipPath n=clip id="c"/></svg>
    <section n=sec><span n=span></span><!-- c --><i n=esc class="md:flex" id="1a"></i></section>)");
  struct Row {
    std::string_view selector;
    std::string_view matches;  // the "n" of each match, in order
  };
  const Row rows[] = {
      {"p", "lead two out"},
      {"P", "lead two out"},
      {"#list > li", "a b c d e"},
      {"#LIST", ""},
      {".box.wide", "main"},
      {".box.narrow", ""},
      {"LI.x", "b"},
      {"li.X", ""},
      {"div *", "title lead two list a b c d e"},
      {"[data-kind]", "main"},
      {"[data-kind=\"hero card\"]", "main"},
      {"[data-kind~=card]", "main"},
      {"[data-kind~=car]", ""},
      {"[data-kind^='hero']", "main"},
      {"[data-kind$=card]", "main"},
      {"[data-kind*='o c']", "main"},
      {"[data-kind^='']", ""},
      {"[lang|=en]", "main"},
      {"[lang|=en-US]", "main"},
      {"[lang|=e]", ""},
      {"[title='hello world' i]", "out"},
      {"[title='hello world']", ""},
      {"[ title = \"Hello World\" ]", "out"},
      {"div p", "lead two"},
      {"div > p", "lead two"},
      {"body > p", "out"},
      {"h1 + p", "lead"},
      {"h1 ~ p", "lead two"},
      {"h1+p~p", "two"},
      {"div li", "a b c d e"},
      {"main li", ""},
      {"li:first-child", "a"},
      {"li:last-child", "e"},
      {"span:only-child", ""},
      {"li:nth-child(2n+1)", "a c e"},
      {"li:nth-child(odd)", "a c e"},
      {"li:nth-child( EVEN )", "b d"},
      {"li:nth-child(-n+2)", "a b"},
      {"li:nth-child(n + 4)", "d e"},
      {"li:nth-child(3)", "c"},
      {"li:nth-last-child(1)", "e"},
      {"li:not(.x)", "a c d e"},
      {"li:not(:first-child, :last-child)", "b c d"},
      {"li:not(div > ul > li:nth-child(-n+3))", "d e"},
      {":is(h1, .lead)", "title lead"},
      {":where(#title)", "title"},
      {"h1, #outside, h1", "title out"},
      {"span:empty", "span"},
      {"section:empty", ""},
      {".md\\:flex", "esc"},
      {"#\\31 a", "esc"},
      {"section > :last-child", "esc"},
      {"svg[viewBox]", "svg"},
      {"svg[viewbox]", "svg"},
      {"clipPath", "clip"},
      {"CLIPPATH", "clip"},
      {"svg > #c", "clip"},
  };
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT(row.selector) {
      const auto nodes = dom.query_all(row.selector);
      BOOST_REQUIRE(nodes);
      std::string names;
      for (const NodeHandle n : *nodes) {
        names += (names.empty() ? "" : " ") + dom.attribute(n, "n").value_or("?");
        dom.release(n);
      }
      BOOST_TEST(names == row.matches);
    }
  }
  BOOST_TEST(dom.count(":root") == 1u);
  BOOST_TEST(dom.html(":root").substr(0, 12) == "<html><head>");
  BOOST_TEST(dom.live_handles() == 0u);
}

BOOST_AUTO_TEST_CASE(malformed_or_unsupported_selectors_are_rejected_as_the_browser_throws) {
  MemoryDom dom;
  dom.load("<p class=a>x</p>");
  for (const std::string_view selector : {"",
                                          " ",
                                          "p,",
                                          ",p",
                                          "p,,a",
                                          "p >",
                                          "> p",
                                          "p >> a",
                                          "p + ~ a",
                                          "#",
                                          ".",
                                          ".1a",
                                          "#1a",
                                          "[",
                                          "[a",
                                          "[a=]",
                                          "[a=1]",
                                          "[a~b]",
                                          "[a='x]",
                                          "[a=b c]",
                                          "[a=b s]",
                                          "[*|a]",
                                          "svg|rect",
                                          "*|p",
                                          "p)",
                                          "p]",
                                          "a[b=c]]",
                                          "p:hover",
                                          "p:HAS(a)",
                                          "p::before",
                                          ":before",
                                          ":not()",
                                          ":is()",
                                          ":not(p,)",
                                          "li:nth-child()",
                                          "li:nth-child(2n+)",
                                          "li:nth-child(n of .x)",
                                          "li:nth-child(2 n)",
                                          "li:nth-child(- n)",
                                          "li:first-child()",
                                          "p /* c */",
                                          "p\\",
                                          "p !important"}) {
    BOOST_TEST_CONTEXT("'" << selector << "'") { BOOST_TEST(!dom.query_all(selector)); }
  }
  dom.refuse_selector("p.a");
  BOOST_TEST(!dom.query_all("p.a"));
  BOOST_TEST(dom.query_all("p").value().size() == 1u);
  BOOST_TEST(dom.text_of("p.a") == "x");  // the test still reads the page with it
}

// ---- handles -----------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_node_keeps_one_handle_while_held_and_a_new_one_after_release) {
  MemoryDom dom;
  dom.load(R"(<div id="a"><p id="p">x</p>text</div>)");
  const NodeHandle p = one(dom, "#p");
  BOOST_TEST(p != kNoNode);
  BOOST_TEST(one(dom, "p") == p);
  const NodeHandle div = dom.parent(p);
  BOOST_TEST(one(dom, "#a") == div);
  const auto kids = dom.children(div);
  BOOST_REQUIRE(kids.size() == 2u);
  BOOST_TEST(kids[0] == p);
  BOOST_TEST(dom.next_sibling(p) == kids[1]);
  BOOST_TEST(dom.next_sibling(kids[1]) == kNoNode);
  BOOST_TEST(dom.text(kids[1]) == "text");
  BOOST_TEST(dom.live_handles() == 3u);  // p, div, the text node: each counted once

  // The document is a node too: <html>'s parent; it has no parent itself.
  const NodeHandle body = dom.parent(div);
  const NodeHandle html = dom.parent(body);
  const NodeHandle document = dom.parent(html);
  BOOST_TEST(dom.children(document) == std::vector<NodeHandle>{html},
             boost::test_tools::per_element());
  BOOST_TEST(dom.parent(document) == kNoNode);
  BOOST_TEST(dom.contains(document, p));
  BOOST_TEST(dom.text(document).empty());

  dom.release(p);
  const NodeHandle again = one(dom, "#p");
  BOOST_TEST(again != p);  // handles are never reused
  BOOST_TEST(dom.misuses().empty());
}

BOOST_AUTO_TEST_CASE(calls_with_a_handle_that_is_not_live_are_answered_harmlessly_and_listed) {
  MemoryDom dom;
  dom.load(R"(<p id="p">x</p>)");
  const NodeHandle p = one(dom, "#p");
  dom.release(p);
  BOOST_TEST(dom.text(p).empty());
  BOOST_TEST(dom.parent(p) == kNoNode);
  BOOST_TEST(!dom.set_attribute(p, "title", "x"));
  dom.release(p);
  dom.set_text(kNoNode, "y");
  BOOST_TEST(dom.text_of("#p") == "x");
  const std::vector<std::string> expected = {
      "text(1): 1 is not a live handle", "parent(1): 1 is not a live handle",
      "set_attribute(1): 1 is not a live handle", "release(1): 1 is not a live handle",
      "set_text(0): 0 is not a live handle"};
  BOOST_TEST(dom.misuses() == expected, boost::test_tools::per_element());
  BOOST_TEST(dom.live_handles() == 0u);

  dom.load("<p>new page</p>");  // a new page forgets handles and misuses
  BOOST_TEST(dom.misuses().empty());
}

// ---- writing: text, insertion, attributes
// --------------------------------------------------------

BOOST_AUTO_TEST_CASE(set_text_replaces_the_children_with_one_text_node_or_none) {
  MemoryDom dom;
  dom.load(R"(<p id="p">a<b>b</b><!--c--></p>)");
  const NodeHandle p = one(dom, "#p");
  BOOST_TEST(dom.text(p) == "ab");
  dom.set_text(p, "x < y & z");
  BOOST_TEST(dom.html("#p") == R"(<p id="p">x &lt; y &amp; z</p>)");
  BOOST_TEST(dom.children(p).size() == 1u);
  const NodeHandle text = dom.children(p)[0];
  dom.set_text(text, "data");  // a text node's data
  BOOST_TEST(dom.html("#p") == R"(<p id="p">data</p>)");
  dom.set_text(p, "");
  BOOST_TEST(dom.html("#p") == R"(<p id="p"></p>)");
  BOOST_TEST(dom.children(p).empty());
}

BOOST_AUTO_TEST_CASE(insert_moves_a_node_to_each_position_and_refuses_impossible_moves) {
  const std::string page =
      R"(<div id="a"><p id="p1">1</p><p id="p2">2</p></div><div id="b"><i>i</i></div>)";
  struct Row {
    std::string_view node;
    std::string_view reference;
    Position position;
    bool accepted;
    std::string_view body;  // "" when unchanged
  };
  const Row rows[] = {
      {"#p2", "#p1", Position::kBefore, true,
       R"(<div id="a"><p id="p2">2</p><p id="p1">1</p></div><div id="b"><i>i</i></div>)"},
      {"#p1", "#p2", Position::kAfter, true,
       R"(<div id="a"><p id="p2">2</p><p id="p1">1</p></div><div id="b"><i>i</i></div>)"},
      {"#p1", "#b", Position::kPrepend, true,
       R"(<div id="a"><p id="p2">2</p></div><div id="b"><p id="p1">1</p><i>i</i></div>)"},
      {"#p1", "#b", Position::kAppend, true,
       R"(<div id="a"><p id="p2">2</p></div><div id="b"><i>i</i><p id="p1">1</p></div>)"},
      {"#p1", "#p1", Position::kBefore, true, ""},
      {"#p1", "#a", Position::kAppend, true,
       R"(<div id="a"><p id="p2">2</p><p id="p1">1</p></div><div id="b"><i>i</i></div>)"},
      {"#a", "#p1", Position::kAppend, false, ""},  // into its own descendant
      {"#a", "#a", Position::kPrepend, false, ""},  // into itself
      {"#a", "#p1", Position::kAfter, false, ""},
      {"#b", "html", Position::kBefore, false, ""},  // the document has one element
  };
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT(row.node << " " << static_cast<int>(row.position) << " " << row.reference) {
      MemoryDom dom;
      dom.load(page);
      const NodeHandle node = one(dom, row.node);
      BOOST_TEST(dom.insert(one(dom, row.reference), row.position, node) == row.accepted);
      BOOST_TEST(dom.body_html() == (row.body.empty() ? page : row.body));
    }
  }
}

BOOST_AUTO_TEST_CASE(detached_nodes_can_be_inserted_but_not_inserted_next_to) {
  MemoryDom dom;
  dom.load(R"(<div id="a"><p id="p">1</p></div>)");
  const NodeHandle a = one(dom, "#a");
  const NodeHandle p = one(dom, "#p");
  const NodeHandle text = dom.children(p)[0];
  dom.detach(p);
  BOOST_TEST(dom.parent(p) == kNoNode);
  BOOST_TEST(!dom.contains(a, p));
  BOOST_TEST(dom.body_html() == R"(<div id="a"></div>)");
  const auto fresh = dom.parse_html("<b>new</b>");
  BOOST_REQUIRE(fresh && fresh->size() == 1u);
  BOOST_TEST(!dom.insert(p, Position::kBefore, fresh->front()));  // p has no parent
  BOOST_TEST(dom.insert(p, Position::kAppend, fresh->front()));   // into a detached node
  BOOST_TEST(!dom.insert(text, Position::kAppend, a));            // a text node has no children
  BOOST_TEST(dom.insert(a, Position::kAppend, p));
  BOOST_TEST(dom.body_html() == R"(<div id="a"><p id="p">1<b>new</b></p></div>)");
  BOOST_TEST(dom.contains(a, text));
  BOOST_TEST(dom.misuses().empty());
}

BOOST_AUTO_TEST_CASE(parsed_html_comes_out_inert_and_detached) {
  struct Row {
    std::string_view html;
    std::string_view kept;  // the returned nodes, serialized
  };
  const Row rows[] = {
      {R"h(<p onclick="x()" ONMOUSEOVER=y class=a on=1>t</p>)h", R"h(<p class="a">t</p>)h"},
      {"<script>alert(1)</script><b>ok</b><SCRIPT src=x></SCRIPT>", "<b>ok</b>"},
      {"<div><script>a()</script>ok<svg><script>b()</script></svg></div>",
       "<div>ok<svg></svg></div>"},
      {R"h(<a href="javascript:alert(1)">x</a>)h", "<a>x</a>"},
      {"<a href=\" \x01JaVa&#x09;Scr\nipt:alert(1)\">x</a>", "<a>x</a>"},
      {R"h(<a href="&#106;avascript:x">x</a>)h", "<a>x</a>"},
      {R"h(<form action="javascript:x"><button formaction="JAVASCRIPT:y">b</button></form>)h",
       "<form><button>b</button></form>"},
      {R"h(<iframe srcdoc="javascript:x" src=" javascript:y"></iframe>)h", "<iframe></iframe>"},
      {R"h(<svg><a xlink:href="javascript:x">s</a></svg>)h", "<svg><a>s</a></svg>"},
      {R"h(<a href="/javascript:ok" title="javascript:fine">x</a>)h",
       R"h(<a href="/javascript:ok" title="javascript:fine">x</a>)h"},
      {R"h(<img src="a.png" alt="javascript: a pun">)h",
       R"h(<img src="a.png" alt="javascript: a pun">)h"},
      {"text <i>and</i> <!--c-->", "text <i>and</i> <!--c-->"},
      {"<tr><td>cell</td></tr>", "<tr><td>cell</td></tr>"},
  };
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT(row.html) {
      MemoryDom dom;
      const auto nodes = dom.parse_html(row.html);
      BOOST_REQUIRE(nodes);
      std::string kept;
      for (const NodeHandle n : *nodes) {
        BOOST_TEST(dom.parent(n) == kNoNode);
        kept += dom.html(n);
      }
      BOOST_TEST(kept == row.kept);
      BOOST_TEST(dom.body_html().empty());
    }
  }
  MemoryDom dom;
  dom.refuse_html(true);
  BOOST_TEST(!dom.parse_html("<b>x</b>"));
}

BOOST_AUTO_TEST_CASE(set_attribute_refuses_handlers_script_urls_and_invalid_names) {
  struct Row {
    std::string_view name;
    std::string_view value;
    bool accepted;
  };
  const Row rows[] = {
      {"title", "x", true},
      {"data-javascript", "javascript:x", true},
      {"href", "https://x/", true},
      {"href", "javascript:x", false},
      {"HREF", "\tjava\nscript:x", false},
      {"src", "JAVASCRIPT:x", false},
      {"formaction", "javascript:", false},
      {"xlink:href", "javascript:x", false},
      {"srcdoc", "javascript:x", false},
      {"srcdoc", "<b>x</b>", true},
      {"onclick", "x()", false},
      {"OnLoad", "", false},
      {"", "x", false},
      {"a b", "x", false},
      {"a=b", "x", false},
      {"a\"", "x", false},
  };
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT(row.name << "=" << row.value) {
      MemoryDom dom;
      dom.load("<a>x</a>");
      const NodeHandle a = one(dom, "a");
      BOOST_TEST(dom.set_attribute(a, row.name, row.value) == row.accepted);
      BOOST_TEST(dom.attribute(a, row.name).has_value() == row.accepted);
    }
  }
  MemoryDom dom;
  dom.load(R"(<iframe></iframe><p class="a" id="p">x</p>)");
  dom.refuse_html(true);
  BOOST_TEST(!dom.set_attribute(one(dom, "iframe"), "srcdoc", "<b>x</b>"));
  const NodeHandle p = one(dom, "p");
  BOOST_TEST(dom.set_attribute(p, "CLASS", "b"));
  BOOST_TEST(dom.set_attribute(p, "title", "t"));
  dom.remove_attribute(p, "Id");
  BOOST_TEST(dom.html("p") == R"(<p class="b" title="t">x</p>)");    // order kept, new ones last
  BOOST_TEST(!dom.set_attribute(dom.children(p)[0], "title", "t"));  // not an element
}

// ---- inline style ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(inline_style_reads_and_writes_through_the_style_attribute) {
  struct Set {
    std::string_view property;
    std::string_view value;
    bool important;
    bool accepted;
  };
  struct Row {
    std::string_view element;  // the page
    std::vector<Set> sets;
    std::string_view html;  // after the sets
  };
  const Row rows[] = {
      {"<p>x</p>", {{"color", "red", false, true}}, R"(<p style="color: red;">x</p>)"},
      {R"(<p style="color:red">x</p>)", {}, R"(<p style="color:red">x</p>)"},  // as authored
      {R"(<p style="color:red">x</p>)",
       {{"margin", " 0 ", true, true}},
       R"(<p style="color: red; margin: 0 !important;">x</p>)"},
      {R"(<p style="color: red; margin: 0">x</p>)",
       {{"COLOR", "blue", false, true}},
       R"(<p style="color: blue; margin: 0;">x</p>)"},  // a set property keeps its place
      {R"(<p style="color: red; margin: 0">x</p>)",
       {{"color", "", false, true}},
       R"(<p style="margin: 0;">x</p>)"},
      {R"(<p style="color:red">x</p>)", {{"color", "", false, true}}, R"(<p style="">x</p>)"},
      {"<p>x</p>", {{"color", "", false, true}}, "<p>x</p>"},  // nothing to remove
      {R"(<p id="p" style="color:red" class="c">x</p>)",
       {{"top", "1px", false, true}},
       R"(<p id="p" style="color: red; top: 1px;" class="c">x</p>)"},
      {"<p>x</p>",
       {{"color", "red; background: x", false, false},
        {"color", "red !important", false, false},
        {"color", "url(a", false, false},
        {"1x", "a", false, false},
        {"co lor", "a", false, false},
        {"--Brand", "#f00", false, true}},
       R"(<p style="--Brand: #f00;">x</p>)"},
      {R"(<p style="COLOR: Red ; color: blue; x; :y; z:">x</p>)",
       {{"top", "0", false, true}},
       R"(<p style="color: blue; top: 0;">x</p>)"},
      {R"(<p style="color: red !important; color: blue">x</p>)",
       {{"top", "0", false, true}},
       R"(<p style="color: red !important; top: 0;">x</p>)"},
  };
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT(row.element << " then " << row.sets.size() << " sets") {
      MemoryDom dom;
      dom.load(row.element);
      const NodeHandle p = one(dom, "p");
      for (const Set& set : row.sets)
        BOOST_TEST(dom.set_style(p, set.property, set.value, set.important) == set.accepted);
      BOOST_TEST(dom.html("p") == row.html);
    }
  }
}

BOOST_AUTO_TEST_CASE(style_reports_each_property_with_its_importance) {
  MemoryDom dom;
  dom.load(R"(<p style="Color: red; background: url('a;b.png') !IMPORTANT; --x: A">x</p><i>y</i>)");
  const NodeHandle p = one(dom, "p");
  BOOST_TEST((dom.style(p, "color") == StyleValue{"red", false}));
  BOOST_TEST((dom.style(p, "COLOR") == StyleValue{"red", false}));
  BOOST_TEST((dom.style(p, "background") == StyleValue{"url('a;b.png')", true}));
  BOOST_TEST((dom.style(p, "--x") == StyleValue{"A", false}));
  BOOST_TEST((dom.style(p, "--X") == StyleValue{}));
  BOOST_TEST((dom.style(p, "margin") == StyleValue{}));
  BOOST_TEST((dom.style(one(dom, "i"), "color") == StyleValue{}));
}

BOOST_AUTO_TEST_CASE(stylesheets_are_kept_in_the_order_added_until_removed) {
  MemoryDom dom;
  const SheetHandle first = dom.add_stylesheet("#a { opacity: 0 }");
  const SheetHandle second = dom.add_stylesheet("#b { opacity: 0 }");
  BOOST_TEST(first > 0u);
  BOOST_TEST(second != first);
  BOOST_TEST(
      dom.stylesheets() == (std::vector<std::string>{"#a { opacity: 0 }", "#b { opacity: 0 }"}),
      boost::test_tools::per_element());
  dom.remove_stylesheet(first);
  BOOST_TEST(dom.stylesheets() == std::vector<std::string>{"#b { opacity: 0 }"},
             boost::test_tools::per_element());
  dom.remove_stylesheet(first);
  BOOST_TEST(dom.misuses().size() == 1u);
  dom.refuse_stylesheets(true);
  BOOST_TEST(dom.add_stylesheet("p {}") == 0u);
}

// ---- the page's mutations and the facts filter
// -----------------------------------------------------

BOOST_AUTO_TEST_CASE(the_facts_filter_reports_watches_and_guards_the_page_mutations_hit) {
  const std::string page =
      R"(<div id="app"><h1 id="title">Aurora</h1><ul id="list"><li id="first">a</li></ul></div>)"
      R"(<footer id="foot"><span id="s">x</span></footer>)";
  const std::map<std::uint32_t, std::string> watches = {
      {1, ".card"}, {2, "#list li"}, {3, "[data-late]"}, {5, "h2"}, {9, "li:has(.card)"}};
  struct Row {
    std::string_view what;
    std::vector<std::string_view> guarded;  // selectors, in guard order
    std::function<void(MemoryDom&)> page;
    std::vector<std::uint32_t> appeared;
    std::vector<std::string_view> mutated;  // selectors of the guarded nodes reported
  };
  const Row rows[] = {
      {"text set on a guarded node: it and its guarded ancestors",
       {"#title", "#app", "#foot"},
       [](MemoryDom& d) { d.page_set_text("#title", "x"); },
       {},
       {"#title", "#app"}},
      {"an attribute change: only its target",
       {"#app", "#title"},
       [](MemoryDom& d) { d.page_set_attribute("#title", "class", "big"); },
       {},
       {"#title"}},
      {"an attribute removed: only when it was there",
       {"#title"},
       [](MemoryDom& d) { d.page_remove_attribute("#title", "class"); },
       {},
       {}},
      {"character data: the text node's guarded ancestors",
       {"#list", "#app"},
       [](MemoryDom& d) { d.page_set_data("#title", "y"); },
       {},
       {"#app"}},
      {"an added element matching watches, and its guarded parent",
       {"#title", "#list"},
       [](MemoryDom& d) { d.page_append_html("#list", R"(<li class="card">b</li>)"); },
       {1, 2},
       {"#list"}},
      {"an element inside an added one",
       {},
       [](MemoryDom& d) { d.page_append_html("#foot", "<div><p data-late>late</p></div>"); },
       {3},
       {}},
      {"watch ids ascending, whatever the record order",
       {},
       [](MemoryDom& d) {
         d.page_insert_html("#foot", Position::kBefore, "<p data-late>late</p>");
         d.page_insert_html("#first", Position::kAfter, R"(<li class="card">b</li>)");
       },
       {1, 2, 3},
       {}},
      {"a removed subtree: the guarded nodes inside it",
       {"#title", "#foot"},
       [](MemoryDom& d) { d.page_remove("#app"); },
       {},
       {"#title"}},
      {"a move: out of one parent, into another",
       {"#foot", "#title", "#app"},
       [](MemoryDom& d) { d.page_move("#title", "#foot", Position::kAppend); },
       {},
       {"#title", "#app", "#foot"}},
      {"a replaced element (outerHTML)",
       {"#title", "#app", "#list"},
       [](MemoryDom& d) { d.page_replace("#title", R"(<h2 id="title2">New</h2>)"); },
       {5},
       {"#title", "#app"}},
      {"children replaced (innerHTML)",
       {"#first", "#list"},
       [](MemoryDom& d) { d.page_replace_children("#list", R"(<li class="card">z</li>)"); },
       {1, 2},
       {"#first", "#list"}},
      {"an element added then removed before delivery has not appeared",
       {"#list"},
       [](MemoryDom& d) {
         d.page_append_html("#list", R"(<li class="card">b</li>)");
         d.page_remove("#list .card");
       },
       {},
       {"#list"}},
      {"an attribute change that makes an element match has made it appear",
       {},
       [](MemoryDom& d) { d.page_set_attribute("#first", "class", "card"); },
       {1, 2},
       {}},
      {"each guarded node once, however many records hit it",
       {"#title"},
       [](MemoryDom& d) {
         d.page_set_text("#title", "a");
         d.page_set_attribute("#title", "title", "b");
         d.page_set_text("#title", "c");
       },
       {},
       {"#title"}},
      {"a subtree taken out, changed and put back before delivery",
       {"#s"},
       [](MemoryDom& d) {
         const NodeHandle foot = d.query_all("#foot")->front();
         const NodeHandle s = d.query_all("#s")->front();
         d.page_remove(foot);
         d.page_append_html(s, R"(<b class="card">b</b>)");
         d.page_move(foot, "#app", Position::kAfter);
       },
       {1},
       {"#s"}},
  };
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT(row.what) {
      MemoryDom dom;
      dom.load(page);
      std::vector<NodeHandle> guarded;
      for (const auto selector : row.guarded) guarded.push_back(one(dom, selector));
      row.page(dom);
      PageFacts expected{row.appeared, {}};
      for (const auto selector : row.mutated) {
        const auto at = std::find(row.guarded.begin(), row.guarded.end(), selector);
        expected.mutated.push_back(guarded.at(static_cast<std::size_t>(at - row.guarded.begin())));
      }
      BOOST_TEST(dom.take_facts(watches, guarded) == expected);
      BOOST_TEST(!dom.has_page_mutations());
      BOOST_TEST(dom.take_facts(watches, guarded).empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(the_engine_own_writes_and_long_detached_nodes_are_not_observed) {
  MemoryDom dom;
  dom.load(R"(<div id="app"><h1 id="title">Aurora</h1></div><footer id="foot">f</footer>)");
  const std::map<std::uint32_t, std::string> watches = {{1, "b"}};
  const NodeHandle title = one(dom, "#title");
  const NodeHandle app = one(dom, "#app");
  const std::vector<NodeHandle> guarded = {title, app};
  dom.set_text(title, "Brews a perfect cup");
  dom.set_attribute(title, "class", "x");
  dom.set_style(title, "color", "red", false);
  const auto fresh = dom.parse_html("<b>new</b>");
  dom.insert(app, Position::kAppend, fresh->front());
  dom.detach(app);
  dom.insert(one(dom, "#foot"), Position::kBefore, app);
  BOOST_TEST(!dom.has_page_mutations());
  BOOST_TEST(dom.take_facts(watches, guarded).empty());

  // A node the page removed before the last delivery is no longer observed.
  const NodeHandle foot = one(dom, "#foot");
  dom.page_remove(foot);
  BOOST_TEST(dom.take_facts(watches, guarded).empty());
  dom.page_set_text(foot, "changed out of the page");
  dom.page_append_html(foot, "<b>new</b>");
  BOOST_TEST(!dom.has_page_mutations());

  // A released handle is no longer reported.
  dom.page_set_text("#title", "again");
  dom.release(title);
  BOOST_TEST(dom.take_facts(watches, guarded) == (PageFacts{{}, {app}}));
}

BOOST_AUTO_TEST_CASE(fake_host_records_lifecycle_commands_and_reports_facts_for_them) {
  FakeHost host;
  host.dom.load(R"(<div id="app"><h1 id="title">Aurora</h1></div>)");
  const NodeHandle title = host.query_all("#title")->front();
  host.guard(title, true);
  host.guard(title, true);
  host.watch(4, ".late");
  host.watch(2, "#app > p");
  host.watch(4, ".card");  // replaces watch 4
  host.unwatch(2);
  host.reveal(0);
  host.reveal(Host::kAllRules);
  host.navigate("https://shop.example/b");
  host.set_timer(250);
  BOOST_TEST(host.timer.value_or(0) == 250);
  host.set_timer(-1);
  BOOST_TEST(!host.timer);
  BOOST_TEST(host.guarded == std::vector<NodeHandle>{title}, boost::test_tools::per_element());
  BOOST_TEST(host.revealed == (std::vector<std::int32_t>{0, -1}), boost::test_tools::per_element());
  BOOST_TEST(host.navigations == std::vector<std::string>{"https://shop.example/b"},
             boost::test_tools::per_element());

  host.dom.page_set_text("#title", "x");
  host.dom.page_append_html("#app", R"(<p class="card late">c</p>)");
  BOOST_TEST(host.facts() == (PageFacts{{4}, {title}}));
  host.dom.page_set_text("#title", "y");
  host.release(title);  // releasing unguards
  BOOST_TEST(host.guarded.empty());
  BOOST_TEST(host.facts().empty());
  BOOST_TEST(host.dom.live_handles() == 0u);
  BOOST_TEST(host.dom.misuses().empty());
}
