#include "config/validate_formats.hpp"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "config/validate_report.hpp"

namespace vario::host::validation {
namespace {

constexpr std::string_view kTimestampExample = "'2026-12-01T00:00:00Z'";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The number written by `count` digits at `at`, or -1.
int digits(std::string_view s, std::size_t at, std::size_t count) {
  if (at + count > s.size()) return -1;
  int n = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (!is_digit(s[i])) return -1;
    n = n * 10 + (s[i] - '0');
  }
  return n;
}

bool is_leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : kDays[m - 1];
}

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard Hinnant's
// days_from_civil).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

const char* month_name(int m) {
  constexpr const char* kNames[] = {"January",   "February", "March",    "April",
                                    "May",       "June",     "July",     "August",
                                    "September", "October",  "November", "December"};
  return kNames[m - 1];
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view s, std::string& problem) {
  const auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::size_t end = s.size();
  while (end > 0 && s.size() - end < 2 && s[end - 1] == '=') --end;
  for (std::size_t i = 0; i < end; ++i) {
    if (value(s[i]) >= 0) continue;
    if (s[i] == '-' || s[i] == '_') {
      problem = "is base64url, not base64: write '+' for '-' and '/' for '_'";
    } else if (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t') {
      problem = "must be one line of base64 without spaces or line breaks";
    } else {
      problem = "is not base64: " + character_at(s, i) +
                " is not in the standard alphabet (A-Z, a-z, 0-9, '+' and '/', then '=' as "
                "padding)";
    }
    return std::nullopt;
  }
  if (s.size() % 4 != 0) {
    problem = "is not base64: its length, " + std::to_string(s.size()) +
              ", is not a multiple of 4 (is it cut short, or missing its '=' padding?)";
    return std::nullopt;
  }
  std::vector<std::uint8_t> out;
  std::uint32_t bits = 0;
  int held = 0;
  for (std::size_t i = 0; i < end; ++i) {
    bits = (bits << 6) | static_cast<std::uint32_t>(value(s[i]));
    held += 6;
    if (held >= 8) {
      held -= 8;
      out.push_back(static_cast<std::uint8_t>(bits >> held));
      bits &= (1u << held) - 1;
    }
  }
  // Canonical base64 leaves the unused low bits of the last character zero; anything else is
  // a mistyped character that a decoder would silently drop.
  if (bits != 0) {
    problem =
        "is not base64: its last character before the padding sets bits that no byte "
        "uses (a character changed?)";
    return std::nullopt;
  }
  return out;
}

}  // namespace

std::variant<double, std::string> parse_timestamp(std::string_view s) {
  const std::string shape = std::string("must be an RFC 3339 timestamp such as ") +
                            std::string(kTimestampExample) +
                            ": a date, 'T', a time, then 'Z' for UTC or an offset such as '+01:00'";
  const int year = digits(s, 0, 4);
  const int month = digits(s, 5, 2);
  const int day = digits(s, 8, 2);
  if (year < 0 || month < 0 || day < 0 || s[4] != '-' || s[7] != '-') return shape;
  if (s.size() == 10)
    return "is a date without a time: write " + in_quotes(std::string(s) + "T00:00:00Z") +
           " for midnight UTC, or give the time and offset you mean";
  if (s.size() < 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':') return shape;
  const int hour = digits(s, 11, 2);
  const int minute = digits(s, 14, 2);
  const int second = digits(s, 17, 2);
  if (hour < 0 || minute < 0 || second < 0) return shape;
  std::size_t i = 19;
  double fraction = 0;
  if (i < s.size() && s[i] == '.') {
    double scale = 0.1;
    const std::size_t first = ++i;
    for (; i < s.size() && is_digit(s[i]); ++i, scale /= 10) fraction += (s[i] - '0') * scale;
    if (i == first) return shape;
  }
  int offset_minutes = 0;
  if (i == s.size())
    return "has no time zone: add 'Z' for UTC or an offset such as '+01:00', as in " +
           in_quotes(std::string(s) + "Z");
  if (s[i] == 'Z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    const int oh = digits(s, i + 1, 2);
    const int om = digits(s, i + 4, 2);
    if (oh < 0 || om < 0 || s[i + 3] != ':') return shape;
    if (oh > 23 || om > 59) return "has an offset that does not exist: " + in_quotes(s.substr(i));
    offset_minutes = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
    i += 6;
  }
  if (i != s.size()) return shape;
  if (month < 1 || month > 12)
    return "is not a real date: there is no month " + std::to_string(month);
  if (day < 1 || day > days_in_month(year, month))
    return "is not a real date: " + std::string(month_name(month)) + " " + std::to_string(year) +
           " has " + std::to_string(days_in_month(year, month)) + " days";
  if (hour > 23 || minute > 59 || second > 59)
    return "is not a real time: hours go from 00 to 23, minutes and seconds from 00 to 59";
  const std::int64_t days = days_from_civil(year, month, day);
  const std::int64_t seconds =
      days * 86400 + hour * 3600 + minute * 60 + second - std::int64_t{offset_minutes} * 60;
  return static_cast<double>(seconds) + fraction;
}

std::string preview_key_problem(std::string_view text) {
  if (text.starts_with("-----BEGIN"))
    return "must be only the base64 between the '-----BEGIN PUBLIC KEY-----' and "
           "'-----END PUBLIC KEY-----' lines, on one line";
  std::string problem;
  const auto der = base64_decode(text, problem);
  if (!der) return problem;
  // Every P-256 SubjectPublicKeyInfo with an uncompressed point starts with these 27 bytes:
  // SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING { 0x04 (uncompressed) ...
  constexpr std::array<std::uint8_t, 27> kHeader = {
      0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06,
      0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04};
  const std::string wrong_kind =
      "is not an ECDSA P-256 public key: it must be the 91-byte DER SubjectPublicKeyInfo, in "
      "base64, that 'vario keygen' prints (124 characters starting with "
      "'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE')";
  if (der->size() != 91 || !std::equal(kHeader.begin(), kHeader.end(), der->begin()))
    return wrong_kind + ", got " + std::to_string(der->size()) + " bytes";
  // The header is right; OpenSSL checks that the point lies on the curve, which a mistyped
  // character breaks and WebCrypto would refuse.
  const unsigned char* p = der->data();
  EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(der->size()));
  if (key == nullptr)
    return "is not an ECDSA P-256 public key: its point is not on the curve (a character "
           "changed or lost?)";
  EVP_PKEY_free(key);
  return "";
}

}  // namespace vario::host::validation
