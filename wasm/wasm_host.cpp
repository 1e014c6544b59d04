#include "wasm_host.hpp"

#include "host_imports.hpp"

namespace vario::wasm {
namespace {

std::int32_t len32(std::string_view s) { return static_cast<std::int32_t>(s.size()); }

// Calls a "copy up to cap, return the full length" import, growing the buffer once if needed.
template <typename Read>
std::optional<std::string> read_string(Read read) {
  std::string out(128, '\0');
  std::int32_t n = read(out.data(), static_cast<std::int32_t>(out.size()));
  if (n < 0) return std::nullopt;
  if (static_cast<std::size_t>(n) > out.size()) {
    out.resize(static_cast<std::size_t>(n));
    n = read(out.data(), n);
    if (n < 0) return std::nullopt;
  }
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace

std::optional<std::vector<NodeHandle>> WasmHost::query_all(std::string_view selector) {
  std::vector<NodeHandle> nodes(16);
  std::int32_t n = vario_dom_query_all(selector.data(), len32(selector), nodes.data(),
                                       static_cast<std::int32_t>(nodes.size()));
  if (n < 0) return std::nullopt;
  if (static_cast<std::size_t>(n) > nodes.size()) {
    nodes.resize(static_cast<std::size_t>(n));
    n = vario_dom_query_all(selector.data(), len32(selector), nodes.data(), n);
    if (n < 0) return std::nullopt;
  }
  nodes.resize(static_cast<std::size_t>(n));
  return nodes;
}

std::string WasmHost::text(NodeHandle node) {
  return read_string([node](char* out, std::int32_t cap) { return vario_dom_text(node, out, cap); })
      .value_or(std::string());
}

void WasmHost::set_text(NodeHandle node, std::string_view text) {
  vario_dom_set_text(node, text.data(), len32(text));
}

void WasmHost::release(NodeHandle node) { vario_dom_release(node); }

void WasmHost::reveal(std::int32_t) { vario_dom_reveal(); }

std::optional<bool> WasmHost::regex_test(std::string_view pattern, std::string_view flags,
                                         std::string_view subject) const {
  const std::int32_t r = vario_regex_test(pattern.data(), len32(pattern), flags.data(),
                                          len32(flags), subject.data(), len32(subject));
  if (r < 0) return std::nullopt;
  return r == 1;
}

std::optional<std::string> WasmHost::page_value(PageValueSource source, std::string_view key) {
  return read_string([source, key](char* out, std::int32_t cap) {
    return vario_page_value(static_cast<std::int32_t>(source), key.data(), len32(key), out, cap);
  });
}

std::optional<std::string> WasmHost::storage_read(std::string_view key) {
  return read_string([key](char* out, std::int32_t cap) {
    return vario_storage_read(key.data(), len32(key), out, cap);
  });
}

void WasmHost::storage_write(std::string_view key, std::string_view value,
                             std::int64_t max_age_seconds) {
  vario_storage_write(key.data(), len32(key), value.data(), len32(value),
                      static_cast<double>(max_age_seconds));
}

void WasmHost::storage_erase(std::string_view key) { vario_storage_erase(key.data(), len32(key)); }

bool WasmHost::send(std::string_view url, std::string_view body) {
  return vario_net_send(url.data(), len32(url), body.data(), len32(body)) == 1;
}

double WasmHost::now_ms() { return vario_clock_now_ms(); }

void WasmHost::random_bytes(std::span<std::uint8_t> out) {
  vario_random_fill(out.data(), static_cast<std::int32_t>(out.size()));
}

void WasmHost::log(LogLevel level, std::string_view message) {
  vario_log(static_cast<std::int32_t>(level), message.data(), len32(message));
}

}  // namespace vario::wasm
