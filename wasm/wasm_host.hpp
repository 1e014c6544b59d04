// The Host implemented with the JS tag's imports (wasm/host_imports.hpp).
#pragma once

#include "vario/host.hpp"

namespace vario::wasm {

class WasmHost final : public Host {
 public:
  std::optional<std::vector<NodeHandle>> query_all(std::string_view selector) override;
  std::string text(NodeHandle node) override;
  void set_text(NodeHandle node, std::string_view text) override;
  void release(NodeHandle node) override;
  void reveal(std::int32_t) override;
  std::vector<NodeHandle> children(NodeHandle) override { return {}; }
  NodeHandle parent(NodeHandle) override { return kNoNode; }
  NodeHandle next_sibling(NodeHandle) override { return kNoNode; }
  bool contains(NodeHandle a, NodeHandle n) override { return a == n; }
  std::optional<std::string> attribute(NodeHandle, std::string_view) override { return {}; }
  StyleValue style(NodeHandle, std::string_view) override { return {}; }
  bool hydrated(NodeHandle) override { return true; }
  std::optional<std::vector<NodeHandle>> parse_html(std::string_view) override { return {}; }
  bool insert(NodeHandle, Position, NodeHandle) override { return false; }
  void detach(NodeHandle) override {}
  bool set_attribute(NodeHandle, std::string_view, std::string_view) override { return false; }
  void remove_attribute(NodeHandle, std::string_view) override {}
  bool set_style(NodeHandle, std::string_view, std::string_view, bool) override { return false; }
  SheetHandle add_stylesheet(std::string_view) override { return 0; }
  void remove_stylesheet(SheetHandle) override {}
  void watch(std::uint32_t, std::string_view) override {}
  void unwatch(std::uint32_t) override {}
  void guard(NodeHandle, bool) override {}
  void navigate(std::string_view) override {}
  void set_timer(double) override {}
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
