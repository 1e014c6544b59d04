#include "support/html_syntax.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>

namespace vario::testing {
namespace {

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool is_void(std::string_view name) {
  return one_of(name, {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                       "param", "source", "track", "wbr"});
}

// Text inside these is neither parsed for tags nor escaped when serialized.
bool is_raw_text(std::string_view name) {
  return one_of(name, {"script", "style", "xmp", "iframe", "noembed", "noframes"});
}
// Parsed for character references but not for tags.
bool is_escapable_raw_text(std::string_view name) { return one_of(name, {"textarea", "title"}); }

bool is_head_content(std::string_view name) {
  return one_of(name, {"base", "basefont", "bgsound", "link", "meta", "noframes", "script", "style",
                       "title"});
}

bool is_heading(std::string_view name) {
  return one_of(name, {"h1", "h2", "h3", "h4", "h5", "h6"});
}

// Start tags that close an open <p> (HTML: "close a p element" in the "in body" rules).
bool closes_p(std::string_view name) {
  return is_heading(name) ||
         one_of(name, {"address", "article", "aside", "blockquote", "center",   "details",
                       "dialog",  "dir",     "div",   "dl",         "fieldset", "figcaption",
                       "figure",  "footer",  "form",  "header",     "hgroup",   "hr",
                       "main",    "menu",    "nav",   "ol",         "p",        "pre",
                       "section", "summary", "table", "ul",         "li",       "dd",
                       "dt",      "listing", "xmp",   "plaintext",  "search"});
}

// The elements that end "button scope": an open <p> outside them is not closed from inside.
bool ends_button_scope(std::string_view name) {
  return one_of(name, {"button", "html", "table", "td", "th", "caption", "marquee", "object",
                       "applet", "template"});
}

// HTML's "special" category, where the search for an open <li>, <dd> or <dt> stops.
bool is_special(std::string_view name) {
  return is_heading(name) || is_void(name) ||
         one_of(name,
                {"applet",  "article",  "aside",    "basefont",   "bgsound", "blockquote", "body",
                 "button",  "caption",  "center",   "colgroup",   "dd",      "details",    "dir",
                 "dl",      "dt",       "fieldset", "figcaption", "figure",  "footer",     "form",
                 "frame",   "frameset", "head",     "header",     "hgroup",  "html",       "iframe",
                 "keygen",  "li",       "listing",  "main",       "marquee", "menu",       "nav",
                 "noembed", "noframes", "noscript", "object",     "ol",      "plaintext",  "pre",
                 "script",  "search",   "section",  "select",     "style",   "summary",    "table",
                 "tbody",   "td",       "template", "textarea",   "tfoot",   "th",         "thead",
                 "title",   "tr",       "ul",       "xmp"});
}

bool is_table_section(std::string_view name) { return one_of(name, {"tbody", "thead", "tfoot"}); }

// The start tags that end foreign content (HTML: "in foreign content", the list before "any
// other start tag"), <font> only with color, face or size.
bool breaks_out_of_foreign_content(std::string_view name,
                                   const std::vector<DomAttribute>& attributes) {
  if (name == "font")
    return std::any_of(attributes.begin(), attributes.end(), [](const DomAttribute& a) {
      return one_of(a.name, {"color", "face", "size"});
    });
  return is_heading(name) ||
         one_of(name, {"b",   "big",   "blockquote", "body",  "br",    "center", "code",   "dd",
                       "div", "dl",    "dt",         "em",    "embed", "head",   "hr",     "i",
                       "img", "li",    "listing",    "menu",  "meta",  "nobr",   "ol",     "p",
                       "pre", "ruby",  "s",          "small", "span",  "strong", "strike", "sub",
                       "sup", "table", "tt",         "u",     "ul",    "var"});
}

// Foreign elements that hold HTML again.
bool is_html_island(const DomNode& element) {
  if (element.ns == Namespace::kSvg)
    return one_of(element.name, {"foreignObject", "desc", "title"});
  return element.ns == Namespace::kMathMl &&
         one_of(element.name, {"mi", "mo", "mn", "ms", "mtext", "annotation-xml"});
}

// HTML's tables of SVG names that keep their case (and MathML's one attribute).
constexpr std::string_view kSvgElementNames[] = {"altGlyph",
                                                 "altGlyphDef",
                                                 "altGlyphItem",
                                                 "animateColor",
                                                 "animateMotion",
                                                 "animateTransform",
                                                 "clipPath",
                                                 "feBlend",
                                                 "feColorMatrix",
                                                 "feComponentTransfer",
                                                 "feComposite",
                                                 "feConvolveMatrix",
                                                 "feDiffuseLighting",
                                                 "feDisplacementMap",
                                                 "feDistantLight",
                                                 "feDropShadow",
                                                 "feFlood",
                                                 "feFuncA",
                                                 "feFuncB",
                                                 "feFuncG",
                                                 "feFuncR",
                                                 "feGaussianBlur",
                                                 "feImage",
                                                 "feMerge",
                                                 "feMergeNode",
                                                 "feMorphology",
                                                 "feOffset",
                                                 "fePointLight",
                                                 "feSpecularLighting",
                                                 "feSpotLight",
                                                 "feTile",
                                                 "feTurbulence",
                                                 "foreignObject",
                                                 "glyphRef",
                                                 "linearGradient",
                                                 "radialGradient",
                                                 "textPath"};
constexpr std::string_view kSvgAttributeNames[] = {"attributeName",
                                                   "attributeType",
                                                   "baseFrequency",
                                                   "baseProfile",
                                                   "calcMode",
                                                   "clipPathUnits",
                                                   "diffuseConstant",
                                                   "edgeMode",
                                                   "filterUnits",
                                                   "glyphRef",
                                                   "gradientTransform",
                                                   "gradientUnits",
                                                   "kernelMatrix",
                                                   "kernelUnitLength",
                                                   "keyPoints",
                                                   "keySplines",
                                                   "keyTimes",
                                                   "lengthAdjust",
                                                   "limitingConeAngle",
                                                   "markerHeight",
                                                   "markerUnits",
                                                   "markerWidth",
                                                   "maskContentUnits",
                                                   "maskUnits",
                                                   "numOctaves",
                                                   "pathLength",
                                                   "patternContentUnits",
                                                   "patternTransform",
                                                   "patternUnits",
                                                   "pointsAtX",
                                                   "pointsAtY",
                                                   "pointsAtZ",
                                                   "preserveAlpha",
                                                   "preserveAspectRatio",
                                                   "primitiveUnits",
                                                   "refX",
                                                   "refY",
                                                   "repeatCount",
                                                   "repeatDur",
                                                   "requiredExtensions",
                                                   "requiredFeatures",
                                                   "specularConstant",
                                                   "specularExponent",
                                                   "spreadMethod",
                                                   "startOffset",
                                                   "stdDeviation",
                                                   "stitchTiles",
                                                   "surfaceScale",
                                                   "systemLanguage",
                                                   "tableValues",
                                                   "targetX",
                                                   "targetY",
                                                   "textLength",
                                                   "viewBox",
                                                   "viewTarget",
                                                   "xChannelSelector",
                                                   "yChannelSelector",
                                                   "zoomAndPan"};

// `lowercase` as the table spells it, or unchanged.
template <std::size_t N>
std::string adjust_case(std::string lowercase, const std::string_view (&table)[N]) {
  for (const std::string_view name : table)
    if (ascii_lowercase(name) == lowercase) return std::string(name);
  return lowercase;
}

// HTML 4's Latin-1 references, U+00A0 to U+00FF in order. Like &amp; &lt; &gt; &quot; (and
// their uppercase forms, and &COPY; &REG;), they are "legacy": browsers decode them without ';'.
constexpr std::string_view kLatin1References[96] = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",   "uml",
    "copy",   "ordf",   "laquo",  "not",    "shy",    "reg",    "macr",   "deg",    "plusmn",
    "sup2",   "sup3",   "acute",  "micro",  "para",   "middot", "cedil",  "sup1",   "ordm",
    "raquo",  "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc",  "Atilde",
    "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute", "Ecirc",  "Euml",   "Igrave",
    "Iacute", "Icirc",  "Iuml",   "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde",
    "Ouml",   "times",  "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",
    "szlig",  "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil",
    "egrave", "eacute", "ecirc",  "euml",   "igrave", "iacute", "icirc",  "iuml",   "eth",
    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide", "oslash", "ugrave",
    "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml",
};

struct NamedReference {
  std::string_view name;
  std::uint32_t code_point;
  bool legacy;  // decoded without ';' too
};
// The ASCII ones and the typographic ones test pages use; the rest of HTML's 2,231 names are
// left as written.
constexpr NamedReference kOtherReferences[] = {
    {"amp", '&', true},        {"AMP", '&', true},        {"lt", '<', true},
    {"LT", '<', true},         {"gt", '>', true},         {"GT", '>', true},
    {"quot", '"', true},       {"QUOT", '"', true},       {"COPY", 0xA9, true},
    {"REG", 0xAE, true},       {"apos", '\'', false},     {"Tab", '\t', false},
    {"NewLine", '\n', false},  {"OElig", 0x152, false},   {"oelig", 0x153, false},
    {"Scaron", 0x160, false},  {"scaron", 0x161, false},  {"Yuml", 0x178, false},
    {"circ", 0x2C6, false},    {"tilde", 0x2DC, false},   {"ensp", 0x2002, false},
    {"emsp", 0x2003, false},   {"thinsp", 0x2009, false}, {"zwnj", 0x200C, false},
    {"zwj", 0x200D, false},    {"lrm", 0x200E, false},    {"rlm", 0x200F, false},
    {"ndash", 0x2013, false},  {"mdash", 0x2014, false},  {"lsquo", 0x2018, false},
    {"rsquo", 0x2019, false},  {"sbquo", 0x201A, false},  {"ldquo", 0x201C, false},
    {"rdquo", 0x201D, false},  {"bdquo", 0x201E, false},  {"dagger", 0x2020, false},
    {"Dagger", 0x2021, false}, {"bull", 0x2022, false},   {"hellip", 0x2026, false},
    {"permil", 0x2030, false}, {"prime", 0x2032, false},  {"lsaquo", 0x2039, false},
    {"rsaquo", 0x203A, false}, {"euro", 0x20AC, false},   {"trade", 0x2122, false},
    {"larr", 0x2190, false},   {"uarr", 0x2191, false},   {"rarr", 0x2192, false},
    {"darr", 0x2193, false},   {"harr", 0x2194, false},
};

std::optional<NamedReference> find_reference(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kLatin1References); ++i)
    if (kLatin1References[i] == name)
      return NamedReference{name, static_cast<std::uint32_t>(0xA0 + i), true};
  for (const auto& ref : kOtherReferences)
    if (ref.name == name) return ref;
  return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }

