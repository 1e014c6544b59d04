#include "results/csv_export.hpp"

#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "config/rfc3339.hpp"

namespace vario::host {
namespace {

constexpr std::string_view kColumns[] = {
    "id",       "type",     "time",      "ts",    "received_at", "account",        "visitor",
    "page",     "campaign", "variation", "goal",  "value",       "transaction_id", "revenue",
    "currency", "code",     "message",   "count", "schema"};

std::string number_text(double d) {
  char buffer[32];
  return std::string(buffer, std::to_chars(buffer, buffer + sizeof buffer, d).ptr);
}

// ts as an ISO 8601 UTC instant, for people; ts itself stays in its own column.
std::string iso_time(std::int64_t ms) {
  std::string text = format_rfc3339_utc(ms / 1000);
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(ms % 1000));
  return text.substr(0, text.size() - 1) + millis;
}

}  // namespace

std::string csv_cell(std::string_view text) {
  std::string cell(text);
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                        cell[0] == '\t' || cell[0] == '\r'))
    cell.insert(cell.begin(), '\'');
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string csv_header() {
  std::string line;
  for (std::string_view c : kColumns) line += (line.empty() ? "" : ",") + std::string(c);
  return line + "\r\n";
}

std::string csv_row(const StoredEvent& e) {
  const auto payload = nlohmann::json::parse(e.payload, nullptr, false);
  const auto from_payload = [&](const char* key) -> std::string {
    if (!payload.is_object() || !payload.contains(key)) return "";
    const auto& v = payload.at(key);
    return v.is_string() ? v.get<std::string>() : v.dump();
  };
  const auto text = [](const std::optional<std::string>& s) { return s.value_or(""); };
  const auto num = [](const std::optional<double>& d) { return d ? number_text(*d) : ""; };
  const std::string cells[] = {e.id,
                               e.type,
                               iso_time(e.ts),
                               std::to_string(e.ts),
                               std::to_string(e.received_at),
                               e.account,
                               text(e.visitor),
                               text(e.page),
                               text(e.campaign),
                               text(e.variation),
                               text(e.goal),
                               num(e.value),
                               text(e.transaction_id),
                               num(e.revenue),
                               text(e.currency),
                               from_payload("code"),
                               from_payload("message"),
                               from_payload("count"),
                               std::to_string(e.schema)};
  std::string line;
  bool first = true;
  for (const std::string& c : cells) {
    if (!first) line += ',';
    line += csv_cell(c);
    first = false;
  }
  return line + "\r\n";
}

bool export_campaign_csv(EventStore& store, const std::string& account, const std::string& campaign,
                         const std::function<void(std::string_view)>& out, std::string& error) {
  out(csv_header());
  std::string chunk;
  const bool ok = store.scan(
      {account, campaign},
      [&](const StoredEvent& e) {
        chunk += csv_row(e);
        if (chunk.size() >= 64 * 1024) {
          out(chunk);
          chunk.clear();
        }
        return true;
      },
      error);
  if (!chunk.empty()) out(chunk);
  return ok;
}

}  // namespace vario::host
