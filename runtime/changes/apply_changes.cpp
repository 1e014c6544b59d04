#include "vario/changes.hpp"

namespace vario {

std::vector<ChangeFailure> apply_changes(const fb::Variation& variation, ConsentGate& gate) {
  std::vector<ChangeFailure> failures;
  if (!variation.changes()) return failures;
  for (const fb::Change* change : *variation.changes()) {
    const std::string_view selector = change->selector()->string_view();
    const auto nodes = gate.query_all(selector);
    if (!nodes) {
      failures.push_back({std::string(selector), "the browser rejected the selector"});
      continue;
    }
    for (const NodeHandle node : *nodes) {
      switch (change->action()) {
        case fb::Action::SetText:
          gate.set_text(node, change->value()->string_view());
          break;
      }
      gate.release(node);
    }
  }
  return failures;
}

}  // namespace vario