// The reference starting at raw[at] == '&': appends what it stands for and returns its length,
// or 0 when it is not one (the '&' is then literal). Numeric references may omit the ';', as
// browsers accept. Named ones need it, except legacy ones, matched as the longest prefix of the
// name ("&copyright" is "©right") but, in an attribute value, not before a letter, digit or '='
// (so that "?a=1&copy=2" stays a URL).
std::size_t decode_reference(std::string_view raw, std::size_t at, std::string& out,
                             bool in_attribute) {
  std::size_t i = at + 1;
  if (i < raw.size() && raw[i] == '#') {
    ++i;
    const bool hex = i < raw.size() && (raw[i] == 'x' || raw[i] == 'X');
    if (hex) ++i;
    const std::size_t digits = i;
    std::uint32_t value = 0;
    for (; i < raw.size(); ++i) {
      const int d = hex ? hex_digit_value(raw[i]) : (is_digit(raw[i]) ? raw[i] - '0' : -1);
      if (d < 0) break;
      value = std::min<std::uint32_t>(value * (hex ? 16 : 10) + static_cast<std::uint32_t>(d),
                                      0x110000);
    }
    if (i == digits) return 0;
    if (i < raw.size() && raw[i] == ';') ++i;
    append_utf8(out, value);
    return i - at;
  }
  while (i < raw.size() && is_alnum(raw[i])) ++i;
  const std::string_view name = raw.substr(at + 1, i - at - 1);
  if (i < raw.size() && raw[i] == ';') {
    if (const auto ref = find_reference(name)) {
      append_utf8(out, ref->code_point);
      return i + 1 - at;
    }
  }
  for (std::size_t length = name.size(); length > 0; --length) {
    const auto ref = find_reference(name.substr(0, length));
    if (!ref || !ref->legacy) continue;
    const std::size_t end = at + 1 + length;
    if (in_attribute && end < raw.size() && (is_alnum(raw[end]) || raw[end] == '=')) return 0;
    append_utf8(out, ref->code_point);
    return end - at;
  }
  return 0;
}

