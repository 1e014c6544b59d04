#include "store/postgres_store.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <numeric>
#include <utility>

namespace vario::host {
namespace {

// Connections kept open at most: beyond that, callers wait for one to be returned. The HTTP
// server's workers are many more, but a batch holds a connection only while it writes.
constexpr std::size_t kMaxConnections = 8;
// Any number; the same in every instance, so that they create the tables one at a time.
constexpr long long kSchemaLockKey = 0x76617269'6f000001LL;
// Two instances storing overlapping batches can deadlock on each other's unique keys;
// PostgreSQL aborts one of them, which is then tried again.
constexpr int kAttempts = 4;

std::string create_schema_sql() {
  return "CREATE TABLE IF NOT EXISTS vario_schema (version INTEGER NOT NULL);\n" +
         create_tables_sql("BIGINT", "DOUBLE PRECISION");
}

// Owns a PGresult.
class Result {
 public:
  explicit Result(PGresult* r = nullptr) : r_(r) {}
  ~Result() { PQclear(r_); }
  Result(Result&& o) noexcept : r_(std::exchange(o.r_, nullptr)) {}
  Result& operator=(Result&& o) noexcept {
    std::swap(r_, o.r_);
    return *this;
  }
  PGresult* get() const { return r_; }
  ExecStatusType status() const { return PQresultStatus(r_); }
  bool ok() const { return status() == PGRES_COMMAND_OK || status() == PGRES_TUPLES_OK; }
  int rows() const { return PQntuples(r_); }
  bool null(int row, int col) const { return PQgetisnull(r_, row, col); }
  std::string text(int row, int col) const { return PQgetvalue(r_, row, col); }
  std::optional<std::string> optional(int row, int col) const {
    if (null(row, col)) return std::nullopt;
    return text(row, col);
  }
  std::int64_t integer(int row, int col) const {
    return std::strtoll(PQgetvalue(r_, row, col), nullptr, 10);
  }
  std::optional<double> number(int row, int col) const {
    if (null(row, col)) return std::nullopt;
    return std::strtod(PQgetvalue(r_, row, col), nullptr);
  }
  std::string sqlstate() const {
    const char* s = PQresultErrorField(r_, PG_DIAG_SQLSTATE);
    return s ? s : "";
  }
  std::string error() const {
    std::string s = PQresultErrorMessage(r_);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
  }

 private:
  PGresult* r_;
};

// Text parameters for PQexecParams: nullopt is SQL NULL.
class Params {
 public:
  Params& add(std::optional<std::string> v) {
    values_.push_back(std::move(v));
    return *this;
  }
  Params& add(std::string_view v) { return add(std::optional<std::string>(std::string(v))); }
  Params& add(const std::string& v) { return add(std::string_view(v)); }
  Params& add(const char* v) { return add(std::string_view(v)); }
  Params& add(std::int64_t v) { return add(std::optional<std::string>(std::to_string(v))); }
  Params& add(std::optional<double> v) {
    if (!v) return add(std::optional<std::string>());
    // Shortest text that reads back as the same double.
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, *v).ptr;
    return add(std::optional<std::string>(std::string(buffer, end)));
  }

  Result exec(PGconn* conn, const char* sql) const {
    std::vector<const char*> raw;
    for (const auto& v : values_) raw.push_back(v ? v->c_str() : nullptr);
    return Result(PQexecParams(conn, sql, static_cast<int>(raw.size()), nullptr, raw.data(),
                               nullptr, nullptr, 0));
  }

