#define BOOST_TEST_MODULE serve_event_store
#include <sqlite3.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "serve/event_store.hpp"

namespace fs = std::filesystem;
using vario::host::Event;
using vario::host::EventStore;
using vario::host::EventType;

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
  e.payload = R"({"schema":1})";
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
  e.payload = R"({"schema":1})";
  return e;
}

std::unique_ptr<EventStore> open_store(const fs::path& path) {
  std::string error;
  auto store = EventStore::open(path, error);
  BOOST_REQUIRE_MESSAGE(store != nullptr, error);
  BOOST_TEST(error.empty());
  return store;
}

vario::host::EventStats stats_of(EventStore& store, std::string_view account = "shop") {
  std::string error;
  auto stats = store.stats(account, error);
  BOOST_REQUIRE_MESSAGE(error.empty(), error);
  return stats;
}

}  // namespace

BOOST_AUTO_TEST_CASE(opening_creates_the_missing_folders_and_a_real_sqlite_file) {
  TempDir dir;
  fs::path db = dir.path / "nested" / ".vario" / "events.db";
  {
    auto store = open_store(db);
    BOOST_TEST(store->insert_batch({impression(1, "hero", "a")}, kReceivedAt).ok);
  }
  std::ifstream in(db, std::ios::binary);
  std::string header(16, '\0');
  in.read(header.data(), 16);
  BOOST_TEST(header == std::string("SQLite format 3\0", 16));
}

