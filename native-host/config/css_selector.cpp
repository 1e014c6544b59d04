#include "config/css_selector.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "config/validate_report.hpp"

namespace vario::host {
namespace {

using validation::append_utf8;
using validation::ascii_lowercase;

// ---- tokens (CSS Syntax Level 3, the part selectors use) ----------------------------------
// Tokenizing first, as browsers do, is what makes escapes, '.5' numbers, '2n-1' dimensions and
// '#1a' hashes come out the way a browser sees them.

enum class Tok {
  kIdent,
  kFunction,  // "name(": the '(' belongs to the token
  kAtKeyword,
  kHash,
  kString,
  kNumber,
  kPercentage,
  kDimension,
  kWhitespace,
  kDelim,
  kColon,
  kSemicolon,
  kComma,
  kOpenSquare,
  kCloseSquare,
  kOpenParen,
  kCloseParen,
  kOpenCurly,
  kCloseCurly,
  kCdo,
  kCdc,
  kError,  // what the tokenizer refused (unclosed string or comment); `value` is the sentence
  kEnd,
};

struct Token {
  Tok kind = Tok::kEnd;
  std::size_t begin = 0;  // byte offsets into the selector
  std::size_t end = 0;
  std::string value;  // decoded name, string contents, dimension unit, or error sentence
  char delim = 0;
  bool id_hash = false;   // a hash whose name would start an identifier (#a, not #1a)
  bool integer = false;   // a number without '.' or exponent
  bool has_sign = false;  // a number written with a leading '+' or '-'
};

bool is_newline(char c) { return c == '\n' || c == '\r' || c == '\f'; }
bool is_whitespace(char c) { return c == ' ' || c == '\t' || is_newline(c); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
// Every byte of a non-ASCII UTF-8 sequence is >= 0x80, and every non-ASCII code point is a name
// code point, so bytes can stand in for code points here. NUL becomes U+FFFD in CSS, a name
// code point too.
bool is_name_start(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || u >= 0x80 || u == 0;
}
bool is_name(char c) { return is_name_start(c) || is_digit(c) || c == '-'; }

// "#1a" -> "#\31 a": the CSS escape of the first digit after `prefix` characters (and an
// optional '-'), which is how an ID or class that starts with a digit must be written.
std::string escape_leading_digit(std::string_view token, std::size_t prefix) {
  std::size_t i = prefix;
  if (i < token.size() && token[i] == '-') ++i;
  if (i >= token.size() || token[i] < '0' || token[i] > '9') return std::string(token);
  return std::string(token.substr(0, i)) + "\\3" + token[i] + " " +
         std::string(token.substr(i + 1));
}

class Tokenizer {
 public:
  explicit Tokenizer(std::string_view s) : s_(s) {}

  // Stops after the first error token, which the parser reports when it gets there.
  std::vector<Token> run() {
    std::vector<Token> out;
    for (;;) {
      Token t = next();
      const Tok kind = t.kind;
      out.push_back(std::move(t));
      if (kind == Tok::kEnd || kind == Tok::kError) return out;
    }
  }

 private:
  char at(std::size_t i) const { return i < s_.size() ? s_[i] : '\0'; }
  bool has(std::size_t i) const { return i < s_.size(); }

  bool valid_escape(std::size_t i) const {
    return has(i) && s_[i] == '\\' && !(has(i + 1) && is_newline(s_[i + 1]));
  }
  bool starts_identifier(std::size_t i) const {
    if (!has(i)) return false;
    if (s_[i] == '-')
      return (has(i + 1) && (is_name_start(s_[i + 1]) || s_[i + 1] == '-')) || valid_escape(i + 1);
    if (is_name_start(s_[i])) return true;
    return valid_escape(i);
  }
  bool starts_number(std::size_t i) const {
    if (!has(i)) return false;
    if (s_[i] == '+' || s_[i] == '-') {
      if (is_digit(at(i + 1)) && has(i + 1)) return true;
      return at(i + 1) == '.' && has(i + 2) && is_digit(s_[i + 2]);
    }
    if (s_[i] == '.') return has(i + 1) && is_digit(s_[i + 1]);
    return is_digit(s_[i]);
  }

  // After the backslash.
  void consume_escape(std::string& out) {
    if (!has(pos_)) {
      append_utf8(out, 0xFFFD);
      return;
    }
    if (is_hex(s_[pos_])) {
      std::uint32_t cp = 0;
      for (int n = 0; n < 6 && has(pos_) && is_hex(s_[pos_]); ++n, ++pos_) {
        const char c = s_[pos_];
        cp = cp * 16 + static_cast<std::uint32_t>(is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
      }
      if (has(pos_) && is_whitespace(s_[pos_])) {
        if (s_[pos_] == '\r' && at(pos_ + 1) == '\n') ++pos_;
        ++pos_;
      }
      if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
      append_utf8(out, cp);
      return;
    }
    out += s_[pos_++];
  }

  std::string consume_name() {
    std::string out;
    for (;;) {
      if (has(pos_) && is_name(s_[pos_])) {
        out += s_[pos_++];
      } else if (valid_escape(pos_)) {
        ++pos_;
        consume_escape(out);
      } else {
        return out;
      }
    }
  }

  void consume_numeric(Token& t) {
    t.integer = true;
    if (s_[pos_] == '+' || s_[pos_] == '-') {
      t.has_sign = true;
      ++pos_;
    }
    while (has(pos_) && is_digit(s_[pos_])) ++pos_;
    if (at(pos_) == '.' && has(pos_ + 1) && is_digit(s_[pos_ + 1])) {
      t.integer = false;
      pos_ += 1;
      while (has(pos_) && is_digit(s_[pos_])) ++pos_;
    }
    if ((at(pos_) == 'e' || at(pos_) == 'E') &&
        (is_digit(at(pos_ + 1)) ||
         ((at(pos_ + 1) == '+' || at(pos_ + 1) == '-') && is_digit(at(pos_ + 2))))) {
      t.integer = false;
      pos_ += (is_digit(at(pos_ + 1)) ? 1 : 2);
      while (has(pos_) && is_digit(s_[pos_])) ++pos_;
    }
    if (starts_identifier(pos_)) {
      t.kind = Tok::kDimension;
      t.value = consume_name();
    } else if (at(pos_) == '%' && has(pos_)) {
      t.kind = Tok::kPercentage;
      ++pos_;
    } else {
      t.kind = Tok::kNumber;
    }
  }

  void consume_string(Token& t, char quote) {
    ++pos_;
    for (;;) {
      if (!has(pos_)) {
        t.kind = Tok::kError;
        t.value = "the quoted string is never closed";
        return;
      }
      const char c = s_[pos_];
      if (c == quote) {
        ++pos_;
        t.kind = Tok::kString;
        return;
      }
      if (is_newline(c)) {
        t.kind = Tok::kError;
        t.value = "a quoted string cannot contain a line break (write it as '\\a ')";
        return;
      }
      if (c == '\\') {
        if (!has(pos_ + 1)) {
          ++pos_;
        } else if (is_newline(s_[pos_ + 1])) {
          pos_ += (s_[pos_ + 1] == '\r' && at(pos_ + 2) == '\n') ? 3 : 2;
        } else {
          ++pos_;
          consume_escape(t.value);
        }
        continue;
      }
      t.value += c;
      ++pos_;
    }
  }

  Token next() {
    // Comments are dropped, as browsers drop them; an unclosed one is refused.
    while (at(pos_) == '/' && at(pos_ + 1) == '*' && has(pos_ + 1)) {
      const std::size_t close = s_.find("*/", pos_ + 2);
      if (close == std::string_view::npos) {
        Token t;
        t.kind = Tok::kError;
        t.begin = pos_;
        t.end = s_.size();
        t.value = "the comment is never closed";
        pos_ = s_.size();
        return t;
      }
      pos_ = close + 2;
    }
    Token t;
    t.begin = pos_;
    if (!has(pos_)) {
      t.kind = Tok::kEnd;
      t.end = pos_;
      return t;
    }
    const char c = s_[pos_];
    if (is_whitespace(c)) {
      while (has(pos_) && is_whitespace(s_[pos_])) ++pos_;
      t.kind = Tok::kWhitespace;
    } else if (c == '"' || c == '\'') {
      consume_string(t, c);
    } else if (c == '#' && ((has(pos_ + 1) && is_name(s_[pos_ + 1])) || valid_escape(pos_ + 1))) {
      ++pos_;
      t.kind = Tok::kHash;
      t.id_hash = starts_identifier(pos_);
      t.value = consume_name();
    } else if (starts_number(pos_)) {
      consume_numeric(t);
    } else if (c == '-' && at(pos_ + 1) == '-' && at(pos_ + 2) == '>') {
      pos_ += 3;
      t.kind = Tok::kCdc;
    } else if (starts_identifier(pos_)) {
      t.value = consume_name();
      if (at(pos_) == '(' && has(pos_)) {
        ++pos_;
        t.kind = Tok::kFunction;
      } else {
        t.kind = Tok::kIdent;
      }
    } else if (c == '<' && s_.substr(pos_).starts_with("<!--")) {
      pos_ += 4;
      t.kind = Tok::kCdo;
    } else if (c == '@' && starts_identifier(pos_ + 1)) {
      ++pos_;
      t.kind = Tok::kAtKeyword;
      t.value = consume_name();
    } else {
      ++pos_;
      switch (c) {
        case ':':
          t.kind = Tok::kColon;
          break;
        case ';':
          t.kind = Tok::kSemicolon;
          break;
        case ',':
          t.kind = Tok::kComma;
          break;
        case '[':
          t.kind = Tok::kOpenSquare;
          break;
        case ']':
          t.kind = Tok::kCloseSquare;
          break;
        case '(':
          t.kind = Tok::kOpenParen;
          break;
        case ')':
          t.kind = Tok::kCloseParen;
          break;
        case '{':
          t.kind = Tok::kOpenCurly;
          break;
        case '}':
          t.kind = Tok::kCloseCurly;
          break;
        default:
          t.kind = Tok::kDelim;
          t.delim = c;
          // A multi-byte character never reaches here (non-ASCII starts an identifier), but a
          // lone backslash before a line break does: keep it one token.
      }
    }
    t.end = pos_;
    return t;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

// ---- names browsers know -----------------------------------------------------------------

// clang-format off
// Checked against Chromium's querySelectorAll(): names only another engine knows (Safari's media
// states such as :playing) are left out, since most visitors would get a SyntaxError.
constexpr std::array kPseudoClasses = {
    "active",        "any-link",      "autofill",          "checked",
    "current",       "default",       "defined",           "disabled",
    "empty",         "enabled",       "first-child",       "first-of-type",
    "focus",         "focus-visible", "focus-within",      "fullscreen",
    "future",        "host",          "hover",             "in-range",
    "indeterminate", "invalid",       "last-child",        "last-of-type",
    "link",          "modal",         "only-child",        "only-of-type",
    "open",          "optional",      "out-of-range",      "past",
    "picture-in-picture", "placeholder-shown", "popover-open", "read-only",
    "read-write",    "required",      "root",              "scope",
    "target",        "user-invalid",  "user-valid",        "valid",
    "visited",
};

// Tree-structural pseudo-classes: the only ones that may not follow ::part().
constexpr std::array kStructuralPseudoClasses = {
    "root", "empty", "first-child", "last-child", "only-child", "first-of-type",
    "last-of-type", "only-of-type"};

constexpr std::array kPseudoElements = {
    "after",          "backdrop",    "before",        "cue",
    "details-content", "file-selector-button", "first-letter", "first-line",
    "grammar-error",  "marker",      "placeholder",   "selection",
    "spelling-error", "target-text", "view-transition",
};

// CSS 2 wrote these with one colon; browsers still accept that.
constexpr std::array kLegacyPseudoElements = {"before", "after", "first-line", "first-letter"};
// clang-format on

template <std::size_t N>
bool contains(const std::array<const char*, N>& names, std::string_view name) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return name == n; });
}

// Chromium accepts every '::-webkit-' pseudo-element name (it cannot know all the parts of its
// own controls), but only these '-webkit-' pseudo-classes.
bool webkit_pseudo_element(std::string_view name) { return name.starts_with("-webkit-"); }
constexpr std::array kWebkitPseudoClasses = {"-webkit-any-link", "-webkit-autofill",
                                             "-webkit-full-screen"};

// What may follow '::-webkit-scrollbar...' (its states) and any other '::-webkit-' part.
constexpr std::array kScrollbarStates = {
    "hover",         "active",        "enabled",   "disabled",       "horizontal",
    "vertical",      "decrement",     "increment", "start",          "end",
    "double-button", "single-button", "no-button", "corner-present", "window-inactive"};
constexpr std::array kWebkitPartStates = {"hover", "active", "focus"};

// ---- the parser ----------------------------------------------------------------------------

// Deep enough for any real selector, shallow enough that a hostile one cannot exhaust the stack.
constexpr int kMaxNesting = 32;

struct Context {
  bool allow_pseudo_elements = true;
  bool inside_has = false;
  int depth = 0;
};

class Parser {
 public:
  Parser(std::string_view s, std::vector<Token> tokens) : s_(s), tokens_(std::move(tokens)) {}

  std::optional<std::string> run() {
    skip_whitespace();
    if (peek().kind == Tok::kEnd && !error_) return "the selector is empty";
    if (selector_list(Context{}, /*relative=*/false)) {
      skip_whitespace();
      const Token& t = peek();
      if (t.kind == Tok::kCloseParen)
        fail(t.begin, "unexpected ')' with no '(' before it");
      else if (t.kind != Tok::kEnd)
        unexpected(t);
    }
    return error_;
  }

 private:
  // The current token; an error token from the tokenizer is reported the first time the parser
  // reaches it and reads as the end from then on.
  const Token& peek(std::size_t ahead = 0) {
    const std::size_t i = std::min(i_ + ahead, tokens_.size() - 1);
    const Token& t = tokens_[i];
    if (t.kind == Tok::kError && ahead == 0) fail(t.begin, t.value);
    return t;
  }
  bool at_end() { return peek().kind == Tok::kEnd || peek().kind == Tok::kError; }
  void advance() {
    if (i_ + 1 < tokens_.size()) ++i_;
  }
  bool skip_whitespace() {
    bool any = false;
    while (peek().kind == Tok::kWhitespace) {
      advance();
      any = true;
    }
    return any;
  }
  bool is_delim(const Token& t, char c) const { return t.kind == Tok::kDelim && t.delim == c; }

  std::string_view text(const Token& t) const { return s_.substr(t.begin, t.end - t.begin); }

  // Positions count code points from 1, which is what a person counting characters expects.
  std::string where(std::size_t offset) const {
    if (offset >= s_.size()) return " (at the end)";
    std::size_t chars = 0;
    for (std::size_t i = 0; i < offset; ++i)
      if ((static_cast<unsigned char>(s_[i]) & 0xC0) != 0x80) ++chars;
    return " (at character " + std::to_string(chars + 1) + ")";
  }

  bool fail(std::size_t offset, const std::string& what) {
    if (!error_) error_ = what + where(offset);
    return false;
  }

  bool unexpected(const Token& t) {
    if (t.kind == Tok::kEnd || t.kind == Tok::kError)
      return fail(t.begin, "the selector ends too early");
    std::string shown(text(t).substr(0, 20));
    return fail(t.begin, "unexpected '" + shown + "'");
  }

  bool unclosed(std::size_t open_offset, std::string_view opener) {
    return fail(open_offset, "'" + std::string(opener) + "' is never closed");
  }

  // A comma-separated list of complex selectors; stops before ')' or the end.
  bool selector_list(const Context& ctx, bool relative) {
    if (ctx.depth > kMaxNesting) return fail(peek().begin, "the selector is nested too deeply");
    for (;;) {
      if (!complex_selector(ctx, relative)) return false;
      skip_whitespace();
      if (peek().kind != Tok::kComma) return true;
      advance();
      skip_whitespace();
      if (at_end() || peek().kind == Tok::kCloseParen)
        return error_ ? false : fail(peek().begin, "expected a selector after ','");
      if (peek().kind == Tok::kComma)
        return fail(peek().begin, "expected a selector between two commas");
    }
  }

  static bool is_combinator(const Token& t) {
    return t.kind == Tok::kDelim && (t.delim == '>' || t.delim == '+' || t.delim == '~');
  }

  bool complex_selector(const Context& ctx, bool relative) {
    skip_whitespace();
    if (is_combinator(peek())) {
      if (!relative)
        return fail(peek().begin, std::string("a selector cannot start with the combinator '") +
                                      peek().delim + "'");
      advance();
      skip_whitespace();
    }
    if (peek().kind == Tok::kComma) return fail(peek().begin, "expected a selector before ','");
    bool pseudo_element = false;
    if (!compound_selector(ctx, pseudo_element)) return false;
    for (;;) {
      const bool spaced = skip_whitespace();
      const Token& t = peek();
      if (t.kind == Tok::kEnd || t.kind == Tok::kError || t.kind == Tok::kComma ||
          t.kind == Tok::kCloseParen)
        return !error_;
      std::string combinator = " ";
      if (is_combinator(t)) {
        combinator = std::string(1, t.delim);
        advance();
        skip_whitespace();
        if (at_end() || peek().kind == Tok::kComma || peek().kind == Tok::kCloseParen)
          return error_ ? false
                        : fail(peek().begin, "expected a selector after '" + combinator + "'");
        if (is_combinator(peek()))
          return fail(peek().begin, "two combinators in a row ('" + combinator + "' then '" +
                                        std::string(1, peek().delim) + "')");
      } else if (is_delim(t, '|') && is_delim(peek(1), '|')) {
        return fail(t.begin, "the column combinator '||' is not supported by browsers");
      } else if (!spaced) {
        return unexpected(t);
      }
      if (pseudo_element)
        return fail(t.begin,
                    "nothing can follow a pseudo-element such as '::before' except "
                    "pseudo-classes such as ':hover'");
      if (!compound_selector(ctx, pseudo_element)) return false;
    }
  }

  // Namespace prefixes: querySelectorAll cannot declare any, so only '*|' and '|' work.
  bool refuse_named_namespace(const Token& prefix) {
    return fail(prefix.begin, "the namespace prefix '" + std::string(text(prefix)) +
                                  "|' cannot be used: querySelectorAll() has no namespaces "
                                  "declared (use '*|' or no prefix)");
  }

  bool element_name_after_bar(std::size_t bar_offset) {
    const Token& t = peek();
    if (t.kind == Tok::kIdent || is_delim(t, '*')) {
      advance();
      return true;
    }
    return fail(at_end() ? s_.size() : bar_offset, "expected an element name or '*' after '|'");
  }

  bool type_selector() {
    const Token& t = peek();
    if (t.kind == Tok::kIdent) {
      if (is_delim(peek(1), '|') && !is_delim(peek(2), '|')) return refuse_named_namespace(t);
      advance();
      return true;
    }
    if (is_delim(t, '*')) {
      advance();
      if (is_delim(peek(), '|') && !is_delim(peek(1), '|')) {
        const std::size_t bar = peek().begin;
        advance();
        return element_name_after_bar(bar);
      }
      return true;
    }
    // '|name': elements in no namespace.
    const std::size_t bar = t.begin;
    advance();
    return element_name_after_bar(bar);
  }

  bool compound_selector(const Context& ctx, bool& pseudo_element) {
    pseudo_element = false;
    std::string last_pseudo_element;
    bool any = false;
    const Token& first = peek();
    if (first.kind == Tok::kIdent || is_delim(first, '*') ||
        (is_delim(first, '|') && !is_delim(peek(1), '|'))) {
      if (!type_selector()) return false;
      any = true;
    }
    for (;;) {
      const Token& t = peek();
      const bool starts_simple = t.kind == Tok::kHash || is_delim(t, '.') ||
                                 t.kind == Tok::kOpenSquare ||
                                 (t.kind == Tok::kIdent || is_delim(t, '*'));
      if (pseudo_element && starts_simple)
        return fail(t.begin,
                    "nothing but pseudo-classes such as ':hover' can follow a "
                    "pseudo-element within a compound selector");
      if (t.kind == Tok::kHash) {
        if (!t.id_hash)
          return fail(t.begin,
                      "an ID cannot start with a digit unless the digit is escaped: "
                      "write '" +
                          escape_leading_digit(text(t), 1) + "' for '" + std::string(text(t)) +
                          "'");
        advance();
      } else if (is_delim(t, '.')) {
        const std::size_t dot = t.begin;
        advance();
        if (peek().kind != Tok::kIdent)
          return fail(at_end() ? s_.size() : dot, "expected a class name after '.'");
        advance();
      } else if ((t.kind == Tok::kNumber || t.kind == Tok::kDimension ||
                  t.kind == Tok::kPercentage) &&
                 s_[t.begin] == '.') {
        return fail(t.begin,
                    "a class name cannot start with a digit unless the digit is "
                    "escaped: write '" +
                        escape_leading_digit(text(t), 1) + "' for '" + std::string(text(t)) + "'");
      } else if (t.kind == Tok::kOpenSquare) {
        if (!attribute_selector()) return false;
      } else if (t.kind == Tok::kColon) {
        if (!pseudo(ctx, pseudo_element, last_pseudo_element)) return false;
      } else if (t.kind == Tok::kIdent || is_delim(t, '*')) {
        return fail(t.begin, "an element name or '*' must come first in a compound selector");
      } else {
        break;
      }
      any = true;
    }
    if (any) return true;
    const Token& t = peek();
    if (error_) return false;
    switch (t.kind) {
      case Tok::kEnd:
        return fail(t.begin, "expected a selector");
      case Tok::kComma:
        return fail(t.begin, "expected a selector before ','");
      case Tok::kCloseParen:
        return fail(t.begin, "expected a selector before ')'");
      case Tok::kNumber:
      case Tok::kDimension:
      case Tok::kPercentage:
        return fail(t.begin, "'" + std::string(text(t)) +
                                 "' is not a valid element name: names cannot start with a "
                                 "digit");
      case Tok::kDelim:
        if (t.delim == '#') return fail(t.begin, "expected an ID name after '#'");
        return unexpected(t);
      case Tok::kFunction:
        return fail(t.begin, "'" + std::string(text(t)) +
                                 "' is not a selector (a pseudo-class needs ':' before it)");
      default:
        return unexpected(t);
    }
  }

  bool attribute_selector() {
    const std::size_t open = peek().begin;
    auto never_closed = [&] { return unclosed(open, "["); };
    advance();
    skip_whitespace();
    // The attribute name, with an optional namespace prefix.
    if (is_delim(peek(), '*') && is_delim(peek(1), '|') && !is_delim(peek(2), '=')) {
      advance();
      advance();
    } else if (is_delim(peek(), '|') && peek(1).kind == Tok::kIdent) {
      advance();
    }
    if (peek().kind != Tok::kIdent) {
      if (at_end()) return error_ ? false : never_closed();
      return fail(peek().begin, "expected an attribute name after '['");
    }
    const Token& name = peek();
    if (is_delim(peek(1), '|') && !is_delim(peek(2), '=')) return refuse_named_namespace(name);
    advance();
    skip_whitespace();
    if (peek().kind == Tok::kCloseSquare) {
      advance();
      return true;
    }
    // The operator: '=' or one of ~ | ^ $ * written right before '='.
    const Token& op = peek();
    std::string op_text;
    if (is_delim(op, '=')) {
      op_text = "=";
      advance();
    } else if (op.kind == Tok::kDelim &&
               std::string_view("~|^$*").find(op.delim) != std::string_view::npos &&
               is_delim(peek(1), '=')) {
      op_text = std::string(1, op.delim) + "=";
      advance();
      advance();
    } else if (at_end()) {
      return error_ ? false : never_closed();
    } else {
      return fail(op.begin,
                  "expected ']' or an operator such as '=', '^=' or '*=' after the "
                  "attribute name");
    }
    skip_whitespace();
    const Token& value = peek();
    if (value.kind == Tok::kIdent || value.kind == Tok::kString) {
      advance();
    } else if (at_end()) {
      return error_ ? false : never_closed();
    } else if (value.kind == Tok::kCloseSquare) {
      return fail(value.begin, "expected a value after '" + op_text + "'");
    } else {
      return fail(value.begin, "the attribute value '" + std::string(text(value)) +
                                   "' must be quoted, as in \"" + std::string(text(value)) + "\"");
    }
    skip_whitespace();
    if (peek().kind == Tok::kIdent) {
      const std::string flag = ascii_lowercase(peek().value);
      if (flag == "s")
        return fail(peek().begin,
                    "the attribute flag 's' is not supported by Chromium; drop it "
                    "(values compare case-sensitively unless HTML says otherwise)");
      if (flag != "i")
        return fail(peek().begin,
                    "unknown attribute flag '" + peek().value + "' (the only flag is 'i')");
      advance();
      skip_whitespace();
    }
    if (peek().kind == Tok::kCloseSquare) {
      advance();
      return true;
    }
    if (at_end()) return error_ ? false : never_closed();
    return fail(peek().begin, "expected ']' to close the attribute selector");
  }

  // At the ':' of a pseudo-class or pseudo-element.
  bool pseudo(const Context& ctx, bool& pseudo_element, std::string& last_pseudo_element) {
    const std::size_t colon = peek().begin;
    advance();
    if (peek().kind == Tok::kColon) {
      advance();
      return pseudo_element_name(ctx, colon, pseudo_element, last_pseudo_element);
    }
    const Token& t = peek();
    if ((t.kind == Tok::kIdent || t.kind == Tok::kFunction) &&
        ascii_lowercase(t.value).starts_with("-moz-"))
      return refuse_moz(colon);
    if (t.kind == Tok::kIdent) {
      const std::string name = ascii_lowercase(t.value);
      if (contains(kLegacyPseudoElements, name)) {
        return pseudo_element_name(ctx, colon, pseudo_element, last_pseudo_element);
      }
      if (pseudo_element && !allowed_after_pseudo_element(name, last_pseudo_element))
        return fail(colon, "':" + t.value + "' cannot follow '::" + last_pseudo_element + "'");
      // Scrollbar states (:horizontal, :decrement...) exist only after '::-webkit-' parts.
      const bool webkit_state = pseudo_element && webkit_pseudo_element(last_pseudo_element);
      if (!contains(kPseudoClasses, name) && !contains(kWebkitPseudoClasses, name) && !webkit_state)
        return fail(colon, "unknown pseudo-class ':" + t.value + "'");
      advance();
      return true;
    }
    if (t.kind == Tok::kFunction) {
      // ::part(x):state(y) is the one functional pseudo-class allowed after a pseudo-element.
      if (pseudo_element && !(last_pseudo_element == "part" && ascii_lowercase(t.value) == "state"))
        return fail(colon, "':" + std::string(text(t)) +
                               ")' cannot follow '::" + last_pseudo_element + "'");
      return functional_pseudo_class(ctx, colon);
    }
    if (at_end()) return error_ ? false : fail(s_.size(), "expected a pseudo-class name after ':'");
    return fail(t.begin, "expected a pseudo-class name right after ':'");
  }

  bool refuse_moz(std::size_t colon) {
    return fail(colon, "'-moz-' pseudo-classes and pseudo-elements work only in Firefox");
  }

  // Chromium refuses even ::before:hover; what it accepts is ::part(x) followed by a
  // pseudo-class that is not tree-structural, and its own scrollbar states after '::-webkit-'.
  static bool allowed_after_pseudo_element(std::string_view pseudo_class,
                                           std::string_view pseudo_element) {
    if (pseudo_element == "part") return !contains(kStructuralPseudoClasses, pseudo_class);
    if (pseudo_element.starts_with("-webkit-scrollbar"))
      return contains(kScrollbarStates, pseudo_class);
    if (webkit_pseudo_element(pseudo_element)) return contains(kWebkitPartStates, pseudo_class);
    return false;
  }

  // At the name after '::' (or after ':' for a legacy pseudo-element).
  bool pseudo_element_name(const Context& ctx, std::size_t colon, bool& pseudo_element,
                           std::string& last) {
    const Token& t = peek();
    if (t.kind != Tok::kIdent && t.kind != Tok::kFunction) {
      if (error_) return false;
      return fail(at_end() ? s_.size() : t.begin, "expected a pseudo-element name after '::'");
    }
    const std::string name = ascii_lowercase(t.value);
    if (name.starts_with("-moz-")) return refuse_moz(colon);
    const bool function = t.kind == Tok::kFunction;
    const bool known = function ? (name == "part" || name == "slotted" || name == "highlight" ||
                                   name == "cue" || name.starts_with("view-transition-"))
                                : (contains(kPseudoElements, name) || webkit_pseudo_element(name));
    if (!known)
      return fail(colon,
                  "unknown pseudo-element '::" + std::string(text(t)) + (function ? ")'" : "'"));
    if (!ctx.allow_pseudo_elements)
      return fail(colon, "pseudo-elements such as '::" + name +
                             "' are not allowed inside :not(), :is(), :where(), :has() or an "
                             "'of' list");
    if (pseudo_element) {
      // ::before::marker and ::part(x)::before are the nestings browsers support.
      const bool nests =
          ((last == "before" || last == "after") && name == "marker") ||
          ((last == "part" || last == "slotted") && name != "part" && name != "slotted");
      if (!nests) return fail(colon, "'::" + name + "' cannot follow '::" + last + "'");
    }
    advance();
    if (function) {
      const std::size_t open = t.begin;
      skip_whitespace();
      if (name == "slotted") {
        Context inner{
            .allow_pseudo_elements = false, .inside_has = ctx.inside_has, .depth = ctx.depth + 1};
        bool ignored = false;
        if (peek().kind == Tok::kCloseParen)
          return fail(open, "'::slotted()' needs a compound selector between the parentheses");
        if (!compound_selector(inner, ignored)) return false;
      } else if (name == "cue") {
        Context inner{
            .allow_pseudo_elements = false, .inside_has = ctx.inside_has, .depth = ctx.depth + 1};
        if (!selector_list(inner, /*relative=*/false)) return false;
      } else if (name == "part") {
        if (peek().kind != Tok::kIdent) return argument_error(open, "::part(", "a part name");
        while (peek().kind == Tok::kIdent) {
          advance();
          skip_whitespace();
        }
      } else if (peek().kind == Tok::kIdent || (name != "highlight" && is_delim(peek(), '*'))) {
        advance();
      } else {
        return argument_error(open, "::" + name + "(", "a name");
      }
      if (!close_paren(open, "::" + name + "(")) return false;
    }
    pseudo_element = true;
    last = name;
    return true;
  }

  bool argument_error(std::size_t open, const std::string& opener, const std::string& wanted) {
    if (error_) return false;
    if (at_end()) return unclosed(open, opener);
    return fail(peek().begin, "expected " + wanted + " in '" + opener + ")'");
  }

  bool close_paren(std::size_t open, const std::string& opener) {
    skip_whitespace();
    if (peek().kind == Tok::kCloseParen) {
      advance();
      return true;
    }
    if (error_) return false;
    if (at_end()) return unclosed(open, opener);
    return fail(peek().begin, "unexpected '" + std::string(text(peek()).substr(0, 20)) + "' in '" +
                                  opener + ")'");
  }

  bool functional_pseudo_class(const Context& ctx, std::size_t colon) {
    const Token& fn = peek();
    const std::string name = ascii_lowercase(fn.value);
    const std::string opener = ":" + fn.value + "(";
    advance();
    skip_whitespace();
    if (peek().kind == Tok::kCloseParen)
      return fail(colon, "'" + opener +
                             ")' is empty: it needs an argument between the "
                             "parentheses");
    if (at_end()) return error_ ? false : unclosed(colon, opener);
    Context inner{
        .allow_pseudo_elements = false, .inside_has = ctx.inside_has, .depth = ctx.depth + 1};
    if (name == "not" || name == "is" || name == "where" || name == "-webkit-any") {
      if (!selector_list(inner, /*relative=*/false)) return false;
    } else if (name == "has") {
      if (ctx.inside_has) return fail(colon, "':has()' cannot be nested inside ':has()'");
      inner.inside_has = true;
      if (!selector_list(inner, /*relative=*/true)) return false;
    } else if (name == "nth-child" || name == "nth-last-child" || name == "nth-of-type" ||
               name == "nth-last-of-type") {
      if (!an_plus_b(opener)) return false;
      skip_whitespace();
      if (peek().kind == Tok::kIdent && ascii_lowercase(peek().value) == "of") {
        if (name != "nth-child" && name != "nth-last-child")
          return fail(peek().begin,
                      "'of' is only allowed in ':nth-child()' and "
                      "':nth-last-child()'");
        const std::size_t of = peek().begin;
        advance();
        skip_whitespace();
        if (at_end() || peek().kind == Tok::kCloseParen)
          return error_ ? false : fail(of, "expected a selector after 'of'");
        if (!selector_list(inner, /*relative=*/false)) return false;
      }
    } else if (name == "lang") {
      // Chromium takes one unquoted tag: no list, no string (Selectors 4 allows both).
      if (peek().kind != Tok::kIdent)
        return argument_error(colon, opener, "one unquoted language tag such as 'en' or 'fr-CA'");
      advance();
    } else if (name == "dir" || name == "state") {
      if (peek().kind != Tok::kIdent) return argument_error(colon, opener, "a name");
      advance();
    } else if (name == "host" || name == "host-context") {
      bool ignored = false;
      if (!compound_selector(inner, ignored)) return false;
    } else {
      return fail(colon, "unknown pseudo-class '" + opener + ")'");
    }
    return close_paren(colon, opener);
  }

  // The An+B microsyntax (CSS Syntax 3, section 6), on tokens as the spec defines it, so that
  // "2n+1", "2n + 1", "2n- 1", "-n+3", "odd" and "+n" are accepted and "+ n", "2n+-1" are not.
  bool an_plus_b(const std::string& opener) {
    const Token& t = peek();
    const std::size_t start = t.begin;
    auto bad = [&] {
      if (error_) return false;
      return fail(start, "expected an An+B expression such as 'odd', 'even', '3' or '2n+1' in '" +
                             opener + ")'");
    };
    if (t.kind == Tok::kNumber) {
      if (!t.integer) return bad();
      advance();
      return true;
    }
    if (t.kind == Tok::kDimension) {
      if (!t.integer) return bad();
      return after_n(ascii_lowercase(t.value), bad);
    }
    if (t.kind == Tok::kIdent) {
      const std::string v = ascii_lowercase(t.value);
      if (v == "odd" || v == "even") {
        advance();
        return true;
      }
      return after_n(v.starts_with('-') ? v.substr(1) : v, bad);
    }
    if (is_delim(t, '+') && peek(1).kind == Tok::kIdent) {
      // '+n': the '+' must touch the 'n'; tokens touch when no whitespace token lies between.
      advance();
      const std::string v = ascii_lowercase(peek().value);
      if (v.starts_with('-')) return bad();
      return after_n(v, bad);
    }
    return bad();
  }

  // `unit` is what follows A: "n", "n-", or "n-<digits>"; the token holding it is current.
  template <class Bad>
  bool after_n(const std::string& unit, Bad& bad) {
    if (unit == "n") {
      advance();
      skip_whitespace();
      const Token& b = peek();
      if (b.kind == Tok::kNumber && b.has_sign) {
        if (!b.integer) return bad();
        advance();
      } else if (is_delim(b, '+') || is_delim(b, '-')) {
        advance();
        skip_whitespace();
        if (peek().kind != Tok::kNumber || !peek().integer || peek().has_sign) return bad();
        advance();
      }
      return true;
    }
    if (unit == "n-") {
      advance();
      skip_whitespace();
      if (peek().kind != Tok::kNumber || !peek().integer || peek().has_sign) return bad();
      advance();
      return true;
    }
    if (unit.size() > 2 && unit.starts_with("n-") &&
        std::all_of(unit.begin() + 2, unit.end(), is_digit)) {
      advance();
      return true;
    }
    return bad();
  }

  std::string_view s_;
  std::vector<Token> tokens_;
  std::size_t i_ = 0;
  std::optional<std::string> error_;
};

}  // namespace

std::optional<std::string> check_css_selector(std::string_view selector) {
  return Parser(selector, Tokenizer(selector).run()).run();
}

}  // namespace vario::host
