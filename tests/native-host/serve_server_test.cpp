#define BOOST_TEST_MODULE serve_server
#include <httplib.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>

#include "serve/collector.hpp"
#include "serve/server.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using vario::host::BuiltTag;
using vario::host::ServeOptions;
using vario::host::Server;

namespace {

constexpr const char* kSri = "sha384-dummy+checksum/for=tests";
constexpr const char* kIndex =
    "<!doctype html>\n<html lang=\"en\"><HEAD data-x=\"a>b\"><title>Shop</title></HEAD>"
    "<body><h1 id=\"hero\">Welcome</h1></body></html>\n";

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

BuiltTag dummy_tag() {
  BuiltTag tag;
  tag.files = {{"tag.js", "text/javascript; charset=utf-8", "/* tag */"},
               {"vario.wasm", "application/wasm", std::string("\0asm\1\0\0\0", 8)},
               {"campaigns.bin", "application/octet-stream", "CAMP"},
               {"manifest.json", "application/json", R"({"files":[]})"}};
  tag.tag_sri = kSri;
  tag.tag_sha256_hex = std::string(64, 'a');
  return tag;
}

// A minute before the test started: recent, and the same in every copy of an event.
const std::int64_t kTs = vario::host::now_ms() - 60'000;

std::string event(const std::string& id, const std::string& variation = "b") {
  return json{{"schema", 1},        {"type", "impression"},  {"id", id},
              {"ts", kTs},          {"account", "shop"},     {"page", "/"},
              {"campaign", "hero"}, {"variation", variation}}
      .dump();
}

std::string batch(std::initializer_list<std::string> events) {
  std::string body = R"({"events":[)";
  bool first = true;
  for (const auto& e : events) {
    if (!first) body += ",";
    body += e;
    first = false;
  }
  return body + "]}";
}

std::string id_of(char c) { return std::string(32, c); }

// The campaigns the events refer to: "hero", with variations "a" and "b".
vario::host::ServedCampaigns served() {
  vario::host::ServedCampaigns s;
  s.account = "shop";
  s.campaigns = {{"hero", "", {{"a", "", 0.5}, {"b", "", 0.5}}}};
  return s;
}

// A running server on a free port, with its own site folder and database; stopped and removed
// when the test ends.
struct RunningServer {
  fs::path root;
  Server* server = nullptr;
  std::thread thread;

  RunningServer() {
    std::random_device random;
    root = fs::temp_directory_path() / ("vario-server-test-" + std::to_string(random()));
    write(root / "site" / "index.html", kIndex);
    write(root / "site" / "about.html", "<p>No head at all</p>");
    write(root / "site" / "css" / "shop.css", "h1 { color: teal; }");
    write(root / "site" / ".env", "TOP-SECRET=1");
    write(root / "secret.txt", "TOP-SECRET outside the site");

    ServeOptions options;
    options.port = 0;
    options.site_dir = root / "site";
    options.db_path = root / "db" / "events.db";
    options.account = "shop";
    options.served = served();
    options.tag = dummy_tag();
    server = new Server(options);
    BOOST_REQUIRE_MESSAGE(server->start(), server->error());
    BOOST_REQUIRE(server->port() > 0);
    thread = std::thread([this] { server->run(); });
  }

  ~RunningServer() {
    server->stop();
    thread.join();
    delete server;
    std::error_code ec;
    fs::remove_all(root, ec);
  }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", server->port());
    c.set_connection_timeout(std::chrono::seconds(5));
    c.set_read_timeout(std::chrono::seconds(5));
    return c;
  }

