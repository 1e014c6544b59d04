#include "support/dom_selector.hpp"

#include <string>
#include <vector>

namespace vario::testing {

namespace {

struct Complex;

struct Simple {
  enum class Kind {
    kType,
    kUniversal,
    kId,
    kClass,
    kAttribute,
    kNot,
    kIs,  // :is() and :where(): specificity is all that tells them apart
    kFirstChild,
    kLastChild,
    kOnlyChild,
    kNthChild,
    kNthLastChild,
    kRoot,
    kEmpty,
  };
  Kind kind = Kind::kUniversal;
  std::string name;   // type, id, class or attribute name (type and attribute: lowercase)
  char op = 0;        // attribute: 0 (present), '=', '~', '^', '$', '*', '|'
  std::string value;  // attribute value
  bool ignore_case = false;
  long a = 0, b = 0;          // An+B
  std::vector<Complex> list;  // :not, :is, :where
};

struct Compound {
  std::vector<Simple> parts;
};

struct Complex {
  std::vector<Compound> compounds;  // left to right
  std::vector<char> combinators;    // combinators[i] joins compounds[i] and compounds[i + 1]
};

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool is_name(char c) { return is_name_start(c) || (c >= '0' && c <= '9') || c == '-'; }

// Recursive descent over the selector text; every method returns false on a syntax error.
class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  bool whole_list(std::vector<Complex>& out) { return list(out) && at_end(); }

 private:
  bool at_end() const { return i_ >= s_.size(); }
  char peek(std::size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : 0; }
  bool skip_whitespace() {
    const std::size_t start = i_;
    while (!at_end() && is_ascii_whitespace(s_[i_])) ++i_;
    return i_ > start;
  }

  bool list(std::vector<Complex>& out) {
    for (;;) {
      skip_whitespace();
      Complex c;
      if (!complex(c)) return false;
      out.push_back(std::move(c));
      skip_whitespace();
      if (peek() != ',') return true;
      ++i_;
    }
  }

  bool complex(Complex& out) {
    Compound first;
    if (!compound(first)) return false;
    out.compounds.push_back(std::move(first));
    for (;;) {
      const bool spaced = skip_whitespace();
      char combinator = peek();
      if (combinator == '>' || combinator == '+' || combinator == '~') {
        ++i_;
        skip_whitespace();
      } else if (spaced && !at_end() && combinator != ',' && combinator != ')') {
        combinator = ' ';
      } else {
        return true;  // the end of this complex selector: the caller checks what follows
      }
      Compound next;
      if (!compound(next)) return false;
      out.combinators.push_back(combinator);
      out.compounds.push_back(std::move(next));
    }
  }

  bool compound(Compound& out) {
    if (peek() == '*') {
      ++i_;
      out.parts.push_back({});
    } else if (starts_identifier()) {
      Simple type;
      type.kind = Simple::Kind::kType;
      if (!identifier(type.name)) return false;
      type.name = ascii_lowercase(type.name);
      out.parts.push_back(std::move(type));
    }
    if (peek() == '|') return false;  // namespace prefixes are not modelled
    for (;;) {
      const char c = peek();
      Simple part;
      if (c == '#' || c == '.') {
        ++i_;
        part.kind = c == '#' ? Simple::Kind::kId : Simple::Kind::kClass;
        if (!identifier(part.name)) return false;
      } else if (c == '[') {
        if (!attribute(part)) return false;
      } else if (c == ':') {
        if (!pseudo_class(part)) return false;
      } else {
        return !out.parts.empty();
      }
      out.parts.push_back(std::move(part));
    }
  }

  bool starts_escape(std::size_t ahead) const {
    return peek(ahead) == '\\' && i_ + ahead + 1 < s_.size() && s_[i_ + ahead + 1] != '\n';
  }
  bool starts_identifier() const {
    std::size_t k = peek() == '-' ? 1 : 0;
    if (k == 1 && peek(1) == '-') return true;
    return is_name_start(peek(k)) || starts_escape(k);
  }

  // An escape after its backslash: up to six hex digits and one optional whitespace, or any one
  // character.
  void escape(std::string& out) {
    ++i_;
    if (hex_digit_value(peek()) < 0) {
      out += s_[i_++];
      return;
    }
    std::uint32_t cp = 0;
    for (int n = 0; n < 6 && hex_digit_value(peek()) >= 0; ++n, ++i_)
      cp = cp * 16 + static_cast<std::uint32_t>(hex_digit_value(s_[i_]));
    if (is_ascii_whitespace(peek())) ++i_;
    append_utf8(out, cp);
  }

  bool identifier(std::string& out) {
    if (!starts_identifier()) return false;
    while (!at_end()) {
      if (starts_escape(0)) {
        escape(out);
      } else if (is_name(peek())) {
        out += s_[i_++];
      } else {
        break;
      }
    }
    return true;
  }

