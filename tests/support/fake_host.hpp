// A Host for unit tests: a tiny in-memory page (elements with a selector-like key and text),
// storage in a map, sends recorded, a fixed clock and scripted randomness.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "regex/ecmascript_regex.hpp"
#include "vario/host.hpp"

namespace vario::testing {

class FakeHost : public Host {
 public:
  host::EcmascriptRegex regex;
  struct Element {
    std::string selector;  // the one selector this element answers to, e.g. "#product-title"
    std::string text;
  };

  std::vector<Element> elements;
  std::map<std::string, std::string, std::less<>> cookies;
  std::vector<std::pair<std::string, std::string>> sent;  // (url, body)
  std::vector<std::string> logs;
  std::vector<std::string> rejected_selectors;  // the "browser" throws on these
  int reveals = 0;
  int live_handles = 0;
  double now = 1764400000000.0;
  std::uint8_t next_random = 1;
  // Declared attribute values by (source, key), as JSON text.
  std::map<std::pair<PageValueSource, std::string>, std::string> page_values;
  std::vector<std::pair<PageValueSource, std::string>> page_value_reads;

  std::optional<std::vector<NodeHandle>> query_all(std::string_view selector) override {
    for (const auto& bad : rejected_selectors)
      if (bad == selector) return std::nullopt;
    std::vector<NodeHandle> out;
    for (std::size_t i = 0; i < elements.size(); ++i)
      if (elements[i].selector == selector) out.push_back(static_cast<NodeHandle>(i));
    live_handles += static_cast<int>(out.size());
    return out;
  }
  std::string text(NodeHandle node) override { return elements.at(node).text; }
  void set_text(NodeHandle node, std::string_view text) override {
    elements.at(node).text = std::string(text);
  }
  void release(NodeHandle) override { --live_handles; }
  void reveal(std::int32_t) override { ++reveals; }
  // Not modelled by this host: the page lifecycle's DOM is tests/support/memory_dom.
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
                                 std::string_view subject) const override {
    return regex.regex_test(pattern, flags, subject);
  }
  std::optional<std::string> page_value(PageValueSource source, std::string_view key) override {
    page_value_reads.emplace_back(source, std::string(key));
    const auto it = page_values.find({source, std::string(key)});
    if (it == page_values.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::string> storage_read(std::string_view key) override {
    const auto it = cookies.find(key);
    if (it == cookies.end()) return std::nullopt;
    return it->second;
  }
  void storage_write(std::string_view key, std::string_view value, std::int64_t) override {
    cookies[std::string(key)] = std::string(value);
  }
  void storage_erase(std::string_view key) override {
    if (auto it = cookies.find(key); it != cookies.end()) cookies.erase(it);
  }
  bool send(std::string_view url, std::string_view body) override {
    sent.emplace_back(std::string(url), std::string(body));
    return true;
  }
  double now_ms() override { return now; }
  void random_bytes(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = next_random++;
  }
  void log(LogLevel, std::string_view message) override { logs.emplace_back(message); }
};

}  // namespace vario::testing