std::string decode_references(std::string_view raw, bool in_attribute = false) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size();) {
    if (raw[i] == '&') {
      if (const std::size_t used = decode_reference(raw, i, out, in_attribute)) {
        i += used;
        continue;
      }
    }
    out += raw[i++];
  }
  return out;
}

bool starts_with_ascii_ci(std::string_view s, std::size_t at, std::string_view prefix) {
  if (s.size() - std::min(at, s.size()) < prefix.size()) return false;
  return ascii_lowercase(s.substr(at, prefix.size())) == prefix;
}

struct StartTag {
  std::string name;
  std::vector<DomAttribute> attributes;
  bool self_closing = false;  // "/>": honoured in SVG and MathML only
};

// Tokenizer and tree builder in one pass: test pages need no speculative parsing.
class Parser {
 public:
  // Document mode: `nodes` has document, html, head and body attached already.
  Parser(DomTree& tree, std::string_view src, const DocumentNodes& nodes)
      : tree_(tree), src_(src), doc_(nodes), mode_(Mode::kBeforeHtml), open_{nodes.body} {}
  // Fragment mode: everything goes into `container`.
  Parser(DomTree& tree, std::string_view src, NodeId container)
      : tree_(tree), src_(src), mode_(Mode::kInBody), open_{container} {}