  bool string(std::string& out) {
    const char quote = s_[i_++];
    while (!at_end() && peek() != quote) {
      if (peek() == '\n') return false;
      if (peek() == '\\') {
        if (peek(1) == '\n') {
          i_ += 2;  // an escaped newline continues the string
        } else if (i_ + 1 < s_.size()) {
          escape(out);
        } else {
          ++i_;
        }
        continue;
      }
      out += s_[i_++];
    }
    if (at_end()) return false;  // unclosed: the browser would close it, but it is a typo
    ++i_;
    return true;
  }

  bool attribute(Simple& out) {
    ++i_;  // '['
    out.kind = Simple::Kind::kAttribute;
    skip_whitespace();
    if (!identifier(out.name)) return false;
    out.name = ascii_lowercase(out.name);
    skip_whitespace();
    if (peek() == '|' && peek(1) != '=') return false;  // a namespace prefix
    if (peek() == ']') {
      ++i_;
      return true;
    }
    if (peek() == '=') {
      out.op = '=';
      ++i_;
    } else if (std::string_view("~^$*|").find(peek()) != std::string_view::npos && peek() &&
               peek(1) == '=') {
      out.op = peek();
      i_ += 2;
    } else {
      return false;
    }
    skip_whitespace();
    if (peek() == '"' || peek() == '\'') {
      if (!string(out.value)) return false;
    } else if (!identifier(out.value)) {
      return false;
    }
    skip_whitespace();
    if (peek() == 'i' || peek() == 'I') {
      out.ignore_case = true;
      ++i_;
      skip_whitespace();
    }
    if (peek() != ']') return false;
    ++i_;
    return true;
  }

  bool pseudo_class(Simple& out) {
    ++i_;                             // ':'
    if (peek() == ':') return false;  // pseudo-elements match no element
    std::string name;
    if (!identifier(name)) return false;
    name = ascii_lowercase(name);
    using K = Simple::Kind;
    if (peek() != '(') {
      static const std::pair<std::string_view, K> kPlain[] = {{"first-child", K::kFirstChild},
                                                              {"last-child", K::kLastChild},
                                                              {"only-child", K::kOnlyChild},
                                                              {"root", K::kRoot},
                                                              {"empty", K::kEmpty}};
      for (const auto& [known, kind] : kPlain) {
        if (name == known) {
          out.kind = kind;
          return true;
        }
      }
      return false;
    }
    ++i_;  // '('
    if (name == "not" || name == "is" || name == "where") {
      out.kind = name == "not" ? K::kNot : K::kIs;
      if (!list(out.list)) return false;
    } else if (name == "nth-child" || name == "nth-last-child") {
      out.kind = name == "nth-child" ? K::kNthChild : K::kNthLastChild;
      const std::size_t close = s_.find(')', i_);
      if (close == std::string_view::npos || !nth(s_.substr(i_, close - i_), out.a, out.b))
        return false;
      i_ = close;
    } else {
      return false;
    }
    skip_whitespace();
    if (peek() != ')') return false;
    ++i_;
    return true;
  }

