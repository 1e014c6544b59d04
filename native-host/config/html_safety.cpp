#include "config/html_safety.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "config/validate_report.hpp"

namespace vario::host {
namespace {

using validation::append_utf8;
using validation::ascii_lowercase;
using validation::character_number;
using validation::hex_digit_value;
using validation::is_ascii_whitespace;

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// The named character references that stand for ASCII punctuation, whitespace or letters: the
// only ones that can spell a URL scheme ("javascript&colon;"). Others stay as written, which
// cannot turn a harmless URL into a script one.
constexpr std::pair<std::string_view, std::string_view> kNamedReferences[] = {
    {"Tab;", "\t"},         {"NewLine;", "\n"},
    {"excl;", "!"},         {"quot;", "\""},
    {"QUOT;", "\""},        {"num;", "#"},
    {"dollar;", "$"},       {"percnt;", "%"},
    {"amp;", "&"},          {"AMP;", "&"},
    {"apos;", "'"},         {"lpar;", "("},
    {"rpar;", ")"},         {"ast;", "*"},
    {"midast;", "*"},       {"plus;", "+"},
    {"comma;", ","},        {"period;", "."},
    {"sol;", "/"},          {"colon;", ":"},
    {"semi;", ";"},         {"lt;", "<"},
    {"LT;", "<"},           {"equals;", "="},
    {"gt;", ">"},           {"GT;", ">"},
    {"quest;", "?"},        {"commat;", "@"},
    {"lsqb;", "["},         {"lbrack;", "["},
    {"bsol;", "\\"},        {"rsqb;", "]"},
    {"rbrack;", "]"},       {"Hat;", "^"},
    {"lowbar;", "_"},       {"UnderBar;", "_"},
    {"grave;", "`"},        {"DiacriticalGrave;", "`"},
    {"lcub;", "{"},         {"lbrace;", "{"},
    {"verbar;", "|"},       {"vert;", "|"},
    {"VerticalLine;", "|"}, {"rcub;", "}"},
    {"rbrace;", "}"},       {"fjlig;", "fj"},
};

// Legacy references a browser also decodes without ';', except in an attribute value where
// the next character is '=' or alphanumeric.
constexpr std::pair<std::string_view, std::string_view> kLegacyReferences[] = {
    {"amp", "&"}, {"AMP", "&"}, {"lt", "<"},    {"LT", "<"},
    {"gt", ">"},  {"GT", ">"},  {"quot", "\""}, {"QUOT", "\""},
};

// An attribute value with its character references decoded, as the tokenizer's attribute
// value states do.
std::string decode_attribute_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size();) {
    if (v[i] != '&') {
      out += v[i++];
      continue;
    }
    const std::string_view rest = v.substr(i + 1);
    if (rest.starts_with('#')) {
      std::size_t j = 1;
      const bool hex = j < rest.size() && (rest[j] == 'x' || rest[j] == 'X');
      if (hex) ++j;
      const std::size_t digits_start = j;
      std::uint32_t cp = 0;
      bool overflow = false;
      while (j < rest.size() && (hex ? hex_digit_value(rest[j]) >= 0 : is_ascii_digit(rest[j]))) {
        const auto d = static_cast<std::uint32_t>(hex_digit_value(rest[j++]));
        if (cp > 0x10FFFF)
          overflow = true;
        else
          cp = cp * (hex ? 16 : 10) + d;
      }
      if (j == digits_start) {  // "&#" or "&#x" without digits is no reference
        out += v[i++];
        continue;
      }
      if (j < rest.size() && rest[j] == ';') ++j;
      if (overflow || cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
      append_utf8(out, cp);
      i += 1 + j;
      continue;
    }
    bool decoded = false;
    for (const auto& [name, text] : kNamedReferences) {
      if (rest.starts_with(name)) {
        out += text;
        i += 1 + name.size();
        decoded = true;
        break;
      }
    }
    if (!decoded) {
      for (const auto& [name, text] : kLegacyReferences) {
        if (!rest.starts_with(name)) continue;
        const char next = rest.size() > name.size() ? rest[name.size()] : '\0';
        if (next == '=' || is_ascii_alpha(next) || is_ascii_digit(next)) continue;
        out += text;
        i += 1 + name.size() + (next == ';' ? 1 : 0);
        decoded = true;
        break;
      }
    }
    if (!decoded) out += v[i++];
  }
  return out;
}

std::string_view article(std::string_view word) {
  if (word.starts_with('<')) word.remove_prefix(1);
  const std::string first = ascii_lowercase(word.substr(0, 1));
  return first.find_first_of("aeiou") != std::string::npos ? "an " : "a ";
}

struct Attribute {
  std::string name;   // lowercase, as the tokenizer makes it
  std::size_t at;     // byte offset of its name
  std::string value;  // character references decoded
};

struct Tag {
  std::string name;  // lowercase
  std::size_t at;    // byte offset of its '<'
  bool end = false;
  std::vector<Attribute> attributes;
};

// Elements that load or run content of their own, or change how the page loads things, and
// why each is refused.
std::optional<std::string_view> refused_element(std::string_view name) {
  if (name == "script") return "Vario never runs script";
  if (name == "iframe" || name == "frame" || name == "object" || name == "embed" ||
      name == "applet")
    return "it loads and runs content of its own, which Vario does not put into pages";
  if (name == "base") return "it changes where every relative URL of the page points";
  if (name == "meta") return "it can refresh or redirect the page, or change its security policy";
  if (name == "link")
    return "it loads stylesheets and other resources into the page; use add_css for styles";
  if (name == "style")
    return "a strict Content-Security-Policy blocks inline styles; use set_style or add_css";
  if (name == "xmp" || name == "noembed" || name == "noframes" || name == "noscript" ||
      name == "plaintext")
    return "its content is read as text or as markup depending on where the HTML lands, so it "
           "cannot be checked; leave the element out";
  return std::nullopt;
}

class Scan {
 public:
  explicit Scan(std::string_view s) : s_(s) {}

