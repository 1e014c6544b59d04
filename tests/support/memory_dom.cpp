#include "support/memory_dom.hpp"

#include <algorithm>
#include <ostream>
#include <stdexcept>

#include "support/dom_selector.hpp"
#include "support/inline_style.hpp"

namespace vario::testing {
namespace {

[[noreturn]] void test_error(const std::string& message) {
  throw std::invalid_argument("memory_dom: " + message);
}

bool is_url_attribute(std::string_view name) {
  for (const std::string_view url : {"href", "src", "action", "formaction", "xlink:href", "srcdoc"})
    if (name == url) return true;
  return false;
}

bool is_javascript_url(std::string_view value) {
  std::string squeezed;
  for (const char c : value)
    if (static_cast<unsigned char>(c) > 0x20 && c != 0x7F) squeezed += c;
  return ascii_lowercase(squeezed).rfind("javascript:", 0) == 0;
}

// What setAttribute() throws InvalidCharacterError on, for the names a test would try.
bool valid_attribute_name(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F ||
        std::string_view("\"'/>=").find(c) != std::string_view::npos)
      return false;
  return true;
}

// Drops from an element and its subtree what could run script (parse_html's promise).
void make_inert(DomTree& tree, NodeId element) {
  std::erase_if(tree[element].attributes,
                [](const DomAttribute& a) { return is_script_attribute(a.name, a.value); });
  const std::vector<NodeId> children = tree[element].children;  // detaching changes the list
  for (const NodeId child : children) {
    if (!tree.is_element(child)) continue;
    if (tree[child].name == "script")
      tree.detach(child);
    else
      make_inert(tree, child);
  }
}

}  // namespace

bool is_script_attribute(std::string_view name, std::string_view value) {
  const std::string lower = ascii_lowercase(name);
  return lower.rfind("on", 0) == 0 || (is_url_attribute(lower) && is_javascript_url(value));
}

std::ostream& operator<<(std::ostream& out, const PageFacts& facts) {
  out << "{appeared:";
  for (const auto id : facts.appeared) out << ' ' << id;
  out << ", mutated:";
  for (const auto handle : facts.mutated) out << ' ' << handle;
  return out << '}';
}

MemoryDom::MemoryDom() { load(""); }

// ---- the page, as the test sets it up and sees it -----------------------------------------------

void MemoryDom::load(std::string_view html) {
  tree_.clear();
  doc_ = parse_document(tree_, html);
  nodes_by_handle_.clear();
  handles_by_node_.clear();
  misuses_.clear();
  sheets_.clear();
  records_.clear();
  transient_.clear();
}

std::string MemoryDom::html(const Target& target) const {
  return serialize_html(tree_, resolve(target), /*outer=*/true);
}
std::string MemoryDom::inner_html(const Target& target) const {
  return serialize_html(tree_, resolve(target), /*outer=*/false);
}
std::string MemoryDom::body_html() const { return serialize_html(tree_, doc_.body, false); }
std::string MemoryDom::document_html() const { return serialize_html(tree_, doc_.html, true); }
std::string MemoryDom::text_of(const Target& target) const {
  return tree_.text_content(resolve(target));
}

std::optional<std::string> MemoryDom::attribute_of(const Target& target,
                                                   std::string_view name) const {
  const NodeId node = resolve(target);
  const std::string* value =
      tree_.is_element(node) ? tree_.attribute(node, tree_.attribute_key(node, name)) : nullptr;
  if (!value) return std::nullopt;
  return *value;
}

std::size_t MemoryDom::count(std::string_view selector) const {
  const auto nodes = matching(selector);
  if (!nodes) test_error("count(): the selector '" + std::string(selector) + "' is malformed");
  return nodes->size();
}

void MemoryDom::set_hydrated(const Target& target, bool hydrated) {
  tree_[resolve(target)].hydrated = hydrated;
}

NodeHandle MemoryDom::held(const Target& target) const {
  const auto it = handles_by_node_.find(resolve(target));
  return it == handles_by_node_.end() ? kNoNode : it->second;
}

std::vector<std::string> MemoryDom::stylesheets() const {
  std::vector<std::string> css;
  for (const auto& [handle, text] : sheets_) css.push_back(text);
  return css;
}

