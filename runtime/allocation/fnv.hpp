// Incremental FNV-1a over UTF-16 code units, for hashing a concatenation (GrowthBook hashes
// value + seed) without building it: each piece is decoded on its own, as JavaScript held each
// piece as its own string before concatenating.
#pragma once

#include <cstdint>
#include <string_view>

namespace vario::allocation {

class Fnv1a32 {
 public:
  // Hashes the UTF-16 code units of `utf8` (invalid bytes as U+FFFD, as TextDecoder reads them).
  Fnv1a32& add_utf8(std::string_view utf8);
  std::uint32_t value() const { return hash_; }

 private:
  void add_unit(std::uint32_t code_unit);
  void add_code_point(std::uint32_t code_point);

  std::uint32_t hash_ = 0x811c9dc5u;
};

}  // namespace vario::allocation