  json stats() const {
    auto res = client().Get("/v1/stats");
    BOOST_REQUIRE(res);
    BOOST_REQUIRE_EQUAL(res->status, 200);
    return json::parse(res->body);
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(pages_get_the_tag_injected_after_head_and_a_strict_csp) {
  RunningServer s;
  auto res = s.client().Get("/");
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 200);
  BOOST_TEST(res->get_header_value("Content-Type") == "text/html; charset=utf-8");
  BOOST_TEST(res->get_header_value("Content-Security-Policy") ==
             "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
             "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'");
  BOOST_TEST(res->get_header_value("Cache-Control") == "no-store");
  std::string expected =
      "<!doctype html>\n<html lang=\"en\"><HEAD data-x=\"a>b\">"
      "<script src=\"/vario/tag.js\" integrity=\"sha384-dummy+checksum/for=tests\" "
      "crossorigin=\"anonymous\"></script><title>Shop</title></HEAD>"
      "<body><h1 id=\"hero\">Welcome</h1></body></html>\n";
  BOOST_TEST(res->body == expected);

  auto about = s.client().Get("/about");  // no extension: about.html
  BOOST_REQUIRE(about);
  BOOST_TEST(about->status == 200);
  BOOST_TEST(about->body.rfind("<script src=\"/vario/tag.js\"", 0) == 0u, about->body);
  BOOST_TEST(about->has_header("Content-Security-Policy"));
}

BOOST_AUTO_TEST_CASE(other_site_files_are_served_as_they_are_with_their_type) {
  RunningServer s;
  auto css = s.client().Get("/css/shop.css");
  BOOST_REQUIRE(css);
  BOOST_TEST(css->status == 200);
  BOOST_TEST(css->body == "h1 { color: teal; }");
  BOOST_TEST(css->get_header_value("Content-Type") == "text/css; charset=utf-8");
  BOOST_TEST(!css->has_header("Content-Security-Policy"));

  auto missing = s.client().Get("/nope.png");
  BOOST_REQUIRE(missing);
  BOOST_TEST(missing->status == 404);
}

BOOST_AUTO_TEST_CASE(the_tag_files_are_served_from_memory_under_vario) {
  RunningServer s;
  auto tag = s.client().Get("/vario/tag.js");
  BOOST_REQUIRE(tag);
  BOOST_TEST(tag->status == 200);
  BOOST_TEST(tag->body == "/* tag */");
  BOOST_TEST(tag->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
  BOOST_TEST(tag->get_header_value("Access-Control-Allow-Origin") == "*");

  auto wasm = s.client().Get("/vario/vario.wasm");
  BOOST_REQUIRE(wasm);
  BOOST_TEST(wasm->status == 200);
  BOOST_TEST(wasm->body.size() == 8u);
  BOOST_TEST(wasm->get_header_value("Content-Type") == "application/wasm");

  for (const char* path : {"/vario/other.js", "/vario/", "/vario/tag.js/x"}) {
    BOOST_TEST_CONTEXT(path) {
      auto res = s.client().Get(path);
      BOOST_REQUIRE(res);
      BOOST_TEST(res->status == 404);
    }
  }
}

BOOST_AUTO_TEST_CASE(paths_that_leave_the_site_or_name_hidden_files_are_refused) {
  RunningServer s;
  struct Case {
    const char* path;
    int status;
  };
  for (auto [path, status] : {Case{"/../secret.txt", 403}, Case{"/css/../../secret.txt", 403},
                              Case{"/%2e%2e/secret.txt", 403}, Case{"/..%2fsecret.txt", 403},
                              Case{"/%5c..%5csecret.txt", 403}, Case{"/.env", 404}}) {
    BOOST_TEST_CONTEXT(path) {
      auto client = s.client();
      client.set_url_encode(false);  // send the path exactly as written
      auto res = client.Get(path);
      BOOST_REQUIRE(res);
      BOOST_TEST(res->status == status);
      BOOST_TEST(res->body.find("TOP-SECRET") == std::string::npos, res->body);
    }
  }
}

BOOST_AUTO_TEST_CASE(valid_events_are_stored_once_and_counted_in_stats) {
  RunningServer s;
  auto res = s.client().Post("/v1/events", batch({event(id_of('1')), event(id_of('2'), "a")}),
                             "application/json");
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 200);
  BOOST_TEST(json::parse(res->body) == json({{"accepted", 2},
                                             {"duplicates", 0},
                                             {"conflicts", 0},
                                             {"rejected", 0},
                                             {"problems", json::array()}}));

  // The same beacon again, plus one new event.
  auto retry = s.client().Post("/v1/events", batch({event(id_of('1')), event(id_of('3'))}),
                               "application/json");
  BOOST_REQUIRE(retry);
  BOOST_TEST(retry->status == 200);
  BOOST_TEST(json::parse(retry->body)["accepted"] == 1);
  BOOST_TEST(json::parse(retry->body)["duplicates"] == 1);

  json stats = s.stats();
  BOOST_TEST(stats["account"] == "shop");
  BOOST_TEST(stats["events"] == 3);
  BOOST_TEST(stats["impressions"] == json({{"hero", {{"a", 1}, {"b", 2}}}}));
}

BOOST_AUTO_TEST_CASE(a_sendbeacon_text_plain_body_is_accepted) {
  RunningServer s;
  auto res = s.client().Post("/v1/events", batch({event(id_of('4'))}), "text/plain;charset=UTF-8");
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 200, res->body);
  BOOST_TEST(s.stats()["events"] == 1);
}

BOOST_AUTO_TEST_CASE(an_invalid_event_is_rejected_with_its_reason_and_the_good_ones_kept) {
  RunningServer s;
  std::string bad = event(id_of('6'));
  bad.replace(bad.find(R"("page":"/")"), 10, R"("page":"/?q=1")");
  auto res = s.client().Post("/v1/events", batch({event(id_of('5')), bad}), "application/json");
  BOOST_REQUIRE(res);
  BOOST_TEST(res->status == 200);
  BOOST_TEST(res->get_header_value("Content-Type") == "application/json");
  const json body = json::parse(res->body);
  BOOST_TEST(body["accepted"] == 1);
  BOOST_TEST(body["rejected"] == 1);
  BOOST_TEST(body["problems"][0]["index"] == 1);
  BOOST_TEST(body["problems"][0]["status"] == "rejected");
  std::string error = body["problems"][0]["error"];
  BOOST_TEST(error.rfind("/events/1/page: ", 0) == 0u, error);
  BOOST_TEST(s.stats()["events"] == 1);

  auto all_bad = s.client().Post("/v1/events", batch({bad}), "application/json");
  BOOST_REQUIRE(all_bad);
  BOOST_TEST(all_bad->status == 400);
  BOOST_TEST(json::parse(all_bad->body)["error"].get<std::string>().rfind("/events/0/page: ", 0) ==
             0u);
  BOOST_TEST(s.stats()["events"] == 1);

  auto malformed = s.client().Post("/v1/events", "{\"events\": [", "application/json");
  BOOST_REQUIRE(malformed);
  BOOST_TEST(malformed->status == 400);
  std::string parse_error = json::parse(malformed->body)["error"];
  BOOST_TEST(parse_error.find("line 1, column") != std::string::npos, parse_error);

  std::string other_account = event(id_of('7'));
  other_account.replace(other_account.find("\"shop\""), 6, "\"rival\"");
  auto refused = s.client().Post("/v1/events", batch({other_account}), "application/json");
  BOOST_REQUIRE(refused);
  BOOST_TEST(refused->status == 400);
  BOOST_TEST(s.stats()["events"] == 1);
}

