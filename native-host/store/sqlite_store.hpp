// The embedded event store: one SQLite file in WAL mode (store/event_store.hpp).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "store/event_store.hpp"

namespace vario::host {

// Opens the SQLite file at `path`, creating it, its missing parent folders and the tables if
// needed, and upgrading tables of version 1. Returns nullptr and sets `error` to one sentence
// when the folder cannot be created, the file is not a SQLite database, or its tables are
// newer than this build.
std::unique_ptr<EventStore> open_sqlite_store(const std::filesystem::path& path,
                                              std::string& error);

}  // namespace vario::host