  void run() {
    while (pos_ < src_.size()) {
      if (src_[pos_] == '<' && markup()) continue;
      const std::size_t end = src_.find('<', pos_ + 1);
      const std::size_t stop = end == std::string_view::npos ? src_.size() : end;
      text(decode_references(src_.substr(pos_, stop - pos_)));
      pos_ = stop;
    }
  }

 private:
  enum class Mode { kBeforeHtml, kBeforeHead, kInHead, kAfterHead, kInBody };

  // Consumes one piece of markup at '<'; false when the '<' is a literal character.
  bool markup() {
    if (src_.compare(pos_, 4, "<!--") == 0) {
      // "<!-->" and "<!--->" are complete, empty comments.
      for (const std::string_view empty : {"<!-->", "<!--->"}) {
        if (src_.compare(pos_, empty.size(), empty) == 0) {
          comment({});
          pos_ += empty.size();
          return true;
        }
      }
      const std::size_t end = src_.find("-->", pos_ + 4);
      const std::size_t stop = end == std::string_view::npos ? src_.size() : end;
      comment(std::string(src_.substr(pos_ + 4, stop - pos_ - 4)));
      pos_ = std::min(stop + 3, src_.size());
      return true;
    }
    const char next = pos_ + 1 < src_.size() ? src_[pos_ + 1] : '\0';
    if (next == '!' || next == '?') {
      const bool doctype = starts_with_ascii_ci(src_, pos_, "<!doctype");
      const std::size_t data_begin = pos_ + (next == '!' ? 2 : 1);
      std::size_t end = src_.find('>', pos_);
      if (end == std::string_view::npos) end = src_.size();
      if (!doctype) comment(std::string(src_.substr(data_begin, end - data_begin)));
      pos_ = std::min(end + 1, src_.size());
      return true;
    }
    if (next == '/') {
      const char after = pos_ + 2 < src_.size() ? src_[pos_ + 2] : '\0';
      if (after == '>') {
        pos_ += 3;
        return true;
      }
      if (pos_ + 2 >= src_.size()) return false;  // "</" at the end is text
      if (!is_alpha(after)) {                     // a bogus comment, "</ x>" or "</1>"
        std::size_t end = src_.find('>', pos_);
        if (end == std::string_view::npos) end = src_.size();
        comment(std::string(src_.substr(pos_ + 2, end - pos_ - 2)));
        pos_ = std::min(end + 1, src_.size());
        return true;
      }
      pos_ += 2;
      const std::string name = tag_name();
      read_tag_attributes();  // an end tag's attributes are dropped
      end_tag(name);
      return true;
    }
    if (!is_alpha(next)) return false;
    ++pos_;
    StartTag tag{tag_name(), {}};
    tag.self_closing = read_tag_attributes(&tag.attributes);
    start_tag(std::move(tag));
    return true;
  }

