#include "regex/ecmascript_regex.hpp"

#include <pthread.h>

#include <regex>
#include <string>

namespace vario::host {
namespace {

// The std::regex options for JavaScript flags, or the reason they cannot be honoured.
struct Options {
  std::regex::flag_type flags = std::regex::ECMAScript;
  std::string problem;
};

Options options_for(std::string_view pattern, std::string_view flags) {
  Options out;
  bool seen_i = false, seen_m = false, seen_u = false;
  for (const char f : flags) {
    bool* seen = f == 'i' ? &seen_i : f == 'm' ? &seen_m : f == 'u' ? &seen_u : nullptr;
    if (!seen) {
      out.problem = "flag \"" + std::string(1, f) + "\" is not supported natively";
      return out;
    }
    if (*seen) {
      out.problem = "flag \"" + std::string(1, f) + "\" is given twice";
      return out;
    }
    *seen = true;
  }
  if (seen_u) {
    for (const char c : pattern) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        out.problem = "flag \"u\" is supported natively only for ASCII-only patterns";
        return out;
      }
    }
  }
  if (seen_i) out.flags |= std::regex::icase;
  if (seen_m) out.flags |= std::regex::multiline;
  return out;
}

// std::regex matches by recursive backtracking, one or more stack frames per subject character
// (up to ~800 bytes each for patterns like ((a)|b)*): a 10 KB subject can overflow an 8 MB
// stack. Short subjects run in place; longer ones on a thread whose stack is reserved large
// (untouched pages cost nothing); beyond kMaxSubject the host declines to answer.
constexpr std::size_t kInlineSubject = 2048;
constexpr std::size_t kMaxSubject = 64 * 1024;
constexpr std::size_t kLongSubjectStack = std::size_t{256} << 20;

struct SearchJob {
  const std::regex* regex;
  std::string_view subject;
  std::optional<bool> result;
};

void run_search(SearchJob& job) {
  try {
    job.result = std::regex_search(job.subject.begin(), job.subject.end(), *job.regex);
  } catch (const std::regex_error&) {
    job.result = std::nullopt;  // error_complexity / error_stack: no answer JavaScript would give
  }
}

extern "C" void* run_search_thread(void* job) {
  run_search(*static_cast<SearchJob*>(job));
  return nullptr;
}

std::optional<bool> search(const std::regex& regex, std::string_view subject) {
  SearchJob job{&regex, subject, std::nullopt};
  if (subject.size() <= kInlineSubject) {
    run_search(job);
    return job.result;
  }
  if (subject.size() > kMaxSubject) return std::nullopt;
  pthread_attr_t attributes;
  if (pthread_attr_init(&attributes) != 0) return std::nullopt;
  pthread_attr_setstacksize(&attributes, kLongSubjectStack);
  pthread_t thread;
  const bool started = pthread_create(&thread, &attributes, run_search_thread, &job) == 0;
  pthread_attr_destroy(&attributes);
  if (!started) return std::nullopt;
  pthread_join(thread, nullptr);
  return job.result;
}

}  // namespace

struct EcmascriptRegex::Compiled {
  std::optional<std::regex> regex;  // nullopt: rejected
  std::string problem;
};

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
  auto compiled = std::make_shared<Compiled>();
  const Options options = options_for(pattern, flags);
  if (!options.problem.empty()) {
    compiled->problem = options.problem;
  } else {
    try {
      compiled->regex.emplace(pattern.begin(), pattern.end(), options.flags);
    } catch (const std::regex_error& e) {
      compiled->problem = e.what();
    }
  }
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
  if (!compiled->regex) return std::nullopt;
  return search(*compiled->regex, subject);
}

std::optional<std::string> ecmascript_regex_problem(std::string_view pattern,
                                                    std::string_view flags) {
  const Options options = options_for(pattern, flags);
  if (!options.problem.empty()) return options.problem;
  try {
    std::regex compiled(pattern.begin(), pattern.end(), options.flags);
  } catch (const std::regex_error& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

}  // namespace vario::host
