#include "serve/server.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <thread>

#include "serve/api_response.hpp"
#include "serve/collector.hpp"
#include "serve/connection_limits.hpp"
#include "serve/event_validation.hpp"
#include "serve/html_injection.hpp"
#include "serve/static_files.hpp"
#include "store/event_store.hpp"
#include "serve/tag_routes.hpp"

namespace vario::host {
namespace {

using nlohmann::json;

constexpr std::string_view kTagPrefix = "/vario/";  // serve/tag_routes.hpp
constexpr const char* kEventsPath = "/v1/events";

// Collector and API paths answer errors in JSON; the site answers in plain text.
bool is_api_path(const std::string& path) {
  return path.rfind("/v1/", 0) == 0 || path == "/healthz";
}

std::string allowed_methods(const std::string& path) {
  return path == kEventsPath ? "POST" : "GET, HEAD";
}

bool read_file(const std::filesystem::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// Lets the destructor release a port that was bound but never served: httplib only closes the
// listening socket when it stops a running server.
class HttpServer : public httplib::Server {
 public:
  void close_unused_socket() {
    auto sock = svr_sock_.exchange(INVALID_SOCKET);
    if (sock != INVALID_SOCKET) ::close(sock);
  }
};

}  // namespace

Server::Server(ServeOptions options) : options_(std::move(options)) {}

Server::~Server() {
  stop();
  if (http_ && !ran_) static_cast<HttpServer*>(http_.get())->close_unused_socket();
}

std::string Server::url() const {
  bool ipv6 = options_.host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + options_.host + "]" : options_.host) + ":" +
         std::to_string(port_) + "/";
}

bool Server::start() {
  namespace fs = std::filesystem;
  if (options_.account.empty()) {
    error_ = "No account is set, so the collector could not accept any event.";
    return false;
  }
  if (options_.port < 0 || options_.port > 65535) {
    error_ = "Port " + std::to_string(options_.port) + " is not between 0 and 65535.";
    return false;
  }
  std::error_code ec;
  if (options_.site_dir.empty()) {
    error_ = "No site folder was given.";
    return false;
  }
  if (!fs::exists(options_.site_dir, ec)) {
    error_ = "The site folder " + options_.site_dir.string() + " does not exist.";
    return false;
  }
  if (!fs::is_directory(options_.site_dir, ec)) {
    error_ = "The site folder " + options_.site_dir.string() + " is not a folder.";
    return false;
  }
  site_root_ = fs::canonical(options_.site_dir, ec);
  if (ec) {
    error_ =
        "The site folder " + options_.site_dir.string() + " cannot be read: " + ec.message() + ".";
    return false;
  }

  store_ =
      open_event_store(options_.store.empty() ? options_.db_path.string() : options_.store, error_);
  if (!store_) return false;
  CollectorOptions collecting{options_.served, options_.origins, options_.retention_months};
  if (collecting.served.account.empty()) collecting.served.account = options_.account;
  collector_ = std::make_unique<Collector>(*store_, std::move(collecting));
  // Expired events go at start-up, before any request can read them.
  if (!collector_->purge(now_ms(), error_)) {
    error_ =
        "Could not purge the expired events from " + store_->description() + ": " + error_ + ".";
    return false;
  }

  const TagFile* tag_js = options_.tag.find("tag.js");
  script_element_ =
      script_tag(std::string(kTagPrefix) + "tag.js", tag_js != nullptr ? options_.tag.tag_sri : "");
  try {
    tag_routes_ = std::make_unique<TagRoutes>(options_.tag, options_.stable_loader);
  } catch (const std::exception& e) {
    error_ = std::string("Could not compress the tag's files: ") + e.what() + ".";
    return false;
  }

  http_ = std::make_unique<HttpServer>();
  install_routes();

  errno = 0;
  bool bound;
  if (options_.port == 0) {
    port_ = http_->bind_to_any_port(options_.host);
    bound = port_ > 0;
  } else {
    bound = http_->bind_to_port(options_.host, options_.port);
    port_ = bound ? options_.port : 0;
  }
  if (!bound) {
    port_ = 0;
    std::string where = options_.host + ":" + std::to_string(options_.port);
    error_ = errno == EADDRINUSE
                 ? "Could not listen on " + where + ": the port is already in use."
                 : "Could not listen on " + where +
                       ": the address is not available on this machine or the port is in use.";
    return false;
  }
  error_.clear();
  return true;
}

bool Server::run() {
  if (!http_ || port_ == 0) return false;
  ran_ = true;
  running_ = true;
  if (stop_requested_) {
    running_ = false;
    return true;
  }
  collector_->start_daily_purge();
  bool ok = http_->listen_after_bind();
  collector_->stop_daily_purge();
  running_ = false;
  return ok || stop_requested_;
}

void Server::stop() {
  stop_requested_ = true;
  if (!http_) return;
  // httplib's stop() does nothing until its accept loop has started; wait for that moment
  // rather than lose the request to stop.
  while (running_ && !http_->is_running())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  http_->stop();
}

std::string Server::store_description() const { return store_ ? store_->description() : ""; }

void Server::install_routes() {
  httplib::Server& http = *http_;
  http.set_payload_max_length(kMaxBodyBytes);
  apply_connection_limits(http);
  // httplib's default also sets SO_REUSEPORT, which would let a second `vario serve` share the
  // port silently and split the traffic; SO_REUSEADDR alone still allows a quick restart.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // The demo always shows the latest build; nosniff keeps browsers to the declared types.
  http.set_default_headers({{"Cache-Control", "no-store"}, {"X-Content-Type-Options", "nosniff"}});
  // httplib compresses every compressible response as it sends it, brotli at its slowest
  // quality when the client accepts brotli (3.4 s for a 1 MB script, on every request); gzip is
  // fifty times faster. Offering httplib only gzip keeps pages fast. httplib gives handlers the
  // request as const, but it owns it and reads the header only when writing the response.
  http.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    // The tag's files are compressed once, at startup, in both codings (serve/tag_routes.cpp).
    if (req.path.rfind(kTagPrefix, 0) == 0) return httplib::Server::HandlerResponse::Unhandled;
    auto& headers = const_cast<httplib::Request&>(req).headers;
    if (const auto it = headers.find("Accept-Encoding"); it != headers.end()) {
      const bool gzip = it->second.find("gzip") != std::string::npos;
      headers.erase(it);
      if (gzip) headers.emplace("Accept-Encoding", "gzip");
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, json{{"status", "ok"}});
  });

  http.Get("/v1/stats", [this](const httplib::Request&, httplib::Response& res) {
    std::string error;
    EventStats stats = store_->stats(options_.account, error);
    if (!error.empty()) {
      send_error(res, 500, "Could not read the event database: " + error + ".");
      return;
    }
    json impressions = json::object();
    for (const auto& [campaign, variations] : stats.impressions) {
      for (const auto& [variation, count] : variations) impressions[campaign][variation] = count;
    }
    send_json(res, 200,
              json{{"account", options_.account},
                   {"impressions", std::move(impressions)},
                   {"health", stats.health},
                   {"events", stats.events}});
  });

  collector_->install(http);

  tag_routes_->install(http);

  http.Get(R"(/v1/.*)", [](const httplib::Request& req, httplib::Response& res) {
    res.status = req.path == kEventsPath ? 405 : 404;
    if (res.status == 405) res.set_header("Allow", allowed_methods(req.path));
  });

  http.Get(R"(.*)", [this](const httplib::Request& req, httplib::Response& res) {
    SiteFile site = resolve_site_file(site_root_, req.path);
    if (site.status != 200) {
      res.status = site.status;
      return;
    }
    std::string bytes;
    if (!read_file(site.file, bytes)) {
      res.status = 500;
      return;
    }
    std::string_view type = content_type_for(site.file);
    if (type.rfind("text/html", 0) == 0) {
      bytes = inject_into_head(bytes, script_element_);
      res.set_header("Content-Security-Policy", kDemoContentSecurityPolicy);
    }
    res.set_content(std::move(bytes), std::string(type).c_str());
  });

  auto not_allowed = [](const httplib::Request& req, httplib::Response& res) {
    res.status = 405;
    res.set_header("Allow", allowed_methods(req.path));
  };
  http.Post(R"(.*)", not_allowed);
  http.Put(R"(.*)", not_allowed);
  http.Patch(R"(.*)", not_allowed);
  http.Delete(R"(.*)", not_allowed);
  http.Options(R"(.*)", not_allowed);

  // Every error gets a body that says what happened, in the format of the path's audience.
  http.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req,
                                                                 httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    std::string sentence;
    switch (res.status) {
      case 403:
        sentence = "This path is outside the site.";
        break;
      case 404:
        sentence = "Nothing is served at " + req.path + ".";
        break;
      case 405:
        sentence = "Use " + allowed_methods(req.path) + " for " + req.path + ".";
        break;
      case 413:
        sentence = "The request body is larger than " + std::to_string(kMaxBodyBytes) + " bytes.";
        break;
      default:
        sentence = "The request failed (HTTP " + std::to_string(res.status) + ").";
    }
    if (is_api_path(req.path)) {
      send_error(res, res.status, sentence);
    } else {
      res.set_content(sentence + "\n", "text/plain; charset=utf-8");
    }
    return httplib::Server::HandlerResponse::Handled;
  }));

  http.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        res.status = 500;
        std::string sentence = "The server failed: " + what + ".";
        if (is_api_path(req.path)) {
          send_error(res, 500, sentence);
        } else {
          res.set_content(sentence + "\n", "text/plain; charset=utf-8");
        }
      });
}

int serve(const ServeOptions& options) {
  // Block the stop signals before any thread exists, so every server thread inherits the mask
  // and only the watcher below ever receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);

  auto restore_signals = [&] {
    // A second Ctrl-C during shutdown must not kill the process after a clean stop.
    timespec zero{0, 0};
    while (sigtimedwait(&stop_signals, nullptr, &zero) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  };

  Server server(options);
  if (!server.start()) {
    std::cerr << server.error() << std::endl;
    restore_signals();
    return 1;
  }
  std::cout << "Serving " << server.url() << " (events: " << server.store_description() << ")"
            << std::endl;

  std::atomic<bool> done{false};
  std::thread watcher([&] {
    const timespec poll{0, 200'000'000};
    while (!done) {
      int signal = sigtimedwait(&stop_signals, nullptr, &poll);
      if (signal == SIGINT || signal == SIGTERM) {
        server.stop();
        return;
      }
    }
  });
  bool ok = server.run();
  done = true;
  watcher.join();
  restore_signals();
  if (!ok) {
    std::cerr << "The server stopped accepting connections on " << server.url() << "." << std::endl;
    return 1;
  }
  return 0;
}

}  // namespace vario::host
