// The native regex host: JavaScript's RegExp.test answers where std::regex can give them, and a
// refusal (nullopt) where it cannot.
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

BOOST_AUTO_TEST_CASE(patterns_std_regex_cannot_compile_are_refused_with_a_reason) {
  const EcmascriptRegex regex;
  for (const char* pattern : {"/???***[)", "(", "[a-", "(?<=a)b", "(?<!a)b", "(?<name>a)", "a{2"}) {
    BOOST_TEST_CONTEXT(pattern) {
      BOOST_TEST(!regex.regex_test(pattern, "", "ab").has_value());
      const auto problem = ecmascript_regex_problem(pattern, "");
      BOOST_REQUIRE(problem.has_value());
      BOOST_TEST(!problem->empty());
    }
  }
  BOOST_TEST(!ecmascript_regex_problem("^/a/(b|c)$", "i").has_value());
}

BOOST_AUTO_TEST_CASE(only_the_flags_i_m_and_ascii_u_are_accepted) {
  const EcmascriptRegex regex;
  BOOST_TEST(regex.regex_test("x", "im", "X").value());
  for (const char* flags : {"g", "s", "y", "d", "v", "ii", "x", "I"}) {
    BOOST_TEST_CONTEXT(flags) {
      BOOST_TEST(!regex.regex_test("x", flags, "x").has_value());
      BOOST_TEST(ecmascript_regex_problem("x", flags).has_value());
    }
  }
  BOOST_TEST(regex.regex_test("x", "u", "x").value());
  BOOST_TEST(!regex.regex_test("\xC3\xA9", "u", "\xC3\xA9").has_value());  // é
  BOOST_TEST(*ecmascript_regex_problem("\xC3\xA9", "u") ==
             "flag \"u\" is supported natively only for ASCII-only patterns");
  BOOST_TEST(regex.regex_test("\xC3\xA9", "", "caf\xC3\xA9").value());  // bytes, without u
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

BOOST_AUTO_TEST_CASE(long_subjects_do_not_exhaust_the_stack) {
  // ((a)|b)* recurses ~800 bytes per character: 60,000 characters would need ~48 MB of stack.
  const EcmascriptRegex regex;
  const std::string subject(60000, 'a');
  BOOST_TEST(regex.regex_test("^((a)|b)*$", "", subject).value());
  BOOST_TEST(!regex.regex_test("^((a)|b)*c$", "", subject).value());
  BOOST_TEST(!regex.regex_test("a", "", std::string(64 * 1024 + 1, 'a')).has_value());
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
