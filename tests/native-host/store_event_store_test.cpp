#define BOOST_TEST_MODULE store_event_store
#include <sqlite3.h>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "store/event_store.hpp"
#include "support/postgres_server.hpp"

namespace fs = std::filesystem;
namespace data = boost::unit_test::data;
using namespace vario::host;

namespace {

constexpr std::int64_t kReceivedAt = 1'700'000'000'000;

// A fresh folder per test, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device random;
    path = fs::temp_directory_path() / ("vario-store-test-" + std::to_string(random()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string id_of(int n) {
  std::string hex = std::to_string(n);
  return std::string(32 - hex.size(), '0') + hex;  // digits are hex too
}

Event impression(int n, std::string campaign, std::string variation, std::string account = "shop") {
  Event e;
  e.type = EventType::kImpression;
  e.id = id_of(n);
  e.ts = kReceivedAt - n;
  e.account = std::move(account);
  e.campaign = std::move(campaign);
  e.variation = std::move(variation);
  e.page = "/";
  e.payload = R"({"n":)" + std::to_string(n) + "}";
  return e;
}

Event health(int n) {
  Event e;
  e.type = EventType::kHealth;
  e.id = id_of(n);
  e.ts = kReceivedAt;
  e.account = "shop";
  e.code = "boot_failed";
  e.message = "";
  e.payload = R"({"code":"boot_failed"})";
  return e;
}

Event transaction(int n, std::string order, double revenue, std::string visitor = "") {
  Event e;
  e.type = EventType::kTransaction;
  e.id = id_of(n);
  e.ts = kReceivedAt - n;
  e.account = "shop";
  e.goal = "purchase";
  e.transaction = Transaction{std::move(order), revenue, "EUR"};
  e.campaigns = {{"hero", "b"}, {"banner", "on"}};
  if (!visitor.empty()) e.visitor = visitor;
  e.payload = R"({"n":)" + std::to_string(n) + "}";
  return e;
}

// The two stores, each in a fresh database: every test below runs on both.
const char* const kBackends[] = {"sqlite", "postgresql"};

struct Opened {
  TempDir dir;
  std::string location;
  std::unique_ptr<EventStore> store;
};

std::unique_ptr<Opened> open_backend(const std::string& backend) {
  auto opened = std::make_unique<Opened>();
  if (backend == "sqlite") {
    opened->location = (opened->dir.path / "events.db").string();
  } else {
    auto& server = vario::testing::PostgresServer::shared();
    BOOST_REQUIRE_MESSAGE(server.ok(), "PostgreSQL could not be started: " << server.error());
    opened->location = server.new_database();
    BOOST_REQUIRE_MESSAGE(server.ok(), server.error());
  }
  std::string error;
  opened->store = open_event_store(opened->location, error);
  BOOST_REQUIRE_MESSAGE(opened->store != nullptr, error);
  BOOST_TEST(error.empty());
  return opened;
}

EventStats stats_of(EventStore& store, std::string_view account = "shop") {
  std::string error;
  auto stats = store.stats(account, error);
  BOOST_REQUIRE_MESSAGE(error.empty(), error);
  return stats;
}

std::vector<StoredEvent> scanned(EventStore& store, EventQuery query) {
  std::vector<StoredEvent> out;
  std::string error;
  BOOST_REQUIRE_MESSAGE(store.scan(
                            query,
                            [&](const StoredEvent& e) {
                              out.push_back(e);
                              return true;
                            },
                            error),
                        error);
  return out;
}

std::vector<Disposition> dispositions(EventStore& store, const std::vector<Event>& events) {
  const InsertOutcome outcome = store.insert_batch(events, kReceivedAt);
  BOOST_REQUIRE_MESSAGE(outcome.ok, outcome.error);
  BOOST_REQUIRE_EQUAL(outcome.dispositions.size(), events.size());
  return outcome.dispositions;
}

constexpr auto kStored = Disposition::kStored;
constexpr auto kDuplicate = Disposition::kDuplicate;
constexpr auto kConflict = Disposition::kConflict;

}  // namespace

BOOST_DATA_TEST_CASE(a_repeated_event_is_a_duplicate_and_a_changed_one_a_conflict,
                     data::make(kBackends), backend) {
  auto db = open_backend(backend);
  EventStore& store = *db->store;
  BOOST_TEST((dispositions(store, {impression(1, "hero", "a"), impression(2, "hero", "b")}) ==
              std::vector{kStored, kStored}));
  Event changed = impression(1, "hero", "b");  // the id of event 1, other content
  changed.payload = R"({"n":"changed"})";
  const InsertOutcome again = store.insert_batch(
      std::vector{impression(1, "hero", "a"), changed, impression(3, "hero", "a")}, kReceivedAt);
  BOOST_REQUIRE_MESSAGE(again.ok, again.error);
  BOOST_TEST((again.dispositions == std::vector{kDuplicate, kConflict, kStored}));
  BOOST_TEST(again.reasons[0].empty());
  BOOST_TEST(again.reasons[1].find("/id: event " + id_of(1) +
                                   " is already stored with other content") == 0u,
             again.reasons[1]);
  BOOST_TEST(again.count(kStored) == 1u);

  const auto stats = stats_of(store);
  BOOST_TEST(stats.events == 3);
  BOOST_TEST(stats.impressions.at("hero").at("a") == 2);
  BOOST_TEST(stats.impressions.at("hero").at("b") == 1);  // the conflict did not change event 1
}

BOOST_DATA_TEST_CASE(the_first_of_two_equal_ids_in_a_batch_is_the_one_stored, data::make(kBackends),
                     backend) {
  auto db = open_backend(backend);
  Event other = impression(7, "hero", "b");
  other.payload = "{}";
  BOOST_TEST((dispositions(*db->store, {impression(7, "hero", "a"), impression(7, "hero", "a"),
                                        other}) == std::vector{kStored, kDuplicate, kConflict}));
  const auto rows = scanned(*db->store, {"shop", std::nullopt});
  BOOST_REQUIRE_EQUAL(rows.size(), 1u);
  BOOST_TEST(rows[0].variation.value() == "a");
}

BOOST_DATA_TEST_CASE(a_transaction_id_counts_once_per_account, data::make(kBackends), backend) {
  auto db = open_backend(backend);
  EventStore& store = *db->store;
  BOOST_TEST((dispositions(store, {transaction(1, "A-1", 59.9)}) == std::vector{kStored}));
  // The confirmation page loaded again: a new event id, the same order.
  BOOST_TEST((dispositions(store, {transaction(2, "A-1", 59.9)}) == std::vector{kDuplicate}));
  const InsertOutcome changed =
      store.insert_batch(std::vector{transaction(3, "A-1", 10)}, kReceivedAt);
  BOOST_REQUIRE(changed.ok);
  BOOST_TEST((changed.dispositions == std::vector{kConflict}));
  BOOST_TEST(changed.reasons[0].find(
                 "/transaction/id: transaction 'A-1' is already stored (event " + id_of(1)) == 0u,
             changed.reasons[0]);
  BOOST_TEST((dispositions(store, {transaction(4, "A-2", 5)}) == std::vector{kStored}));
  const auto rows = scanned(store, {"shop", std::nullopt});
  BOOST_REQUIRE_EQUAL(rows.size(), 2u);
  BOOST_TEST(rows[0].transaction_id.value() == "A-2");  // ordered by ts: event 4 is older
  BOOST_TEST(rows[1].revenue.value() == 59.9);
  BOOST_TEST(rows[1].currency.value() == "EUR");
  BOOST_TEST(rows[1].goal.value() == "purchase");
}

BOOST_DATA_TEST_CASE(a_campaign_scan_gives_each_event_with_its_variation_in_that_campaign,
                     data::make(kBackends), backend) {
  auto db = open_backend(backend);
  EventStore& store = *db->store;
  Event h = health(4);
  h.campaign = "hero";
  dispositions(store, {impression(1, "hero", "a"), impression(2, "other", "x"),
                       transaction(3, "A-9", 12.5, std::string(32, 'v')), h,
                       impression(5, "hero", "a", "rival")});
  const auto hero = scanned(store, {"shop", "hero"});
  BOOST_REQUIRE_EQUAL(hero.size(), 3u);
  BOOST_TEST(hero[0].type == "transaction");  // ts: kReceivedAt - 3
  BOOST_TEST(hero[0].variation.value() == "b");
  BOOST_TEST(hero[0].visitor.value() == std::string(32, 'v'));
  BOOST_TEST(hero[1].type == "impression");
  BOOST_TEST(hero[1].variation.value() == "a");
  BOOST_TEST(hero[2].type == "health");
  BOOST_TEST(!hero[2].variation.has_value());
  BOOST_TEST(scanned(store, {"shop", "banner"}).size() == 1u);
  BOOST_TEST(scanned(store, {"rival", "hero"}).size() == 1u);
  BOOST_TEST(scanned(store, {"shop", "nothing"}).empty());
}

BOOST_DATA_TEST_CASE(purging_removes_exactly_the_events_older_than_the_bound, data::make(kBackends),
                     backend) {
  auto db = open_backend(backend);
  EventStore& store = *db->store;
  std::vector<Event> events;
  for (int n = 1; n <= 6; ++n)
    events.push_back(impression(n, "hero", "a"));  // ts = kReceivedAt - n
  dispositions(store, events);
  std::string error;
  // Older than kReceivedAt - 3: events 4, 5 and 6; event 3 sits exactly on the bound and stays.
  const auto deleted = store.purge_older_than(kReceivedAt - 3, error);
  BOOST_REQUIRE_MESSAGE(deleted, error);
  BOOST_TEST(*deleted == 3);
  const auto rows = scanned(store, {"shop", std::nullopt});
  BOOST_REQUIRE_EQUAL(rows.size(), 3u);
  for (const auto& row : rows) BOOST_TEST(row.ts >= kReceivedAt - 3);
  BOOST_TEST(scanned(store, {"shop", "hero"}).size() == 3u);  // their attributions went too
  BOOST_TEST(*store.purge_older_than(kReceivedAt - 3, error) == 0);
}

BOOST_DATA_TEST_CASE(stats_count_one_account_by_campaign_code_and_type, data::make(kBackends),
                     backend) {
  auto db = open_backend(backend);
  dispositions(*db->store, {impression(1, "hero", "a"), impression(2, "hero", "a"), health(3),
                            impression(4, "hero", "a", "rival")});
  const auto stats = stats_of(*db->store);
  BOOST_TEST(stats.events == 3);
  BOOST_TEST(stats.impressions.at("hero").at("a") == 2);
  BOOST_TEST(stats.health.at("boot_failed") == 1);
  BOOST_TEST(stats.types.at("impression") == 2);
  BOOST_TEST(stats_of(*db->store, "rival").events == 1);
}

BOOST_DATA_TEST_CASE(concurrent_overlapping_batches_from_two_stores_are_stored_exactly_once,
                     data::make(kBackends), backend) {
  auto db = open_backend(backend);
  // A second store on the same database, as a second `vario serve` would open it.
  std::string error;
  auto second = open_event_store(db->location, error);
  BOOST_REQUIRE_MESSAGE(second, error);
  constexpr int kThreads = 8, kBatches = 10, kPerBatch = 20;
  std::atomic<int> stored{0}, failed{0};
  std::vector<std::thread> threads;
  EventStore* const stores[] = {db->store.get(), second.get()};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      EventStore& store = *stores[t % 2];
      for (int b = 0; b < kBatches; ++b) {
        // Threads t and t + 1 send the same events, in opposite orders.
        std::vector<Event> batch;
        for (int i = 0; i < kPerBatch; ++i)
          batch.push_back(impression(((t / 2) * kBatches + b) * kPerBatch + i + 1, "hero", "a"));
        if (t % 2) std::reverse(batch.begin(), batch.end());
        const InsertOutcome outcome = store.insert_batch(batch, kReceivedAt);
        if (!outcome.ok) ++failed;
        stored += static_cast<int>(outcome.count(kStored));
      }
    });
  for (auto& t : threads) t.join();
  BOOST_TEST(failed == 0);
  BOOST_TEST(stored == kThreads / 2 * kBatches * kPerBatch);
  BOOST_TEST(stats_of(*db->store).events == kThreads / 2 * kBatches * kPerBatch);
}

