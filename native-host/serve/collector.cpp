#include "serve/collector.hpp"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "results/csv_export.hpp"
#include "results/report_page.hpp"
#include "results/results.hpp"
#include "serve/api_response.hpp"
#include "serve/event_validation.hpp"

namespace vario::host {
namespace {

using nlohmann::json;

constexpr auto kPurgeInterval = std::chrono::hours(24);
// How long a browser may cache a preflight's answer.
constexpr const char* kPreflightMaxAge = "86400";

// The media type without parameters, lowercased: "text/plain;charset=UTF-8" -> "text/plain".
std::string media_type(std::string value) {
  value = value.substr(0, value.find(';'));
  std::string out;
  for (char c : value)
    if (c != ' ' && c != '\t')
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Collector::Collector(EventStore& store, CollectorOptions options)
    : store_(store), options_(std::move(options)) {}

Collector::~Collector() { stop_daily_purge(); }

std::int64_t Collector::oldest_kept(std::int64_t now) const {
  return months_before(now, options_.retention_months);
}

std::optional<std::int64_t> Collector::purge(std::int64_t now, std::string& error) {
  return store_.purge_older_than(oldest_kept(now), error);
}

void Collector::start_daily_purge() {
  purger_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, kPurgeInterval, [&] { return stopping_; })) {
      lock.unlock();
      std::string error;
      if (!purge(now_ms(), error))
        std::cerr << "vario serve: the daily purge failed: " << error << std::endl;
      lock.lock();
    }
  });
}

void Collector::stop_daily_purge() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (purger_.joinable()) purger_.join();
}

bool Collector::origin_allowed(const std::string& origin, const std::string& host) const {
  if (origin == "http://" + host || origin == "https://" + host) return true;
  return std::find(options_.origins.begin(), options_.origins.end(), origin) !=
         options_.origins.end();
}

void Collector::post_events(const httplib::Request& req, httplib::Response& res) {
  const std::string origin = req.get_header_value("Origin");
  if (!origin.empty()) {
    if (!origin_allowed(origin, req.get_header_value("Host"))) {
      send_error(res, 403,
                 "Events from " + origin + " are not accepted: start vario serve with --origin " +
                     origin + " to accept that site's events.");
      return;
    }
    res.set_header("Access-Control-Allow-Origin", origin);
    res.set_header("Vary", "Origin");
  }
  // sendBeacon posts strings as text/plain (which also spares a CORS preflight).
  const std::string type = media_type(req.get_header_value("Content-Type"));
  if (type != "application/json" && type != "text/plain") {
    send_error(res, 415, "Send events with Content-Type application/json or text/plain.");
    return;
  }
  // httplib already refuses a longer Content-Length; this catches chunked bodies.
  if (req.body.size() > kMaxBodyBytes) {
    send_error(res, 413,
               "The batch is larger than " + std::to_string(kMaxBodyBytes) +
                   " bytes; send fewer events at once.");
    return;
  }
  const std::int64_t now = now_ms();
  const BatchCheck checked = check_event_batch(req.body, {&options_.served, now, oldest_kept(now)});
  if (const auto* invalid = std::get_if<ValidationError>(&checked)) {
    send_error(res, 400, invalid->to_string());
    return;
  }
  const auto& checks = std::get<std::vector<EventCheck>>(checked);
  std::vector<Event> good;
  std::vector<std::size_t> good_index;
  json problems = json::array();
  for (std::size_t i = 0; i < checks.size(); ++i) {
    if (const auto* event = std::get_if<Event>(&checks[i])) {
      good.push_back(*event);
      good_index.push_back(i);
    } else {
      problems.push_back({{"index", i},
                          {"status", "rejected"},
                          {"error", std::get<ValidationError>(checks[i]).to_string()}});
    }
  }
  const std::size_t rejected = problems.size();
  std::size_t accepted = 0, duplicates = 0, conflicts = 0;
  if (!good.empty()) {
    const InsertOutcome outcome = store_.insert_batch(good, now);
    if (!outcome.ok) {
      send_error(res, 500, "Could not store the events: " + outcome.error + ".");
      return;
    }
    accepted = outcome.count(Disposition::kStored);
    duplicates = outcome.count(Disposition::kDuplicate);
    conflicts = outcome.count(Disposition::kConflict);
    for (std::size_t k = 0; k < good.size(); ++k)
      if (outcome.dispositions[k] == Disposition::kConflict)
        problems.push_back(
            {{"index", good_index[k]},
             {"status", "conflict"},
             {"error", "/events/" + std::to_string(good_index[k]) + outcome.reasons[k]}});
    std::sort(problems.begin(), problems.end(),
              [](const json& a, const json& b) { return a["index"] < b["index"]; });
  }
  json body = {{"accepted", accepted},
               {"duplicates", duplicates},
               {"conflicts", conflicts},
               {"rejected", rejected},
               {"problems", problems}};
  // A batch of which nothing could be kept is a client error (not worth a retry); a batch of
  // which some events were kept is a success that reports the rest.
  if (good.empty()) body["error"] = problems.front()["error"];
  send_json(res, good.empty() ? 400 : 200, body);
}