 private:
  std::vector<std::optional<std::string>> values_;
};

Result exec(PGconn* conn, const char* sql) { return Result(PQexec(conn, sql)); }

std::string connection_error(PGconn* conn) {
  std::string s = conn ? PQerrorMessage(conn) : "out of memory";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class PostgresStore final : public EventStore {
 public:
  PostgresStore(std::string uri, PGconn* first) : uri_(std::move(uri)) {
    idle_.push_back(first);
    open_ = 1;
    description_ =
        std::string("PostgreSQL ") + PQhost(first) + ":" + PQport(first) + "/" + PQdb(first);
  }
  ~PostgresStore() override {
    for (PGconn* c : idle_) PQfinish(c);
  }
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  InsertOutcome insert_batch(std::span<const Event> events, std::int64_t received_at_ms) override;
  bool scan(const EventQuery& query, const std::function<bool(const StoredEvent&)>& row,
            std::string& error) override;
  EventStats stats(std::string_view account, std::string& error) override;
  std::optional<std::int64_t> purge_older_than(std::int64_t oldest_ms, std::string& error) override;
  std::string description() const override { return description_; }

 private:
  // A pooled connection, returned to the pool when it goes out of scope.
  class Lease {
   public:
    Lease(PostgresStore& store, PGconn* conn) : store_(store), conn_(conn) {}
    ~Lease() { store_.give_back(conn_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    PGconn* get() const { return conn_; }

   private:
    PostgresStore& store_;
    PGconn* conn_;
  };

  // A connection from the pool, a new one while there are fewer than kMaxConnections, or
  // nullptr (and `error`) when none can be made.
  std::unique_ptr<Lease> lease(std::string& error);
  void give_back(PGconn* conn);
  InsertOutcome insert_once(PGconn* conn, std::span<const Event> events,
                            std::int64_t received_at_ms, std::string& sqlstate);

  std::string uri_;
  std::string description_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<PGconn*> idle_;
  std::size_t open_ = 0;
};

std::unique_ptr<PostgresStore::Lease> PostgresStore::lease(std::string& error) {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [&] { return !idle_.empty() || open_ < kMaxConnections; });
  PGconn* conn = nullptr;
  if (!idle_.empty()) {
    conn = idle_.back();
    idle_.pop_back();
  } else {
    ++open_;
    lock.unlock();
    conn = PQconnectdb(uri_.c_str());
    lock.lock();
  }
  // A server restarted or a connection dropped: one reset, then give up for this request.
  if (PQstatus(conn) != CONNECTION_OK) {
    lock.unlock();
    PQreset(conn);
    lock.lock();
    if (PQstatus(conn) != CONNECTION_OK) {
      error = connection_error(conn);
      PQfinish(conn);
      --open_;
      returned_.notify_one();
      return nullptr;
    }
  }
  return std::make_unique<Lease>(*this, conn);
}

void PostgresStore::give_back(PGconn* conn) {
  std::lock_guard lock(mutex_);
  // A connection left inside a transaction (a failure mid-batch) is rolled back first.
  if (PQtransactionStatus(conn) != PQTRANS_IDLE) exec(conn, "ROLLBACK");
  idle_.push_back(conn);
  returned_.notify_one();
}

InsertOutcome PostgresStore::insert_batch(std::span<const Event> events,
                                          std::int64_t received_at_ms) {
  std::string error;
  const auto conn = lease(error);
  if (!conn) {
    InsertOutcome outcome;
    outcome.error = "connecting to " + description_ + ": " + error;
    return outcome;
  }
  InsertOutcome outcome;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::string sqlstate;
    outcome = insert_once(conn->get(), events, received_at_ms, sqlstate);
    // 40P01 deadlock_detected, 40001 serialization_failure: the batch may simply be tried again.
    if (outcome.ok || (sqlstate != "40P01" && sqlstate != "40001")) break;
  }
  return outcome;
}

InsertOutcome PostgresStore::insert_once(PGconn* conn, std::span<const Event> events,
                                         std::int64_t received_at_ms, std::string& sqlstate) {
  InsertOutcome outcome;
  auto failed = [&](std::string_view step, const Result& r) {
    outcome = InsertOutcome{};
    sqlstate = r.sqlstate();
    outcome.error = std::string(step) + ": " + (r.get() ? r.error() : connection_error(conn));
    exec(conn, "ROLLBACK");
    return outcome;
  };
  // Rows are locked in id order whatever the batch's order, so that two instances storing
  // overlapping batches wait for each other instead of deadlocking; the dispositions still
  // follow the batch's order, and the first of two equal ids stays the one stored.
  std::vector<std::size_t> order(events.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return events[a].id < events[b].id; });
  outcome.dispositions.assign(events.size(), Disposition::kStored);
  outcome.reasons.assign(events.size(), "");

  if (Result r = exec(conn, "BEGIN"); !r.ok()) return failed("starting the transaction", r);
  for (std::size_t i : order) {
    const Event& event = events[i];
    const std::optional<std::string> transaction_id =
        event.transaction ? std::optional(event.transaction->id) : std::nullopt;
    Params p;
    p.add(event.id).add(event.schema).add(event_type_name(event.type)).add(event.ts);
    p.add(received_at_ms).add(event.account).add(event.visitor).add(event.page);
    p.add(event.campaign).add(event.variation).add(event.goal).add(event.value);
    p.add(transaction_id);
    p.add(event.transaction ? std::optional(event.transaction->revenue) : std::nullopt);
    p.add(event.transaction ? std::optional(event.transaction->currency) : std::nullopt);
    p.add(event.payload);
    Result inserted = p.exec(
        conn,
        "INSERT INTO events (id, schema, type, ts, received_at, account, visitor, page, "
        "campaign, variation, goal, value, transaction_id, revenue, currency, payload) VALUES "
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) "
        "ON CONFLICT DO NOTHING RETURNING id");
    if (!inserted.ok()) return failed("storing event " + event.id, inserted);
    if (inserted.rows() == 1) {
      for (const auto& [campaign, variation] : attributions(event)) {
        Params a;
        a.add(event.id).add(event.account).add(campaign);
        a.add(variation.empty() ? std::nullopt : std::optional(variation));
        Result r = a.exec(conn,
                          "INSERT INTO event_campaigns (event_id, account, campaign, variation) "
                          "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
        if (!r.ok()) return failed("attributing event " + event.id, r);
      }
      continue;
    }
    Result by_id = Params().add(event.id).exec(conn, "SELECT payload FROM events WHERE id = $1");
    if (!by_id.ok()) return failed("looking up event " + event.id, by_id);
    if (by_id.rows() == 1) {
      const bool same = by_id.text(0, 0) == event.payload;
      outcome.dispositions[i] = same ? Disposition::kDuplicate : Disposition::kConflict;
      if (!same) outcome.reasons[i] = event_id_conflict(event);
      continue;
    }
    if (!transaction_id) return failed("looking up event " + event.id, by_id);
    Result by_transaction =
        Params()
            .add(event.account)
            .add(transaction_id)
            .exec(conn,
                  "SELECT id, goal, revenue, currency FROM events WHERE account = $1 AND "
                  "transaction_id = $2");
    if (!by_transaction.ok() || by_transaction.rows() != 1)
      return failed("looking up transaction " + *transaction_id, by_transaction);
    const bool same = by_transaction.optional(0, 1) == event.goal &&
                      by_transaction.number(0, 2) == event.transaction->revenue &&
                      by_transaction.optional(0, 3) == event.transaction->currency;
    outcome.dispositions[i] = same ? Disposition::kDuplicate : Disposition::kConflict;
    if (!same) outcome.reasons[i] = transaction_conflict(event, by_transaction.text(0, 0));
  }
  if (Result r = exec(conn, "COMMIT"); !r.ok()) return failed("committing the batch", r);
  outcome.ok = true;
  return outcome;
}

bool PostgresStore::scan(const EventQuery& query,
                         const std::function<bool(const StoredEvent&)>& row, std::string& error) {
  error.clear();
  const auto conn = lease(error);
  if (!conn) return false;
  const char* sql =
      query.campaign
          ? "SELECT e.id, e.schema, e.type, e.ts, e.received_at, e.account, e.visitor, e.page, "
            "a.campaign, a.variation, e.goal, e.value, e.transaction_id, e.revenue, e.currency, "
            "e.payload FROM event_campaigns a JOIN events e ON e.id = a.event_id "
            "WHERE a.account = $1 AND a.campaign = $2 ORDER BY e.ts, e.id"
          : "SELECT id, schema, type, ts, received_at, account, visitor, page, campaign, "
            "variation, goal, value, transaction_id, revenue, currency, payload FROM events "
            "WHERE account = $1 ORDER BY ts, id";
  std::vector<const char*> values = {query.account.c_str()};
  if (query.campaign) values.push_back(query.campaign->c_str());
  // Row by row, so that an export of millions of events does not sit in memory at once.
  if (!PQsendQueryParams(conn->get(), sql, static_cast<int>(values.size()), nullptr, values.data(),
                         nullptr, nullptr, 0) ||
      !PQsetSingleRowMode(conn->get())) {
    error = connection_error(conn->get());
    return false;
  }
  bool wanted = true;
  StoredEvent e;
  for (;;) {
    Result r(PQgetResult(conn->get()));
    if (!r.get()) break;
    if (r.status() == PGRES_SINGLE_TUPLE && wanted) {
      e.id = r.text(0, 0);
      e.schema = r.integer(0, 1);
      e.type = r.text(0, 2);
      e.ts = r.integer(0, 3);
      e.received_at = r.integer(0, 4);
      e.account = r.text(0, 5);
      e.visitor = r.optional(0, 6);
      e.page = r.optional(0, 7);
      e.campaign = r.optional(0, 8);
      e.variation = r.optional(0, 9);
      e.goal = r.optional(0, 10);
      e.value = r.number(0, 11);
      e.transaction_id = r.optional(0, 12);
      e.revenue = r.number(0, 13);
      e.currency = r.optional(0, 14);
      e.payload = r.text(0, 15);
      // Stopping early still reads the remaining results, as libpq requires.
      wanted = row(e);
    } else if (r.status() != PGRES_SINGLE_TUPLE && r.status() != PGRES_TUPLES_OK) {
      error = r.error();
    }
  }
  return error.empty();
}

EventStats PostgresStore::stats(std::string_view account, std::string& error) {
  EventStats stats;
  error.clear();
  const auto conn = lease(error);
  if (!conn) return stats;
  const std::string who(account);
  const auto each_row = [&](const char* sql, const auto& on_row) {
    if (!error.empty()) return;
    Result r = Params().add(who).exec(conn->get(), sql);
    if (!r.ok()) {
      error = r.error();
      return;
    }
    for (int i = 0; i < r.rows(); ++i) on_row(r, i);
  };
  each_row(
      "SELECT campaign, variation, COUNT(*) FROM events WHERE account = $1 AND type = "
      "'impression' GROUP BY campaign, variation",
      [&](const Result& r, int i) {
        stats.impressions[r.text(i, 0)][r.text(i, 1)] = r.integer(i, 2);
      });
  each_row(
      "SELECT payload::jsonb->>'code', COUNT(*) FROM events WHERE account = $1 AND type = "
      "'health' GROUP BY 1",
      [&](const Result& r, int i) { stats.health[r.text(i, 0)] = r.integer(i, 1); });
  each_row("SELECT type, COUNT(*) FROM events WHERE account = $1 GROUP BY type",
           [&](const Result& r, int i) {
             stats.types[r.text(i, 0)] = r.integer(i, 1);
             stats.events += r.integer(i, 1);
           });
  return stats;
}

std::optional<std::int64_t> PostgresStore::purge_older_than(std::int64_t oldest_ms,
                                                            std::string& error) {
  const auto conn = lease(error);
  if (!conn) return std::nullopt;
  auto failed = [&](const Result& r) {
    error = r.error();
    exec(conn->get(), "ROLLBACK");
    return std::nullopt;
  };
  if (Result r = exec(conn->get(), "BEGIN"); !r.ok()) return failed(r);
  Result a = Params().add(oldest_ms).exec(
      conn->get(),
      "DELETE FROM event_campaigns WHERE event_id IN (SELECT id FROM events WHERE ts < $1)");
  if (!a.ok()) return failed(a);
  Result e = Params().add(oldest_ms).exec(conn->get(), "DELETE FROM events WHERE ts < $1");
  if (!e.ok()) return failed(e);
  const std::int64_t deleted = std::strtoll(PQcmdTuples(e.get()), nullptr, 10);
  if (Result r = exec(conn->get(), "COMMIT"); !r.ok()) return failed(r);
  error.clear();
  return deleted;
}

}  // namespace

