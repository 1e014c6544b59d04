#define BOOST_TEST_MODULE json
#include <boost/test/unit_test.hpp>

#include "vario/json.hpp"

using namespace vario;

BOOST_AUTO_TEST_CASE(valid_documents_parse_to_the_values_they_spell) {
  auto r = json::parse(R"( {"a": [1, -2.5e1, true, false, null], "s": "x\"\\\/\n\u00e9\ud83d\ude00", "a": 3} )");
  BOOST_REQUIRE(r.ok());
  const json::Value& v = r.value();
  BOOST_TEST(v.find("a")->as_number() == 3);  // the last duplicate wins, as in JSON.parse
  BOOST_TEST(v.members().at(0).second.items().at(1).as_number() == -25);
  BOOST_TEST(v.find("s")->as_string() == "x\"\\/\n\xc3\xa9\xf0\x9f\x98\x80");
  BOOST_TEST(v.find("missing") == nullptr);
}

BOOST_AUTO_TEST_CASE(malformed_documents_are_rejected_with_the_byte_offset) {
  struct Case { std::string_view text, fragment; };
  const Case cases[] = {
      {"", "byte 0: expected a value"},
      {"{", "byte 1: expected a string key"},
      {"{\"a\" 1}", "byte 5: expected ':'"},
      {"[1,]", "byte 3: expected a value"},
      {"[1 2]", "byte 3: expected ',' or ']'"},
      {"\"abc", "unterminated string"},
      {"\"\\x\"", "invalid escape"},
      {"tru", "invalid literal"},
      {"1 2", "byte 2: unexpected text"},
      {"-", "expected a value"},
      {"1.", "expected digits after '.'"},
      {"\"a\nb\"", "control character"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.text) {
      auto r = json::parse(c.text);
      BOOST_REQUIRE(!r.ok());
      BOOST_TEST((r.error().code == ErrorCode::kInvalidArgument));
      BOOST_TEST(r.error().message.find(c.fragment) != std::string::npos, r.error().message);
    }
  }
}

BOOST_AUTO_TEST_CASE(nesting_deeper_than_sixty_four_levels_is_refused_not_crashed) {
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  auto r = json::parse(deep);
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(r.error().message.find("deeper than 64") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_writer_escapes_strings_and_places_commas) {
  json::Writer w;
  w.begin_object().key("a").string("q\"\\\x01\n").key("n").integer(-9007199254740993LL)
      .key("l").begin_array().integer(0).boolean(true).end_array().end_object();
  BOOST_TEST(w.text() == R"({"a":"q\"\\\u0001\n","n":-9007199254740993,"l":[0,true]})");
}

BOOST_AUTO_TEST_CASE(numbers_convert_to_the_double_javascript_would_read) {
  struct Case { std::string_view text; double value; };
  const Case cases[] = {
      {"0", 0.0},          {"-0", -0.0},        {"42", 42.0},
      {"0.1", 0.1},        {"3.14159", 3.14159}, {"-2.5e-3", -0.0025},
      {"1e3", 1000.0},     {"1E+2", 100.0},     {"9007199254740993", 9007199254740992.0},
      {"1e22", 1e22},      {"123456.789e3", 123456789.0},
      {"0.000001", 0.000001},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.text) {
      auto r = json::parse(c.text);
      BOOST_REQUIRE(r.ok());
      BOOST_TEST(r.value().as_number() == c.value);
    }
  }
  // Beyond the exact range the value is still close.
  auto big = json::parse("1.5e300");
  BOOST_TEST(big.value().as_number() == 1.5e300, boost::test_tools::tolerance(1e-12));
}
