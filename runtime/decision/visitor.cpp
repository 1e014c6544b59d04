#include <algorithm>
#include <span>

#include "vario/attributes.hpp"
#include "vario/consent_sources.hpp"
#include "vario/decision.hpp"
#include "vario/json.hpp"
#include "vario/suggestion.hpp"

namespace vario {
namespace {

// A visitor's own fields, then those read_environment reads. The page context, which the tag
// builds, goes through read_environment alone and may carry more.
constexpr std::string_view kVisitorFields[] = {
    "id",        "consent",  "tcString", "assignments", "forced",    "now",       "url",
    "referrer",  "userAgent", "language", "timeZone",    "screen",    "webdriver", "attributes"};
constexpr std::string_view kScreenFields[] = {"width", "height"};

// A misspelt field would otherwise be ignored without a word ("assigments": no stored
// assignments), so every member of `obj` must be one of `known`. `at` is obj's pointer.
Status only_known_fields(const json::Value& obj, std::string_view at,
                         std::span<const std::string_view> known, std::string_view kind) {
  for (const auto& [key, value] : obj.members()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string message = "visitor: ";
    message.append(at).append("/").append(key).append(" is not ").append(kind);
    return make_error(ErrorCode::kInvalidArgument, message.append(suggestion(key, known)));
  }
  return Ok{};
}

// {"campaign": "variation", ...} into pairs; `field` names the member in errors.
Status read_pairs(const json::Value& doc, std::string_view field,
                  std::vector<std::pair<std::string, std::string>>& out) {
  const json::Value* a = doc.find(field);
  if (!a) return Ok{};
  if (!a->is_object())
    return make_error(ErrorCode::kInvalidArgument,
                      "visitor: /" + std::string(field) + " must be an object");
  for (const auto& [campaign, variation] : a->members()) {
    if (!variation.is_string())
      return make_error(ErrorCode::kInvalidArgument,
                        "visitor: /" + std::string(field) + "/" + campaign + " must be a string");
    out.emplace_back(campaign, variation.as_string());
  }
  return Ok{};
}

}  // namespace

Result<Visitor> parse_visitor(std::string_view text, const Config& config, double now_ms) {
  auto parsed = json::parse(text);
  if (!parsed.ok()) return make_error(ErrorCode::kInvalidArgument, "visitor: " + parsed.error().message);
  const json::Value& doc = parsed.value();
  if (!doc.is_object()) return make_error(ErrorCode::kInvalidArgument, "visitor: must be a JSON object");
  if (Status s = only_known_fields(doc, "", kVisitorFields, "a visitor field"); !s.ok())
    return s.error();

  Visitor visitor;
  const json::Value* id = doc.find("id");
  if (!id || !id->is_string() || id->as_string().empty())
    return make_error(ErrorCode::kInvalidArgument, "visitor: /id must be a non-empty string");
  visitor.id = id->as_string();

  auto env = read_environment(doc, "visitor");
  if (!env.ok()) return env.error();
  if (const json::Value* screen = doc.find("screen"))
    if (Status s = only_known_fields(*screen, "/screen", kScreenFields, "a screen field"); !s.ok())
      return s.error();
  visitor.url = env.value().url;
  visitor.bot = is_bot(env.value());
  visitor.attributes = builtin_attributes(env.value(), std::nullopt);
  merge_attributes(visitor.attributes, env.value().pushed);

  ConsentSources sources = consent_sources(config);
  if (const json::Value* tc = doc.find("tcString")) {
    if (!tc->is_string())
      return make_error(ErrorCode::kInvalidArgument, "visitor: /tcString must be a string");
    sources.stored_tc_string(tc->as_string());
  }
  if (const json::Value* c = doc.find("consent")) {
    {
      json::Value signal = json::Value::object();
      signal.set("source", json::Value::string("page"));
      // "pending" for every capability: a visitor that was asked and has not answered.
      json::Value all_pending = json::Value::object();
      for (const Capability cap : kCapabilities)
        all_pending.set(to_string(cap), json::Value::string("pending"));
      signal.set("consent", c->is_string() && c->as_string() == "pending" ? all_pending : *c);
      if (Status s = sources.add(signal); !s.ok())
        return make_error(ErrorCode::kInvalidArgument,
                          "visitor: /consent must be \"granted\", \"denied\", \"pending\" or an "
                          "object of capabilities (" + s.error().message + ")");
    }
  }
  visitor.consent = sources.effective();

  visitor.now_ms = now_ms;
  if (const json::Value* now = doc.find("now")) {
    if (now->type() != json::Value::Type::kNumber)
      return make_error(ErrorCode::kInvalidArgument,
                        "visitor: /now must be a number (milliseconds since 1970-01-01 UTC)");
    visitor.now_ms = now->as_number();
  }

  if (Status s = read_pairs(doc, "assignments", visitor.assignments); !s.ok()) return s.error();
  if (Status s = read_pairs(doc, "forced", visitor.forced); !s.ok()) return s.error();
  return visitor;
}

}  // namespace vario
