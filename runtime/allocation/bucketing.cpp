#include "vario/bucketing.hpp"

#include <string>

#include "vario/hashing.hpp"

namespace vario {

std::uint32_t murmur3_bucket(std::string_view visitor_id, std::string_view campaign_id) {
  std::string key;
  key.reserve(visitor_id.size() + campaign_id.size());
  key.append(visitor_id).append(campaign_id);
  const std::uint32_t hash = murmur3_x86_32(key, 1);
  // Integer form of floor(hash / 2^32 * 10000): exact, no floating point to disagree on.
  return static_cast<std::uint32_t>((std::uint64_t(hash) * kBucketCount) >> 32);
}

}  // namespace vario
