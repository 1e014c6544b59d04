// A Host for unit tests: the page is a MemoryDom (memory_dom.hpp), storage a map, sends and
// lifecycle commands are recorded, the clock is fixed and randomness scripted.
//
// A lifecycle test plays the tag: it loads the page, starts the engine, mutates the page as a
// framework would (dom.page_*), and hands the engine what facts() reports:
//
//   FakeHost host;
//   host.dom.load(R"(<h1 id="title">Aurora</h1><ul id="list"></ul>)");
//   Engine engine(host);  // ... load campaigns, start
//   host.dom.page_set_text("#title", "Aurora");            // a re-render overwrites the change
//   host.dom.page_append_html("#list", "<li>late</li>");  // a late element
//   const PageFacts facts = host.facts();                  // what the tag's observer reports
//   // ... engine.nodes_mutated(facts.mutated), engine.elements_appeared(id) for facts.appeared
//   BOOST_TEST(host.dom.html("#title") == R"(<h1 id="title">Brews a perfect cup</h1>)");
//   BOOST_TEST(host.dom.live_handles() == 0u);
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "regex/ecmascript_regex.hpp"
#include "support/memory_dom.hpp"
#include "vario/host.hpp"

namespace vario::testing {

class FakeHost : public Host {
 public:
  MemoryDom dom;
  host::EcmascriptRegex regex;
  std::map<std::string, std::string, std::less<>> cookies;
  std::vector<std::pair<std::string, std::string>> sent;  // (url, body)
  std::vector<std::string> logs;
  double now = 1764400000000.0;
  std::uint8_t next_random = 1;
  // Declared attribute values by (source, key), as JSON text.
  std::map<std::pair<PageValueSource, std::string>, std::string> page_values;
  std::vector<std::pair<PageValueSource, std::string>> page_value_reads;

  // --- The lifecycle commands, as the engine left them -----------------------------------------
  std::map<std::uint32_t, std::string> watched;  // selector by watch id
  // Guarded handles, in the order first guarded. Releasing a handle unguards it: the host may
  // forget the node, so it could not report it.
  std::vector<NodeHandle> guarded;
  std::vector<std::int32_t> revealed;  // every reveal() in order; Host::kAllRules is -1
  std::vector<std::string> navigations;
  std::optional<double> timer;  // the pending timer's delay; nullopt when none

  // The facts the page's mutations since the last call give the engine (MemoryDom::take_facts
  // documents the filter), for the watches and guards in force now.
  PageFacts facts() { return dom.take_facts(watched, guarded); }

  // --- Host -----------------------------------------------------------------------------------
  std::optional<std::vector<NodeHandle>> query_all(std::string_view selector) override {
    return dom.query_all(selector);
  }
  std::vector<NodeHandle> children(NodeHandle node) override { return dom.children(node); }
  NodeHandle parent(NodeHandle node) override { return dom.parent(node); }
  NodeHandle next_sibling(NodeHandle node) override { return dom.next_sibling(node); }
  bool contains(NodeHandle a, NodeHandle n) override { return dom.contains(a, n); }
  std::string text(NodeHandle node) override { return dom.text(node); }
  std::optional<std::string> attribute(NodeHandle node, std::string_view name) override {
    return dom.attribute(node, name);
  }
  std::vector<std::string> attribute_names(NodeHandle node) override {
    return dom.attribute_names(node);
  }
  StyleValue style(NodeHandle node, std::string_view property) override {
    return dom.style(node, property);
  }
  bool hydrated(NodeHandle node) override { return dom.hydrated(node); }
  void release(NodeHandle node) override {
    std::erase(guarded, node);
    dom.release(node);
  }
  void set_text(NodeHandle node, std::string_view text) override { dom.set_text(node, text); }
  std::optional<std::vector<NodeHandle>> parse_html(std::string_view html) override {
    return dom.parse_html(html);
  }
  bool insert(NodeHandle reference, Position position, NodeHandle node) override {
    return dom.insert(reference, position, node);
  }
  void detach(NodeHandle node) override { dom.detach(node); }
  bool set_attribute(NodeHandle node, std::string_view name, std::string_view value) override {
    return dom.set_attribute(node, name, value);
  }
  void remove_attribute(NodeHandle node, std::string_view name) override {
    dom.remove_attribute(node, name);
  }
  bool set_style(NodeHandle node, std::string_view property, std::string_view value,
                 bool important) override {
    return dom.set_style(node, property, value, important);
  }
  SheetHandle add_stylesheet(std::string_view css) override { return dom.add_stylesheet(css); }
  void remove_stylesheet(SheetHandle sheet) override { dom.remove_stylesheet(sheet); }

  void watch(std::uint32_t id, std::string_view selector) override {
    watched[id] = std::string(selector);
  }
  void unwatch(std::uint32_t id) override { watched.erase(id); }
  void guard(NodeHandle node, bool on) override {
    const bool present = std::find(guarded.begin(), guarded.end(), node) != guarded.end();
    if (on && !present) guarded.push_back(node);
    if (!on) std::erase(guarded, node);
  }
  void reveal(std::int32_t rule) override { revealed.push_back(rule); }
  void navigate(std::string_view url) override { navigations.emplace_back(url); }
  void set_timer(double delay_ms) override {
    timer = delay_ms < 0 ? std::nullopt : std::optional<double>(delay_ms);
  }

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
