#define BOOST_TEST_MODULE decide
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <string>

#include "commands/commands.hpp"
#include "support/campaigns.hpp"
#include "support/commands.hpp"

using namespace vario::host;
using vario::testing::capture;
using vario::testing::Captured;
using vario::testing::Folder;

namespace {

// `vario decide` on the headline test for the visitor JSON `visitor`.
Captured decide(const Folder& f, const std::string& visitor) {
  std::ofstream(f.dir / "campaigns.json") << vario::testing::headline_test().dump();
  std::ofstream(f.dir / "visitor.json") << visitor;
  return capture([&] {
    return run_decide({.campaigns = f.dir / "campaigns.json", .visitor = f.dir / "visitor.json"});
  });
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_visitor_nested_too_deep_is_refused_at_its_byte_also_with_a_preview_token) {
  Folder f;
  // "preview" makes decide read the visitor itself before the engine does. The root is level 0
  // for the engine, "attributes" 1, so the 64th bracket (at byte 67 + 63) opens level 65.
  const std::string deep =
      R"({"id": "a", "url": "/product", "preview": "t", "attributes": {"x": )" +
      std::string(1'000'000, '[');
  const Captured c = decide(f, deep);
  BOOST_TEST(c.code == 1);
  BOOST_TEST(c.err.ends_with(": visitor: JSON at byte 130: nested deeper than 64 levels\n"), c.err);
}

BOOST_AUTO_TEST_CASE(a_misspelt_visitor_field_is_refused_with_the_field_it_looks_like) {
  Folder f;
  const Captured c = decide(f, R"({"id": "a", "url": "https://shop.example/product",
                                   "assigments": {"product-headline": "benefit"}})");
  BOOST_TEST(c.code == 1);
  BOOST_TEST(c.err == (f.dir / "visitor.json").string() +
                          ": visitor: /assigments is not a visitor field; did you mean "
                          "'assignments'?\n");
  BOOST_TEST(c.out.empty());
}

BOOST_AUTO_TEST_CASE(an_unknown_field_in_a_visitors_file_is_refused_at_its_line) {
  Folder f;
  std::ofstream(f.dir / "campaigns.json") << vario::testing::headline_test().dump();
  std::ofstream(f.dir / "visitors.jsonl") << R"({"id": "a", "url": "/product"}
{"id": "b", "url": "/product", "colour": 1}
)";
  const Captured c = capture([&] {
    return run_decide(
        {.campaigns = f.dir / "campaigns.json", .visitors = f.dir / "visitors.jsonl"});
  });
  BOOST_TEST(c.code == 1);
  BOOST_TEST(c.err ==
             (f.dir / "visitors.jsonl").string() + ":2: visitor: /colour is not a visitor field\n");
  BOOST_TEST(c.out.find("\"visitor\":\"a\"") != std::string::npos, c.out);
}
