// The event store for several collectors: one PostgreSQL 15 database that every `vario serve`
// instance writes to, with the tables and the exactly-once rule of store/event_store.hpp.
#pragma once

#include <memory>
#include <string>

#include "store/event_store.hpp"

namespace vario::host {

// Connects to `uri` (a libpq connection URI, "postgresql://user@host:port/db"), creating or
// upgrading the tables under an advisory lock, so that instances starting together take turns.
// Returns nullptr and one sentence in `error` when the server cannot be reached or refuses.
std::unique_ptr<EventStore> open_postgres_store(const std::string& uri, std::string& error);

}  // namespace vario::host
