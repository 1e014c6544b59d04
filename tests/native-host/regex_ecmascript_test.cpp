// The native regex host: JavaScript's RegExp.test answers (PCRE2 with the pattern translated where
// the syntaxes differ), and a refusal (nullopt) where it cannot give them.
// tests/wasm/regex_corpus.test.mjs compares it with the RegExp of Node on a larger corpus.
#define BOOST_TEST_MODULE regex ecmascript
#include <boost/test/unit_test.hpp>

#include <string>
#include <thread>
#include <vector>

#include "regex/ecmascript_regex.hpp"

using vario::host::ecmascript_regex_problem;
using vario::host::EcmascriptRegex;

namespace {

struct Case {
  const char* pattern;
  const char* flags;
  std::string subject;
  bool expected;  // what a browser's RegExp(pattern, flags).test(subject) answers
};

}  // namespace

BOOST_AUTO_TEST_CASE(answers_like_regexp_test) {
  const Case cases[] = {
      {"(Mobile|Tablet)", "", "Android Mobile Browser", true},
      {"(mobile|tablet)", "", "Android Mobile Browser", false},
      {"(mobile|tablet)", "i", "Android Mobile Browser", true},
      {"-12-25$", "", "1980-12-25", true},
      {"^ping", "", "table pingpong", false},
      {"^/products/\\d+$", "", "/products/42", true},
      {"^a$", "", "a\n", false},  // $ is the end of the input, not before a final newline
      {"^b$", "m", "a\nb\nc", true},
      {"^b$", "", "a\nb\nc", false},
      {"a.b", "", "a\nb", false},
      {"a.b", "", "a\rb", false},
      {"[^]", "", "x", true},
      {"a/b", "", "a/b", true},
      {"\\/", "", "/", true},
      {"(?=a)a", "", "a", true},
      {"(?!b)a", "", "a", true},
      {"\\bfoo\\b", "", "a foo b", true},
      {"(a)\\1", "", "aa", true},
      {"\\x41\\u0042", "", "AB", true},
      {"]", "", "]", true},
      {"a|", "", "zzz", true},
      {"utm_source=news", "u", "?utm_source=newsletter", true},
      {"(?<=\\$)\\d+", "", "price $42", true},
      {"(?<!\\$)\\b\\d+", "", "price $42", false},
      {"(?<year>\\d{4})-\\k<year>", "", "2024-2024", true},
      {"\\A", "", "A", true},  // an identity escape, not PCRE2's start of subject
      {"\\e", "", "e", true},
      {"a\\vb", "", "a\vb", true},
      {"a\\vb", "", "a\nb", false},
      {"a.b", "s", "a\nb", true},
      {"b", "y", "ab", false},
      {"a", "y", "ab", true},
      {"a", "g", "ba", true},
      {"^.$", "", "\xC3\xA9", true},  // é is one character
      {"caf\xC3\xA9", "i", "CAF\xC3\x89", true},
      {"[[:alpha:]]", "", "a", false},  // JavaScript: the class [[:alph] then "]"
      {"[[:alpha:]]", "", ":]", true},
      {"(a)|\\1b", "", "b", true},  // an unset group's backreference matches empty
      {"a{2", "", "a{2", true},
      {"\\u0041", "", "A", true},
      {"\\u{41}", "u", "A", true},
  };
  const EcmascriptRegex regex;
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT("/" << c.pattern << "/" << c.flags << " on \"" << c.subject << "\"") {
      const std::optional<bool> r = regex.regex_test(c.pattern, c.flags, c.subject);
      BOOST_REQUIRE(r.has_value());
      BOOST_TEST(*r == c.expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(patterns_that_cannot_be_answered_as_javascript_are_refused_with_a_reason) {
  const EcmascriptRegex regex;
  for (const char* pattern : {"/???***[)", "(", "[a-", "(?<=a+)b", "(?i)a", "(?>a)", "a++", "a*+",
                              "\\01", "\\c1", "[\\1]"}) {
    BOOST_TEST_CONTEXT(pattern) {
      BOOST_TEST(!regex.regex_test(pattern, "", "ab").has_value());
      const auto problem = ecmascript_regex_problem(pattern, "");
      BOOST_REQUIRE(problem.has_value());
      BOOST_TEST(!problem->empty());
    }
  }
  BOOST_TEST(!ecmascript_regex_problem("^/a/(b|c)$", "i").has_value());
}

BOOST_AUTO_TEST_CASE(javascript_flags_are_accepted_once_each_and_others_refused) {
  const EcmascriptRegex regex;
  BOOST_TEST(regex.regex_test("x", "imsuygd", "X").value());
  for (const char* flags : {"v", "ii", "x", "I"}) {
    BOOST_TEST_CONTEXT(flags) {
      BOOST_TEST(!regex.regex_test("x", flags, "x").has_value());
      BOOST_TEST(ecmascript_regex_problem("x", flags).has_value());
    }
  }
  BOOST_TEST(*ecmascript_regex_problem("x", "v") == "flag \"v\" is not supported natively");
  BOOST_TEST(regex.regex_test("\xC3\xA9", "u", "caf\xC3\xA9").value());  // é
}

BOOST_AUTO_TEST_CASE(the_cache_stays_bounded_and_answers_stay_right) {
  const EcmascriptRegex regex(2);
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 10; ++i) {
      const std::string pattern = "^p" + std::to_string(i) + "$";
      BOOST_TEST(regex.regex_test(pattern, "", "p" + std::to_string(i)).value());
      BOOST_TEST(!regex.regex_test(pattern, "", "p" + std::to_string(i + 1)).value());
    }
  }
  // The same pattern with other flags is another entry, and "(" stays rejected when cached.
  BOOST_TEST(!regex.regex_test("a", "", "A").value());
  BOOST_TEST(regex.regex_test("a", "i", "A").value());
  BOOST_TEST(!regex.regex_test("(", "", "(").has_value());
  BOOST_TEST(!regex.regex_test("(", "", "(").has_value());
}

BOOST_AUTO_TEST_CASE(long_subjects_are_answered_and_runaway_backtracking_is_not) {
  const EcmascriptRegex regex;
  const std::string subject(60000, 'a');
  BOOST_TEST(regex.regex_test("^((a)|b)*$", "", subject).value());
  BOOST_TEST(!regex.regex_test("^((a)|b)*c$", "", subject).value());
  BOOST_TEST(regex.regex_test("a$", "", std::string(1 << 20, 'a')).value());
  // Exponential backtracking: no answer rather than minutes of work.
  BOOST_TEST(!regex.regex_test("^(a|a)*$", "", std::string(40, 'a') + "b").has_value());
}

BOOST_AUTO_TEST_CASE(concurrent_use_gives_the_same_answers) {
  const EcmascriptRegex regex(4);
  std::vector<std::thread> threads;
  std::vector<int> wrong(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        const std::string n = std::to_string((i + t) % 12);
        if (!regex.regex_test("^x" + n + "$", "", "x" + n).value_or(false)) ++wrong[t];
        if (regex.regex_test("^x" + n + "$", "", "y" + n).value_or(true)) ++wrong[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 8; ++t) BOOST_TEST(wrong[t] == 0);
}
