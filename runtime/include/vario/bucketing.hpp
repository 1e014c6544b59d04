// Deterministic allocation of a visitor to a variation. Two families of schemes, each exactly as
// the tool it comes from computes it, so visitors migrated with their ids keep their variation:
//   - Optimizely: MurmurHash3 into one of 10,000 buckets (murmur3_bucket);
//   - GrowthBook: FNV-1a into [0, 1) (growthbook_hash), laid out over variations by
//     bucket_ranges and chosen by choose_variation; mutually exclusive groups by in_namespace.
// The GrowthBook functions compute their doubles in the same order as GrowthBook's JavaScript
// (packages/sdk-js/src/util.ts), so the results are bit-identical to the JS SDK, not merely close.
// Schemes are never changed in place (visitors would move between variations); new ones are added.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace vario {

inline constexpr std::uint32_t kBucketCount = 10000;

// The bucket (0..9999) of `visitor_id` in `campaign_id` under MurmurHash3 x86-32 with seed 1
// over visitor_id + campaign_id, scaled as floor(hash / 2^32 * 10000): the scheme Optimizely
// buckets with, so visitors migrated with their ids keep their buckets.
std::uint32_t murmur3_bucket(std::string_view visitor_id, std::string_view campaign_id);

// 32-bit FNV-1a over the UTF-16 code units of `utf8` (non-BMP characters as surrogate pairs),
// which is what JavaScript's str.charCodeAt(i) loop hashes. Bytes that are not valid UTF-8 count
// as U+FFFD, as TextDecoder decodes them (the browser could never have hashed such a string).
std::uint32_t fnv1a32(std::string_view utf8);

// GrowthBook's hash(seed, value, version), in [0, 1):
//   version 1: (fnv1a32(value + seed) % 1000) / 1000      (note the order: value first)
//   version 2: (fnv1a32(decimal(fnv1a32(seed + value))) % 10000) / 10000
// nullopt for any other version, as GrowthBook returns null.
std::optional<double> growthbook_hash(std::string_view seed, std::string_view value, int version);

// `n` copies of 1.0 / n; empty when n <= 0 (GrowthBook getEqualWeights).
std::vector<double> equal_weights(int n);

// A variation's slice [first, second) of the hash range [0, 1).
using BucketRange = std::pair<double, double>;

// GrowthBook getBucketRanges(n, coverage, weights): coverage is clamped to [0, 1]; `weights`
// is replaced by equal_weights(n) when it is empty (GrowthBook: missing), its length is not n,
// or its sum is outside [0.99, 1.01]. Variation i gets [c, c + coverage * w_i], where c is the
// sum of the weights before it, so reduced coverage leaves a gap after each variation rather
// than moving the variations. One range per variation; empty when n <= 0.
std::vector<BucketRange> bucket_ranges(int n, double coverage, std::span<const double> weights);

// The index of the first range with first <= n < second, or -1 when n is in none of them
// (GrowthBook chooseVariation). An empty range [x, x] never matches.
int choose_variation(double n, std::span<const BucketRange> ranges);

// Whether `hash_value` falls in [start, end) of namespace `ns`: GrowthBook
// inNamespace(hashValue, [ns, start, end]), hashing with growthbook_hash("__" + ns, hash_value, 1).
bool in_namespace(std::string_view hash_value, std::string_view ns, double start, double end);

}  // namespace vario