  std::optional<std::string> run() {
    while (!problem_ && i_ < s_.size()) {
      const std::size_t lt = s_.find('<', i_);
      if (lt == std::string_view::npos) break;
      i_ = lt;
      markup();
    }
    return problem_;
  }

 private:
  char at(std::size_t i) const { return i < s_.size() ? s_[i] : '\0'; }

  std::string where(std::size_t offset) const {
    return " at character " + std::to_string(character_number(s_, offset));
  }

  void fail(std::size_t offset, std::string_view what, std::string_view why) {
    problem_ = "HTML " + std::string(what) + where(offset) + ": " + std::string(why);
  }

  // At a '<': what the tokenizer's tag open state makes of it.
  void markup() {
    const char next = at(i_ + 1);
    if (s_.substr(i_).starts_with("<!--")) return comment();
    if (next == '!' || next == '?') return bogus_comment(i_ + 2);
    if (next == '/') {
      if (is_ascii_alpha(at(i_ + 2))) return tag(true);
      if (at(i_ + 2) == '>') {  // "</>" is dropped
        i_ += 3;
        return;
      }
      if (i_ + 2 >= s_.size()) {
        i_ = s_.size();
        return;
      }
      return bogus_comment(i_ + 2);
    }
    if (is_ascii_alpha(next)) return tag(false);
    ++i_;  // a '<' that starts nothing is text
  }

  // "<!-->" and "<!--->" close at once; otherwise the comment ends at "-->" or "--!>" (or at
  // the end of the text), as the comment states say.
  void comment() {
    const std::size_t body = i_ + 4;
    if (at(body) == '>') {
      i_ = body + 1;
      return;
    }
    if (at(body) == '-' && at(body + 1) == '>') {
      i_ = body + 2;
      return;
    }
    const std::size_t close = s_.find("-->", body);
    const std::size_t bang = s_.find("--!>", body);
    if (close == std::string_view::npos && bang == std::string_view::npos) {
      i_ = s_.size();
    } else if (bang < close) {
      i_ = bang + 4;
    } else {
      i_ = close + 3;
    }
  }

  // "<!DOCTYPE", "<?", "<![CDATA[" outside SVG and "</" before a non-letter: up to the next '>'.
  void bogus_comment(std::size_t from) {
    const std::size_t close = s_.find('>', from);
    i_ = close == std::string_view::npos ? s_.size() : close + 1;
  }

