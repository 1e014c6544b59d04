#define BOOST_TEST_MODULE serve_html_injection
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "serve/html_injection.hpp"

using vario::host::inject_into_head;
using vario::host::script_tag;

BOOST_AUTO_TEST_CASE(the_script_tag_carries_src_integrity_and_crossorigin) {
  BOOST_TEST(script_tag("/vario/tag.js", "sha384-abc+/=") ==
             "<script src=\"/vario/tag.js\" integrity=\"sha384-abc+/=\" "
             "crossorigin=\"anonymous\"></script>");
  BOOST_TEST(script_tag("/vario/tag.js", "") ==
             "<script src=\"/vario/tag.js\" crossorigin=\"anonymous\"></script>");
  BOOST_TEST(script_tag("/a\"b&c", "x\"y") ==
             "<script src=\"/a&quot;b&amp;c\" integrity=\"x&quot;y\" "
             "crossorigin=\"anonymous\"></script>");
}

BOOST_AUTO_TEST_CASE(the_element_goes_where_a_site_owner_would_paste_it) {
  struct Case {
    const char* why;
    std::string html;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"after a plain head", "<!DOCTYPE html><html><head><title>t</title></head></html>",
       "<!DOCTYPE html><html><head>[T]<title>t</title></head></html>"},
      {"after a head with attributes, any case", "<html><HeAd class=\"x\">\n<meta></HeAd>",
       "<html><HeAd class=\"x\">[T]\n<meta></HeAd>"},
      {"a quoted > inside the head tag", "<head data-a='1>2'><title>",
       "<head data-a='1>2'>[T]<title>"},
      {"a header element is not the head", "<html><body><header>h</header></body>",
       "<html>[T]<body><header>h</header></body>"},
      {"a head in a comment is skipped", "<!-- <head> --><html><head></head>",
       "<!-- <head> --><html><head>[T]</head>"},
      {"no head: after the html tag", "<!doctype html>\n<html lang=en><title>t</title>",
       "<!doctype html>\n<html lang=en>[T]<title>t</title>"},
      {"no head, no html: before the first element", "<!doctype html>\n<p>hi</p>",
       "<!doctype html>\n[T]<p>hi</p>"},
      {"no doctype and no tags: at the very start", "just text", "[T]just text"},
      {"text after the doctype: after the doctype", "<!doctype html>hello",
       "<!doctype html>[T]hello"},
      {"only a doctype: after it, never before it", "<!doctype html>\n", "<!doctype html>[T]\n"},
      {"an empty document", "", "[T]"},
      {"a head after body content is not used", "<p>x</p><head></head>",
       "[T]<p>x</p><head></head>"},
      {"an unterminated head tag", "<html><head", "<html>[T]<head"},
      {"after the meta charset that opens the head",
       "<head>\n  <meta charset=\"utf-8\">\n  <title>t</title>",
       "<head>\n  <meta charset=\"utf-8\">[T]\n  <title>t</title>"},
      {"after a meta charset behind other metas, links and comments",
       "<head><meta name=viewport content=\"a>b\"><!-- x --><link rel=icon href=i>"
       "<META CharSet=utf-8><title>",
       "<head><meta name=viewport content=\"a>b\"><!-- x --><link rel=icon href=i>"
       "<META CharSet=utf-8>[T]<title>"},
      {"after an http-equiv content type",
       "<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><title>",
       "<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">[T]<title>"},
      {"a meta charset after the title is left where it is",
       "<head><title>t</title><meta charset=utf-8>",
       "<head>[T]<title>t</title><meta charset=utf-8>"},
      {"a head without a charset: right after the head tag", "<head><meta name=a><title>",
       "<head>[T]<meta name=a><title>"},
      {"no head: after the meta charset", "<!doctype html><meta charset=utf-8><title>t</title>",
       "<!doctype html><meta charset=utf-8>[T]<title>t</title>"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.why) { BOOST_TEST(inject_into_head(c.html, "[T]") == c.expected); }
  }
}
