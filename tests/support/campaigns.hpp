// Campaign documents for tests, compiled with the real compiler.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "config/compile.hpp"

namespace vario::testing {

// A campaigns document with one A/B test on /product pages: variations "control" (no change)
// and "benefit" (sets #product-title), 50/50.
inline nlohmann::json headline_test(std::string purpose = "technical") {
  return nlohmann::json::parse(R"({
    "version": 1, "account": "demo-shop", "collector": "/v1/events",
    "campaigns": [{
      "id": "product-headline", "type": "ab_test", "purpose": "technical",
      "pages": {"include": [{"match": "prefix", "value": "/product"}]},
      "variations": [
        {"id": "control", "weight": 0.5, "changes": []},
        {"id": "benefit", "weight": 0.5, "changes": [
          {"action": "set_text", "selector": "#product-title", "value": "Brews a perfect cup"}]}
      ]}]})")
      .patch(nlohmann::json::parse(R"([{"op": "replace", "path": "/campaigns/0/purpose", "value": ")" +
                                   purpose + R"("}])"));
}

inline std::span<const std::uint8_t> bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace vario::testing
