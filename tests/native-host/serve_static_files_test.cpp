#define BOOST_TEST_MODULE serve_static_files
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "serve/static_files.hpp"

namespace fs = std::filesystem;
using vario::host::content_type_for;
using vario::host::resolve_site_file;

namespace {

struct Site {
  fs::path root;  // holds site/ and, beside it, a file the site must never reach
  fs::path site;
  Site() {
    std::random_device random;
    root = fs::temp_directory_path() / ("vario-static-test-" + std::to_string(random()));
    site = root / "site";
    for (const char* file : {"index.html", "about.html", "shop/index.html", "shop/cart.html",
                             "img/logo.svg", ".git/config"}) {
      fs::create_directories((site / file).parent_path());
      std::ofstream(site / file) << file;
    }
    std::ofstream(root / "secret.txt") << "secret";
    fs::create_symlink(root / "secret.txt", site / "link.txt");
    site = fs::canonical(site);
  }
  ~Site() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(request_paths_map_to_files_inside_the_site_only) {
  Site s;
  struct Case {
    std::string path;
    int status;
    std::string file;  // relative to the site, when found
  };
  const std::vector<Case> cases = {
      {"/", 200, "index.html"},
      {"/index.html", 200, "index.html"},
      {"/about", 200, "about.html"},
      {"/shop", 200, "shop/index.html"},
      {"/shop/", 200, "shop/index.html"},
      {"/shop/cart", 200, "shop/cart.html"},
      {"//shop//./cart.html", 200, "shop/cart.html"},
      {"/img/logo.svg", 200, "img/logo.svg"},
      {"/missing", 404, ""},
      {"/img/missing.png", 404, ""},
      {"/img", 404, ""},  // a folder without index.html
      {"/../secret.txt", 403, ""},
      {"/shop/../../secret.txt", 403, ""},
      {"/shop/../index.html", 403, ""},  // refused even when it would stay inside
      {"/..", 403, ""},
      {"/a\\..\\secret.txt", 403, ""},
      {std::string("/index.html\0x", 13), 403, ""},
      {"relative", 403, ""},
      {"/link.txt", 403, ""},  // a symlink out of the site
      {"/.git/config", 404, ""},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.path) {
      auto result = resolve_site_file(s.site, c.path);
      BOOST_TEST(result.status == c.status);
      if (c.status == 200) BOOST_TEST(result.file == s.site / c.file);
    }
  }
}

BOOST_AUTO_TEST_CASE(content_types_follow_the_extension_case_insensitively) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"a.html", "text/html; charset=utf-8"},
      {"a.HTM", "text/html; charset=utf-8"},
      {"a.css", "text/css; charset=utf-8"},
      {"a.js", "text/javascript; charset=utf-8"},
      {"a.json", "application/json"},
      {"a.svg", "image/svg+xml"},
      {"a.png", "image/png"},
      {"a.JPG", "image/jpeg"},
      {"a.jpeg", "image/jpeg"},
      {"a.ico", "image/x-icon"},
      {"a.wasm", "application/wasm"},
      {"a.bin", "application/octet-stream"},
      {"README", "application/octet-stream"},
  };
  for (const auto& [file, type] : cases) {
    BOOST_TEST_CONTEXT(file) { BOOST_TEST(content_type_for(file) == type); }
  }
}
