#include "support/dom_tree.hpp"

#include <algorithm>

namespace vario::testing {

std::string ascii_lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_ascii_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
    return;
  }
  // The lead byte carries the length in its high bits; continuation bytes six bits each.
  const int continuation = cp < 0x800 ? 1 : cp < 0x10000 ? 2 : 3;
  static constexpr unsigned char kLead[] = {0, 0xC0, 0xE0, 0xF0};
  out += static_cast<char>(kLead[continuation] | (cp >> (6 * continuation)));
  for (int shift = 6 * (continuation - 1); shift >= 0; shift -= 6)
    out += static_cast<char>(0x80 | ((cp >> shift) & 0x3F));
}

NodeId DomTree::create(NodeKind kind, std::string name_or_data) {
  DomNode node;
  node.kind = kind;
  if (kind == NodeKind::kText || kind == NodeKind::kComment)
    node.data = std::move(name_or_data);
  else
    node.name = std::move(name_or_data);
  nodes_.push_back(std::move(node));
  return static_cast<NodeId>(nodes_.size() - 1);
}

void DomTree::insert_child(NodeId parent, std::size_t index, NodeId child) {
  auto& children = nodes_[parent].children;
  index = std::min(index, children.size());
  children.insert(children.begin() + static_cast<std::ptrdiff_t>(index), child);
  nodes_[child].parent = parent;
}

void DomTree::detach(NodeId node) {
  const NodeId parent = nodes_[node].parent;
  if (parent == kNullNode) return;
  auto& siblings = nodes_[parent].children;
  siblings.erase(std::find(siblings.begin(), siblings.end(), node));
  nodes_[node].parent = kNullNode;
}

std::size_t DomTree::index_in_parent(NodeId node) const {
  const auto& siblings = nodes_[nodes_[node].parent].children;
  return static_cast<std::size_t>(std::find(siblings.begin(), siblings.end(), node) -
                                  siblings.begin());
}

NodeId DomTree::next_sibling(NodeId node) const {
  const NodeId parent = nodes_[node].parent;
  if (parent == kNullNode) return kNullNode;
  const auto& siblings = nodes_[parent].children;
  const std::size_t next = index_in_parent(node) + 1;
  return next < siblings.size() ? siblings[next] : kNullNode;
}

NodeId DomTree::parent_element(NodeId node) const {
  const NodeId parent = nodes_[node].parent;
  return parent != kNullNode && is_element(parent) ? parent : kNullNode;
}

NodeId DomTree::previous_element_sibling(NodeId node) const {
  const NodeId parent = nodes_[node].parent;
  if (parent == kNullNode) return kNullNode;
  const auto& siblings = nodes_[parent].children;
  for (std::size_t i = index_in_parent(node); i-- > 0;)
    if (is_element(siblings[i])) return siblings[i];
  return kNullNode;
}

std::size_t DomTree::element_index(NodeId node, bool from_end) const {
  const NodeId parent = nodes_[node].parent;
  if (parent == kNullNode) return 1;
  std::size_t index = 0;
  const auto& siblings = nodes_[parent].children;
  auto count_until_node = [&](auto begin, auto end) {
    for (auto it = begin; it != end; ++it) {
      if (is_element(*it)) ++index;
      if (*it == node) break;
    }
  };
  if (from_end)
    count_until_node(siblings.rbegin(), siblings.rend());
  else
    count_until_node(siblings.begin(), siblings.end());
  return index;
}

bool DomTree::contains(NodeId ancestor, NodeId node) const {
  for (NodeId n = node; n != kNullNode; n = nodes_[n].parent)
    if (n == ancestor) return true;
  return false;
}

NodeId DomTree::root(NodeId node) const {
  while (nodes_[node].parent != kNullNode) node = nodes_[node].parent;
  return node;
}

std::string DomTree::text_content(NodeId node) const {
  const DomNode& n = nodes_[node];
  if (n.kind == NodeKind::kText || n.kind == NodeKind::kComment) return n.data;
  std::string out;
  for (const NodeId child : n.children) {
    if (nodes_[child].kind == NodeKind::kComment) continue;
    out += text_content(child);
  }
  return out;
}

std::vector<NodeId> DomTree::descendant_elements(NodeId root) const {
  std::vector<NodeId> out;
  // An explicit stack: document order without recursion, children pushed last-first.
  std::vector<NodeId> pending(nodes_[root].children.rbegin(), nodes_[root].children.rend());
  while (!pending.empty()) {
    const NodeId n = pending.back();
    pending.pop_back();
    if (!is_element(n)) continue;
    out.push_back(n);
    pending.insert(pending.end(), nodes_[n].children.rbegin(), nodes_[n].children.rend());
  }
  return out;
}

std::string DomTree::attribute_key(NodeId element, std::string_view name) const {
  return nodes_[element].ns == Namespace::kHtml ? ascii_lowercase(name) : std::string(name);
}

const std::string* DomTree::attribute(NodeId element, std::string_view name) const {
  for (const auto& a : nodes_[element].attributes)
    if (a.name == name) return &a.value;
  return nullptr;
}

void DomTree::set_attribute(NodeId element, std::string_view name, std::string value) {
  for (auto& a : nodes_[element].attributes) {
    if (a.name == name) {
      a.value = std::move(value);
      return;
    }
  }
  nodes_[element].attributes.push_back({std::string(name), std::move(value)});
}

bool DomTree::remove_attribute(NodeId element, std::string_view name) {
  auto& attributes = nodes_[element].attributes;
  const auto it = std::find_if(attributes.begin(), attributes.end(),
                               [&](const DomAttribute& a) { return a.name == name; });
  if (it == attributes.end()) return false;
  attributes.erase(it);
  return true;
}

}  // namespace vario::testing
