// Applying a variation's changes to the page through DOM primitives.
#pragma once

#include <string>
#include <vector>

#include "vario/campaigns_generated.h"
#include "vario/consent_gate.hpp"

namespace vario {

// A change that could not be applied, for the health report.
struct ChangeFailure {
  std::string selector;
  std::string message;
};

// Applies every change of `variation` to the elements matching its selector now. Returns the
// failures (a selector the host rejects); the other changes still apply.
std::vector<ChangeFailure> apply_changes(const fb::Variation& variation, ConsentGate& gate);

}  // namespace vario
