// The event collector of `vario serve`: POST /v1/events (with CORS for the site's origins),
// GET /v1/results, GET /v1/campaigns/{id}/export.csv and the results page /report, over one
// event store, plus the retention purge at start-up and once a day. Routes, bodies and status
// codes are documented for users in docs/events.md.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "serve/served_campaigns.hpp"
#include "store/event_store.hpp"
#include "store/retention.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace vario::host {

struct CollectorOptions {
  ServedCampaigns served;
  // Origins ("https://shop.example") whose pages may post events from another origin; the
  // collector's own origin needs no entry.
  std::vector<std::string> origins;
  int retention_months = kMaxRetentionMonths;  // 1 to 25
};

// The milliseconds since the Unix epoch on the server's clock.
std::int64_t now_ms();

class Collector {
 public:
  Collector(EventStore& store, CollectorOptions options);
  ~Collector();  // stops the daily purge
  Collector(const Collector&) = delete;
  Collector& operator=(const Collector&) = delete;

  // Registers the collector's routes on `http`; call before the server's catch-all routes.
  void install(httplib::Server& http);

  // Deletes the events older than the retention window at `now`; the number deleted, or
  // nullopt and `error`.
  std::optional<std::int64_t> purge(std::int64_t now, std::string& error);

  // Purges once a day on a thread of its own until stop_daily_purge() (or the destructor).
  void start_daily_purge();
  void stop_daily_purge();

  // The oldest ts inside the retention window at `now`.
  std::int64_t oldest_kept(std::int64_t now) const;

  // Whether a request from `origin` may post events, given the Host it was sent to.
  bool origin_allowed(const std::string& origin, const std::string& host) const;

 private:
  void post_events(const httplib::Request& req, httplib::Response& res);

  EventStore& store_;
  CollectorOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread purger_;
};

}  // namespace vario::host