// ---- SQLite only: the file ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_sqlite_store_creates_its_folders_and_refuses_files_it_cannot_read) {
  TempDir dir;
  std::string error;
  const fs::path nested = dir.path / "a" / "b" / "events.db";
  BOOST_TEST(open_event_store(nested.string(), error) != nullptr, error);
  BOOST_TEST(fs::is_regular_file(nested));

  const fs::path text = dir.path / "notes.db";
  std::ofstream(text) << "these are not the events you are looking for, not at all\n";
  BOOST_TEST(open_event_store(text.string(), error) == nullptr);
  BOOST_TEST(error.find("Could not open the event database " + text.string()) == 0u, error);

  const fs::path newer = dir.path / "newer.db";
  sqlite3* raw = nullptr;
  BOOST_REQUIRE(sqlite3_open(newer.c_str(), &raw) == SQLITE_OK);
  sqlite3_exec(raw, "PRAGMA user_version = 3", nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  BOOST_TEST(open_event_store(newer.string(), error) == nullptr);
  BOOST_TEST(error.find("schema version 3") != std::string::npos, error);

  const fs::path blocked = dir.path / "a-file" / "events.db";
  std::ofstream(dir.path / "a-file") << "x";
  BOOST_TEST(open_event_store(blocked.string(), error) == nullptr);
  BOOST_TEST(error.find("cannot create its folder") != std::string::npos, error);
}

