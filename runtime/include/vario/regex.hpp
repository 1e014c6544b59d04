// Regular expressions are the host's business: the browser has a complete, fast ECMAScript
// RegExp, and carrying a second engine in the wasm would cost more than the rest of the
// engine. Page rules and `$regex` conditions ask a RegexTester, so both builds give
// JavaScript's answers (natively, native-host/regex/ecmascript_regex.hpp comes as close as
// std::regex allows).
#pragma once

#include <optional>
#include <string_view>

namespace vario {

class RegexTester {
 public:
  virtual ~RegexTester() = default;
  // Whether `pattern` with `flags` (JavaScript RegExp flags, e.g. "" or "i") finds a match
  // anywhere in `subject`, as RegExp.prototype.test does. nullopt when the host rejects the
  // pattern or the flags (new RegExp would throw). Must not depend on earlier calls.
  virtual std::optional<bool> regex_test(std::string_view pattern, std::string_view flags,
                                         std::string_view subject) const = 0;
};

}  // namespace vario
