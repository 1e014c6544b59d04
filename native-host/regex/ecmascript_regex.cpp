#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex/ecmascript_regex.hpp"

#include <pcre2.h>

#include <string>

namespace vario::host {
namespace {

// What a JavaScript pattern and its flags become for PCRE2, or why they cannot.
struct Translation {
  std::string pattern;
  std::uint32_t options = 0;
  std::uint32_t extra = 0;
  bool sticky = false;  // y: a match must start where test() starts, at 0
  std::string problem;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Rewrites the escape at pattern[i] (the character after the backslash) into `out`, returning
// false with a problem for the ones JavaScript and PCRE2 read differently and no rewrite can
// fix. JavaScript without "u" reads an unknown letter escape as the letter (\A is "A", \e is
// "e"), where PCRE2 has meanings for many letters: those are written as the plain letter.
bool escape(std::string_view pattern, std::size_t& i, bool unicode, bool in_class, std::string& out,
            std::string& problem) {
  const char c = pattern[i];
  switch (c) {
    case 'd':
    case 'D':
    case 'w':
    case 'W':
    case 's':
    case 'S':
    case 't':
    case 'n':
    case 'r':
    case 'f':
    case 'x':
    case 'u':
      out += '\\';
      out += c;
      return true;
    case 'b':
    case 'B':  // in a class, \b is a backspace for both
      out += '\\';
      out += c;
      return true;
    case 'v':
      out += "\\x0B";
      return true;  // PCRE2's \v is every vertical space
    case 'c':
      if (i + 1 < pattern.size() && is_letter(pattern[i + 1])) {
        out += "\\c";
        out += pattern[++i];
        return true;
      }
      problem = "\\c without a letter is not supported natively";
      return false;
    case 'k':
      if (!in_class && i + 1 < pattern.size() && pattern[i + 1] == '<') {
        out += "\\k";
        return true;
      }
      out += 'k';
      return true;
    case 'p':
    case 'P':
      if (unicode) {
        out += '\\';
        out += c;
        return true;
      }
      out += c;
      return true;
    case '0':
      if (i + 1 < pattern.size() && is_digit(pattern[i + 1])) {
        problem = "octal escapes are not supported natively";
        return false;
      }
      out += "\\x00";
      return true;
    default:
      if (is_digit(c)) {
        if (in_class) {
          problem = "a digit escape in a class is not supported natively";
          return false;
        }
        out += '\\';
        while (i < pattern.size() && is_digit(pattern[i])) out += pattern[i++];
        --i;
        out += "(?:)";  // the reference ends here, whatever digit follows
        return true;
      }
      if (is_letter(c)) {
        out += c;  // an identity escape: the letter itself
        return true;
      }
      out += '\\';
      out += c;  // punctuation, or the first byte of a UTF-8 character
      return true;
  }
}

Translation translate(std::string_view pattern, std::string_view flags) {
  Translation t;
  // JavaScript's '.' stops at \n and \r (and U+2028/U+2029, which PCRE2 has no option for);
  // '$' is the end of the input; an unset group's backreference matches the empty string; [] and
  // [^] are classes.
  t.options = PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_DOLLAR_ENDONLY | PCRE2_MATCH_UNSET_BACKREF |
              PCRE2_ALLOW_EMPTY_CLASS;
  bool unicode = false;
  std::string seen;
  for (const char f : flags) {
    if (seen.find(f) != std::string::npos) {
      t.problem = "flag \"" + std::string(1, f) + "\" is given twice";
      return t;
    }
    seen += f;
    switch (f) {
      case 'i':
        t.options |= PCRE2_CASELESS;
        break;
      case 'm':
        t.options |= PCRE2_MULTILINE;
        break;
      case 's':
        t.options |= PCRE2_DOTALL;
        break;
      case 'u':
        unicode = true;
        break;
      case 'y':
        t.sticky = true;
        break;
      case 'g':
      case 'd':
        break;  // test() from lastIndex 0: no difference
      default:
        t.problem = "flag \"" + std::string(1, f) + "\" is not supported natively";
        return t;
    }
  }
  if (unicode) t.extra |= PCRE2_EXTRA_ALT_BSUX;  // \u{1F600}

  std::string& out = t.pattern;
  out.reserve(pattern.size() + 8);
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      if (++i == pattern.size()) {
        t.problem = "\\ at end of pattern";
        return t;
      }
      if (!escape(pattern, i, unicode, in_class, out, t.problem)) return t;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      if (c == '[') {
        out += "\\[";  // a literal for JavaScript; PCRE2 would read [:alpha:]
        continue;
      }
      out += c;
      continue;
    }
    switch (c) {
      case '[':
        in_class = true;
        out += c;
        // A ']' right after '[' or '[^' closes the class in JavaScript ([] and [^]).
        break;
      case '(':
        if (i + 1 < pattern.size() && pattern[i + 1] == '?') {
          const std::string_view rest = pattern.substr(i + 2);
          const bool known = rest.starts_with(':') || rest.starts_with('=') ||
                             rest.starts_with('!') || rest.starts_with("<=") ||
                             rest.starts_with("<!") ||
                             (rest.starts_with('<') && rest.size() > 1 &&
                              (is_letter(rest[1]) || rest[1] == '_' || rest[1] == '$'));
          if (!known) {
            t.problem = "this kind of group is not JavaScript";
            return t;
          }
        }
        out += c;
        break;
      case '*':
      case '+':
      case '?':
      case '}':
        out += c;
        // A quantifier followed by '+' is possessive in PCRE2 and an error in JavaScript.
        if (c != '}' && i + 1 < pattern.size() && pattern[i + 1] == '+') {
          t.problem = "nothing to repeat";
          return t;
        }
        break;
      default:
        out += c;
    }
  }
  return t;
}

// Backtracking is bounded, so a pathological pattern gives no answer instead of running for
// minutes (JavaScript would run it; no campaign should).
constexpr std::uint32_t kMatchLimit = 10'000'000;

}  // namespace

