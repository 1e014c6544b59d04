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

// Calls a node-list import once; a list longer than the first buffer comes from dom_list.
template <typename Read>
std::optional<std::vector<NodeHandle>> read_nodes(Read read) {
  std::vector<NodeHandle> nodes(16);
  const std::int32_t n = read(nodes.data(), static_cast<std::int32_t>(nodes.size()));
  if (n < 0) return std::nullopt;
  if (static_cast<std::size_t>(n) > nodes.size()) {
    nodes.resize(static_cast<std::size_t>(n));
    vario_dom_list(nodes.data(), n);
  }
  nodes.resize(static_cast<std::size_t>(n));
  return nodes;
}

}  // namespace

std::optional<std::vector<NodeHandle>> WasmHost::query_all(std::string_view selector) {
  return read_nodes([selector](std::uint32_t* out, std::int32_t cap) {
    return vario_dom_query_all(selector.data(), len32(selector), out, cap);
  });
}

std::vector<NodeHandle> WasmHost::children(NodeHandle node) {
  return read_nodes([node](std::uint32_t* out, std::int32_t cap) {
           return vario_dom_children(node, out, cap);
         })
      .value_or(std::vector<NodeHandle>());
}

NodeHandle WasmHost::parent(NodeHandle node) { return vario_dom_parent(node); }

NodeHandle WasmHost::next_sibling(NodeHandle node) { return vario_dom_next(node); }

bool WasmHost::contains(NodeHandle ancestor, NodeHandle node) {
  return vario_dom_contains(ancestor, node) == 1;
}

std::string WasmHost::text(NodeHandle node) {
  return read_string([node](char* out, std::int32_t cap) { return vario_dom_text(node, out, cap); })
      .value_or(std::string());
}

std::optional<std::string> WasmHost::attribute(NodeHandle node, std::string_view name) {
  return read_string([node, name](char* out, std::int32_t cap) {
    return vario_dom_attr(node, name.data(), len32(name), out, cap);
  });
}

std::vector<std::string> WasmHost::attribute_names(NodeHandle node) {
  // One string, names separated by spaces (no attribute name holds one).
  const std::string all =
      read_string([node](char* out, std::int32_t cap) { return vario_dom_attr_names(node, out, cap); })
          .value_or(std::string());
  std::vector<std::string> names;
  for (std::size_t at = 0; at < all.size();) {
    const std::size_t end = std::min(all.find(' ', at), all.size());
    if (end > at) names.emplace_back(all.substr(at, end - at));
    at = end + 1;
  }
  return names;
}

StyleValue WasmHost::style(NodeHandle node, std::string_view property) {
  const auto s = read_string([node, property](char* out, std::int32_t cap) {
    return vario_dom_style(node, property.data(), len32(property), out, cap);
  });
  if (!s || s->empty()) return {};
  return {s->substr(1), (*s)[0] == '!'};
}

bool WasmHost::hydrated(NodeHandle node) { return vario_dom_hydrated(node) == 1; }

void WasmHost::release(NodeHandle node) { vario_dom_release(node); }

void WasmHost::set_text(NodeHandle node, std::string_view text) {
  vario_dom_set_text(node, text.data(), len32(text));
}

std::optional<std::vector<NodeHandle>> WasmHost::parse_html(std::string_view html) {
  return read_nodes([html](std::uint32_t* out, std::int32_t cap) {
    return vario_dom_parse_html(html.data(), len32(html), out, cap);
  });
}

bool WasmHost::insert(NodeHandle reference, Position position, NodeHandle node) {
  return vario_dom_insert(reference, static_cast<std::int32_t>(position), node) == 1;
}

void WasmHost::detach(NodeHandle node) { vario_dom_detach(node); }

bool WasmHost::set_attribute(NodeHandle node, std::string_view name, std::string_view value) {
  return vario_dom_set_attr(node, name.data(), len32(name), value.data(), len32(value)) == 1;
}

void WasmHost::remove_attribute(NodeHandle node, std::string_view name) {
  vario_dom_remove_attr(node, name.data(), len32(name));
}

bool WasmHost::set_style(NodeHandle node, std::string_view property, std::string_view value,
                         bool important) {
  return vario_dom_set_style(node, property.data(), len32(property), value.data(), len32(value),
                             important ? 1 : 0) == 1;
}

SheetHandle WasmHost::add_stylesheet(std::string_view css) {
  return vario_css_add(css.data(), len32(css));
}

void WasmHost::remove_stylesheet(SheetHandle sheet) { vario_css_remove(sheet); }

void WasmHost::watch(std::uint32_t id, std::string_view selector) {
  vario_page_watch(id, selector.data(), len32(selector));
}

void WasmHost::unwatch(std::uint32_t id) { vario_page_unwatch(id); }

void WasmHost::guard(NodeHandle node, bool on) { vario_page_guard(node, on ? 1 : 0); }

void WasmHost::reveal(std::int32_t rule) { vario_page_reveal(rule); }

void WasmHost::navigate(std::string_view url) { vario_page_navigate(url.data(), len32(url)); }

void WasmHost::set_timer(double delay_ms) { vario_page_timer(delay_ms); }

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