std::unique_ptr<EventStore> open_postgres_store(const std::string& uri, std::string& error) {
  auto failed = [&](const std::string& reason) {
    error = "Could not open the PostgreSQL event store: " + reason + ".";
    return nullptr;
  };
  PGconn* conn = PQconnectdb(uri.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string reason = connection_error(conn);
    PQfinish(conn);
    return failed(reason);
  }
  auto store = std::make_unique<PostgresStore>(uri, conn);
  // Quiet: CREATE ... IF NOT EXISTS would print a notice for every table that exists.
  exec(conn, "SET client_min_messages = warning");
  const auto step = [&](const Result& r) {
    if (r.ok()) return true;
    error = r.error();
    exec(conn, "ROLLBACK");
    return false;
  };
  if (!step(exec(conn, "BEGIN")) ||
      !step(Params()
                .add(static_cast<std::int64_t>(kSchemaLockKey))
                .exec(conn, "SELECT pg_advisory_xact_lock($1::bigint)")) ||
      !step(exec(conn, create_schema_sql().c_str())))
    return failed(error);
  Result version = exec(conn, "SELECT MAX(version) FROM vario_schema");
  if (!step(version)) return failed(error);
  const std::int64_t found = version.null(0, 0) ? 0 : version.integer(0, 0);
  if (found > kEventStoreSchemaVersion) {
    exec(conn, "ROLLBACK");
    return failed("its tables have schema version " + std::to_string(found) +
                  ", written by a newer vario (this one knows version " +
                  std::to_string(kEventStoreSchemaVersion) + ")");
  }
  if (found == 0 &&
      !step(Params()
                .add(static_cast<std::int64_t>(kEventStoreSchemaVersion))
                .exec(conn, "INSERT INTO vario_schema (version) VALUES ($1::integer)")))
    return failed(error);
  if (!step(exec(conn, "COMMIT"))) return failed(error);
  error.clear();
  return store;
}

}  // namespace vario::host
