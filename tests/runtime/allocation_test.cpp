#define BOOST_TEST_MODULE allocation
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <map>
#include <vector>

#include "support/conformance.hpp"
#include "vario/bucketing.hpp"
#include "vario/hashing.hpp"

using namespace vario;

BOOST_AUTO_TEST_CASE(murmur3_matches_the_reference_vectors_of_the_algorithm) {
  // Published MurmurHash3_x86_32 results (SMHasher's verification set, also used by many ports).
  struct Case { std::string_view key; std::uint32_t seed; std::uint32_t hash; };
  const Case cases[] = {
      {"", 0, 0},
      {"", 1, 0x514E28B7u},
      {"", 0xffffffffu, 0x81F16F39u},
      {std::string_view("\0\0\0\0", 4), 0, 0x2362F9DEu},
      {"aaaa", 0x9747b28cu, 0x5A97808Au},
      {"aaa", 0x9747b28cu, 0x283E0130u},
      {"aa", 0x9747b28cu, 0x5D211726u},
      {"a", 0x9747b28cu, 0x7FA09EA6u},
      {"Hello, world!", 0x9747b28cu, 0x24884CBAu},
      {"The quick brown fox jumps over the lazy dog", 0x9747b28cu, 0x2FA826CDu},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT("key \"" << c.key << "\" seed " << c.seed) {
      BOOST_TEST(murmur3_x86_32(std::string_view(c.key.data(), c.key.size()), c.seed) == c.hash);
    }
  }
}

BOOST_AUTO_TEST_CASE(buckets_match_optimizely_bucketing_vectors) {
  const auto vectors = testing::conformance_file("optimizely/bucketing_vectors.json");
  if (!vectors) {
    BOOST_TEST_MESSAGE("skipped: ../shared/conformance/optimizely/bucketing_vectors.json is absent");
    return;
  }
  int checked = 0;
  for (const auto& v : vectors->at("vectors")) {
    const std::string visitor = v.at("bucketingId");
    const std::string parent = v.at("parentId");
    BOOST_TEST_CONTEXT(visitor << " + " << parent) {
      BOOST_TEST(murmur3_bucket(visitor, parent) == v.at("expectedBucketValue").get<std::uint32_t>());
      if (v.contains("murmur3_x86_32_seed1_unsigned"))
        BOOST_TEST(murmur3_x86_32(visitor + parent, 1) ==
                   v.at("murmur3_x86_32_seed1_unsigned").get<std::uint32_t>());
    }
    ++checked;
  }
  BOOST_TEST_MESSAGE("optimizely bucketing vectors checked: " << checked);
  BOOST_TEST(checked >= 5);
}

BOOST_AUTO_TEST_CASE(the_same_visitor_and_campaign_always_get_the_same_bucket) {
  BOOST_TEST(murmur3_bucket("visitor-1", "campaign-a") == murmur3_bucket("visitor-1", "campaign-a"));
}

BOOST_AUTO_TEST_CASE(buckets_are_spread_evenly_over_ten_thousand_values) {
  // 100,000 visitors into 10 deciles: each should hold about 10%; a biased hash or an
  // off-by-one in the scaling shows up as a decile far from 10,000.
  std::map<std::uint32_t, int> deciles;
  for (int i = 0; i < 100000; ++i) {
    const std::uint32_t b = murmur3_bucket("visitor-" + std::to_string(i), "campaign-a");
    BOOST_REQUIRE(b < kBucketCount);
    ++deciles[b / 1000];
  }
  BOOST_TEST(deciles.size() == 10u);
  for (const auto& [decile, count] : deciles) {
    BOOST_TEST_CONTEXT("decile " << decile) { BOOST_TEST(std::abs(count - 10000) < 500); }
  }
}

BOOST_AUTO_TEST_CASE(different_campaigns_bucket_the_same_visitor_independently) {
  int same = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = "v" + std::to_string(i);
    same += murmur3_bucket(id, "a") / 5000 == murmur3_bucket(id, "b") / 5000;
  }
  // Independent halves agree about half the time.
  BOOST_TEST(same > 430);
  BOOST_TEST(same < 570);
}

// The GrowthBook scheme. Expected values come from GrowthBook's own JavaScript (util.ts) run in
// Node, printed as shortest round-trip decimals, so == checks bit-identical doubles; the
// conformance data (allocation_conformance_test.cpp) covers only ASCII and round numbers.

