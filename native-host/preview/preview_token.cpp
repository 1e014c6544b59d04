#include "preview/preview_token.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "preview/keys.hpp"
#include "vario/base64url.hpp"
#include "vario/preview.hpp"

namespace vario::host {
namespace {

void fail(std::string* why, std::string message) {
  if (why) *why = std::move(message);
}

}  // namespace

std::string sign_preview_token(EVP_PKEY* key, const ForcedVariations& forced,
                               std::int64_t expires_seconds) {
  nlohmann::ordered_json payload{
      {"v", 1}, {"forced", nlohmann::ordered_json::object()}, {"exp", expires_seconds}};
  for (const auto& [campaign, variation] : forced) payload["forced"][campaign] = variation;
  const std::string first = base64url_encode(payload.dump());
  return first + "." + base64url_encode(sign_p256(key, first));
}

std::optional<ForcedVariations> verify_preview_token(std::string_view token,
                                                     std::string_view public_key_base64,
                                                     double now_ms, std::string* why) {
  const std::size_t dot = token.find('.');
  if (dot == std::string_view::npos || token.find('.', dot + 1) != std::string_view::npos) {
    fail(why, "preview token: expected PAYLOAD.SIGNATURE");
    return std::nullopt;
  }
  const std::string_view first = token.substr(0, dot);
  const auto signature = base64url_decode(token.substr(dot + 1));
  if (!signature || signature->size() != 64) {
    fail(why, "preview token: the signature is not 64 bytes of base64url");
    return std::nullopt;
  }
  std::string key_problem;
  const auto key = read_public_key(public_key_base64, &key_problem);
  if (!key) {
    fail(why, key_problem);
    return std::nullopt;
  }
  if (!verify_p256(key->get(), first, *signature)) {
    fail(why, "preview token: the signature does not match preview.public_key");
    return std::nullopt;
  }
  // The signature is good: the payload is read by the engine's own reader, so the CLI and the
  // tag accept exactly the same tokens.
  const Result<Preview> preview = read_preview(token, now_ms);
  if (!preview.ok()) {
    fail(why, preview.error().message);
    return std::nullopt;
  }
  return preview.value().forced;
}

std::string add_preview_parameter(std::string_view url, std::string_view token) {
  const std::size_t hash = url.find('#');
  const std::string_view fragment = hash == std::string_view::npos ? "" : url.substr(hash);
  const std::string_view before = url.substr(0, hash);
  const std::size_t question = before.find('?');
  std::string out(before.substr(0, question));
  std::string query;
  if (question != std::string_view::npos) {
    // Keep every other parameter as written, drop an earlier vario_preview.
    std::string_view rest = before.substr(question + 1);
    while (!rest.empty()) {
      const std::size_t amp = rest.find('&');
      const std::string_view param = rest.substr(0, amp);
      if (!param.empty() && param != "vario_preview" && !param.starts_with("vario_preview=")) {
        query += param;
        query += '&';
      }
      rest = amp == std::string_view::npos ? "" : rest.substr(amp + 1);
    }
  }
  out += '?';
  out += query;
  out += "vario_preview=";
  out += token;
  out += fragment;
  return out;
}

}  // namespace vario::host
