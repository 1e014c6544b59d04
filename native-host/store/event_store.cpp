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

std::string event_id_conflict(const Event& event) {
  return "/id: event " + event.id +
         " is already stored with other content; an event id names one event, so this one was "
         "not stored";
}

std::string transaction_conflict(const Event& event, std::string_view stored_event_id) {
  return "/transaction/id: transaction '" + event.transaction->id +
         "' is already stored (event " + std::string(stored_event_id) +
         ") with another goal, revenue or currency; it was not stored again";
}

std::vector<std::pair<std::string, std::string>> attributions(const Event& event) {
  std::vector<std::pair<std::string, std::string>> out;
  if (event.campaign) out.emplace_back(*event.campaign, event.variation.value_or(""));
  for (const auto& [campaign, variation] : event.campaigns) out.emplace_back(campaign, variation);
  return out;
}

}  // namespace vario::host
