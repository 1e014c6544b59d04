#include "vario/suggestion.hpp"

#include <algorithm>
#include <limits>
#include <vector>

namespace vario {
namespace {

// Suggest a known name only for near misses ("wieght" -> "weight").
constexpr std::size_t kMaxSuggestionDistance = 2;

// Optimal string alignment distance: Levenshtein plus adjacent transpositions, the typo people
// make most ("wieght"). Only the last three rows of the table are kept, in one vector: the wasm
// build pays for every template it instantiates.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t width = b.size() + 1;
  std::vector<std::size_t> rows(3 * width);
  const auto d = [&](std::size_t i, std::size_t j) -> std::size_t& {
    return rows[i % 3 * width + j];
  };
  for (std::size_t j = 0; j < width; ++j) d(0, j) = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    d(i, 0) = i;
    for (std::size_t j = 1; j < width; ++j) {
      std::size_t best = std::min(d(i - 1, j), d(i, j - 1)) + 1;
      best = std::min(best, d(i - 1, j - 1) + (a[i - 1] == b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        best = std::min(best, d(i - 2, j - 2) + 1);
      d(i, j) = best;
    }
  }
  return d(a.size(), b.size());
}

}  // namespace

// It must be closer than the length of the word itself, so that "x" does not suggest "id".
std::optional<std::string_view> closest(std::string_view word,
                                        std::span<const std::string_view> candidates) {
  // No known name is long; a long word is no near miss, and skipping it keeps a megabyte-long
  // key from costing a megabyte-sized table.
  constexpr std::size_t kLongestNearMiss = 64;
  if (word.size() > kLongestNearMiss) return std::nullopt;
  std::string_view best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (std::string_view c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  if (best_distance <= kMaxSuggestionDistance && best_distance < word.size()) return best;
  return std::nullopt;
}

// Candidates are known names, short and printable, so they are quoted whole.
std::string suggestion(std::string_view word, std::span<const std::string_view> candidates) {
  const auto best = closest(word, candidates);
  return best ? "; did you mean '" + std::string(*best) + "'?" : "";
}

}  // namespace vario
