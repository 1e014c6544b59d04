// Hash functions used for allocation. A scheme is never changed in place (visitors would move
// between variations); new schemes are added beside the old ones.
#pragma once

#include <cstdint>
#include <string_view>

namespace vario {

// MurmurHash3 x86 32-bit over the bytes of `key` (UTF-8 for text), as Optimizely's SDKs
// compute it for bucketing (with seed 1).
std::uint32_t murmur3_x86_32(std::string_view key, std::uint32_t seed);

}  // namespace vario
