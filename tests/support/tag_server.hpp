// The tag as the native tests build and serve it: a stand-in engine (the wasm preset is not
// needed), an engine folder holding it for `vario build --engine-dir`, and a `vario serve`
// (host::Server) on a free port serving a built tag, for the tests of the tag's routes and of
// `vario verify`.
#pragma once

#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "serve/server.hpp"
#include "support/campaigns.hpp"
#include "support/commands.hpp"
#include "tag/build_tag.hpp"

namespace vario::testing {

// Eight bytes of wasm header, and a template whose one statement holds the build settings.
inline host::EngineFiles stand_in_engine() {
  return {std::string("\0asm\1\0\0\0", 8), R"(!function(){const b="@VARIO_BUILD@";}();)"};
}

// Writes stand_in_engine() as vario.wasm and tag.template.js into `dir`; returns `dir`.
inline std::filesystem::path write_engine_dir(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const host::EngineFiles engine = stand_in_engine();
  std::ofstream(dir / "vario.wasm", std::ios::binary) << engine.wasm;
  std::ofstream(dir / "tag.template.js", std::ios::binary) << engine.tag_template;
  return dir;
}

class TagServer {
 public:
  explicit TagServer(host::BuiltTag tag, bool stable_loader = true) {
    std::filesystem::create_directories(folder_.dir / "site");
    std::ofstream(folder_.dir / "site" / "index.html")
        << "<!doctype html><html><head><meta charset=\"utf-8\"><title>t</title></head></html>";
    host::ServeOptions options;
    options.port = 0;
    options.site_dir = folder_.dir / "site";
    options.db_path = folder_.dir / "events.db";
    options.account = "demo-shop";
    options.tag = std::move(tag);
    options.stable_loader = stable_loader;
    server_ = std::make_unique<host::Server>(std::move(options));
    if (!server_->start()) throw std::runtime_error(server_->error());
    thread_ = std::thread([this] { server_->run(); });
  }
  TagServer(const TagServer&) = delete;
  TagServer& operator=(const TagServer&) = delete;
  ~TagServer() {
    server_->stop();
    thread_.join();
  }

  // A client that sends only the headers a test gives (no Accept-Encoding of its own) and
  // decodes whatever coding the server answers in.
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_connection_timeout(5);
    c.set_read_timeout(5);
    c.set_compress(false);
    return c;
  }

  // "http://127.0.0.1:PORT" + path.
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
  }

 private:
  Folder folder_;
  std::unique_ptr<host::Server> server_;
  std::thread thread_;
};

}  // namespace vario::testing
