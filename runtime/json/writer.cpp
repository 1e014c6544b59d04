#include "vario/json.hpp"

namespace vario::json {

void Writer::separate() {
  if (need_comma_) out_ += ',';
  need_comma_ = true;
}

Writer& Writer::begin_object() {
  separate();
  out_ += '{';
  need_comma_ = false;
  return *this;
}

Writer& Writer::end_object() {
  out_ += '}';
  need_comma_ = true;
  return *this;
}

Writer& Writer::begin_array() {
  separate();
  out_ += '[';
  need_comma_ = false;
  return *this;
}

Writer& Writer::end_array() {
  out_ += ']';
  need_comma_ = true;
  return *this;
}

Writer& Writer::key(std::string_view k) {
  string(k);
  out_ += ':';
  need_comma_ = false;
  return *this;
}

Writer& Writer::string(std::string_view s) {
  separate();
  static constexpr char kHex[] = "0123456789abcdef";
  out_ += '"';
  // Runs of characters that need no escape are appended whole: decisions and events are mostly
  // such runs, and appending them a character at a time was a tenth of a page start.
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x20 && u != '"' && u != '\\') continue;
    out_.append(s.data() + run, i - run);
    run = i + 1;
    switch (u) {
      case '"':
        out_ += "\\\"";
        break;
      case '\\':
        out_ += "\\\\";
        break;
      case '\n':
        out_ += "\\n";
        break;
      case '\r':
        out_ += "\\r";
        break;
      case '\t':
        out_ += "\\t";
        break;
      default: {
        const char escape[] = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 15]};
        out_.append(escape, sizeof escape);
      }
    }
  }
  out_.append(s.data() + run, s.size() - run);
  out_ += '"';
  return *this;
}

std::string to_decimal(std::uint64_t n) {
  char buf[20];
  int len = 0;
  do {
    buf[len++] = char('0' + n % 10);
    n /= 10;
  } while (n);
  std::string out(static_cast<std::size_t>(len), '0');
  for (char& c : out) c = buf[--len];
  return out;
}

Writer& Writer::integer(std::int64_t n) {
  separate();
  if (n < 0) out_ += '-';
  out_ += to_decimal(n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n));
  return *this;
}

Writer& Writer::boolean(bool b) {
  separate();
  out_ += b ? "true" : "false";
  return *this;
}

}  // namespace vario::json
