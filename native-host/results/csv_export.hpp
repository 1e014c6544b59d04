// A campaign's events as RFC 4180 CSV (GET /v1/campaigns/{id}/export.csv, `vario export`),
// safe to open in a spreadsheet (docs/events.md#csv-export).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "store/event_store.hpp"

namespace vario::host {

// The header line, CRLF-terminated: the columns in their order.
std::string csv_header();

// One event as a CSV line, CRLF-terminated.
std::string csv_row(const StoredEvent& event);

// One cell: quoted when it holds a comma, a quote, CR or LF (quotes doubled), and neutralised
// with a leading apostrophe when it starts with = + - @, a tab or CR, which spreadsheets would
// otherwise run as a formula (CSV injection).
std::string csv_cell(std::string_view text);

// Writes the header and every event of `campaign` (of `account`) to `out`, chunk by chunk;
// false and `error` on a database error.
bool export_campaign_csv(EventStore& store, const std::string& account, const std::string& campaign,
                         const std::function<void(std::string_view)>& out, std::string& error);

}  // namespace vario::host
