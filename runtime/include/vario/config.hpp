// The loaded campaigns: a verified view over campaigns.bin (FlatBuffers), read in place.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "vario/campaigns_generated.h"
#include "vario/result.hpp"

namespace vario {

// The campaigns.bin format version this engine reads. The native compiler writes it.
inline constexpr std::uint32_t kFormatVersion = 1;

class Config {
 public:
  // Copies and verifies `bytes`: the FlatBuffers structure (offsets in bounds, required fields
  // present, file identifier "VAR1") and the format version. Errors are kBadConfig with a
  // sentence saying which check failed.
  static Result<Config> from_bytes(std::span<const std::uint8_t> bytes);

  const fb::Campaigns& root() const { return *fb::GetCampaigns(bytes_.data()); }
  const fb::Settings& settings() const { return *root().settings(); }

 private:
  explicit Config(std::vector<std::uint8_t> bytes) : bytes_(std::move(bytes)) {}
  std::vector<std::uint8_t> bytes_;
};

}  // namespace vario
