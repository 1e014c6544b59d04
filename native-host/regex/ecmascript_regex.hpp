// The native RegexTester (the CLI, the tests, the simulator): PCRE2 with its JavaScript
// compatibility options, each pattern translated where the two syntaxes differ and compiled once
// (JIT). In the browser the tag answers with the real RegExp, which stays the reference:
// tests/wasm/regex_corpus.test.mjs compares the two on a corpus of patterns and subjects.
//
// As JavaScript: '$' is the end of the input (not before a final newline), '.' stops at \n and
// \r, an unset group's backreference matches empty, [] and [^] are classes, \xHH and \uHHHH
// (and \u{...} with "u") are characters, \v is a vertical tab, an unknown letter escape is the
// letter (\A is "A"), lookahead, fixed-length lookbehind, named groups and \k<name>; the flags
// i, m, s, u, y, and g and d (which make no difference to test()).
//
// Known differences from JavaScript's RegExp, refused (nullopt, and `vario check` says why):
//   - lookbehind whose alternatives are not of fixed length, octal escapes (\01), \c without a
//     letter, a digit escape in a class, the flag v, groups that are not JavaScript ((?i), (?>);
//     possessive quantifiers (a++), which JavaScript refuses too;
//   - a match needing more than 10 million backtracking steps, and a subject that is not valid
//     UTF-8 (a JSON string with a lone surrogate).
// Accepted with other answers: matching is on code points, so without "u" a character outside
// the Basic Multilingual Plane is one character (JavaScript sees two UTF-16 units); '.' matches
// U+2028 and U+2029; \s, \w, \d and \b are ASCII (JavaScript's \s also matches Unicode
// spaces such as U+00A0); case folding is Unicode's rather than toUpperCase's.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "vario/regex.hpp"

namespace vario::host {

class EcmascriptRegex final : public RegexTester {
 public:
  // Keeps up to `cache_capacity` compiled patterns (least recently used evicted first), since
  // conditions and page rules test the same few patterns against every visitor.
  explicit EcmascriptRegex(std::size_t cache_capacity = 256);
  ~EcmascriptRegex() override;
  // Not copyable: the cache and its lock belong to one instance.
  EcmascriptRegex(const EcmascriptRegex&) = delete;
  EcmascriptRegex& operator=(const EcmascriptRegex&) = delete;

  // RegExp(pattern, flags).test(subject). Flags may be any of "i", "m", "s", "u", "y", "g" and
  // "d", each at most once; another flag, or a pattern refused above, gives nullopt.
  // Thread-safe; the answer never depends on earlier calls.
  std::optional<bool> regex_test(std::string_view pattern, std::string_view flags,
                                 std::string_view subject) const override;

  struct Compiled;  // a compiled pattern, or why it was refused

 private:
  std::shared_ptr<const Compiled> compile(std::string_view pattern, std::string_view flags) const;

  std::size_t capacity_;
  mutable std::mutex mutex_;
  mutable std::list<std::string> recent_;  // cache keys, most recently used first
  struct Entry {
    std::shared_ptr<const Compiled> compiled;
    std::list<std::string>::iterator position;
  };
  mutable std::unordered_map<std::string, Entry> cache_;
};

// Why `pattern` with `flags` cannot be used natively, e.g. "flag \"v\" is not supported
// natively" or PCRE2's own message; nullopt when it compiles.
std::optional<std::string> ecmascript_regex_problem(std::string_view pattern,
                                                    std::string_view flags);

}  // namespace vario::host
