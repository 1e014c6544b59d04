// The Host implemented with the JS tag's imports (wasm/host_imports.hpp).
#pragma once

#include "vario/host.hpp"

namespace vario::wasm {

class WasmHost final : public Host {
 public:
  std::optional<std::vector<NodeHandle>> query_all(std::string_view selector) override;
  std::vector<NodeHandle> children(NodeHandle node) override;
  NodeHandle parent(NodeHandle node) override;
  NodeHandle next_sibling(NodeHandle node) override;
  bool contains(NodeHandle ancestor, NodeHandle node) override;
  std::string text(NodeHandle node) override;
  std::optional<std::string> attribute(NodeHandle node, std::string_view name) override;
  std::vector<std::string> attribute_names(NodeHandle node) override;
  StyleValue style(NodeHandle node, std::string_view property) override;
  bool hydrated(NodeHandle node) override;
  void release(NodeHandle node) override;
  void set_text(NodeHandle node, std::string_view text) override;
  std::optional<std::vector<NodeHandle>> parse_html(std::string_view html) override;
  bool insert(NodeHandle reference, Position position, NodeHandle node) override;
  void detach(NodeHandle node) override;
  bool set_attribute(NodeHandle node, std::string_view name, std::string_view value) override;
  void remove_attribute(NodeHandle node, std::string_view name) override;
  bool set_style(NodeHandle node, std::string_view property, std::string_view value,
                 bool important) override;
  SheetHandle add_stylesheet(std::string_view css) override;
  void remove_stylesheet(SheetHandle sheet) override;
  void watch(std::uint32_t id, std::string_view selector) override;
  void unwatch(std::uint32_t id) override;
  void guard(NodeHandle node, bool on) override;
  void reveal(std::int32_t rule) override;
  void navigate(std::string_view url) override;
  void set_timer(double delay_ms) override;

  std::optional<bool> regex_test(std::string_view pattern, std::string_view flags,
                                 std::string_view subject) const override;
  std::optional<std::string> page_value(PageValueSource source, std::string_view key) override;
  std::optional<std::string> storage_read(std::string_view key) override;
  void storage_write(std::string_view key, std::string_view value,
                     std::int64_t max_age_seconds) override;
  void storage_erase(std::string_view key) override;
  bool send(std::string_view url, std::string_view body) override;
  double now_ms() override;
  void random_bytes(std::span<std::uint8_t> out) override;
  void log(LogLevel level, std::string_view message) override;
};

}  // namespace vario::wasm
