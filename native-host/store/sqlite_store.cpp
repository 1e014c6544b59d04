#include "store/sqlite_store.hpp"

#include <sqlite3.h>

#include <mutex>
#include <system_error>
#include <utility>

namespace vario::host {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// Version 1 had the first ten columns of events and no event_campaigns: kUpgradeFrom1 brings
// such a file to version 2 before the tables are created.
constexpr const char* kUpgradeFrom1 = R"sql(
DROP INDEX IF EXISTS events_by_campaign;
ALTER TABLE events ADD COLUMN schema INTEGER NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN goal TEXT;
ALTER TABLE events ADD COLUMN value REAL;
ALTER TABLE events ADD COLUMN transaction_id TEXT;
ALTER TABLE events ADD COLUMN revenue REAL;
ALTER TABLE events ADD COLUMN currency TEXT;
)sql";

constexpr const char* kAttributeVersion1 =
    "INSERT OR IGNORE INTO event_campaigns (event_id, account, campaign, variation) "
    "SELECT id, account, campaign, variation FROM events WHERE campaign IS NOT NULL";

static_assert(kEventStoreSchemaVersion == 2, "the schema written is user_version 2");

// The tables, then the version they are.
std::string create_schema_sql() {
  return create_tables_sql("INTEGER", "REAL") + "PRAGMA user_version = 2;\n";
}

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
    if (text)
      bind(index, std::string_view(*text));
    else
      sqlite3_bind_null(stmt_, index);
  }
  void bind(int index, std::optional<double> value) {
    if (value)
      sqlite3_bind_double(stmt_, index, *value);
    else
      sqlite3_bind_null(stmt_, index);
  }
  void bind(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

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

std::optional<std::string> column_optional(sqlite3_stmt* stmt, int column) {
  if (sqlite3_column_type(stmt, column) == SQLITE_NULL) return std::nullopt;
  return column_text(stmt, column);
}

std::optional<double> column_double(sqlite3_stmt* stmt, int column) {
  if (sqlite3_column_type(stmt, column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_double(stmt, column);
}

bool exec(sqlite3* db, const char* sql) {
  return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

class SqliteStore final : public EventStore {
 public:
  SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteStore() override { sqlite3_close_v2(db_); }
  // One connection, one owner: copying would close the connection twice.
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  sqlite3* db() const { return db_; }

  InsertOutcome insert_batch(std::span<const Event> events, std::int64_t received_at_ms) override;
  bool scan(const EventQuery& query, const std::function<bool(const StoredEvent&)>& row,
            std::string& error) override;
  EventStats stats(std::string_view account, std::string& error) override;
  std::optional<std::int64_t> purge_older_than(std::int64_t oldest_ms, std::string& error) override;
  std::string description() const override { return "SQLite file " + path_; }

 private:
  // One mutex serializes use of the single connection (the HTTP server calls from a pool).
  std::mutex mutex_;
  sqlite3* db_;
  std::string path_;
};

InsertOutcome SqliteStore::insert_batch(std::span<const Event> events,
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
                   "INSERT INTO events (id, schema, type, ts, received_at, account, visitor, "
                   "page, campaign, variation, goal, value, transaction_id, revenue, currency, "
                   "payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                   "?15, ?16) ON CONFLICT DO NOTHING");
  Statement attribute(db_,
                      "INSERT OR IGNORE INTO event_campaigns (event_id, account, campaign, "
                      "variation) VALUES (?1, ?2, ?3, ?4)");
  Statement by_id(db_, "SELECT payload FROM events WHERE id = ?1");
  Statement by_transaction(db_,
                           "SELECT id, goal, revenue, currency FROM events "
                           "WHERE account = ?1 AND transaction_id = ?2");
  if (!insert.ok() || !attribute.ok() || !by_id.ok() || !by_transaction.ok())
    return failed("preparing the statements");
  if (!exec(db_, "BEGIN IMMEDIATE")) return failed("starting the transaction");

  for (const Event& event : events) {
    const std::optional<std::string> transaction_id =
        event.transaction ? std::optional(event.transaction->id) : std::nullopt;
    insert.bind(1, std::string_view(event.id));
    insert.bind(2, event.schema);
    insert.bind(3, event_type_name(event.type));
    insert.bind(4, event.ts);
    insert.bind(5, received_at_ms);
    insert.bind(6, std::string_view(event.account));
    insert.bind(7, event.visitor);
    insert.bind(8, event.page);
    insert.bind(9, event.campaign);
    insert.bind(10, event.variation);
    insert.bind(11, event.goal);
    insert.bind(12, event.value);
    insert.bind(13, transaction_id);
    insert.bind(14, event.transaction ? std::optional(event.transaction->revenue) : std::nullopt);
    insert.bind(15, event.transaction ? std::optional(event.transaction->currency) : std::nullopt);
    insert.bind(16, std::string_view(event.payload));
    if (sqlite3_step(insert.get()) != SQLITE_DONE) return failed("storing event " + event.id);
    insert.reset();
    if (sqlite3_changes(db_) == 1) {
      for (const auto& [campaign, variation] : attributions(event)) {
        attribute.bind(1, std::string_view(event.id));
        attribute.bind(2, std::string_view(event.account));
        attribute.bind(3, std::string_view(campaign));
        attribute.bind(4, variation.empty() ? std::nullopt : std::optional(variation));
        if (sqlite3_step(attribute.get()) != SQLITE_DONE)
          return failed("attributing event " + event.id);
        attribute.reset();
      }
      outcome.dispositions.push_back(Disposition::kStored);
      outcome.reasons.emplace_back();
      continue;
    }
    // Not inserted: the id is taken, or the account's transaction id is.
    by_id.bind(1, std::string_view(event.id));
    int rc = sqlite3_step(by_id.get());
    if (rc == SQLITE_ROW) {
      const bool same = column_text(by_id.get(), 0) == event.payload;
      outcome.dispositions.push_back(same ? Disposition::kDuplicate : Disposition::kConflict);
      outcome.reasons.push_back(same ? "" : event_id_conflict(event));
      by_id.reset();
      continue;
    }
    by_id.reset();
    if (rc != SQLITE_DONE || !transaction_id) return failed("looking up event " + event.id);
    by_transaction.bind(1, std::string_view(event.account));
    by_transaction.bind(2, transaction_id);
    if (sqlite3_step(by_transaction.get()) != SQLITE_ROW)
      return failed("looking up transaction " + *transaction_id);
    const bool same = column_optional(by_transaction.get(), 1) == event.goal &&
                      column_double(by_transaction.get(), 2) == event.transaction->revenue &&
                      column_optional(by_transaction.get(), 3) == event.transaction->currency;
    outcome.dispositions.push_back(same ? Disposition::kDuplicate : Disposition::kConflict);
    outcome.reasons.push_back(
        same ? "" : transaction_conflict(event, column_text(by_transaction.get(), 0)));
    by_transaction.reset();
  }

  if (!exec(db_, "COMMIT")) return failed("committing the batch");
  outcome.ok = true;
  return outcome;
}

bool SqliteStore::scan(const EventQuery& query, const std::function<bool(const StoredEvent&)>& row,
                       std::string& error) {
  std::lock_guard lock(mutex_);
  error.clear();
  const char* sql =
      query.campaign
          ? "SELECT e.id, e.schema, e.type, e.ts, e.received_at, e.account, e.visitor, e.page, "
            "a.campaign, a.variation, e.goal, e.value, e.transaction_id, e.revenue, e.currency, "
            "e.payload FROM event_campaigns a JOIN events e ON e.id = a.event_id "
            "WHERE a.account = ?1 AND a.campaign = ?2 ORDER BY e.ts, e.id"
          : "SELECT id, schema, type, ts, received_at, account, visitor, page, campaign, "
            "variation, goal, value, transaction_id, revenue, currency, payload FROM events "
            "WHERE account = ?1 ORDER BY ts, id";
  Statement stmt(db_, sql);
  if (!stmt.ok()) {
    error = sqlite3_errmsg(db_);
    return false;
  }
  stmt.bind(1, std::string_view(query.account));
  if (query.campaign) stmt.bind(2, std::string_view(*query.campaign));
  int rc;
  StoredEvent e;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    sqlite3_stmt* s = stmt.get();
    e.id = column_text(s, 0);
    e.schema = sqlite3_column_int64(s, 1);
    e.type = column_text(s, 2);
    e.ts = sqlite3_column_int64(s, 3);
    e.received_at = sqlite3_column_int64(s, 4);
    e.account = column_text(s, 5);
    e.visitor = column_optional(s, 6);
    e.page = column_optional(s, 7);
    e.campaign = column_optional(s, 8);
    e.variation = column_optional(s, 9);
    e.goal = column_optional(s, 10);
    e.value = column_double(s, 11);
    e.transaction_id = column_optional(s, 12);
    e.revenue = column_double(s, 13);
    e.currency = column_optional(s, 14);
    e.payload = column_text(s, 15);
    if (!row(e)) return true;
  }
  if (rc != SQLITE_DONE) {
    error = sqlite3_errmsg(db_);
    return false;
  }
  return true;
}

EventStats SqliteStore::stats(std::string_view account, std::string& error) {
  std::lock_guard lock(mutex_);
  EventStats stats;
  error.clear();
  const auto each_row = [&](const char* sql, const auto& on_row) {
    if (!error.empty()) return;
    Statement stmt(db_, sql);
    if (!stmt.ok()) {
      error = sqlite3_errmsg(db_);
      return;
    }
    stmt.bind(1, account);
    int rc;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) on_row(stmt.get());
    if (rc != SQLITE_DONE) error = sqlite3_errmsg(db_);
  };
  each_row(
      "SELECT campaign, variation, COUNT(*) FROM events WHERE account = ?1 AND type = "
      "'impression' GROUP BY campaign, variation",
      [&](sqlite3_stmt* s) {
        stats.impressions[column_text(s, 0)][column_text(s, 1)] = sqlite3_column_int64(s, 2);
      });
  // Health events by code: what went wrong in visitors' browsers, and how often.
  each_row(
      "SELECT json_extract(payload, '$.code'), COUNT(*) FROM events WHERE account = ?1 AND "
      "type = 'health' GROUP BY 1",
      [&](sqlite3_stmt* s) { stats.health[column_text(s, 0)] = sqlite3_column_int64(s, 1); });
  each_row("SELECT type, COUNT(*) FROM events WHERE account = ?1 GROUP BY type",
           [&](sqlite3_stmt* s) {
             stats.types[column_text(s, 0)] = sqlite3_column_int64(s, 1);
             stats.events += sqlite3_column_int64(s, 1);
           });
  return stats;
}

std::optional<std::int64_t> SqliteStore::purge_older_than(std::int64_t oldest_ms,
                                                          std::string& error) {
  std::lock_guard lock(mutex_);
  Statement attributions(db_,
                         "DELETE FROM event_campaigns WHERE event_id IN "
                         "(SELECT id FROM events WHERE ts < ?1)");
  Statement events(db_, "DELETE FROM events WHERE ts < ?1");
  auto failed = [&] {
    error = sqlite3_errmsg(db_);
    if (!sqlite3_get_autocommit(db_)) exec(db_, "ROLLBACK");
    return std::nullopt;
  };
  if (!attributions.ok() || !events.ok() || !exec(db_, "BEGIN IMMEDIATE")) return failed();
  attributions.bind(1, oldest_ms);
  events.bind(1, oldest_ms);
  if (sqlite3_step(attributions.get()) != SQLITE_DONE) return failed();
  if (sqlite3_step(events.get()) != SQLITE_DONE) return failed();
  const std::int64_t deleted = sqlite3_changes(db_);
  if (!exec(db_, "COMMIT")) return failed();
  error.clear();
  return deleted;
}

}  // namespace

