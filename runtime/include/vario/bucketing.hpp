// Deterministic allocation of a visitor to one of 10,000 buckets, and of a bucket to a
// variation. The same visitor id and campaign id give the same bucket on every build.
#pragma once

#include <cstdint>
#include <string_view>

namespace vario {

inline constexpr std::uint32_t kBucketCount = 10000;

// The bucket (0..9999) of `visitor_id` in `campaign_id` under MurmurHash3 x86-32 with seed 1
// over visitor_id + campaign_id, scaled as floor(hash / 2^32 * 10000): the scheme Optimizely
// buckets with, so visitors migrated with their ids keep their buckets.
std::uint32_t murmur3_bucket(std::string_view visitor_id, std::string_view campaign_id);

}  // namespace vario
