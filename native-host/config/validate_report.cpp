#include "config/validate_report.hpp"

#include <cmath>
#include <cstdio>

namespace vario::host::validation {
namespace {

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The whole UTF-8 character starting at byte `i`, so a message never shows half of one.
std::string_view char_at(std::string_view s, std::size_t i) {
  std::size_t end = i + 1;
  while (end < s.size() && is_continuation_byte(s[end])) ++end;
  return s.substr(i, end - i);
}

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::kString:
      return "a string";
    case Kind::kBoolean:
      return "true or false";
    case Kind::kNumber:
      return "a number";
    case Kind::kInteger:
      return "an integer";
    case Kind::kObject:
      return "an object";
    case Kind::kArray:
      return "an array";
  }
  return "";
}

}  // namespace

std::string child(const std::string& pointer, std::string_view key) {
  std::string out = pointer + "/";
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string child(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

std::size_t char_count(std::string_view utf8) {
  return static_cast<std::size_t>(
      std::count_if(utf8.begin(), utf8.end(), [](char c) { return !is_continuation_byte(c); }));
}

std::size_t character_number(std::string_view s, std::size_t i) {
  return char_count(s.substr(0, i)) + 1;
}

std::string character_at(std::string_view s, std::size_t i) {
  return in_quotes(char_at(s, i)) + " (character " + std::to_string(character_number(s, i)) + ")";
}

std::string in_quotes(std::string_view s) {
  constexpr std::size_t kShown = 60;
  if (char_count(s) <= kShown) return "'" + std::string(s) + "'";
  std::size_t bytes = 0;
  for (std::size_t chars = 0; bytes < s.size(); ++bytes)
    if (!is_continuation_byte(s[bytes]) && chars++ == kShown) break;
  return "'" + std::string(s.substr(0, bytes)) + "...'";
}

std::string in_quotes_list(std::span<const std::string_view> names, std::string_view last) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += (i + 1 == names.size()) ? " " + std::string(last) + " " : ", ";
    out += in_quotes(names[i]);
  }
  return out;
}

bool is_ascii_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

std::string ascii_lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string number_text(double d) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", d);
  return buffer;
}

bool is_integral(const json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  const double d = v.get<double>();
  return std::isfinite(d) && d == std::floor(d);
}

std::optional<std::string> identifier_problem(std::string_view s) {
  if (s.empty()) return "must not be empty";
  if (const std::size_t n = char_count(s); n > kMaxIdChars)
    return "is " + std::to_string(n) + " characters long; at most " + std::to_string(kMaxIdChars) +
           " are allowed";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok)
      return "may contain only letters a-z and A-Z, digits, '_' and '-'; " + character_at(s, i) +
             " is not allowed";
  }
  return std::nullopt;
}

std::optional<std::string> attribute_name_problem(std::string_view s) {
  if (s.empty()) return "must not be empty";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (i == 0 && digit) return "must not start with a digit, as in '_" + std::string(s) + "'";
    if (!letter && !digit)
      return "may contain only letters a-z and A-Z, digits and '_'; " + character_at(s, i) +
             " is not allowed";
  }
  return std::nullopt;
}

void Report::error(std::string pointer, std::string message) {
  if (diagnostics_.size() == kMaxDiagnostics) {
    ++left_out_;
    return;
  }
  diagnostics_.push_back({std::move(pointer), std::move(message)});
}

bool Report::expect(const json& v, const std::string& p, Kind kind) {
  bool ok = false;
  switch (kind) {
    case Kind::kString:
      ok = v.is_string();
      break;
    case Kind::kBoolean:
      ok = v.is_boolean();
      break;
    case Kind::kNumber:
      ok = v.is_number();
      break;
    case Kind::kInteger:
      ok = is_integral(v);
      break;
    case Kind::kObject:
      ok = v.is_object();
      break;
    case Kind::kArray:
      ok = v.is_array();
      break;
  }
  if (!ok) {
    // "got 1.5" says more than "got number" when the type is right but not whole.
    const std::string got = (kind == Kind::kInteger && v.is_number()) ? v.dump() : v.type_name();
    error(p, std::string("must be ") + kind_name(kind) + ", got " + got);
  }
  return ok;
}

bool Report::range(const json& v, const std::string& p, double low, double high) {
  const double d = v.get<double>();
  if (d >= low && d <= high) return true;
  error(p,
        "must be between " + number_text(low) + " and " + number_text(high) + ", got " + v.dump());
  return false;
}

bool Report::max_chars(const std::string& s, const std::string& p, std::size_t limit) {
  const std::size_t n = char_count(s);
  if (n <= limit) return true;
  error(p, "is " + std::to_string(n) + " characters long; at most " + std::to_string(limit) +
               " are allowed");
  return false;
}

bool Report::one_of(const json& v, const std::string& p,
                    std::initializer_list<std::string_view> allowed) {
  if (!expect(v, p, Kind::kString)) return false;
  const auto& s = v.get_ref<const std::string&>();
  if (std::find(allowed.begin(), allowed.end(), s) != allowed.end()) return true;
  const std::span<const std::string_view> list(allowed.begin(), allowed.size());
  error(p, "must be " + in_quotes_list(list) + ", got " + in_quotes(s) + suggestion(s, list));
  return false;
}

bool Report::identifier(const json& v, const std::string& p) {
  if (!expect(v, p, Kind::kString)) return false;
  if (const auto problem = identifier_problem(v.get_ref<const std::string&>())) {
    error(p, *problem);
    return false;
  }
  return true;
}

bool Report::has_or_misspells(const json& obj, std::string_view name,
                              std::span<const std::string_view> known_names) {
  if (obj.contains(name)) return true;
  for (const auto& [key, value] : obj.items())
    if (std::find(known_names.begin(), known_names.end(), key) == known_names.end())
      if (const auto best = closest(key, known_names); best && *best == name) return true;
  return false;
}

}  // namespace vario::host::validation