NodeId MemoryDom::resolve(const Target& target) const {
  if (target.handle_ != kNoNode) {
    const auto it = nodes_by_handle_.find(target.handle_);
    if (it == nodes_by_handle_.end())
      test_error("handle " + std::to_string(target.handle_) + " is not live");
    return it->second;
  }
  const auto nodes = matching(target.selector_);
  if (!nodes) test_error("the selector '" + target.selector_ + "' is malformed");
  if (nodes->empty()) test_error("nothing matches '" + target.selector_ + "'");
  return nodes->front();
}

std::optional<std::vector<NodeId>> MemoryDom::matching(std::string_view selector) const {
  const auto parsed = DomSelector::parse(selector);
  if (!parsed) return std::nullopt;
  std::vector<NodeId> out = tree_.descendant_elements(doc_.document);
  std::erase_if(out, [&](NodeId n) { return !parsed->matches(tree_, n); });
  return out;
}

// ---- the page's own scripts -------------------------------------------------------------------

bool MemoryDom::observed(NodeId target) const {
  for (NodeId n = target; n != kNullNode; n = tree_[n].parent)
    if (n == doc_.document || transient_.count(n)) return true;
  return false;
}

void MemoryDom::record(Record r) {
  if (!observed(r.target)) return;
  transient_.insert(r.removed.begin(), r.removed.end());
  records_.push_back(std::move(r));
}

void MemoryDom::replace_text(NodeId node, std::string_view text, bool observed) {
  DomNode& n = tree_[node];
  if (n.kind == NodeKind::kText || n.kind == NodeKind::kComment) {
    n.data = std::string(text);
    if (observed) record({Record::Type::kCharacterData, node, {}, {}});
    return;
  }
  std::vector<NodeId> removed = n.children;
  for (const NodeId child : removed) tree_.detach(child);
  std::vector<NodeId> added;
  if (!text.empty()) {
    added.push_back(tree_.create(NodeKind::kText, std::string(text)));
    tree_.append_child(node, added.back());
  }
  if (observed && !(added.empty() && removed.empty()))
    record({Record::Type::kChildList, node, std::move(added), std::move(removed)});
}

void MemoryDom::page_set_text(const Target& target, std::string_view text) {
  const NodeId node = resolve(target);
  if (node == doc_.document) test_error("page_set_text(): the document has no textContent");
  replace_text(node, text, /*observed=*/true);
}

void MemoryDom::page_set_data(const Target& target, std::string_view data) {
  NodeId node = resolve(target);
  if (tree_.is_element(node)) {
    const auto& children = tree_[node].children;
    const auto text = std::find_if(children.begin(), children.end(),
                                   [&](NodeId c) { return tree_[c].kind == NodeKind::kText; });
    if (text == children.end()) test_error("page_set_data(): the element has no text child");
    node = *text;
  }
  if (tree_[node].kind != NodeKind::kText && tree_[node].kind != NodeKind::kComment)
    test_error("page_set_data(): not character data");
  replace_text(node, data, /*observed=*/true);
}

void MemoryDom::page_set_attribute(const Target& target, std::string_view name,
                                   std::string_view value) {
  const NodeId node = resolve(target);
  if (!tree_.is_element(node)) test_error("page_set_attribute(): not an element");
  tree_.set_attribute(node, tree_.attribute_key(node, name), std::string(value));
  record({Record::Type::kAttributes, node, {}, {}});
}

void MemoryDom::page_remove_attribute(const Target& target, std::string_view name) {
  const NodeId node = resolve(target);
  if (tree_.is_element(node) && tree_.remove_attribute(node, tree_.attribute_key(node, name)))
    record({Record::Type::kAttributes, node, {}, {}});
}

void MemoryDom::page_insert_html(const Target& reference, Position position,
                                 std::string_view html) {
  const auto point = insertion_point(resolve(reference), position, kNullNode);
  if (!point) test_error("page_insert_html(): nothing can be inserted there");
  const auto [parent, index] = *point;
  const std::vector<NodeId> nodes = parse_fragment(tree_, html);
  for (std::size_t i = 0; i < nodes.size(); ++i) tree_.insert_child(parent, index + i, nodes[i]);
  if (!nodes.empty()) record({Record::Type::kChildList, parent, nodes, {}});
}

