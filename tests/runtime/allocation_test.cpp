#define BOOST_TEST_MODULE allocation
#include <boost/test/unit_test.hpp>

#include <map>

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
