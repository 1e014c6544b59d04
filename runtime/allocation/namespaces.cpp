#include <string>

#include "vario/bucketing.hpp"

namespace vario {

bool in_namespace(std::string_view hash_value, std::string_view ns, double start, double end) {
  std::string seed;
  seed.reserve(2 + ns.size());
  seed.append("__").append(ns);
  const double n = *growthbook_hash(seed, hash_value, 1);
  return n >= start && n < end;
}

}  // namespace vario
