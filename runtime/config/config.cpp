#include "vario/config.hpp"
#include "vario/json.hpp"

#include <string>

namespace vario {

Result<Config> Config::from_bytes(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 8 || !fb::CampaignsBufferHasIdentifier(bytes.data()))
    return make_error(ErrorCode::kBadConfig,
                      "campaigns file is not a Vario campaigns binary (identifier VAR1 missing)");
  // FlatBuffers requires its buffer aligned; a vector of bytes from the allocator is.
  std::vector<std::uint8_t> copy(bytes.begin(), bytes.end());
  flatbuffers::Verifier verifier(copy.data(), copy.size());
  if (!fb::VerifyCampaignsBuffer(verifier))
    return make_error(ErrorCode::kBadConfig,
                      "campaigns file is corrupt: its structure failed verification");
  const std::uint32_t version = fb::GetCampaigns(copy.data())->format_version();
  if (version != kFormatVersion)
    return make_error(ErrorCode::kBadConfig,
                      "campaigns file has format version " + json::to_decimal(version) +
                          "; this engine reads version " + json::to_decimal(kFormatVersion) +
                          " (rebuild the tag with a matching vario)");
  Config config(std::move(copy));
  if (const auto* campaigns = config.root().campaigns()) {
    config.audiences_.reserve(campaigns->size());
    for (const fb::Campaign* campaign : *campaigns) {
      Audience audience;
      if (const auto* text = campaign->audience()) {
        auto parsed = json::parse(text->string_view());
        if (parsed.ok() && parsed.value().is_object())
          audience.condition = std::move(parsed).value();
        else
          audience.problem = "audience is not a JSON object" +
                             (parsed.ok() ? std::string() : ": " + parsed.error().message);
      }
      config.audiences_.push_back(std::move(audience));
    }
  }
  // Saved groups only feed $inGroup; unreadable ones behave as empty groups.
  if (const auto* groups = config.root().saved_groups())
    if (auto parsed = json::parse(groups->string_view()); parsed.ok() && parsed.value().is_object())
      config.saved_groups_ = std::move(parsed).value();
  return config;
}

}  // namespace vario
