#define BOOST_TEST_MODULE campaigns_file
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <string>

#include "commands/commands.hpp"
#include "input_file.hpp"
#include "support/commands.hpp"

using namespace vario::host;
using vario::testing::capture;
using vario::testing::Captured;
using vario::testing::Folder;

BOOST_AUTO_TEST_CASE(sixteen_mebibytes_of_nested_arrays_are_refused_at_the_first_level_too_deep) {
  Folder f;
  const auto file = f.dir / "deep.json";
  std::ofstream(file, std::ios::binary) << std::string(kMaxInputBytes, '[');
  const Captured c = capture([&] { return run_check(file); });
  BOOST_TEST(c.code == 1);
  BOOST_TEST(c.err == file.string() +
                          ": JSON at line 1, column 69: nested deeper than 68 levels of arrays "
                          "and objects\n1 error in " +
                          file.string() + "\n");
}

BOOST_AUTO_TEST_CASE(a_campaigns_file_larger_than_sixteen_mebibytes_is_refused_unparsed) {
  Folder f;
  const auto file = f.dir / "large.json";
  std::ofstream(file, std::ios::binary) << std::string(kMaxInputBytes + 1, '[');
  const Captured c = capture([&] { return run_check(file); });
  BOOST_TEST(c.code == 1);
  BOOST_TEST(c.err == file.string() +
                          ": is larger than 16 MiB (16777216 bytes), the most a campaigns file "
                          "may be\n");
}

BOOST_AUTO_TEST_CASE(a_file_of_mistakes_prints_a_hundred_then_how_many_more_there_are) {
  Folder f;
  const auto file = f.dir / "mistakes.json";
  std::string text = R"({"version": 1, "account": "demo-shop", "campaigns": [)";
  for (int i = 0; i < 1000; ++i) text += std::string(i ? "," : "") + R"({"x": 1})";
  std::ofstream(file) << text << "]}";
  const Captured c = capture([&] { return run_check(file); });
  BOOST_TEST(c.code == 1);
  BOOST_TEST(c.err.starts_with(file.string() + ": /campaigns/0: missing required field 'id'\n"));
  // Six for each campaign: five required fields missing and "x" unknown.
  BOOST_TEST(c.err.ends_with(file.string() +
                             ": 5900 more errors are not shown; fix these first\nmore than 100 "
                             "errors in " +
                             file.string() + "\n"),
             c.err.substr(c.err.size() - 200));
}