BOOST_AUTO_TEST_CASE(bodies_of_the_wrong_type_or_size_are_refused) {
  RunningServer s;
  auto form = s.client().Post("/v1/events", batch({event(id_of('8'))}),
                              "application/x-www-form-urlencoded");
  BOOST_REQUIRE(form);
  BOOST_TEST(form->status == 415);
  BOOST_TEST(json::parse(form->body)["error"].get<std::string>().find("application/json") !=
             std::string::npos);

  std::string huge = R"({"events":[)" + std::string(70 * 1024, ' ') + "]}";
  auto big = s.client().Post("/v1/events", huge, "application/json");
  BOOST_REQUIRE(big);
  BOOST_TEST(big->status == 413);
  BOOST_TEST(s.stats()["events"] == 0);
}

BOOST_AUTO_TEST_CASE(health_and_method_errors_answer_as_documented) {
  RunningServer s;
  auto health = s.client().Get("/healthz");
  BOOST_REQUIRE(health);
  BOOST_TEST(health->status == 200);
  BOOST_TEST(json::parse(health->body) == json({{"status", "ok"}}));

  auto get_events = s.client().Get("/v1/events");
  BOOST_REQUIRE(get_events);
  BOOST_TEST(get_events->status == 405);
  BOOST_TEST(get_events->get_header_value("Allow") == "POST");
  BOOST_TEST(json::parse(get_events->body).contains("error"));

  auto post_page = s.client().Post("/", "x", "text/plain");
  BOOST_REQUIRE(post_page);
  BOOST_TEST(post_page->status == 405);
  BOOST_TEST(post_page->get_header_value("Allow") == "GET, HEAD");

  auto options = s.client().Options("/v1/events");
  BOOST_REQUIRE(options);
  BOOST_TEST(options->status == 405);

  auto unknown_api = s.client().Get("/v1/export");
  BOOST_REQUIRE(unknown_api);
  BOOST_TEST(unknown_api->status == 404);
  BOOST_TEST(json::parse(unknown_api->body).contains("error"));
}

BOOST_AUTO_TEST_CASE(start_reports_a_missing_site_a_busy_port_and_a_bad_database) {
  RunningServer s;
  ServeOptions options;
  options.port = 0;
  options.site_dir = s.root / "site";
  options.db_path = s.root / "db" / "second.db";
  options.account = "shop";
  options.served = served();

  ServeOptions missing_site = options;
  missing_site.site_dir = s.root / "no-such-site";
  Server a(missing_site);
  BOOST_TEST(!a.start());
  BOOST_TEST(a.error() == "The site folder " + missing_site.site_dir.string() + " does not exist.");

  ServeOptions busy = options;
  busy.port = s.server->port();
  Server b(busy);
  BOOST_TEST(!b.start());
  BOOST_TEST(b.error().find("already in use") != std::string::npos, b.error());

  ServeOptions bad_db = options;
  bad_db.db_path = s.root / "site" / "index.html";
  Server c(bad_db);
  BOOST_TEST(!c.start());
  BOOST_TEST(c.error().find("Could not open the event database") == 0u, c.error());

  ServeOptions no_account = options;
  no_account.account.clear();
  Server d(no_account);
  BOOST_TEST(!d.start());
}

BOOST_AUTO_TEST_CASE(stop_before_run_makes_run_return_at_once) {
  fs::path root = fs::temp_directory_path() / "vario-server-test-stop";
  write(root / "site" / "index.html", "<p>x</p>");
  ServeOptions options;
  options.port = 0;
  options.site_dir = root / "site";
  options.db_path = root / "events.db";
  options.account = "shop";
  {
    Server server(options);
    BOOST_REQUIRE(server.start());
    server.stop();
    BOOST_TEST(server.run());
  }
  {
    // Stopping while run() is just starting, many times over, never hangs.
    for (int i = 0; i < 20; ++i) {
      Server server(options);
      BOOST_REQUIRE(server.start());
      std::thread t([&] { server.run(); });
      server.stop();
      t.join();
    }
  }
  std::error_code ec;
  fs::remove_all(root, ec);
}