  void tag(bool end) {
    Tag t;
    t.at = i_;
    t.end = end;
    std::size_t j = i_ + (end ? 2 : 1);
    const std::size_t name_start = j;
    while (j < s_.size() && !is_ascii_whitespace(s_[j]) && s_[j] != '/' && s_[j] != '>') ++j;
    t.name = ascii_lowercase(s_.substr(name_start, j - name_start));
    // The attribute states: names up to space, '/', '>' or '=' (a leading '=' is part of the
    // name), values double-quoted, single-quoted or up to space or '>'.
    while (j < s_.size()) {
      while (j < s_.size() && (is_ascii_whitespace(s_[j]) || s_[j] == '/')) ++j;
      if (j >= s_.size() || s_[j] == '>') break;
      Attribute a;
      a.at = j;
      std::size_t k = j + 1;
      while (k < s_.size() && !is_ascii_whitespace(s_[k]) && s_[k] != '/' && s_[k] != '>' &&
             s_[k] != '=')
        ++k;
      a.name = ascii_lowercase(s_.substr(j, k - j));
      while (k < s_.size() && is_ascii_whitespace(s_[k])) ++k;
      if (at(k) == '=') {
        ++k;
        while (k < s_.size() && is_ascii_whitespace(s_[k])) ++k;
        const char quote = at(k);
        std::size_t value_start = k, value_end = k;
        if (quote == '"' || quote == '\'') {
          value_start = k + 1;
          value_end = std::min(s_.find(quote, value_start), s_.size());
          k = std::min(value_end + 1, s_.size());
        } else {
          while (k < s_.size() && !is_ascii_whitespace(s_[k]) && s_[k] != '>') ++k;
          value_end = k;
        }
        a.value = decode_attribute_value(s_.substr(value_start, value_end - value_start));
      }
      t.attributes.push_back(std::move(a));
      j = k;
    }
    i_ = std::min(j + 1, s_.size());
    // An end tag's attributes are dropped by the parser: only start tags can carry anything.
    if (!end) start_tag(t);
  }

  void start_tag(const Tag& t) {
    const std::string shown = "<" + t.name + ">";
    if (const auto why = refused_element(t.name))
      return fail(t.at, "carries " + std::string(article(shown)) + shown + " element", *why);
    for (const Attribute& a : t.attributes) {
      const std::string on = " attribute (on " + shown + ")";
      if (a.name.starts_with("on"))
        return fail(a.at, "carries an " + a.name + on,
                    "event handlers are script, and Vario never runs script");
      if (a.name == "style")
        return fail(a.at, "carries a style" + on,
                    "a strict Content-Security-Policy blocks inline styles; use set_style or "
                    "add_css");
      if (a.name == "srcdoc")
        return fail(a.at, "carries a srcdoc" + on,
                    "it holds a document of its own, which could run script");
      if (!is_url_attribute(a.name)) continue;
      // An SVG animation's values are a ';'-separated list, each of which it may set.
      std::string_view rest = a.value;
      for (bool more = true; more;) {
        const std::size_t semicolon = a.name == "values" ? rest.find(';') : std::string_view::npos;
        more = semicolon != std::string_view::npos;
        if (const auto scheme = script_url_scheme(rest.substr(0, semicolon)))
          return fail(a.at,
                      "carries " + std::string(article(*scheme)) + std::string(*scheme) +
                          " URL in the " + a.name + " attribute of " + shown,
                      "Vario never runs script");
        if (more) rest.remove_prefix(semicolon + 1);
      }
    }
    if (t.name == "title" || t.name == "textarea") text_content(t, shown);
  }

  // The parser reads <title> and <textarea> as text up to their end tag, but only as HTML
  // elements: inside <svg> the same characters are markup. Without '<' they mean the same
  // either way.
  void text_content(const Tag& t, const std::string& shown) {
    std::size_t end = i_;
    for (; end < s_.size(); ++end) {
      if (s_[end] != '<') continue;
      const std::size_t name_end = end + 2 + t.name.size();
      const bool end_tag = at(end + 1) == '/' &&
                           ascii_lowercase(s_.substr(end + 2, t.name.size())) == t.name &&
                           (name_end >= s_.size() || is_ascii_whitespace(s_[name_end]) ||
                            s_[name_end] == '/' || s_[name_end] == '>');
      if (end_tag) break;
      return fail(end, "has '<' inside " + shown,
                  "write it as &lt;, since whether it starts a tag there depends on where the "
                  "HTML lands");
    }
    i_ = end;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::optional<std::string> problem_;
};

}  // namespace

std::optional<std::string_view> script_url_scheme(std::string_view url) {
  std::string squeezed;
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) continue;
    squeezed += c;
    if (squeezed.size() >= 14) break;  // enough for the longest scheme below
  }
  squeezed = ascii_lowercase(squeezed);
  for (std::string_view scheme : {"javascript:", "vbscript:", "data:text/html"})
    if (squeezed.starts_with(scheme)) return scheme;
  return std::nullopt;
}

bool is_url_attribute(std::string_view name) {
  static constexpr std::array<std::string_view, 22> kNames = {
      "href",   "src",  "action",   "formaction", "xlink:href", "poster", "srcset",   "background",
      "cite",   "data", "codebase", "longdesc",   "lowsrc",     "dynsrc", "manifest", "ping",
      "usemap", "icon", "to",       "from",       "by",         "values"};
  return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

std::optional<std::string> html_problem(std::string_view html) { return Scan(html).run(); }

}  // namespace vario::host
