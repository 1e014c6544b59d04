#include "store/event_store.hpp"

#include "store/postgres_store.hpp"
#include "store/sqlite_store.hpp"

namespace vario::host {

std::size_t InsertOutcome::count(Disposition d) const {
  std::size_t n = 0;
  for (Disposition x : dispositions) n += x == d;
  return n;
}

bool is_postgresql_location(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::unique_ptr<EventStore> open_event_store(const std::string& location, std::string& error) {
  if (is_postgresql_location(location)) return open_postgres_store(location, error);
  return open_sqlite_store(location, error);
}

std::string create_tables_sql(std::string_view bigint, std::string_view real) {
  // Version 1 had the first ten columns of events and no event_campaigns; the columns after
  // payload were added at the end so that a version-1 SQLite file upgrades with ALTER TABLE.
  const std::string i(bigint), r(real);
  return "CREATE TABLE IF NOT EXISTS events (\n"
         "  id             TEXT PRIMARY KEY,\n"
         "  type           TEXT NOT NULL,\n"
         "  ts             " +
         i +
         " NOT NULL,\n"
         "  received_at    " +
         i +
         " NOT NULL,\n"
         "  account        TEXT NOT NULL,\n"
         "  campaign       TEXT,\n"
         "  variation      TEXT,\n"
         "  visitor        TEXT,\n"
         "  page           TEXT,\n"
         "  payload        TEXT NOT NULL,\n"
         "  schema         INTEGER NOT NULL DEFAULT 1,\n"
         "  goal           TEXT,\n"
         "  value          " +
         r +
         ",\n"
         "  transaction_id TEXT,\n"
         "  revenue        " +
         r +
         ",\n"
         "  currency       TEXT\n"
         ");\n"
         "CREATE UNIQUE INDEX IF NOT EXISTS events_by_transaction ON events (account, "
         "transaction_id);\n"
         "CREATE INDEX IF NOT EXISTS events_by_ts ON events (ts);\n"
         "CREATE INDEX IF NOT EXISTS events_by_account ON events (account, type);\n"
         "CREATE TABLE IF NOT EXISTS event_campaigns (\n"
         "  event_id  TEXT NOT NULL,\n"
         "  account   TEXT NOT NULL,\n"
         "  campaign  TEXT NOT NULL,\n"
         "  variation TEXT,\n"
         "  PRIMARY KEY (event_id, campaign)\n"
         ");\n"
         "CREATE INDEX IF NOT EXISTS event_campaigns_by_campaign ON event_campaigns (account, "
         "campaign);\n";
}

std::string event_id_conflict(const Event& event) {
  return "/id: event " + event.id +
         " is already stored with other content; an event id names one event, so this one was "
         "not stored";
}

std::string transaction_conflict(const Event& event, std::string_view stored_event_id) {
  return "/transaction/id: transaction '" + event.transaction->id + "' is already stored (event " +
         std::string(stored_event_id) +
         ") with another goal, revenue or currency; it was not stored again";
}

std::vector<std::pair<std::string, std::string>> attributions(const Event& event) {
  std::vector<std::pair<std::string, std::string>> out;
  if (event.campaign) out.emplace_back(*event.campaign, event.variation.value_or(""));
  for (const auto& [campaign, variation] : event.campaigns) out.emplace_back(campaign, variation);
  return out;
}

}  // namespace vario::host
