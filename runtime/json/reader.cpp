#include <string>

#include "js/number_text.hpp"
#include "vario/json.hpp"

namespace vario::json {

Value Value::boolean(bool b) {
  Value v = of(Type::kBool);
  v.bool_ = b;
  return v;
}

Value Value::number(double n) {
  Value v = of(Type::kNumber);
  v.number_ = n;
  return v;
}

Value Value::string(std::string s) {
  Value v = of(Type::kString);
  v.string_ = std::move(s);
  return v;
}

void Value::set(std::string_view key, Value value) {
  for (auto& [k, existing] : members_)
    if (k == key) {
      existing = std::move(value);
      return;
    }
  members_.emplace_back(std::string(key), std::move(value));
}

const Value* Value::find(std::string_view key) const {
  const Value* found = nullptr;
  for (const auto& [k, v] : members_)
    if (k == key) found = &v;  // last one wins, as in JSON.parse
  return found;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<Value> document() {
    Value root;
    if (!value(root, 0)) return error_;
    skip_space();
    if (pos_ != text_.size()) return fail("unexpected text after the JSON value");
    return root;
  }

 private:
  static constexpr int kMaxDepth = 64;

  Error fail(std::string_view what) {
    error_ = make_error(ErrorCode::kInvalidArgument,
                        "JSON at byte " + to_decimal(pos_) + ": " + std::string(what));
    return error_;
  }
  bool failed(std::string_view what) {
    fail(what);
    return false;
  }

  void skip_space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\r' || text_[pos_] == '\t'))
      ++pos_;
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return failed("invalid literal");
    pos_ += word.size();
    return true;
  }

  bool value(Value& out, int depth) {
    if (depth > kMaxDepth) return failed("nested deeper than 64 levels");
    skip_space();
    if (pos_ >= text_.size()) return failed("expected a value, found the end of the input");
    switch (text_[pos_]) {
      case '{': return object(out, depth);
      case '[': return array(out, depth);
      case '"': out.type_ = Value::Type::kString; return string(out.string_);
      case 't': out.type_ = Value::Type::kBool; out.bool_ = true; return literal("true");
      case 'f': out.type_ = Value::Type::kBool; out.bool_ = false; return literal("false");
      case 'n': out.type_ = Value::Type::kNull; return literal("null");
      default: return number(out);
    }
  }

  bool object(Value& out, int depth) {
    out.type_ = Value::Type::kObject;
    ++pos_;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '}') return ++pos_, true;
    while (true) {
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != '"') return failed("expected a string key");
      std::string key;
      if (!string(key)) return false;
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != ':') return failed("expected ':'");
      ++pos_;
      Value member;
      if (!value(member, depth + 1)) return false;
      out.members_.emplace_back(std::move(key), std::move(member));
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') { ++pos_; continue; }
      if (pos_ < text_.size() && text_[pos_] == '}') return ++pos_, true;
      return failed("expected ',' or '}'");
    }
  }

  bool array(Value& out, int depth) {
    out.type_ = Value::Type::kArray;
    ++pos_;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ']') return ++pos_, true;
    while (true) {
      Value item;
      if (!value(item, depth + 1)) return false;
      out.items_.push_back(std::move(item));
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') { ++pos_; continue; }
      if (pos_ < text_.size() && text_[pos_] == ']') return ++pos_, true;
      return failed("expected ',' or ']'");
    }
  }

  static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool hex4(unsigned& out) {
    if (pos_ + 4 > text_.size()) return failed("truncated \\u escape");
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const int d = hex_digit(text_[pos_ + i]);
      if (d < 0) return failed("invalid \\u escape");
      out = out * 16 + unsigned(d);
    }
    pos_ += 4;
    return true;
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xC0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += char(0xE0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    } else {
      out += char(0xF0 | (cp >> 18));
      out += char(0x80 | ((cp >> 12) & 0x3F));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    }
  }

  bool string(std::string& out) {
    ++pos_;  // opening quote
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return failed("control character in string");
      if (c != '\\') { out += c; continue; }
      if (pos_ >= text_.size()) break;
      const char e = text_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned cp;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF && text_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            unsigned low;
            if (!hex4(low)) return false;
            if (low >= 0xDC00 && low <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              append_utf8(out, 0xFFFD);  // lone high surrogate, as JavaScript would keep it
              cp = low;
            }
          }
          if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
          append_utf8(out, cp);
          break;
        }
        default: return failed("invalid escape in string");
      }
    }
    return failed("unterminated string");
  }

  bool number(Value& out) {
    const std::size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    auto digits = [&] {
      const std::size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ > from;
    };
    if (!digits()) return failed("expected a value");
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!digits()) return failed("expected digits after '.'");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return failed("expected digits in exponent");
    }
    out.type_ = Value::Type::kNumber;
    // A JSON number is a JavaScript decimal literal: read it as JavaScript does, correctly
    // rounded (the same conversion the condition evaluator uses for strings).
    out.number_ = js::string_to_number(text_.substr(start, pos_ - start));
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  Error error_;
};

Result<Value> parse(std::string_view text) { return Parser(text).document(); }

}  // namespace vario::json
