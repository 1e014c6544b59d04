// The native Host for the CLI: no page, no network. Storage lives in memory, sends are kept
// for inspection, the clock and randomness are the system's. `vario decide` needs no host call
// at all; this host exists so the same Engine object runs natively.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "regex/ecmascript_regex.hpp"
#include "vario/host.hpp"

namespace vario::host {

class OfflineHost : public Host {
 public:
  std::optional<std::vector<NodeHandle>> query_all(std::string_view) override {
    return std::vector<NodeHandle>{};
  }
  std::vector<NodeHandle> children(NodeHandle) override { return {}; }
  NodeHandle parent(NodeHandle) override { return kNoNode; }
  NodeHandle next_sibling(NodeHandle) override { return kNoNode; }
  bool contains(NodeHandle ancestor, NodeHandle node) override { return ancestor == node; }
  std::string text(NodeHandle) override { return {}; }
  std::optional<std::string> attribute(NodeHandle, std::string_view) override { return {}; }
  std::vector<std::string> attribute_names(NodeHandle) override { return {}; }
  StyleValue style(NodeHandle, std::string_view) override { return {}; }
  bool hydrated(NodeHandle) override { return true; }
  void release(NodeHandle) override {}
  void set_text(NodeHandle, std::string_view) override {}
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
  void reveal(std::int32_t) override {}
  void navigate(std::string_view) override {}
  void set_timer(double) override {}
  std::optional<bool> regex_test(std::string_view pattern, std::string_view flags,
                                 std::string_view subject) const override {
    return regex_.regex_test(pattern, flags, subject);
  }
  // No page: declared attributes come with the visitor's "attributes" instead.
  std::optional<std::string> page_value(PageValueSource, std::string_view) override {
    return std::nullopt;
  }
  std::optional<std::string> storage_read(std::string_view key) override;
  void storage_write(std::string_view key, std::string_view value, std::int64_t) override;
  void storage_erase(std::string_view key) override;
  bool send(std::string_view url, std::string_view body) override;
  double now_ms() override;
  void random_bytes(std::span<std::uint8_t> out) override;
  void log(LogLevel level, std::string_view message) override;

  const std::vector<std::pair<std::string, std::string>>& sent() const { return sent_; }

 private:
  EcmascriptRegex regex_;
  std::map<std::string, std::string, std::less<>> storage_;
  std::vector<std::pair<std::string, std::string>> sent_;
};

}  // namespace vario::host
