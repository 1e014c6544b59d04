// Where the collector keeps events: one SQLite file, one table, written a whole batch at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "serve/event_validation.hpp"

struct sqlite3;

namespace vario::host {

// The version written to `PRAGMA user_version`; a file with a higher version was written by a
// newer vario and is refused rather than misread.
inline constexpr int kEventStoreSchemaVersion = 1;

// What one insert_batch did: `accepted` events were new and are now stored, `duplicates` had an
// id that was already stored (or appeared earlier in the same batch) and were ignored.
// accepted + duplicates == the batch size. When ok is false nothing was stored and `error` says
// why.
struct InsertOutcome {
  bool ok = false;
  std::size_t accepted = 0;
  std::size_t duplicates = 0;
  std::string error;
};

// Impression counts of one account: campaign -> variation -> count, health events by code, plus
// all its stored events.
struct EventStats {
  std::map<std::string, std::map<std::string, std::int64_t>> impressions;
  std::map<std::string, std::int64_t> health;
  std::int64_t events = 0;
};

// A SQLite event database. Every method is safe to call from several threads at once (the HTTP
// server handles requests on a pool): one mutex serializes use of the single connection.
// Several EventStore objects, even in several processes, may open the same file; SQLite's own
// locking (WAL mode, a busy timeout) keeps them consistent.
class EventStore {
 public:
  // Opens the database at `path`, creating the file, its missing parent folders and the schema
  // if needed. Returns nullptr and sets `error` to one sentence when the folder cannot be
  // created, the file is not a SQLite database, or its schema version is newer than this build.
  static std::unique_ptr<EventStore> open(const std::filesystem::path& path, std::string& error);

  ~EventStore();
  // One connection, one owner: copying would close the connection twice.
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  // Stores all of `events` in one transaction, or none of them if anything fails. Events whose
  // id is already stored are ignored and counted as duplicates. `received_at_ms` is the server's
  // clock, written to every row.
  InsertOutcome insert_batch(const std::vector<Event>& events, std::int64_t received_at_ms);

  // Impressions of `account` grouped by campaign and variation, and the number of events of
  // `account` stored (all types). On a database error returns what it could count so far and
  // sets `error`; `error` is cleared on success.
  EventStats stats(std::string_view account, std::string& error);

 private:
  explicit EventStore(sqlite3* db);

  std::mutex mutex_;
  sqlite3* db_;
};

}  // namespace vario::host