void MemoryDom::page_replace_children(const Target& parent, std::string_view html) {
  const NodeId node = resolve(parent);
  if (!tree_.is_element(node)) test_error("page_replace_children(): not an element");
  const std::vector<NodeId> removed = tree_[node].children;
  for (const NodeId child : removed) tree_.detach(child);
  const std::vector<NodeId> added = parse_fragment(tree_, html);
  for (const NodeId child : added) tree_.append_child(node, child);
  if (!added.empty() || !removed.empty()) record({Record::Type::kChildList, node, added, removed});
}

void MemoryDom::page_replace(const Target& target, std::string_view html) {
  const NodeId node = resolve(target);
  const NodeId parent = tree_[node].parent;
  if (parent == kNullNode) test_error("page_replace(): the node has no parent");
  const std::size_t index = tree_.index_in_parent(node);
  tree_.detach(node);
  const std::vector<NodeId> added = parse_fragment(tree_, html);
  for (std::size_t i = 0; i < added.size(); ++i) tree_.insert_child(parent, index + i, added[i]);
  record({Record::Type::kChildList, parent, added, {node}});
}

void MemoryDom::page_remove(const Target& target) {
  const NodeId node = resolve(target);
  const NodeId parent = tree_[node].parent;
  if (parent == kNullNode) return;  // remove() on a detached node does nothing
  tree_.detach(node);
  record({Record::Type::kChildList, parent, {}, {node}});
}

void MemoryDom::page_move(const Target& node, const Target& reference, Position position) {
  const NodeId moving = resolve(node);
  const NodeId ref = resolve(reference);
  if (moving == ref && (position == Position::kBefore || position == Position::kAfter)) return;
  const auto point = insertion_point(ref, position, moving);
  if (!point) test_error("page_move(): the node cannot go there");
  const NodeId old_parent = tree_[moving].parent;
  if (old_parent != kNullNode) {
    tree_.detach(moving);
    record({Record::Type::kChildList, old_parent, {}, {moving}});
  }
  tree_.insert_child(point->first, point->second, moving);
  record({Record::Type::kChildList, point->first, {moving}, {}});
}

PageFacts MemoryDom::take_facts(const std::map<std::uint32_t, std::string>& watches,
                                std::span<const NodeHandle> guarded) {
  std::vector<std::pair<std::uint32_t, DomSelector>> selectors;
  for (const auto& [id, selector] : watches)
    if (auto parsed = DomSelector::parse(selector)) selectors.emplace_back(id, *parsed);
  std::vector<std::pair<NodeHandle, NodeId>> guards;
  for (const NodeHandle handle : guarded)
    if (const auto it = nodes_by_handle_.find(handle); it != nodes_by_handle_.end())
      guards.emplace_back(handle, it->second);

  std::set<std::uint32_t> appeared;
  PageFacts facts;
  for (const Record& r : records_) {
    for (const auto& [handle, node] : guards) {
      bool hit =
          r.type == Record::Type::kAttributes ? node == r.target : tree_.contains(node, r.target);
      for (const auto* moved : {&r.removed, &r.added})
        for (const NodeId n : *moved) hit = hit || tree_.contains(n, node);
      if (hit &&
          std::find(facts.mutated.begin(), facts.mutated.end(), handle) == facts.mutated.end())
        facts.mutated.push_back(handle);
    }
    // An element that now matches because the page set an attribute (a class, say) has
    // appeared for that selector as much as an inserted one.
    std::vector<NodeId> arrived = r.added;
    if (r.type == Record::Type::kAttributes) arrived.push_back(r.target);
    for (const NodeId added : arrived) {
      if (!tree_.is_element(added) || !connected(added)) continue;
      std::vector<NodeId> subtree = tree_.descendant_elements(added);
      subtree.insert(subtree.begin(), added);
      for (const auto& [id, selector] : selectors)
        if (std::any_of(subtree.begin(), subtree.end(),
                        [&](NodeId n) { return selector.matches(tree_, n); }))
          appeared.insert(id);
    }
  }
  facts.appeared.assign(appeared.begin(), appeared.end());
  records_.clear();
  transient_.clear();
  return facts;
}

// ---- Host DOM primitives ---------------------------------------------------------------------