void Collector::install(httplib::Server& http) {
  http.Post("/v1/events",
            [this](const httplib::Request& req, httplib::Response& res) { post_events(req, res); });

  // The preflight a browser sends before a cross-origin fetch with Content-Type
  // application/json; sendBeacon's text/plain needs none.
  http.Options("/v1/events", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string origin = req.get_header_value("Origin");
    if (origin.empty()) {
      res.status = 405;
      res.set_header("Allow", "POST");
      return;
    }
    if (!origin_allowed(origin, req.get_header_value("Host"))) {
      send_error(res, 403, "Events from " + origin + " are not accepted.");
      return;
    }
    res.status = 204;
    res.set_header("Access-Control-Allow-Origin", origin);
    res.set_header("Access-Control-Allow-Methods", "POST");
    res.set_header("Access-Control-Allow-Headers", "Content-Type");
    res.set_header("Access-Control-Max-Age", kPreflightMaxAge);
    res.set_header("Vary", "Origin");
  });

  http.Get("/v1/results", [this](const httplib::Request&, httplib::Response& res) {
    std::string error;
    const Results results = compute_results(store_, options_.served, error);
    if (!error.empty()) return send_error(res, 500, "Could not read the events: " + error + ".");
    send_json(res, 200, results_json(results));
  });

  http.Get(R"(/v1/campaigns/([^/]+)/export\.csv)",
           [this](const httplib::Request& req, httplib::Response& res) {
             const std::string id = req.matches[1];
             if (!options_.served.campaign(id))
               return send_error(res, 404, "No campaign '" + id + "' is served.");
             std::string csv, error;
             if (!export_campaign_csv(
                     store_, options_.served.account, id,
                     [&](std::string_view chunk) { csv += chunk; }, error))
               return send_error(res, 500, "Could not read the events: " + error + ".");
             res.set_header("Content-Disposition", "attachment; filename=\"" + id + ".csv\"");
             res.set_content(std::move(csv), "text/csv; charset=utf-8; header=present");
           });

  http.Get("/report", [this](const httplib::Request&, httplib::Response& res) {
    std::string error;
    const Results results = compute_results(store_, options_.served, error);
    if (!error.empty()) {
      res.status = 500;
      res.set_content("Could not read the events: " + error + ".\n", "text/plain; charset=utf-8");
      return;
    }
    res.set_content(report_page(results), "text/html; charset=utf-8");
    res.set_header("Content-Security-Policy",
                   "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
                   "form-action 'none'; frame-ancestors 'none'");
  });
  http.Get("/report.css", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(report_stylesheet(), "text/css; charset=utf-8");
  });
}

}  // namespace vario::host
