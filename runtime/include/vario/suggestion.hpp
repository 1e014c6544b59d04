// The known name a misspelt one was probably meant to be ("wieght" -> "weight"), for messages
// that refuse an unknown name: `vario check` for campaigns files, the engine for visitor JSON.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace vario {

// The candidate nearest to `word` if it is a near miss ("wieght" -> "weight"), else nullopt.
std::optional<std::string_view> closest(std::string_view word,
                                        std::span<const std::string_view> candidates);

// "; did you mean 'weight'?", or "" when no candidate is near.
std::string suggestion(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace vario