struct EcmascriptRegex::Compiled {
  pcre2_code* code = nullptr;  // nullptr: rejected
  bool sticky = false;
  std::string problem;
  ~Compiled() { pcre2_code_free(code); }
};

namespace {

std::shared_ptr<EcmascriptRegex::Compiled> compile_now(std::string_view pattern,
                                                       std::string_view flags) {
  auto compiled = std::make_shared<EcmascriptRegex::Compiled>();
  Translation t = translate(pattern, flags);
  if (!t.problem.empty()) {
    compiled->problem = std::move(t.problem);
    return compiled;
  }
  pcre2_compile_context* context = pcre2_compile_context_create(nullptr);
  pcre2_set_newline(context, PCRE2_NEWLINE_ANYCRLF);
  pcre2_set_compile_extra_options(context, t.extra);
  int error = 0;
  PCRE2_SIZE offset = 0;
  compiled->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(t.pattern.data()), t.pattern.size(),
                                 t.options, &error, &offset, context);
  pcre2_compile_context_free(context);
  if (!compiled->code) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof message);
    compiled->problem = reinterpret_cast<const char*>(message);
    return compiled;
  }
  pcre2_jit_compile(compiled->code, PCRE2_JIT_COMPLETE);  // the interpreter answers without it
  compiled->sticky = t.sticky;
  return compiled;
}

// One match data, match context and JIT stack per thread, reused: a test needs no allocation.
// The JIT's stack grows to 8 MiB; a match that needs more runs again in the interpreter, whose
// backtracking lives on the heap.
struct MatchScratch {
  pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
  pcre2_jit_stack* stack = pcre2_jit_stack_create(32 * 1024, 8 * 1024 * 1024, nullptr);
  pcre2_match_context* context = [this] {
    pcre2_match_context* c = pcre2_match_context_create(nullptr);
    pcre2_set_match_limit(c, kMatchLimit);
    pcre2_jit_stack_assign(c, nullptr, stack);
    return c;
  }();
  ~MatchScratch() {
    pcre2_match_data_free(data);
    pcre2_match_context_free(context);
    pcre2_jit_stack_free(stack);
  }
};

}  // namespace

EcmascriptRegex::EcmascriptRegex(std::size_t cache_capacity)
    : capacity_(cache_capacity == 0 ? 1 : cache_capacity) {}

EcmascriptRegex::~EcmascriptRegex() = default;

std::shared_ptr<const EcmascriptRegex::Compiled> EcmascriptRegex::compile(
    std::string_view pattern, std::string_view flags) const {
  // The flags' length first, so no flags/pattern split can collide with another.
  std::string key = std::to_string(flags.size());
  key += ':';
  key += flags;
  key += pattern;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = cache_.find(key);
    if (it != cache_.end()) {
      recent_.splice(recent_.begin(), recent_, it->second.position);
      return it->second.compiled;
    }
  }
  // Compile outside the lock: a slow pattern must not hold up other threads.
  std::shared_ptr<const Compiled> compiled = compile_now(pattern, flags);
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = cache_.find(key);
  if (it != cache_.end()) return it->second.compiled;  // another thread was faster
  if (cache_.size() >= capacity_) {
    cache_.erase(recent_.back());
    recent_.pop_back();
  }
  recent_.push_front(key);
  cache_.emplace(std::move(key), Entry{compiled, recent_.begin()});
  return compiled;
}

std::optional<bool> EcmascriptRegex::regex_test(std::string_view pattern, std::string_view flags,
                                                std::string_view subject) const {
  const std::shared_ptr<const Compiled> compiled = compile(pattern, flags);
  if (!compiled->code) return std::nullopt;
  thread_local MatchScratch scratch;
  const auto match = [&](std::uint32_t options) {
    return pcre2_match(compiled->code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(),
                       0, options | (compiled->sticky ? PCRE2_ANCHORED : 0), scratch.data,
                       scratch.context);
  };
  int r = match(0);
  if (r == PCRE2_ERROR_JIT_STACKLIMIT) r = match(PCRE2_NO_JIT);
  if (r >= 0) return true;
  if (r == PCRE2_ERROR_NOMATCH) return false;
  return std::nullopt;  // the match limit, or no memory: no answer JavaScript would give
}

std::optional<std::string> ecmascript_regex_problem(std::string_view pattern,
                                                    std::string_view flags) {
  const auto compiled = compile_now(pattern, flags);
  if (compiled->code) return std::nullopt;
  return compiled->problem;
}

}  // namespace vario::host