  // An+B as CSS Syntax writes it: "odd", "even", "3", "-n+2", "2n - 1", "+n". Whitespace may
  // surround the sign of B but not split a number from its 'n'.
  static bool nth(std::string_view text, long& a, long& b) {
    std::size_t i = 0;
    auto skip = [&] {
      while (i < text.size() && is_ascii_whitespace(text[i])) ++i;
    };
    auto digits = [&](long& value) {
      const std::size_t begin = i;
      value = 0;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9' && value < 1'000'000'000)
        value = value * 10 + (text[i++] - '0');
      return i > begin;
    };
    skip();
    const std::string rest = ascii_lowercase(text.substr(i));
    if (rest.rfind("odd", 0) == 0 || rest.rfind("even", 0) == 0) {
      a = 2;
      b = rest[0] == 'o' ? 1 : 0;
      i += rest[0] == 'o' ? 3 : 4;
      skip();
      return i == text.size();
    }
    long sign = 1;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) sign = text[i++] == '-' ? -1 : 1;
    long number = 0;
    const bool has_number = digits(number);
    if (i < text.size() && (text[i] == 'n' || text[i] == 'N')) {
      ++i;
      a = sign * (has_number ? number : 1);
      skip();
      b = 0;
      if (i == text.size()) return true;
      if (text[i] != '+' && text[i] != '-') return false;
      const long b_sign = text[i++] == '-' ? -1 : 1;
      skip();
      if (!digits(b)) return false;
      b *= b_sign;
    } else {
      if (!has_number) return false;
      a = 0;
      b = sign * number;
    }
    skip();
    return i == text.size();
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

bool matches_list(const DomTree& tree, NodeId element, const std::vector<Complex>& list);

bool contains_word(std::string_view words, std::string_view word) {
  if (word.empty()) return false;
  std::size_t i = 0;
  while (i < words.size()) {
    while (i < words.size() && is_ascii_whitespace(words[i])) ++i;
    const std::size_t begin = i;
    while (i < words.size() && !is_ascii_whitespace(words[i])) ++i;
    if (i > begin && words.substr(begin, i - begin) == word) return true;
  }
  return false;
}

bool attribute_matches(const Simple& s, const std::string* actual) {
  if (!actual) return false;
  if (s.op == 0) return true;
  const std::string value = s.ignore_case ? ascii_lowercase(*actual) : *actual;
  const std::string wanted = s.ignore_case ? ascii_lowercase(s.value) : s.value;
  const std::string_view v = value, w = wanted;
  switch (s.op) {
    case '=':
      return v == w;
    case '~':
      return w.find_first_of(" \t\n\r\f") == std::string_view::npos && contains_word(v, w);
    case '^':
      return !w.empty() && v.substr(0, w.size()) == w;
    case '$':
      return !w.empty() && v.size() >= w.size() && v.substr(v.size() - w.size()) == w;
    case '*':
      return !w.empty() && v.find(w) != std::string_view::npos;
    default:  // '|'
      return v == w || (v.size() > w.size() && v.substr(0, w.size()) == w && v[w.size()] == '-');
  }
}

bool nth_matches(long a, long b, long index) {
  if (a == 0) return index == b;
  const long steps = index - b;
  return steps % a == 0 && steps / a >= 0;
}

bool simple_matches(const DomTree& tree, NodeId element, const Simple& s) {
  const DomNode& node = tree[element];
  using K = Simple::Kind;
  switch (s.kind) {
    case K::kUniversal:
      return true;
    case K::kType:  // ASCII case-insensitive, SVG's "clipPath" too (as Chromium matches)
      return (node.ns == Namespace::kHtml ? node.name : ascii_lowercase(node.name)) == s.name;
    case K::kId: {
      const std::string* id = tree.attribute(element, "id");
      return id && *id == s.name;
    }
    case K::kClass: {
      const std::string* classes = tree.attribute(element, "class");
      return classes && contains_word(*classes, s.name);
    }
    case K::kAttribute: {
      if (node.ns == Namespace::kHtml) return attribute_matches(s, tree.attribute(element, s.name));
      for (const auto& a : node.attributes)  // "viewBox" answers [viewbox] too, as in Chromium
        if (ascii_lowercase(a.name) == s.name) return attribute_matches(s, &a.value);
      return false;
    }
    case K::kNot:
      return !matches_list(tree, element, s.list);
    case K::kIs:
      return matches_list(tree, element, s.list);
    case K::kFirstChild:
      return tree.element_index(element, false) == 1;
    case K::kLastChild:
      return tree.element_index(element, true) == 1;
    case K::kOnlyChild:
      return tree.element_index(element, false) == 1 && tree.element_index(element, true) == 1;
    case K::kNthChild:
    case K::kNthLastChild:
      return nth_matches(
          s.a, s.b, static_cast<long>(tree.element_index(element, s.kind == K::kNthLastChild)));
    case K::kRoot:
      return node.parent != kNullNode && tree[node.parent].kind == NodeKind::kDocument;
    case K::kEmpty:
      for (const NodeId child : node.children) {
        const DomNode& c = tree[child];
        if (c.kind == NodeKind::kElement || (c.kind == NodeKind::kText && !c.data.empty()))
          return false;
      }
      return true;
  }
  return false;
}

bool compound_matches(const DomTree& tree, NodeId element, const Compound& compound) {
  for (const Simple& s : compound.parts)
    if (!simple_matches(tree, element, s)) return false;
  return true;
}

// Whether compounds[0..k] match with compounds[k] on `element`, right to left, trying every
// ancestor or earlier sibling a descendant or '~' combinator allows.
bool complex_matches(const DomTree& tree, NodeId element, const Complex& c, std::size_t k) {
  if (!compound_matches(tree, element, c.compounds[k])) return false;
  if (k == 0) return true;
  const char combinator = c.combinators[k - 1];
  const bool sibling = combinator == '+' || combinator == '~';
  const bool repeat = combinator == ' ' || combinator == '~';
  for (NodeId n = sibling ? tree.previous_element_sibling(element) : tree.parent_element(element);
       n != kNullNode; n = sibling ? tree.previous_element_sibling(n) : tree.parent_element(n)) {
    if (complex_matches(tree, n, c, k - 1)) return true;
    if (!repeat) break;
  }
  return false;
}

bool matches_list(const DomTree& tree, NodeId element, const std::vector<Complex>& list) {
  for (const Complex& c : list)
    if (complex_matches(tree, element, c, c.compounds.size() - 1)) return true;
  return false;
}

}  // namespace

struct DomSelector::List {
  std::vector<Complex> items;
};

std::optional<DomSelector> DomSelector::parse(std::string_view selector) {
  auto list = std::make_shared<List>();
  if (!Parser(selector).whole_list(list->items)) return std::nullopt;
  return DomSelector(std::move(list));
}

bool DomSelector::matches(const DomTree& tree, NodeId element) const {
  return tree.is_element(element) && matches_list(tree, element, list_->items);
}

}  // namespace vario::testing
