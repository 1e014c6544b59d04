// GrowthBook's paddedVersionString (sdk-js src/util.ts) and Optimizely's compareVersion
// (javascript-sdk lib/utils/semantic_version), transcribed including their quirks: both SDKs'
// published test vectors pass unchanged (tests/runtime/conditions_conformance_test.cpp).
#include "vario/version.hpp"

#include <array>
#include <cstddef>

#include "js/number_text.hpp"
#include "js/text.hpp"

namespace vario {
namespace {

bool all_digits(std::string_view s) {  // /^[0-9]+$/ (JavaScript's \d is ASCII only)
  if (s.empty()) return false;
  for (const char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool is_line_terminator(std::string_view s, std::size_t i, std::size_t& length) {
  length = 1;
  if (s[i] == '\n' || s[i] == '\r') return true;
  // U+2028, U+2029 in UTF-8.
  if (s.substr(i, 2) == "\xE2\x80" && i + 2 < s.size() &&
      (s[i + 2] == '\xA8' || s[i + 2] == '\xA9')) {
    length = 3;
    return true;
  }
  return false;
}

// --- Optimizely ---------------------------------------------------------------------------------

bool is_pre_release(std::string_view v) {
  const std::size_t dash = v.find('-');
  if (dash == std::string_view::npos) return false;
  const std::size_t plus = v.find('+');
  return plus == std::string_view::npos || dash < plus;
}

bool is_build(std::string_view v) {
  const std::size_t plus = v.find('+');
  if (plus == std::string_view::npos) return false;
  const std::size_t dash = v.find('-');
  return dash == std::string_view::npos || plus < dash;
}

bool has_white_space(std::string_view v) {
  for (std::size_t i = 0; i < v.size();)
    if (js::is_js_space(js::next_code_point(v, i))) return true;
  return false;
}

// Up to three numeric parts and the suffix after the first '-' or '+'.
struct VersionParts {
  std::array<std::string_view, 4> part;
  std::size_t count = 0;
};

std::optional<VersionParts> split_version(std::string_view version) {
  if (has_white_space(version)) return std::nullopt;
  std::string_view prefix = version, suffix;
  const std::size_t at = is_pre_release(version) ? version.find('-')
                         : is_build(version)     ? version.find('+')
                                                 : std::string_view::npos;
  if (at != std::string_view::npos) {
    prefix = version.substr(0, at);
    suffix = version.substr(at + 1);
  }
  VersionParts out;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = prefix.find('.', start);
    if (out.count == 3) return std::nullopt;  // more than two dots
    const std::string_view piece = prefix.substr(start, dot - start);
    if (!all_digits(piece)) return std::nullopt;
    out.part[out.count++] = piece;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (!suffix.empty()) out.part[out.count++] = suffix;
  return out;
}

}  // namespace

std::string padded_version_string(std::string_view version) {
  if (version.empty()) version = "0";  // `!input` -> "0"
  // replace(/(^v|\+.*$)/g, ""): a leading "v", and everything from the first '+' that no line
  // terminator follows ('.' stops at one, and '$' is the end of the input).
  std::size_t start = version[0] == 'v' ? 1 : 0;
  std::size_t after_terminator = 0;
  for (std::size_t i = 0, len = 1; i < version.size(); i += len)
    if (is_line_terminator(version, i, len)) after_terminator = i + len;
  std::size_t end = version.find('+', start > after_terminator ? start : after_terminator);
  if (end == std::string_view::npos) end = version.size();
  const std::string_view core = version.substr(start, end - start);

  // split(/[-.]/), pad the all-digit parts to width 5, join with '-'; exactly three parts
  // get a fourth, "~", which sorts after any pre-release tag.
  std::size_t parts = 1;
  for (const char c : core) parts += c == '-' || c == '.';
  std::string out;
  out.reserve(core.size() + 4 * parts + 2);
  auto emit = [&](std::string_view part) {
    if (all_digits(part))
      for (std::size_t pad = part.size(); pad < 5; ++pad) out += ' ';
    out += part;
  };
  std::size_t from = 0;
  for (std::size_t i = 0; i <= core.size(); ++i) {
    if (i < core.size() && core[i] != '-' && core[i] != '.') continue;
    if (from > 0) out += '-';
    emit(core.substr(from, i - from));
    from = i + 1;
  }
  if (parts == 3) out += "-~";
  return out;
}

int compare_padded_versions(std::string_view a, std::string_view b) {
  return js::compare_utf16(padded_version_string(a), padded_version_string(b));
}

std::optional<int> optimizely_compare_version(std::string_view condition_version,
                                              std::string_view user_version) {
  const auto user = split_version(user_version);
  const auto condition = split_version(condition_version);
  if (!user || !condition) return std::nullopt;
  const bool condition_pre = is_pre_release(condition_version);
  const bool user_pre = is_pre_release(user_version);
  for (std::size_t i = 0; i < condition->count; ++i) {
    if (user->count <= i) return condition_pre || is_build(condition_version) ? 1 : -1;
    const std::string_view u = user->part[i], c = condition->part[i];
    if (!all_digits(u)) {
      const int order = js::compare_utf16(u, c);
      if (order < 0) return condition_pre && !user_pre ? 1 : -1;
      if (order > 0) return !condition_pre && user_pre ? -1 : 1;
    } else {
      // parseInt: a suffix in the condition ("5-rc") reads as its leading digits, or NaN,
      // which compares neither greater nor smaller.
      const double un = js::parse_int(u), cn = js::parse_int(c);
      if (un > cn) return 1;
      if (un < cn) return -1;
    }
  }
  if (user_pre && !condition_pre) return -1;
  return 0;
}

}  // namespace vario
