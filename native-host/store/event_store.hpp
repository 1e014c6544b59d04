// Where the collector keeps events: one interface, two implementations (SQLite, the embedded
// default, and PostgreSQL for several collectors), the same tables and the same exactly-once
// rule in both (INSERT ... ON CONFLICT DO NOTHING on the event id, and on the account's
// transaction id). docs/events.md documents the tables.
//
// Every call names the account it is about, so that one store per account (a router that
// opens a store per account) fits behind this interface; the payload is written and read
// whole, so that a store that encrypts it at rest fits too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "serve/event_validation.hpp"

namespace vario::host {

// The version of the tables; a store whose tables are newer was written by a newer vario and
// is refused rather than misread. Version 1 (impressions and health only) is upgraded in place.
inline constexpr int kEventStoreSchemaVersion = 2;

// What became of one event of a batch.
enum class Disposition {
  kStored,     // new: stored now
  kDuplicate,  // the same event (same id and content) or the same transaction was stored before
  kConflict,   // its id, or its transaction's id, is stored with other content: not stored
};

// What one insert_batch did, event by event, in the batch's order. When ok is false nothing was
// stored and `error` says why.
struct InsertOutcome {
  bool ok = false;
  std::vector<Disposition> dispositions;
  std::vector<std::string> reasons;  // for each event: why it conflicts, or ""
  std::string error;

  std::size_t count(Disposition d) const;
};

// A stored event as scan() hands it out. With EventQuery::campaign set, `variation` is the
// variation the event is attributed to in that campaign (its own for an impression, the one in
// its `campaigns` for a page view, goal or transaction; empty for health).
struct StoredEvent {
  std::string id;
  std::int64_t schema = 0;
  std::string type;
  std::int64_t ts = 0;
  std::int64_t received_at = 0;
  std::string account;
  std::optional<std::string> visitor, page, campaign, variation, goal;
  std::optional<double> value;
  std::optional<std::string> transaction_id;
  std::optional<double> revenue;
  std::optional<std::string> currency;
  std::string payload;  // the event as validated, canonical compact JSON
};

struct EventQuery {
  std::string account;
  std::optional<std::string> campaign;  // only the events attributed to this campaign
};

// Counts of one account for GET /v1/stats.
struct EventStats {
  std::map<std::string, std::map<std::string, std::int64_t>> impressions;  // campaign, variation
  std::map<std::string, std::int64_t> health;                              // by code
  std::map<std::string, std::int64_t> types;                               // events by type
  std::int64_t events = 0;
};

// Safe to use from several threads at once, and several stores (in several processes) may
// share one database: the database's own locking keeps them consistent.
class EventStore {
 public:
  virtual ~EventStore() = default;

  // Stores each event of `events` that is new, in one transaction: all the batch's new events,
  // or none if anything fails. An event whose id is stored already is a duplicate when its
  // payload is the same, a conflict otherwise; a transaction whose (account, transaction id) is
  // stored under another event id is a duplicate when revenue, currency and goal agree, a
  // conflict otherwise. Within the batch, the first of two equal ids wins. `received_at_ms` is
  // the server's clock, written to every new row.
  virtual InsertOutcome insert_batch(std::span<const Event> events,
                                     std::int64_t received_at_ms) = 0;

  // Calls `row` for each stored event matching `query`, ordered by ts then id, until `row`
  // returns false. Returns false and sets `error` on a database error (rows already handed out
  // stay handed out).
  virtual bool scan(const EventQuery& query, const std::function<bool(const StoredEvent&)>& row,
                    std::string& error) = 0;

  // Counts for `account`; sets `error` (and returns what it had) on a database error.
  virtual EventStats stats(std::string_view account, std::string& error) = 0;

  // Deletes every event (of every account) with ts < `oldest_ms`, and returns how many; nullopt
  // and `error` on a database error, when nothing was deleted.
  virtual std::optional<std::int64_t> purge_older_than(std::int64_t oldest_ms,
                                                       std::string& error) = 0;

  // "SQLite file .vario/events.db", "PostgreSQL 127.0.0.1:5432/vario": for messages.
  virtual std::string description() const = 0;
};

// Whether `location` names a PostgreSQL database ("postgresql://..." or "postgres://...").
bool is_postgresql_location(std::string_view location);

// Opens the store at `location`: a PostgreSQL connection URI, or else the path of a SQLite file
// (created with its missing folders). Creates or upgrades the tables. Returns nullptr and one
// sentence in `error` when it cannot.
std::unique_ptr<EventStore> open_event_store(const std::string& location, std::string& error);

// ---- for the implementations ----------------------------------------------------------------

// The statements that create the tables of docs/events.md (IF NOT EXISTS), in the SQL both
// databases speak, with their names for a 64-bit integer and a double.
std::string create_tables_sql(std::string_view bigint, std::string_view real);

// The reason given for a conflict on the event id, and on a transaction id.
std::string event_id_conflict(const Event& event);
std::string transaction_conflict(const Event& event, std::string_view stored_event_id);

// The (campaign, variation) pairs an event is attributed to: its own campaign (variation empty
// for health), or each of its campaigns.
std::vector<std::pair<std::string, std::string>> attributions(const Event& event);

}  // namespace vario::host
