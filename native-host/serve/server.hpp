// `vario serve`: the demo site with the tag injected, the tag's files, and the event collector.
// Routes, status codes and the event format are documented for users in docs/events.md.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "serve/served_campaigns.hpp"
#include "store/retention.hpp"
#include "tag/built_tag.hpp"

namespace httplib {
class Server;
}

namespace vario::host {

class Collector;
class EventStore;
class TagRoutes;

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                 // 0 = pick a free port
  std::filesystem::path site_dir;  // static site root
  std::filesystem::path db_path = ".vario/events.db";
  std::string store;       // a PostgreSQL URI (store/event_store.hpp); empty: the SQLite db_path
  std::string account;     // events for other accounts are rejected
  ServedCampaigns served;  // what events are checked against (its account: `account`)
  std::vector<std::string> origins;  // other origins whose pages may post events (CORS)
  int retention_months = kMaxRetentionMonths;
  BuiltTag tag;  // served under /vario/, its SRI goes into every page
  // False when the loader differs from one run to the next (its key is made per run): it is
  // then never cached (serve/tag_routes.hpp).
  bool stable_loader = true;
};

// The Content-Security-Policy sent with every HTML page: the strictest policy the tag works
// under ('wasm-unsafe-eval' is what WebAssembly compilation needs, nothing more).
inline constexpr const char* kDemoContentSecurityPolicy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'";

// The server as an object, so that tests can run it on a free port and stop it. Typical use:
//   Server server(options);
//   if (!server.start()) { report(server.error()); }
//   std::thread t([&] { server.run(); });  ...  server.stop(); t.join();
class Server {
 public:
  explicit Server(ServeOptions options);
  ~Server();  // stops the server if it still runs; the thread in run() must be joined first
  // Owns a listening socket and a database connection: neither can be shared by copies.
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Checks the site folder, opens (or creates) the event store, purges the events older than
  // the retention window, and binds the port; once it returns true, connections are accepted
  // into the backlog and port() is known. The tag's files are compressed here, once. On failure
  // returns false, and error() is one sentence for the user (missing site folder, unusable
  // database, port in use, no account). Call once.
  bool start();

  // Serves requests on a bounded pool of threads (serve/connection_limits.hpp), and purges
  // expired events once a day, until stop() is called. Requires start() == true.
  // Returns true when it stopped because of stop(), false if the listening socket failed.
  bool run();

  // Makes run() return after the requests in flight complete. Safe from any thread, at any
  // time (before run() starts, too) and more than once; not async-signal-safe.
  void stop();

  // The bound port (the chosen one when options.port was 0); 0 before a successful start().
  int port() const { return port_; }

  // "http://HOST:PORT/", with IPv6 hosts in brackets.
  std::string url() const;

  const std::string& error() const { return error_; }

  // "SQLite file PATH" or "PostgreSQL HOST:PORT/DB"; empty before a successful start().
  std::string store_description() const;

 private:
  void install_routes();

  ServeOptions options_;
  std::filesystem::path site_root_;  // canonical options_.site_dir
  std::string script_element_;
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<Collector> collector_;
  std::unique_ptr<TagRoutes> tag_routes_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;
  std::string error_;
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> running_{false};
  bool ran_ = false;  // run() was called: httplib then owns closing the socket
};

// Runs until SIGINT/SIGTERM (then stops cleanly, exit code 0). Prints exactly one line
// "Serving http://HOST:PORT/ (events: STORE)" to stdout and flushes it once listening — the
// browser tests read the port from that line. Returns a process exit code; errors (port busy,
// site dir missing, db unopenable) are printed to stderr as one clear sentence and return 1.
// SIGINT and SIGTERM are blocked in the calling thread while it runs (and in the server's
// threads), then the previous signal mask is restored.
int serve(const ServeOptions& options);

}  // namespace vario::host
