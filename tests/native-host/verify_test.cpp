#define BOOST_TEST_MODULE verify
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "number_text.hpp"
#include "preview/keys.hpp"
#include "support/commands.hpp"
#include "support/tag_server.hpp"
#include "tag/digest.hpp"

namespace fs = std::filesystem;
using namespace vario;
using testing::Captured;
using testing::Folder;
using testing::run_vario;

namespace {

host::BuiltTag split_tag() {
  static const host::Pkey key = host::generate_p256_key();
  return host::build_tag(testing::headline_test(), testing::stand_in_engine(),
                         {.layout = host::TagLayout::kSplit, .key = key.get()});
}

// The built files written to a folder, as `vario build` would.
struct Written {
  Folder folder;
  host::BuiltTag tag = split_tag();
  Written() {
    for (const auto& f : tag.files) std::ofstream(folder.dir / f.name, std::ios::binary) << f.bytes;
  }
  std::string path(const std::string& name) const { return (folder.dir / name).string(); }
  void tamper(const std::string& name) const {
    std::string bytes = tag.find(name)->bytes;
    bytes[bytes.size() / 2] ^= 1;
    std::ofstream(folder.dir / name, std::ios::binary) << bytes;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_file_that_matches_its_sha256_sri_or_manifest_is_ok) {
  Written w;
  const host::TagFile& tag_js = *w.tag.find("tag.js");
  for (const std::vector<std::string>& how :
       {std::vector<std::string>{"--sha256", host::sha256_hex(tag_js.bytes)},
        std::vector<std::string>{"--sri", host::sri_sha384(tag_js.bytes)},
        std::vector<std::string>{"--manifest", w.path("manifest.json")}}) {
    BOOST_TEST_CONTEXT(how[0]) {
      const Captured c = run_vario({"verify", w.path("tag.js"), how[0], how[1]});
      BOOST_TEST(c.code == 0, c.err);
      BOOST_TEST(c.out.rfind("OK: " + w.path("tag.js") + " matches ", 0) == 0u, c.out);
      BOOST_TEST(std::count(c.out.begin(), c.out.end(), '\n') == 1, "one verdict line");
    }
  }
  const Captured manifest =
      run_vario({"verify", w.path("campaigns.bin"), "--manifest", w.path("manifest.json")});
  BOOST_TEST(manifest.code == 0, manifest.err);
  BOOST_TEST(manifest.out ==
             "OK: " + w.path("campaigns.bin") + " matches " + w.path("manifest.json") +
                 " (sha256 " + host::sha256_hex(w.tag.find("campaigns.bin")->bytes) + ", " +
                 host::with_thousands(w.tag.find("campaigns.bin")->bytes.size()) + " bytes)\n");
}

BOOST_AUTO_TEST_CASE(a_file_changed_by_one_byte_is_a_mismatch_that_names_both_hashes) {
  Written w;
  const std::string expected = host::sha256_hex(w.tag.find("tag.js")->bytes);
  w.tamper("tag.js");
  const Captured c = run_vario({"verify", w.path("tag.js"), "--manifest", w.path("manifest.json")});
  BOOST_TEST(c.code == 1);
  BOOST_TEST(c.out.rfind("MISMATCH: " + w.path("tag.js") + " has sha256 ", 0) == 0u, c.out);
  BOOST_TEST(
      c.out.find("; " + w.path("manifest.json") + " says " + expected + "\n") != std::string::npos,
      c.out);
  const Captured sri = run_vario({"verify", w.path("tag.js"), "--sri", w.tag.tag_sri});
  BOOST_TEST(sri.code == 1);
  BOOST_TEST(sri.out.find("; --sri says " + w.tag.tag_sri) != std::string::npos, sri.out);
}

BOOST_AUTO_TEST_CASE(what_cannot_be_compared_is_an_error_not_a_verdict) {
  Written w;
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& c : {
           Case{{"verify", w.path("tag.js")}, "nothing to compare"},
           Case{{"verify", w.path("missing.js"), "--sha256", std::string(64, 'a')},
                "cannot be read"},
           Case{{"verify", w.path("tag.js"), "--sha256", "abc"}, "--sha256 must be 64 hex digits"},
           Case{{"verify", w.path("tag.js"), "--sri", "sha256-abc"},
                "--sri must be a sha384- value"},
           Case{{"verify", w.path("tag.js"), "--manifest", w.path("tag.js")},
                "is not a manifest.json"},
           Case{{"verify", w.path("manifest.json"), "--manifest", w.path("manifest.json")},
                "lists no file called manifest.json (it lists campaigns.bin, tag.js, vario."},
           Case{{"verify", w.folder.dir.string(), "--sha256", std::string(64, 'a')},
                "is a folder, not a tag file"},
           Case{{"verify", "http://127.0.0.1:1/vario/tag.js"},
                "http://127.0.0.1:1/v1/tags/tag.js/checksum: "},
       }) {
    BOOST_TEST_CONTEXT(c.args[1]) {
      const Captured r = run_vario(c.args);
      BOOST_TEST(r.code == 2);
      BOOST_TEST(r.out.empty());
      BOOST_TEST(r.err.rfind("vario verify: ", 0) == 0u, r.err);
      BOOST_TEST(r.err.find(c.message) != std::string::npos, r.err);
    }
  }
  const Captured both = run_vario(
      {"verify", w.path("tag.js"), "--sha256", std::string(64, 'a'), "--sri", "sha384-x"});
  BOOST_TEST(both.code == 2, "two expectations at once is a usage error");
}

BOOST_AUTO_TEST_CASE(a_served_file_is_compared_with_the_checksum_its_server_publishes) {
  const host::BuiltTag tag = split_tag();
  testing::TagServer s(tag);
  for (const auto& f : tag.files) {
    BOOST_TEST_CONTEXT(f.name) {
      const Captured c = run_vario({"verify", s.url("/vario/" + f.name)});
      BOOST_TEST(c.code == 0, c.err);
      BOOST_TEST(c.out == "OK: " + s.url("/vario/" + f.name) +
                              " matches the checksum published at " +
                              s.url("/v1/tags/" + f.name + "/checksum") + " (sha256 " +
                              host::sha256_hex(f.bytes) + ", " +
                              host::with_thousands(f.bytes.size()) + " bytes)\n");
    }
  }
  Written w;
  const Captured served =
      run_vario({"verify", s.url("/vario/tag.js"), "--manifest", w.path("manifest.json")});
  BOOST_TEST(served.code == 0, served.err);
  const Captured missing = run_vario({"verify", s.url("/vario/other.js")});
  BOOST_TEST(missing.code == 2);
  BOOST_TEST(missing.err.find("HTTP 404") != std::string::npos, missing.err);
}

BOOST_AUTO_TEST_CASE(a_local_copy_that_differs_from_the_published_checksum_is_a_mismatch) {
  const host::BuiltTag tag = split_tag();
  testing::TagServer s(tag);
  Written w;
  w.tamper("campaigns.bin");
  const std::string published = s.url("/v1/tags/campaigns.bin/checksum");
  const Captured c = run_vario({"verify", w.path("campaigns.bin"), "--published", published});
  BOOST_TEST(c.code == 1);
  BOOST_TEST(c.out.find("; the checksum published at " + published + " says " +
                        host::sha256_hex(tag.find("campaigns.bin")->bytes)) != std::string::npos,
             c.out);
}