BOOST_AUTO_TEST_CASE(fnv1a32_hashes_utf16_code_units_as_javascript_charcodeat_does) {
  struct Case { std::string_view utf8; std::uint32_t hash; };
  const Case cases[] = {
      {"", 2166136261u},               // the FNV offset basis
      {"a", 3826002220u},
      {"foobar", 3214735720u},         // the published FNV-1a 32 vector 0xbf9cf968
      {"\xC3\xA9", 1812687940u},       // é: one code unit 0xE9, not the bytes C3 A9
      {"\xF0\x9F\x98\x80", 3409036472u},  // 😀: the surrogate pair D83D DE00
      {"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 1409693518u},  // 日本語
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT("\"" << c.utf8 << "\"") { BOOST_TEST(fnv1a32(c.utf8) == c.hash); }
  }
}

BOOST_AUTO_TEST_CASE(fnv1a32_reads_invalid_utf8_as_textdecoder_does) {
  const std::uint32_t replacement = fnv1a32("\xEF\xBF\xBD");  // U+FFFD itself
  BOOST_TEST(replacement == 2007932456u);
  BOOST_TEST(fnv1a32("\xFF") == replacement);
  BOOST_TEST(fnv1a32("\xC3") == replacement);              // truncated at the end
  BOOST_TEST(fnv1a32("\xED\xA0\x80") == fnv1a32("\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"));
  // A broken sequence costs one U+FFFD and the next byte starts afresh.
  BOOST_TEST(fnv1a32("\xE2\x82" "a") == fnv1a32("\xEF\xBF\xBD" "a"));
}

BOOST_AUTO_TEST_CASE(growthbook_hash_matches_the_js_sdk_beyond_ascii) {
  BOOST_TEST(*growthbook_hash("exp-1", "k\xC3\xA4ufer-42", 1) == 0.628);
  BOOST_TEST(*growthbook_hash("exp-1", "k\xC3\xA4ufer-42", 2) == 0.1813);
  BOOST_TEST(*growthbook_hash("\xF0\x9F\x9A\x80", "id", 2) == 0.417);
  BOOST_TEST(*growthbook_hash("seed", "", 2) == 0.4286);
  BOOST_TEST(!growthbook_hash("seed", "id", 0).has_value());
  BOOST_TEST(!growthbook_hash("seed", "id", 3).has_value());
}

BOOST_AUTO_TEST_CASE(growthbook_hash_decodes_seed_and_value_separately) {
  // JavaScript held value and seed as two strings: a value ending in half a character does not
  // join with the seed's first bytes into one character.
  BOOST_TEST(*growthbook_hash("\xA9", "\xC3", 1) ==
             *growthbook_hash("\xEF\xBF\xBD", "\xEF\xBF\xBD", 1));
  BOOST_TEST(*growthbook_hash("\xA9", "\xC3", 1) != *growthbook_hash("", "\xC3\xA9", 1));
}

BOOST_AUTO_TEST_CASE(bucket_ranges_are_the_js_sdks_doubles_bit_for_bit) {
  using Ranges = std::vector<BucketRange>;
  BOOST_TEST((bucket_ranges(3, 0.7, {}) == Ranges{{0, 0.2333333333333333},
                                                  {0.3333333333333333, 0.5666666666666667},
                                                  {0.6666666666666666, 0.8999999999999999}}));
  BOOST_TEST((bucket_ranges(7, 1, {}) ==
              Ranges{{0, 0.14285714285714285},
                     {0.14285714285714285, 0.2857142857142857},
                     {0.2857142857142857, 0.42857142857142855},
                     {0.42857142857142855, 0.5714285714285714},
                     {0.5714285714285714, 0.7142857142857142},
                     {0.7142857142857142, 0.857142857142857},
                     {0.857142857142857, 0.9999999999999998}}));
  const std::vector<double> weights = {0.1, 0.2, 0.7};
  BOOST_TEST((bucket_ranges(3, 0.35, weights) == Ranges{{0, 0.034999999999999996},
                                                        {0.1, 0.16999999999999998},
                                                        {0.30000000000000004, 0.545}}));
}

BOOST_AUTO_TEST_CASE(bucket_ranges_of_no_variations_are_empty) {
  BOOST_TEST(bucket_ranges(0, 1, {}).empty());
  BOOST_TEST(bucket_ranges(-2, 1, {}).empty());
  BOOST_TEST(equal_weights(-1).empty());
}

BOOST_AUTO_TEST_CASE(a_hash_in_a_reduced_coverage_gap_gets_no_variation) {
  const std::vector<BucketRange> ranges = bucket_ranges(2, 0.5, {});
  BOOST_TEST(choose_variation(0.3, ranges) == -1);
  BOOST_TEST(choose_variation(0.5, ranges) == 1);
  BOOST_TEST(choose_variation(1.0, ranges) == -1);
}

BOOST_AUTO_TEST_CASE(namespaces_hash_the_id_with_the_namespace_prefixed_by_two_underscores) {
  // growthbook_hash("__ns-é", "user-1", 1) is 0.699 in the JS SDK.
  BOOST_TEST(in_namespace("user-1", "ns-\xC3\xA9", 0.699, 0.7));
  BOOST_TEST(!in_namespace("user-1", "ns-\xC3\xA9", 0.6, 0.699));
  BOOST_TEST(!in_namespace("user-1", "ns-\xC3\xA9", 0.7, 1));
}
