// The node store under MemoryDom (memory_dom.hpp): documents, elements, text and comments in
// one vector, linked by index. The HTML parser, the selector matcher and the serializer work on
// it; none of them knows about handles or mutation records, which are MemoryDom's business.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace vario::testing {

enum class NodeKind { kDocument, kElement, kText, kComment };

// An element's namespace, as the HTML parser gives it: <svg> and <math> and what they hold
// (outside their HTML islands such as <foreignObject>) keep the case of their names.
enum class Namespace { kHtml, kSvg, kMathMl };

// An index into a DomTree. Nodes are never freed while the tree lives, so an id stays valid
// whatever the page does: a removed node is only detached.
using NodeId = std::uint32_t;
inline constexpr NodeId kNullNode = std::numeric_limits<NodeId>::max();

struct DomAttribute {
  std::string name;  // lowercase on HTML elements, as the HTML parser and setAttribute() store it
  std::string value;
};

struct DomNode {
  NodeKind kind = NodeKind::kElement;
  std::string name;                      // element: tag name, lowercase in HTML
  Namespace ns = Namespace::kHtml;       // element
  std::string data;                      // text and comment: the character data
  std::vector<DomAttribute> attributes;  // element: in the order they were first set
  NodeId parent = kNullNode;
  std::vector<NodeId> children;
  bool hydrated = true;  // element: whether a framework has taken it over (Host::hydrated)
};

class DomTree {
 public:
  NodeId create(NodeKind kind, std::string name_or_data = {});
  DomNode& operator[](NodeId id) { return nodes_[id]; }
  const DomNode& operator[](NodeId id) const { return nodes_[id]; }
  bool is_element(NodeId id) const { return nodes_[id].kind == NodeKind::kElement; }
  // Forgets every node; ids from before are meaningless afterwards.
  void clear() { nodes_.clear(); }

  // Puts a detached `child` at `index` among `parent`'s children (index past the end appends).
  void insert_child(NodeId parent, std::size_t index, NodeId child);
  void append_child(NodeId parent, NodeId child) { insert_child(parent, kEnd, child); }
  // Takes `node` out of its parent; nothing happens to a detached node.
  void detach(NodeId node);
  // `node`'s position among its parent's children (the parent must exist).
  std::size_t index_in_parent(NodeId node) const;
  NodeId next_sibling(NodeId node) const;
  // Elements only, for the selector combinators and structural pseudo-classes.
  NodeId parent_element(NodeId node) const;
  NodeId previous_element_sibling(NodeId node) const;
  // 1-based position among the parent's element children, counting from the start or the end;
  // 1 for an element without parent.
  std::size_t element_index(NodeId node, bool from_end) const;

  // Whether `node` is `ancestor` or inside it.
  bool contains(NodeId ancestor, NodeId node) const;
  // The topmost inclusive ancestor.
  NodeId root(NodeId node) const;
  // textContent: the data of every text node inside, in order; the data of a text or comment.
  std::string text_content(NodeId node) const;
  // Every element strictly inside `root`, in document order (preorder).
  std::vector<NodeId> descendant_elements(NodeId root) const;

  // An attribute name as getAttribute() and setAttribute() look it up on `element`: lowercased
  // on HTML elements, as given on SVG and MathML ones.
  std::string attribute_key(NodeId element, std::string_view name) const;
  // nullptr when absent. `name` must be a key (attribute_key).
  const std::string* attribute(NodeId element, std::string_view name) const;
  // Replaces the value in place, or appends a new attribute.
  void set_attribute(NodeId element, std::string_view name, std::string value);
  // False when there was no such attribute.
  bool remove_attribute(NodeId element, std::string_view name);

  static constexpr std::size_t kEnd = std::numeric_limits<std::size_t>::max();

 private:
  std::vector<DomNode> nodes_;
};

// Text helpers the parsers share.
// ASCII lowercase, the folding HTML and CSS apply to tag, attribute and pseudo-class names.
std::string ascii_lowercase(std::string_view s);
bool is_ascii_whitespace(char c);  // HTML's and CSS's: space, tab, LF, CR, FF
int hex_digit_value(char c);       // -1 for a non-hex character
// Appends a code point as UTF-8; NUL, surrogates and values past U+10FFFF become U+FFFD, as
// both HTML character references and CSS escapes decode them.
void append_utf8(std::string& out, std::uint32_t code_point);

}  // namespace vario::testing
