#include "vario/preview.hpp"

#include "vario/base64url.hpp"
#include "vario/json.hpp"

namespace vario {

Result<Preview> read_preview(std::string_view token, double now_ms) {
  const std::size_t dot = token.find('.');
  if (dot == std::string_view::npos)
    return make_error(ErrorCode::kInvalidArgument, "preview token: no '.' between payload and signature");
  const auto payload = base64url_decode(token.substr(0, dot));
  if (!payload) return make_error(ErrorCode::kInvalidArgument, "preview token: payload is not base64url");
  auto parsed = json::parse(*payload);
  if (!parsed.ok())
    return make_error(ErrorCode::kInvalidArgument, "preview token: payload " + parsed.error().message);
  const json::Value& doc = parsed.value();
  const json::Value* version = doc.find("v");
  if (!version || version->type() != json::Value::Type::kNumber || version->as_number() != 1)
    return make_error(ErrorCode::kInvalidArgument, "preview token: /v must be 1");
  const json::Value* exp = doc.find("exp");
  if (!exp || exp->type() != json::Value::Type::kNumber)
    return make_error(ErrorCode::kInvalidArgument, "preview token: /exp must be a number");
  Preview preview;
  preview.expires_seconds = static_cast<std::int64_t>(exp->as_number());
  if (exp->as_number() * 1000 <= now_ms)
    return make_error(ErrorCode::kInvalidArgument, "preview token: expired");
  const json::Value* forced = doc.find("forced");
  if (!forced || !forced->is_object())
    return make_error(ErrorCode::kInvalidArgument, "preview token: /forced must be an object");
  for (const auto& [campaign, variation] : forced->members()) {
    if (!variation.is_string())
      return make_error(ErrorCode::kInvalidArgument,
                        "preview token: /forced/" + campaign + " must be a string");
    preview.forced.emplace_back(campaign, variation.as_string());
  }
  return preview;
}

}  // namespace vario
