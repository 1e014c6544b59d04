#include "serve/event_store.hpp"

#include <sqlite3.h>

#include <system_error>
#include <utility>

namespace vario::host {
namespace {

constexpr int kBusyTimeoutMs = 5000;

constexpr const char* kCreateSchema = R"sql(
CREATE TABLE IF NOT EXISTS events (
  id          TEXT PRIMARY KEY,
  type        TEXT NOT NULL,
  ts          INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  account     TEXT NOT NULL,
  campaign    TEXT,
  variation   TEXT,
  visitor     TEXT,
  page        TEXT,
  payload     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_campaign ON events (type, campaign, variation);
PRAGMA user_version = 1;
)sql";

static_assert(kEventStoreSchemaVersion == 1, "kCreateSchema writes user_version 1");

// A prepared statement that finalizes itself, so that every early return releases it.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() const { return stmt_; }

  void bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void bind(int index, const std::optional<std::string>& text) {
    if (text) {
      bind(index, std::string_view(*text));
    } else {
      sqlite3_bind_null(stmt_, index);
    }
  }
  void bind(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
};

std::string column_text(sqlite3_stmt* stmt, int column) {
  const auto* text = sqlite3_column_text(stmt, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)));
}

bool exec(sqlite3* db, const char* sql) {
  return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

}  // namespace

EventStore::EventStore(sqlite3* db) : db_(db) {}

EventStore::~EventStore() { sqlite3_close_v2(db_); }

std::unique_ptr<EventStore> EventStore::open(const std::filesystem::path& path,
                                             std::string& error) {
  const std::string shown = path.string();
  auto failed = [&](const std::string& reason) {
    error = "Could not open the event database " + shown + ": " + reason + ".";
    return nullptr;
  };

  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return failed("cannot create its folder (" + ec.message() + ")");
  }

  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(shown.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  // Own the handle at once: sqlite3_open_v2 allocates one even when it fails.
  std::unique_ptr<EventStore> store(new EventStore(raw));
  if (rc != SQLITE_OK) return failed(raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);

  // The first real read is where SQLite notices a file that is not a database.
  int version = -1;
  {
    Statement stmt(raw, "PRAGMA user_version");
    if (!stmt.ok() || sqlite3_step(stmt.get()) != SQLITE_ROW) return failed(sqlite3_errmsg(raw));
    version = sqlite3_column_int(stmt.get(), 0);
  }
  if (version > kEventStoreSchemaVersion) {
    return failed("it has schema version " + std::to_string(version) +
                  ", written by a newer vario (this one knows version " +
                  std::to_string(kEventStoreSchemaVersion) + ")");
  }
  // WAL lets the stats endpoint read while a batch is being written.
  if (!exec(raw, "PRAGMA journal_mode=WAL")) return failed(sqlite3_errmsg(raw));
  if (version < kEventStoreSchemaVersion) {
    // IMMEDIATE: two processes creating the same new file take turns instead of racing.
    if (!exec(raw, "BEGIN IMMEDIATE")) return failed(sqlite3_errmsg(raw));
    if (!exec(raw, kCreateSchema)) {
      std::string reason = sqlite3_errmsg(raw);
      exec(raw, "ROLLBACK");
      return failed(reason);
    }
    if (!exec(raw, "COMMIT")) {
      std::string reason = sqlite3_errmsg(raw);
      exec(raw, "ROLLBACK");
      return failed(reason);
    }
  }
  error.clear();
  return store;
}

InsertOutcome EventStore::insert_batch(const std::vector<Event>& events,
                                       std::int64_t received_at_ms) {
  std::lock_guard lock(mutex_);
  InsertOutcome outcome;
  auto failed = [&](std::string_view step) {
    outcome = InsertOutcome{};
    outcome.error = std::string(step) + ": " + sqlite3_errmsg(db_);
    if (!sqlite3_get_autocommit(db_)) exec(db_, "ROLLBACK");
    return outcome;
  };

  Statement insert(db_,
                   "INSERT OR IGNORE INTO events (id, type, ts, received_at, account, campaign, "
                   "variation, visitor, page, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                   "?10)");
  if (!insert.ok()) return failed("preparing the insert");
  if (!exec(db_, "BEGIN IMMEDIATE")) return failed("starting the transaction");

  for (const Event& event : events) {
    insert.bind(1, std::string_view(event.id));
    insert.bind(2, event_type_name(event.type));
    insert.bind(3, event.ts);
    insert.bind(4, received_at_ms);
    insert.bind(5, std::string_view(event.account));
    insert.bind(6, event.campaign);
    insert.bind(7, event.variation);
    insert.bind(8, event.visitor);
    insert.bind(9, event.page);
    insert.bind(10, std::string_view(event.payload));
    if (sqlite3_step(insert.get()) != SQLITE_DONE) return failed("storing event " + event.id);
    // OR IGNORE turns a repeated id into a successful statement that changed no row.
    if (sqlite3_changes(db_) == 1) {
      ++outcome.accepted;
    } else {
      ++outcome.duplicates;
    }
    sqlite3_reset(insert.get());
    sqlite3_clear_bindings(insert.get());
  }

  if (!exec(db_, "COMMIT")) return failed("committing the batch");
  outcome.ok = true;
  return outcome;
}

EventStats EventStore::stats(std::string_view account, std::string& error) {
  std::lock_guard lock(mutex_);
  EventStats stats;
  error.clear();

  Statement impressions(db_,
                        "SELECT campaign, variation, COUNT(*) FROM events "
                        "WHERE account = ?1 AND type = 'impression' "
                        "GROUP BY campaign, variation");
  if (!impressions.ok()) {
    error = sqlite3_errmsg(db_);
    return stats;
  }
  impressions.bind(1, account);
  int rc;
  while ((rc = sqlite3_step(impressions.get())) == SQLITE_ROW) {
    stats.impressions[column_text(impressions.get(), 0)][column_text(impressions.get(), 1)] =
        sqlite3_column_int64(impressions.get(), 2);
  }
  if (rc != SQLITE_DONE) {
    error = sqlite3_errmsg(db_);
    return stats;
  }

  // Health events by code: what went wrong in visitors' browsers, and how often.
  Statement health(db_,
                   "SELECT json_extract(payload, '$.code'), COUNT(*) FROM events "
                   "WHERE account = ?1 AND type = 'health' GROUP BY 1");
  if (!health.ok()) {
    error = sqlite3_errmsg(db_);
    return stats;
  }
  health.bind(1, account);
  while ((rc = sqlite3_step(health.get())) == SQLITE_ROW)
    stats.health[column_text(health.get(), 0)] = sqlite3_column_int64(health.get(), 1);
  if (rc != SQLITE_DONE) {
    error = sqlite3_errmsg(db_);
    return stats;
  }

  Statement total(db_, "SELECT COUNT(*) FROM events WHERE account = ?1");
  if (!total.ok()) {
    error = sqlite3_errmsg(db_);
    return stats;
  }
  total.bind(1, account);
  if (sqlite3_step(total.get()) != SQLITE_ROW) {
    error = sqlite3_errmsg(db_);
    return stats;
  }
  stats.events = sqlite3_column_int64(total.get(), 0);
  return stats;
}

}  // namespace vario::host