std::unique_ptr<EventStore> open_sqlite_store(const std::filesystem::path& path,
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
  const int rc =
      sqlite3_open_v2(shown.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  // Own the handle at once: sqlite3_open_v2 allocates one even when it fails.
  auto store = std::make_unique<SqliteStore>(raw, shown);
  if (rc != SQLITE_OK) return failed(raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);

  // The first real read is where SQLite notices a file that is not a database.
  const auto read_version = [raw] {
    Statement stmt(raw, "PRAGMA user_version");
    return stmt.ok() && sqlite3_step(stmt.get()) == SQLITE_ROW ? sqlite3_column_int(stmt.get(), 0)
                                                               : -1;
  };
  const int version = read_version();
  if (version < 0) return failed(sqlite3_errmsg(raw));
  if (version > kEventStoreSchemaVersion) {
    return failed("it has schema version " + std::to_string(version) +
                  ", written by a newer vario (this one knows version " +
                  std::to_string(kEventStoreSchemaVersion) + ")");
  }
  // WAL lets results and exports read while a batch is being written.
  if (!exec(raw, "PRAGMA journal_mode=WAL")) return failed(sqlite3_errmsg(raw));
  if (version < kEventStoreSchemaVersion) {
    // IMMEDIATE: two processes creating the same new file take turns instead of racing, and
    // the second sees the first one's version.
    if (!exec(raw, "BEGIN IMMEDIATE")) return failed(sqlite3_errmsg(raw));
    const int now = read_version();
    const bool ok =
        now >= kEventStoreSchemaVersion ||
        ((now != 1 || exec(raw, kUpgradeFrom1)) && exec(raw, create_schema_sql().c_str()) &&
         (now != 1 || exec(raw, kAttributeVersion1)));
    if (!ok || !exec(raw, "COMMIT")) {
      std::string reason = sqlite3_errmsg(raw);
      exec(raw, "ROLLBACK");
      return failed(reason);
    }
  }
  error.clear();
  return store;
}

}  // namespace vario::host