NodeHandle MemoryDom::handle_for(NodeId node) {
  const auto [it, added] = handles_by_node_.try_emplace(node, next_handle_);
  if (added) nodes_by_handle_.emplace(next_handle_++, node);
  return it->second;
}

std::vector<NodeHandle> MemoryDom::handles_for(const std::vector<NodeId>& nodes) {
  std::vector<NodeHandle> out;
  out.reserve(nodes.size());
  for (const NodeId n : nodes) out.push_back(handle_for(n));
  return out;
}

NodeId MemoryDom::live(NodeHandle handle, std::string_view operation) {
  const auto it = nodes_by_handle_.find(handle);
  if (it != nodes_by_handle_.end()) return it->second;
  misuses_.push_back(std::string(operation) + "(" + std::to_string(handle) +
                     "): " + std::to_string(handle) + " is not a live handle");
  return kNullNode;
}

std::optional<std::vector<NodeHandle>> MemoryDom::query_all(std::string_view selector) {
  if (refused_selectors_.count(selector)) return std::nullopt;
  auto nodes = matching(selector);
  if (!nodes) return std::nullopt;
  return handles_for(*nodes);
}

std::vector<NodeHandle> MemoryDom::children(NodeHandle node) {
  const NodeId n = live(node, "children");
  if (n == kNullNode) return {};
  return handles_for(tree_[n].children);
}

NodeHandle MemoryDom::parent(NodeHandle node) {
  const NodeId n = live(node, "parent");
  if (n == kNullNode || tree_[n].parent == kNullNode) return kNoNode;
  return handle_for(tree_[n].parent);
}

NodeHandle MemoryDom::next_sibling(NodeHandle node) {
  const NodeId n = live(node, "next_sibling");
  if (n == kNullNode) return kNoNode;
  const NodeId next = tree_.next_sibling(n);
  return next == kNullNode ? kNoNode : handle_for(next);
}

bool MemoryDom::contains(NodeHandle ancestor, NodeHandle node) {
  const NodeId a = live(ancestor, "contains");
  const NodeId n = live(node, "contains");
  return a != kNullNode && n != kNullNode && tree_.contains(a, n);
}

std::string MemoryDom::text(NodeHandle node) {
  const NodeId n = live(node, "text");
  if (n == kNullNode || n == doc_.document) return {};
  return tree_.text_content(n);
}

std::optional<std::string> MemoryDom::attribute(NodeHandle node, std::string_view name) {
  const NodeId n = live(node, "attribute");
  if (n == kNullNode || !tree_.is_element(n)) return std::nullopt;
  const std::string* value = tree_.attribute(n, tree_.attribute_key(n, name));
  if (!value) return std::nullopt;
  return *value;
}

std::vector<std::string> MemoryDom::attribute_names(NodeHandle node) {
  const NodeId n = live(node, "attribute_names");
  std::vector<std::string> out;
  if (n == kNullNode || !tree_.is_element(n)) return out;
  for (const DomAttribute& a : tree_[n].attributes) out.push_back(a.name);
  return out;
}

StyleValue MemoryDom::style(NodeHandle node, std::string_view property) {
  const NodeId n = live(node, "style");
  const std::string* text =
      n != kNullNode && tree_.is_element(n) ? tree_.attribute(n, "style") : nullptr;
  if (!text) return {};
  const auto declaration = find_inline_style(*text, property);
  if (!declaration) return {};
  return {declaration->value, declaration->important};
}

bool MemoryDom::hydrated(NodeHandle node) {
  const NodeId n = live(node, "hydrated");
  return n == kNullNode || tree_[n].hydrated;
}

void MemoryDom::release(NodeHandle node) {
  const NodeId n = live(node, "release");
  if (n == kNullNode) return;
  nodes_by_handle_.erase(node);
  handles_by_node_.erase(n);
}

void MemoryDom::set_text(NodeHandle node, std::string_view text) {
  const NodeId n = live(node, "set_text");
  if (n != kNullNode && n != doc_.document) replace_text(n, text, /*observed=*/false);
}

std::optional<std::vector<NodeHandle>> MemoryDom::parse_html(std::string_view html) {
  if (refuse_html_) return std::nullopt;
  std::vector<NodeId> nodes = parse_fragment(tree_, html);
  std::erase_if(nodes, [&](NodeId n) { return tree_.is_element(n) && tree_[n].name == "script"; });
  for (const NodeId n : nodes)
    if (tree_.is_element(n)) make_inert(tree_, n);
  return handles_for(nodes);
}

