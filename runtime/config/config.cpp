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
  return Config(std::move(copy));
}

}  // namespace vario
