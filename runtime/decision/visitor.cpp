#include "vario/decision.hpp"
#include "vario/json.hpp"

namespace vario {

Result<Visitor> parse_visitor(std::string_view text, const Config& config) {
  auto parsed = json::parse(text);
  if (!parsed.ok()) return make_error(ErrorCode::kInvalidArgument, "visitor: " + parsed.error().message);
  const json::Value& doc = parsed.value();
  if (!doc.is_object()) return make_error(ErrorCode::kInvalidArgument, "visitor: must be a JSON object");

  Visitor visitor;
  for (const char* field : {"id", "url"}) {
    const json::Value* v = doc.find(field);
    if (!v || !v->is_string() || v->as_string().empty())
      return make_error(ErrorCode::kInvalidArgument,
                        std::string("visitor: /") + field + " must be a non-empty string");
    (field[0] == 'i' ? visitor.id : visitor.url) = v->as_string();
  }

  visitor.consent = config.settings().consent_required() ? ConsentState::kPending
                                                         : ConsentState::kGranted;
  if (const json::Value* c = doc.find("consent")) {
    const auto state = c->is_string() ? parse_consent(c->as_string()) : std::nullopt;
    if (!state)
      return make_error(ErrorCode::kInvalidArgument,
                        "visitor: /consent must be \"granted\", \"denied\" or \"pending\"");
    visitor.consent = *state;
  }

  if (const json::Value* a = doc.find("assignments")) {
    if (!a->is_object())
      return make_error(ErrorCode::kInvalidArgument, "visitor: /assignments must be an object");
    for (const auto& [campaign, variation] : a->members()) {
      if (!variation.is_string())
        return make_error(ErrorCode::kInvalidArgument,
                          "visitor: /assignments/" + campaign + " must be a string");
      visitor.assignments.emplace_back(campaign, variation.as_string());
    }
  }

  if (const json::Value* attrs = doc.find("attributes"); attrs && !attrs->is_object())
    return make_error(ErrorCode::kInvalidArgument, "visitor: /attributes must be an object");
  return visitor;
}

}  // namespace vario