BOOST_AUTO_TEST_CASE(a_version_1_sqlite_file_is_upgraded_with_its_impressions_attributed) {
  TempDir dir;
  const fs::path file = dir.path / "old.db";
  sqlite3* raw = nullptr;
  BOOST_REQUIRE(sqlite3_open(file.c_str(), &raw) == SQLITE_OK);
  BOOST_REQUIRE(sqlite3_exec(raw, R"sql(
    CREATE TABLE events (id TEXT PRIMARY KEY, type TEXT NOT NULL, ts INTEGER NOT NULL,
      received_at INTEGER NOT NULL, account TEXT NOT NULL, campaign TEXT, variation TEXT,
      visitor TEXT, page TEXT, payload TEXT NOT NULL);
    CREATE INDEX events_by_campaign ON events (type, campaign, variation);
    INSERT INTO events VALUES ('00000000000000000000000000000001', 'impression', 5, 6, 'shop',
      'hero', 'a', NULL, '/', '{}');
    PRAGMA user_version = 1;)sql",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  std::string error;
  auto store = open_event_store(file.string(), error);
  BOOST_REQUIRE_MESSAGE(store, error);
  const auto rows = scanned(*store, {"shop", "hero"});
  BOOST_REQUIRE_EQUAL(rows.size(), 1u);
  BOOST_TEST(rows[0].schema == 1);
  BOOST_TEST(rows[0].variation.value() == "a");
  BOOST_TEST((dispositions(*store, {impression(9, "hero", "b")}) == std::vector{kStored}));
}

// ---- PostgreSQL only ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(an_unreachable_postgresql_server_is_one_sentence) {
  std::string error;
  BOOST_TEST(open_event_store("postgresql://vario@127.0.0.1:1/none?connect_timeout=2", error) ==
             nullptr);
  BOOST_TEST(error.find("Could not open the PostgreSQL event store: ") == 0u, error);
}