  std::string tag_name() {
    const std::size_t begin = pos_;
    while (pos_ < src_.size() && !is_ascii_whitespace(src_[pos_]) && src_[pos_] != '/' &&
           src_[pos_] != '>')
      ++pos_;
    return ascii_lowercase(src_.substr(begin, pos_ - begin));
  }

  // Reads up to and including the tag's '>'; returns whether it ended with "/>".
  bool read_tag_attributes(std::vector<DomAttribute>* out = nullptr) {
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      if (c == '>') {
        ++pos_;
        return false;
      }
      if (c == '/' && src_.compare(pos_, 2, "/>") == 0) {
        pos_ += 2;
        return true;
      }
      if (is_ascii_whitespace(c) || c == '/') {
        ++pos_;
        continue;
      }
      const std::size_t name_begin = pos_++;  // a first '=' belongs to the name
      while (pos_ < src_.size() && !is_ascii_whitespace(src_[pos_]) && src_[pos_] != '/' &&
             src_[pos_] != '>' && src_[pos_] != '=')
        ++pos_;
      std::string name = ascii_lowercase(src_.substr(name_begin, pos_ - name_begin));
      std::string value = attribute_value();
      if (out && std::none_of(out->begin(), out->end(),
                              [&](const DomAttribute& a) { return a.name == name; }))
        out->push_back({std::move(name), std::move(value)});
    }
    return false;
  }

  // After an attribute name: "= value" in any of its forms, or nothing (a boolean attribute).
  std::string attribute_value() {
    std::size_t i = pos_;
    while (i < src_.size() && is_ascii_whitespace(src_[i])) ++i;
    if (i >= src_.size() || src_[i] != '=') return {};
    ++i;
    while (i < src_.size() && is_ascii_whitespace(src_[i])) ++i;
    std::size_t begin = i;
    std::size_t end;
    if (i < src_.size() && (src_[i] == '"' || src_[i] == '\'')) {
      ++begin;
      end = src_.find(src_[i], begin);
      if (end == std::string_view::npos) end = src_.size();
      pos_ = std::min(end + 1, src_.size());
    } else {
      end = i;
      while (end < src_.size() && !is_ascii_whitespace(src_[end]) && src_[end] != '>') ++end;
      pos_ = end;
    }
    return decode_references(src_.substr(begin, end - begin), /*in_attribute=*/true);
  }

  // The text of a raw text element, up to (not including) its end tag.
  std::string raw_text_until_end_tag(std::string_view name) {
    const std::string end_tag = "</" + std::string(name);
    std::size_t at = pos_;
    for (;; ++at) {
      at = src_.find("</", at);
      if (at == std::string_view::npos) {
        at = src_.size();
        break;
      }
      const std::size_t after = at + end_tag.size();
      if (starts_with_ascii_ci(src_, at, end_tag) &&
          (after >= src_.size() || is_ascii_whitespace(src_[after]) || src_[after] == '/' ||
           src_[after] == '>'))
        break;
    }
    std::string text(src_.substr(pos_, at - pos_));
    pos_ = at;
    return text;
  }

  NodeId current() const { return open_.back(); }
  const std::string& current_name() const { return tree_[current()].name; }
  bool document_mode() const { return doc_.document != kNullNode; }

  // Inserts character data, merged into a text node just before it as the parser does.
  void insert_text(NodeId parent, std::size_t index, std::string data) {
    if (data.empty()) return;
    const auto& siblings = tree_[parent].children;
    index = std::min(index, siblings.size());
    if (index > 0 && tree_[siblings[index - 1]].kind == NodeKind::kText) {
      tree_[siblings[index - 1]].data += data;
      return;
    }
    tree_.insert_child(parent, index, tree_.create(NodeKind::kText, std::move(data)));
  }

  // Where text and comments go before <body> starts: (parent, index).
  std::pair<NodeId, std::size_t> outside_body_position() const {
    switch (mode_) {
      case Mode::kBeforeHtml:
        return {doc_.document, tree_.index_in_parent(doc_.html)};
      case Mode::kBeforeHead:
        return {doc_.html, tree_.index_in_parent(doc_.head)};
      case Mode::kInHead:
        return {doc_.head, DomTree::kEnd};
      default:
        return {doc_.html, tree_.index_in_parent(doc_.body)};
    }
  }

  void text(std::string data) {
    if (mode_ == Mode::kInBody) return insert_text(current(), DomTree::kEnd, std::move(data));
    // Before <body>: leading whitespace stays where the browser keeps it (dropped before
    // <head>); anything else implies <body>.
    const std::size_t blank = std::min(
        data.size(),
        static_cast<std::size_t>(std::find_if_not(data.begin(), data.end(), is_ascii_whitespace) -
                                 data.begin()));
    if (mode_ == Mode::kInHead || mode_ == Mode::kAfterHead) {
      const auto [parent, index] = outside_body_position();
      insert_text(parent, index, data.substr(0, blank));
    }
    if (blank == data.size()) return;
    mode_ = Mode::kInBody;
    insert_text(current(), DomTree::kEnd, data.substr(blank));
  }

  void comment(std::string data) {
    const NodeId node = tree_.create(NodeKind::kComment, std::move(data));
    if (mode_ == Mode::kInBody) return tree_.append_child(current(), node);
    const auto [parent, index] = outside_body_position();
    tree_.insert_child(parent, index, node);
  }

  static void merge_attributes(DomTree& tree, NodeId element,
                               const std::vector<DomAttribute>& attributes) {
    for (const auto& a : attributes)
      if (!tree.attribute(element, a.name)) tree.set_attribute(element, a.name, a.value);
  }

  void start_tag(StartTag tag) {
    const std::string& name = tag.name;
    if (name == "html" || name == "head" || name == "body") {
      if (!document_mode()) return;
      if (name == "html") {
        merge_attributes(tree_, doc_.html, tag.attributes);
        if (mode_ == Mode::kBeforeHtml) mode_ = Mode::kBeforeHead;
      } else if (name == "body") {
        merge_attributes(tree_, doc_.body, tag.attributes);
        mode_ = Mode::kInBody;
      } else if (mode_ == Mode::kBeforeHtml || mode_ == Mode::kBeforeHead) {
        merge_attributes(tree_, doc_.head, tag.attributes);
        mode_ = Mode::kInHead;
      }
      return;
    }
    if (mode_ != Mode::kInBody && is_head_content(name)) {
      if (mode_ == Mode::kBeforeHtml || mode_ == Mode::kBeforeHead) mode_ = Mode::kInHead;
      return insert_element(doc_.head, std::move(tag), /*push=*/false);
    }
    mode_ = Mode::kInBody;
    if (in_foreign_content()) {
      if (!breaks_out_of_foreign_content(name, tag.attributes))
        return insert_foreign(std::move(tag), tree_[current()].ns);
      while (open_.size() > 1 && in_foreign_content()) pop_to(open_.size() - 1);
    }
    if (name == "svg" || name == "math")
      return insert_foreign(std::move(tag), name == "svg" ? Namespace::kSvg : Namespace::kMathMl);
    close_implied_by(name);
    insert_element(current(), std::move(tag), /*push=*/true);
  }

  bool in_foreign_content() const {
    const DomNode& node = tree_[current()];
    return node.ns != Namespace::kHtml && !is_html_island(node);
  }

  // An SVG or MathML element: names in their case, "/>" closing it, no raw text.
  void insert_foreign(StartTag tag, Namespace ns) {
    const NodeId element =
        tree_.create(NodeKind::kElement,
                     ns == Namespace::kSvg ? adjust_case(tag.name, kSvgElementNames) : tag.name);
    tree_[element].ns = ns;
    for (auto& a : tag.attributes) {
      if (ns == Namespace::kSvg) a.name = adjust_case(std::move(a.name), kSvgAttributeNames);
      if (ns == Namespace::kMathMl && a.name == "definitionurl") a.name = "definitionURL";
    }
    tree_[element].attributes = std::move(tag.attributes);
    tree_.append_child(current(), element);
    if (!tag.self_closing) open_.push_back(element);
  }

  void insert_element(NodeId parent, StartTag tag, bool push) {
    const std::string name = tag.name;
    const NodeId element = tree_.create(NodeKind::kElement, name);
    tree_[element].attributes = std::move(tag.attributes);
    tree_.append_child(parent, element);
    if (is_void(name)) return;
    if (is_raw_text(name) || is_escapable_raw_text(name)) {
      std::string text = raw_text_until_end_tag(name);
      if (name == "textarea" && !text.empty() && text[0] == '\n') text.erase(0, 1);
      insert_text(element, DomTree::kEnd,
                  is_raw_text(name) ? std::move(text) : decode_references(text));
    } else if (name == "plaintext") {
      insert_text(element, DomTree::kEnd, std::string(src_.substr(pos_)));
      pos_ = src_.size();
    } else if (push) {
      open_.push_back(element);
      if ((name == "pre" || name == "listing") && src_.compare(pos_, 1, "\n") == 0) ++pos_;
    }
    // An element that is not pushed (head content) has no children to wait for: its raw text
    // was read above and the rest is void.
  }

  void pop_to(std::size_t index) { open_.resize(std::max<std::size_t>(index, 1)); }

  // The open element `name` nearest the top, searched down to (not past) one that `stop`s the
  // search; 0 when none.
  template <class Stop>
  std::size_t find_open(std::initializer_list<std::string_view> names, Stop stop) const {
    for (std::size_t i = open_.size(); i-- > 1;) {
      const DomNode& node = tree_[open_[i]];
      const std::string& open = node.name;
      // End tags are lowercase; SVG names keep their case ("</clippath>" closes <clipPath>).
      if (one_of(node.ns == Namespace::kHtml ? open : ascii_lowercase(open), names)) return i;
      if (stop(open)) return 0;
    }
    return 0;
  }

  void close_p_in_button_scope() {
    if (const std::size_t p = find_open({"p"}, ends_button_scope)) pop_to(p);
  }

  // The end tags a start tag implies, and the table parts it implies before itself.
  void close_implied_by(std::string_view name) {
    auto stops_list_search = [](std::string_view open) {
      return is_special(open) && !one_of(open, {"address", "div", "p"});
    };
    if (name == "li") {
      if (const std::size_t li = find_open({"li"}, stops_list_search)) pop_to(li);
    } else if (name == "dd" || name == "dt") {
      if (const std::size_t item = find_open({"dd", "dt"}, stops_list_search)) pop_to(item);
    }
    if (closes_p(name)) close_p_in_button_scope();
    if (is_heading(name) && is_heading(current_name())) pop_to(open_.size() - 1);
    if (name == "option" || name == "optgroup") {
      if (current_name() == "option") pop_to(open_.size() - 1);
      if (name == "optgroup" && current_name() == "optgroup") pop_to(open_.size() - 1);
    }
    imply_table_parts(name);
  }

  void imply_table_parts(std::string_view name) {
    const bool cell = name == "td" || name == "th";
    if (!cell && name != "tr" && !is_table_section(name)) return;
    // Close the open cell, row or section that this part ends, up to the nearest table. Outside
    // tables too, as a <template> would.
    auto ended_by = [&](std::string_view open) {
      if (open == "td" || open == "th") return true;
      if (open == "tr") return !cell;
      return is_table_section(open) && is_table_section(name);
    };
    for (;;) {
      const std::size_t part = find_open({"td", "th", "tr", "tbody", "thead", "tfoot", "table"},
                                         [](std::string_view) { return false; });
      if (!part || !ended_by(tree_[open_[part]].name)) break;
      pop_to(part);
    }
    auto imply = [&](const char* part) {
      insert_element(current(), StartTag{part, {}}, /*push=*/true);
    };
    if (current_name() == "table" && (cell || name == "tr")) imply("tbody");
    if (cell && is_table_section(current_name())) imply("tr");
  }

  void end_tag(const std::string& name) {
    if (mode_ != Mode::kInBody) {
      if (name == "head" && mode_ == Mode::kInHead) mode_ = Mode::kAfterHead;
      return;  // end tags of elements never opened before <body>
    }
    if (name == "body" || name == "html") return;
    if (name == "br") return start_tag({"br", {}});  // as browsers read "</br>"
    if (name == "p") {
      // "</p>" with no open <p> stands for an empty one.
      if (const std::size_t p = find_open({"p"}, ends_button_scope)) return pop_to(p);
      start_tag({"p", {}});
      return pop_to(open_.size() - 1);
    }
    if (const std::size_t open = find_open({name}, [](std::string_view) { return false; }))
      pop_to(open);
  }

  DomTree& tree_;
  std::string_view src_;
  std::size_t pos_ = 0;
  DocumentNodes doc_;
  Mode mode_;
  std::vector<NodeId> open_;  // the stack of open elements; open_[0] is never popped
};

