#include "allocation/fnv.hpp"
#include "vario/bucketing.hpp"
#include "vario/json.hpp"

namespace vario {

std::optional<double> growthbook_hash(std::string_view seed, std::string_view value, int version) {
  // Each step is the JS expression's: an integer remainder (exact in a double too), then one
  // IEEE division, so the quotient is bit-identical to the SDK's.
  if (version == 2) {
    const std::uint32_t inner = allocation::Fnv1a32().add_utf8(seed).add_utf8(value).value();
    const std::uint32_t outer = fnv1a32(json::to_decimal(inner));
    return static_cast<double>(outer % 10000) / 10000;
  }
  if (version == 1) {
    const std::uint32_t h = allocation::Fnv1a32().add_utf8(value).add_utf8(seed).value();
    return static_cast<double>(h % 1000) / 1000;
  }
  return std::nullopt;
}

}  // namespace vario