BOOST_AUTO_TEST_CASE(the_schema_is_version_1_in_wal_mode_with_the_documented_columns) {
  TempDir dir;
  fs::path db = dir.path / "events.db";
  auto store = open_store(db);
  BOOST_REQUIRE(store->insert_batch({impression(1, "hero", "b")}, kReceivedAt + 7).ok);

  sqlite3* raw = nullptr;
  BOOST_REQUIRE(sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  auto single_text = [&](const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    BOOST_REQUIRE(sqlite3_prepare_v2(raw, sql, -1, &stmt, nullptr) == SQLITE_OK);
    BOOST_REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    std::string value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return value;
  };
  BOOST_TEST(single_text("PRAGMA user_version") == "1");
  BOOST_TEST(single_text("PRAGMA journal_mode") == "wal");
  BOOST_TEST(single_text("SELECT group_concat(name, ',') FROM pragma_table_info('events')") ==
             "id,type,ts,received_at,account,campaign,variation,visitor,page,payload");
  BOOST_TEST(single_text("SELECT group_concat(name, ',') FROM pragma_index_info("
                         "'events_by_campaign')") == "type,campaign,variation");
  BOOST_TEST(single_text("SELECT type || ' ' || ts || ' ' || received_at || ' ' || account || "
                         "' ' || campaign || ' ' || variation || ' ' || page || ' ' || "
                         "(visitor IS NULL) || ' ' || payload FROM events") ==
             "impression 1699999999999 1700000000007 shop hero b / 1 {\"schema\":1}");
  sqlite3_close(raw);
}

BOOST_AUTO_TEST_CASE(a_repeated_event_id_is_counted_as_a_duplicate_and_stored_once) {
  TempDir dir;
  auto store = open_store(dir.path / "events.db");

  auto first =
      store->insert_batch({impression(1, "hero", "a"), impression(2, "hero", "b")}, kReceivedAt);
  BOOST_TEST(first.ok);
  BOOST_TEST(first.accepted == 2u);
  BOOST_TEST(first.duplicates == 0u);

  // A retried beacon: one old event, one new, and the new one twice within the batch.
  auto second = store->insert_batch(
      {impression(2, "hero", "b"), impression(3, "hero", "b"), impression(3, "hero", "b")},
      kReceivedAt);
  BOOST_TEST(second.ok);
  BOOST_TEST(second.accepted == 1u);
  BOOST_TEST(second.duplicates == 2u);

  auto stats = stats_of(*store);
  BOOST_TEST(stats.events == 3);
  BOOST_TEST(stats.impressions["hero"]["a"] == 1);
  BOOST_TEST(stats.impressions["hero"]["b"] == 2);
}

BOOST_AUTO_TEST_CASE(a_batch_that_fails_halfway_stores_nothing) {
  TempDir dir;
  fs::path db = dir.path / "events.db";
  auto store = open_store(db);
  BOOST_REQUIRE(store->insert_batch({impression(1, "hero", "a")}, kReceivedAt).ok);

  // Make the database itself refuse one particular event, as a full disk or a crash would.
  sqlite3* raw = nullptr;
  BOOST_REQUIRE(sqlite3_open(db.c_str(), &raw) == SQLITE_OK);
  std::string trigger = "CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.id = '" + id_of(3) +
                        "' BEGIN SELECT RAISE(ABORT, 'refused for the test'); END";
  BOOST_REQUIRE(sqlite3_exec(raw, trigger.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);

  auto outcome = store->insert_batch(
      {impression(2, "hero", "a"), impression(3, "hero", "a"), impression(4, "hero", "a")},
      kReceivedAt);
  BOOST_TEST(!outcome.ok);
  BOOST_TEST(outcome.accepted == 0u);
  BOOST_TEST(outcome.error.find("refused for the test") != std::string::npos, outcome.error);
  BOOST_TEST(stats_of(*store).events == 1);

  // The store is still usable after the rollback.
  auto later = store->insert_batch({impression(2, "hero", "a")}, kReceivedAt);
  BOOST_TEST(later.ok);
  BOOST_TEST(stats_of(*store).events == 2);
}

BOOST_AUTO_TEST_CASE(stats_group_impressions_by_campaign_and_variation_for_one_account) {
  TempDir dir;
  auto store = open_store(dir.path / "events.db");
  BOOST_REQUIRE(store
                    ->insert_batch({impression(1, "hero", "a"), impression(2, "hero", "b"),
                                    impression(3, "hero", "b"), impression(4, "banner", "on"),
                                    health(5), impression(6, "hero", "a", "other-account")},
                                   kReceivedAt)
                    .ok);

  auto stats = stats_of(*store);
  BOOST_TEST(stats.events == 5);  // health events count, other accounts do not
  BOOST_TEST(stats.impressions.size() == 2u);
  BOOST_TEST(stats.impressions["hero"].size() == 2u);
  BOOST_TEST(stats.impressions["hero"]["a"] == 1);
  BOOST_TEST(stats.impressions["hero"]["b"] == 2);
  BOOST_TEST(stats.impressions["banner"]["on"] == 1);

  auto other = stats_of(*store, "other-account");
  BOOST_TEST(other.events == 1);
  BOOST_TEST(other.impressions["hero"]["a"] == 1);
  BOOST_TEST(stats_of(*store, "nobody").events == 0);
}

BOOST_AUTO_TEST_CASE(a_second_store_on_the_same_file_sees_the_stored_events) {
  TempDir dir;
  fs::path db = dir.path / "events.db";
  {
    auto store = open_store(db);
    BOOST_REQUIRE(store->insert_batch({impression(1, "hero", "a")}, kReceivedAt).ok);
  }
  auto reopened = open_store(db);
  BOOST_TEST(stats_of(*reopened).events == 1);
  auto again = reopened->insert_batch({impression(1, "hero", "a")}, kReceivedAt);
  BOOST_TEST(again.duplicates == 1u);

  // Two stores open at once, as two server processes on one file would be.
  auto concurrent = open_store(db);
  BOOST_REQUIRE(concurrent->insert_batch({impression(2, "hero", "b")}, kReceivedAt).ok);
  BOOST_TEST(stats_of(*reopened).events == 2);
}

BOOST_AUTO_TEST_CASE(opening_refuses_files_that_are_not_event_databases) {
  TempDir dir;
  fs::path text = dir.path / "notes.db";
  std::ofstream(text) << "these are not the events you are looking for, not at all\n";
  std::string error;
  BOOST_TEST(EventStore::open(text, error) == nullptr);
  BOOST_TEST(error.find("Could not open the event database " + text.string()) == 0u, error);
  BOOST_TEST(error.find("not a database") != std::string::npos, error);

  fs::path newer = dir.path / "newer.db";
  sqlite3* raw = nullptr;
  BOOST_REQUIRE(sqlite3_open(newer.c_str(), &raw) == SQLITE_OK);
  sqlite3_exec(raw, "PRAGMA user_version = 2", nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  BOOST_TEST(EventStore::open(newer, error) == nullptr);
  BOOST_TEST(error.find("schema version 2") != std::string::npos, error);

  fs::path blocked = dir.path / "a-file" / "events.db";
  std::ofstream(dir.path / "a-file") << "x";
  BOOST_TEST(EventStore::open(blocked, error) == nullptr);
  BOOST_TEST(error.find("cannot create its folder") != std::string::npos, error);
}

BOOST_AUTO_TEST_CASE(concurrent_batches_from_many_threads_are_all_stored) {
  TempDir dir;
  auto store = open_store(dir.path / "events.db");
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 25; ++i) {
        int n = t * 1000 + i;
        store->insert_batch({impression(n, "hero", t % 2 ? "a" : "b")}, kReceivedAt);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto stats = stats_of(*store);
  BOOST_TEST(stats.events == 200);
  BOOST_TEST(stats.impressions["hero"]["a"] == 100);
}