std::optional<std::pair<NodeId, std::size_t>> MemoryDom::insertion_point(NodeId reference,
                                                                         Position position,
                                                                         NodeId moving) const {
  const bool sibling = position == Position::kBefore || position == Position::kAfter;
  const NodeId parent = sibling ? tree_[reference].parent : reference;
  if (parent == kNullNode) return std::nullopt;
  // The document keeps its one element, <html>; text and comments never hold children.
  if (!tree_.is_element(parent)) return std::nullopt;
  if (moving != kNullNode && (moving == doc_.document || tree_.contains(moving, parent)))
    return std::nullopt;
  // Positions count without `moving`, which leaves its place first.
  auto index_without_moving = [&](NodeId node) {
    std::size_t index = tree_.index_in_parent(node);
    if (moving != kNullNode && tree_[moving].parent == parent &&
        tree_.index_in_parent(moving) < index)
      --index;
    return index;
  };
  switch (position) {
    case Position::kBefore:
      return std::pair{parent, index_without_moving(reference)};
    case Position::kAfter:
      return std::pair{parent, index_without_moving(reference) + 1};
    case Position::kPrepend:
      return std::pair{parent, std::size_t{0}};
    case Position::kAppend:
      break;
  }
  return std::pair{parent, DomTree::kEnd};
}

bool MemoryDom::insert(NodeHandle reference, Position position, NodeHandle node) {
  const NodeId ref = live(reference, "insert");
  const NodeId moving = live(node, "insert");
  if (ref == kNullNode || moving == kNullNode) return false;
  if (moving == ref && (position == Position::kBefore || position == Position::kAfter))
    return tree_[ref].parent != kNullNode;
  const auto point = insertion_point(ref, position, moving);
  if (!point) return false;
  tree_.detach(moving);
  tree_.insert_child(point->first, point->second, moving);
  return true;
}

void MemoryDom::detach(NodeHandle node) {
  const NodeId n = live(node, "detach");
  if (n != kNullNode && n != doc_.document) tree_.detach(n);
}

bool MemoryDom::set_attribute(NodeHandle node, std::string_view name, std::string_view value) {
  const NodeId n = live(node, "set_attribute");
  if (n == kNullNode || !tree_.is_element(n) || !valid_attribute_name(name)) return false;
  const std::string key = tree_.attribute_key(n, name);
  if (is_script_attribute(key, value) || (refuse_html_ && ascii_lowercase(key) == "srcdoc"))
    return false;
  tree_.set_attribute(n, key, std::string(value));
  return true;
}

void MemoryDom::remove_attribute(NodeHandle node, std::string_view name) {
  const NodeId n = live(node, "remove_attribute");
  if (n != kNullNode && tree_.is_element(n))
    tree_.remove_attribute(n, tree_.attribute_key(n, name));
}

bool MemoryDom::set_style(NodeHandle node, std::string_view property, std::string_view value,
                          bool important) {
  const NodeId n = live(node, "set_style");
  if (n == kNullNode || !tree_.is_element(n)) return false;
  const bool removing = value.find_first_not_of(" \t\n\r\f") == std::string_view::npos;
  if (!removing && !acceptable_style(property, value)) return false;
  const std::string* current = tree_.attribute(n, "style");
  if (auto text = set_inline_style(current ? *current : "", property, value, important))
    tree_.set_attribute(n, "style", std::move(*text));
  return true;
}

SheetHandle MemoryDom::add_stylesheet(std::string_view css) {
  if (refuse_stylesheets_) return 0;
  sheets_.emplace_back(next_sheet_, std::string(css));
  return next_sheet_++;
}

void MemoryDom::remove_stylesheet(SheetHandle sheet) {
  const auto it =
      std::find_if(sheets_.begin(), sheets_.end(), [&](const auto& s) { return s.first == sheet; });
  if (it == sheets_.end()) {
    misuses_.push_back("remove_stylesheet(" + std::to_string(sheet) +
                       "): not a stylesheet the engine added");
    return;
  }
  sheets_.erase(it);
}

}  // namespace vario::testing
