#define BOOST_TEST_MODULE input_file
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <string>

#include "input_file.hpp"
#include "support/commands.hpp"

using namespace vario::host;
using vario::testing::Folder;

BOOST_AUTO_TEST_CASE(a_file_is_read_whole_byte_for_byte) {
  Folder f;
  const std::string bytes("{\"a\":\r\n\0\xff}", 10);
  std::ofstream(f.dir / "in.json", std::ios::binary) << bytes;
  std::string why;
  const auto text = read_input_file(f.dir / "in.json", "a campaigns file", &why);
  BOOST_TEST_REQUIRE(text.has_value(), why);
  BOOST_TEST(*text == bytes);
}

BOOST_AUTO_TEST_CASE(a_folder_is_named_as_a_folder_and_a_missing_file_as_unreadable) {
  Folder f;
  std::string why;
  BOOST_TEST(!read_input_file(f.dir, "a campaigns file", &why));
  BOOST_TEST(why == f.dir.string() + " is a folder, not a campaigns file");
  BOOST_TEST(!read_input_file(f.dir / "missing.json", "a campaigns file", &why));
  BOOST_TEST(why == (f.dir / "missing.json").string() + ": cannot be read");
}

BOOST_AUTO_TEST_CASE(a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_refused) {
  Folder f;
  const std::string at_limit(kMaxInputBytes, ' ');
  std::ofstream(f.dir / "at_limit.json", std::ios::binary) << at_limit;
  std::ofstream(f.dir / "over.json", std::ios::binary) << at_limit << ' ';
  std::string why;
  const auto text = read_input_file(f.dir / "at_limit.json", "a visitors file", &why);
  BOOST_TEST_REQUIRE(text.has_value(), why);
  BOOST_TEST(text->size() == kMaxInputBytes);
  BOOST_TEST(!read_input_file(f.dir / "over.json", "a visitors file", &why));
  BOOST_TEST(why ==
             (f.dir / "over.json").string() +
                 ": is larger than 16 MiB (16777216 bytes), the most a visitors file may be");
}