void escape_into(std::string& out, std::string_view text, bool attribute) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '&') {
      out += "&amp;";
    } else if (c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') {
      out += "&nbsp;";
      ++i;
    } else if (attribute && c == '"') {
      out += "&quot;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
}

void serialize_into(const DomTree& tree, NodeId id, bool outer, std::string& out) {
  const DomNode& node = tree[id];
  switch (node.kind) {
    case NodeKind::kText: {
      const NodeId parent = node.parent;
      if (parent != kNullNode && tree.is_element(parent) && tree[parent].ns == Namespace::kHtml &&
          (is_raw_text(tree[parent].name) || tree[parent].name == "plaintext"))
        out += node.data;
      else
        escape_into(out, node.data, /*attribute=*/false);
      return;
    }
    case NodeKind::kComment:
      out += "<!--" + node.data + "-->";
      return;
    case NodeKind::kDocument:
      outer = false;
      break;
    case NodeKind::kElement:
      break;
  }
  if (outer) {
    out += '<' + node.name;
    for (const auto& a : node.attributes) {
      out += ' ' + a.name + "=\"";
      escape_into(out, a.value, /*attribute=*/true);
      out += '"';
    }
    out += '>';
    if (node.ns == Namespace::kHtml && is_void(node.name)) return;
  }
  for (const NodeId child : node.children) serialize_into(tree, child, true, out);
  if (outer) out += "</" + node.name + '>';
}

}  // namespace

DocumentNodes parse_document(DomTree& tree, std::string_view html) {
  DocumentNodes nodes;
  nodes.document = tree.create(NodeKind::kDocument);
  nodes.html = tree.create(NodeKind::kElement, "html");
  nodes.head = tree.create(NodeKind::kElement, "head");
  nodes.body = tree.create(NodeKind::kElement, "body");
  tree.append_child(nodes.document, nodes.html);
  tree.append_child(nodes.html, nodes.head);
  tree.append_child(nodes.html, nodes.body);
  Parser(tree, html, nodes).run();
  return nodes;
}

std::vector<NodeId> parse_fragment(DomTree& tree, std::string_view html) {
  const NodeId container = tree.create(NodeKind::kElement, "template");
  Parser(tree, html, container).run();
  std::vector<NodeId> top = tree[container].children;
  for (const NodeId node : top) tree.detach(node);
  return top;
}

std::string serialize_html(const DomTree& tree, NodeId node, bool outer) {
  std::string out;
  serialize_into(tree, node, outer, out);
  return out;
}

}  // namespace vario::testing
