#define BOOST_TEST_MODULE build_command
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "support/campaigns.hpp"
#include "support/commands.hpp"
#include "support/tag_server.hpp"

namespace fs = std::filesystem;
using vario::testing::Captured;
using vario::testing::Folder;
using vario::testing::run_vario;

namespace {

// A folder with campaigns.json, a key and a stand-in engine: what `vario build` reads.
struct BuildInputs {
  Folder folder;
  std::string campaigns = (folder.dir / "campaigns.json").string();
  std::string key = (folder.dir / "key.pem").string();
  std::string engine_dir = vario::testing::write_engine_dir(folder.dir / "engine").string();

  BuildInputs() {
    std::ofstream(campaigns) << vario::testing::headline_test().dump();
    BOOST_REQUIRE(run_vario({"keygen", "--out", key}).code == 0);
  }

  Captured build(const fs::path& out, std::vector<std::string> more = {}) const {
    std::vector<std::string> args = {"build",      campaigns,      "-o",
                                     out.string(), "--engine-dir", engine_dir};
    args.insert(args.end(), more.begin(), more.end());
    return run_vario(args);
  }
};

std::map<std::string, std::string> files_in(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    out[entry.path().filename().string()] = bytes.str();
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(two_builds_in_two_folders_write_byte_identical_files_in_both_layouts) {
  BuildInputs in;
  for (const std::vector<std::string>& layout : {std::vector<std::string>{"--key", in.key},
                                                 std::vector<std::string>{"--layout", "inline"}}) {
    const fs::path a = in.folder.dir / ("a-" + layout[1].substr(layout[1].size() - 3));
    const fs::path b =
        in.folder.dir / "elsewhere" / "deeper" / ("b-" + layout[1].substr(layout[1].size() - 3));
    BOOST_TEST_CONTEXT(layout[0] << " " << layout[1]) {
      const Captured first = in.build(a, layout);
      const Captured second = in.build(b, layout);
      BOOST_TEST_REQUIRE(first.code == 0, first.err);
      BOOST_TEST_REQUIRE(second.code == 0, second.err);
      const auto files_a = files_in(a);
      BOOST_TEST(files_a == files_in(b));
      for (const auto& [name, bytes] : files_a) {
        BOOST_TEST(bytes.find(in.folder.dir.string()) == std::string::npos,
                   name << " holds a path");
        BOOST_TEST(bytes.find(".tmp") == std::string::npos, name);
      }
      // The listing differs only in the folder it names.
      BOOST_TEST(first.out.substr(first.out.find('\n')) ==
                 second.out.substr(second.out.find('\n')));
    }
  }
}

BOOST_AUTO_TEST_CASE(
    the_split_layout_writes_a_loader_an_engine_named_by_its_hash_and_signed_campaigns) {
  BuildInputs in;
  const fs::path out = in.folder.dir / "out";
  const Captured c = in.build(out, {"--key", in.key});
  BOOST_TEST_REQUIRE(c.code == 0, c.err);
  std::set<std::string> names;
  for (const auto& [name, bytes] : files_in(out)) names.insert(name);
  BOOST_TEST(names.size() == 4u);
  BOOST_TEST(names.count("tag.js") == 1u);
  BOOST_TEST(names.count("campaigns.bin") == 1u);
  BOOST_TEST(names.count("manifest.json") == 1u);
  BOOST_TEST(c.out.rfind("Built " + out.string() + "/ (split layout)\n", 0) == 0u, c.out);
  BOOST_TEST(c.out.find("signed by key ") != std::string::npos, c.out);
  BOOST_TEST(
      c.out.find("Paste into <head>, right after <meta charset>:\n  <script src=\"/vario/tag.js\" "
                 "integrity=\"sha384-") != std::string::npos,
      c.out);
}

BOOST_AUTO_TEST_CASE(the_split_layout_without_a_key_names_the_flag_and_keygen_and_writes_nothing) {
  BuildInputs in;
  const fs::path out = in.folder.dir / "out";
  const Captured c = in.build(out);
  BOOST_TEST(c.code == 2);
  BOOST_TEST(c.err.find("--key FILE.pem") != std::string::npos, c.err);
  BOOST_TEST(c.err.find("vario keygen") != std::string::npos, c.err);
  BOOST_TEST(c.err.find("--layout inline") != std::string::npos, c.err);
  BOOST_TEST(!fs::exists(out));

  std::ofstream(in.folder.dir / "not-a-key.pem") << "hello";
  const Captured bad = in.build(out, {"--key", (in.folder.dir / "not-a-key.pem").string()});
  BOOST_TEST(bad.code == 1);
  BOOST_TEST(bad.err.find("is not a PEM private key") != std::string::npos, bad.err);
  BOOST_TEST(!fs::exists(out));
}

BOOST_AUTO_TEST_CASE(an_unknown_layout_is_a_usage_error) {
  BuildInputs in;
  const Captured c = in.build(in.folder.dir / "out", {"--layout", "both"});
  BOOST_TEST(c.code == 2);
  BOOST_TEST(c.err.find("--layout") != std::string::npos, c.err);
}
