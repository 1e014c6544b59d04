#define BOOST_TEST_MODULE page_rules
#include <boost/test/unit_test.hpp>

#include "vario/page_rules.hpp"

using namespace vario;

BOOST_AUTO_TEST_CASE(each_match_kind_matches_what_its_name_says) {
  struct Case { MatchKind kind; std::string_view pattern, path; bool matches; };
  const Case cases[] = {
      {MatchKind::kExact, "/product.html", "/product.html", true},
      {MatchKind::kExact, "/product.html", "/product.html/", false},
      {MatchKind::kExact, "/", "/", true},
      {MatchKind::kPrefix, "/product", "/product.html", true},
      {MatchKind::kPrefix, "/product", "/products/42", true},
      {MatchKind::kPrefix, "/product", "/cart.html", false},
      {MatchKind::kPrefix, "/product", "/prod", false},
      {MatchKind::kContains, "cart", "/shop/cart.html", true},
      {MatchKind::kContains, "cart", "/checkout", false},
      {MatchKind::kGlob, "/products/*", "/products/42", true},
      {MatchKind::kGlob, "/products/*", "/products/", true},
      {MatchKind::kGlob, "/products/*", "/product", false},
      {MatchKind::kGlob, "/*/item-?.html", "/shop/item-7.html", true},
      {MatchKind::kGlob, "/*/item-?.html", "/shop/item-77.html", false},
      {MatchKind::kGlob, "*.html", "/a/b/c.html", true},
      {MatchKind::kGlob, "/a*b*c", "/aXXbYYc", true},
      {MatchKind::kGlob, "/a*b*c", "/aXXbYY", false},
      {MatchKind::kGlob, "**", "", true},
      {MatchKind::kGlob, "?", "", false},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(int(c.kind) << " '" << c.pattern << "' on '" << c.path << "'") {
      BOOST_TEST(page_rule_matches(c.kind, c.pattern, c.path) == c.matches);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_glob_of_many_stars_on_a_long_path_finishes_quickly) {
  // Backtracking globs can go exponential; ours is linear-ish. This must simply return.
  const std::string path(5000, 'a');
  BOOST_TEST(!page_rule_matches(MatchKind::kGlob, "*a*a*a*a*a*a*a*a*a*a*b", path));
}

BOOST_AUTO_TEST_CASE(url_parts_are_split_as_a_browser_would) {
  BOOST_TEST(url_path("https://shop.example/a/b?q=1#h") == "/a/b");
  BOOST_TEST(url_path("https://shop.example") == "/");
  BOOST_TEST(url_path("https://shop.example?x") == "/");
  BOOST_TEST(url_path("/cart.html?coupon=x") == "/cart.html");
  BOOST_TEST(url_origin("http://127.0.0.1:8080/product.html") == "http://127.0.0.1:8080");
  BOOST_TEST(url_origin("/relative") == "");
  BOOST_TEST(url_host("http://127.0.0.1:8080/x") == "127.0.0.1");
  BOOST_TEST(url_host("http://[::1]:8080/x") == "[::1]");
  BOOST_TEST(url_host("https://user@shop.example/x") == "shop.example");
}
