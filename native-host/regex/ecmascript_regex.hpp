// The native RegexTester (the CLI, the tests, the simulator): std::regex in its ECMAScript
// grammar, which is ECMAScript 3's RegExp. In the browser the tag answers with the real RegExp,
// so a pattern that needs anything below behaves differently natively; `vario check` uses
// ecmascript_regex_problem to refuse what std::regex cannot compile.
//
// Known differences from JavaScript's RegExp:
//   - Refused here, accepted by browsers: lookbehind (?<= (?<!, named groups (?<name>) and
//     \k<name>, the flags s, y, g, d, v (and u, unless the pattern is ASCII-only), Annex B
//     leniencies such as a lone '{' or "a{2" as literals, \p{...} property escapes.
//   - Accepted with other answers: matching is on UTF-8 bytes, not UTF-16 code units, so '.' and
//     [^x] consume one byte of a non-ASCII character, and a character class listing non-ASCII
//     characters lists their bytes; "i" folds ASCII letters only; \s, \w and \b are ASCII;
//     '.' matches U+2028/U+2029 (JavaScript stops at them). With "u" (ASCII-only patterns), the
//     stricter u-mode syntax is not enforced.
//   - \cX control escapes do not match.
//   - std::regex backtracks recursively, a stack frame or more per subject character: subjects
//     over 2 KiB are matched on a helper thread with a 256 MiB stack reservation, and subjects
//     over 64 KiB are declined (nullopt), where a browser would answer.
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

  // RegExp(pattern, flags).test(subject). Flags may be any of "i" (ignore case), "m"
  // (multiline ^ $), and "u" for ASCII-only patterns, each at most once; any other flag, a
  // pattern std::regex cannot compile, or a subject over 64 KiB gives nullopt. Thread-safe; the
  // answer never depends on earlier calls.
  std::optional<bool> regex_test(std::string_view pattern, std::string_view flags,
                                 std::string_view subject) const override;

 private:
  struct Compiled;
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

// Why `pattern` with `flags` cannot be used natively, e.g. "flag \"g\" is not supported" or
// std::regex's own message; nullopt when it compiles.
std::optional<std::string> ecmascript_regex_problem(std::string_view pattern,
                                                    std::string_view flags);

}  // namespace vario::host
