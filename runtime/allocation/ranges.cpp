#include <cstddef>

#include "vario/bucketing.hpp"

namespace vario {

std::vector<double> equal_weights(int n) {
  if (n <= 0) return {};
  return std::vector<double>(static_cast<std::size_t>(n), 1.0 / n);
}

std::vector<BucketRange> bucket_ranges(int n, double coverage, std::span<const double> weights) {
  // Written as the comparisons of getBucketRanges, so a NaN coverage or weight sum slips through
  // them exactly as it does in JavaScript.
  if (coverage < 0) {
    coverage = 0;
  } else if (coverage > 1) {
    coverage = 1;
  }

  const std::vector<double> equal = equal_weights(n);
  std::span<const double> used = weights;
  if (n < 0 || used.size() != static_cast<std::size_t>(n)) used = equal;

  // Summed left to right from 0, the order of Array.prototype.reduce.
  double total = 0;
  for (const double w : used) total += w;
  if (total < 0.99 || total > 1.01) used = equal;

  std::vector<BucketRange> ranges;
  ranges.reserve(used.size());
  double cumulative = 0;
  for (const double w : used) {
    const double start = cumulative;
    cumulative += w;
    ranges.emplace_back(start, start + coverage * w);
  }
  return ranges;
}

int choose_variation(double n, std::span<const BucketRange> ranges) {
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    if (n >= ranges[i].first && n < ranges[i].second) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace vario
