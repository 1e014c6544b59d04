// The loaded campaigns: a verified view over campaigns.bin (FlatBuffers), read in place.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vario/campaigns_generated.h"
#include "vario/json.hpp"
#include "vario/result.hpp"

namespace vario {

// The campaigns.bin format version this engine reads. The native compiler writes it.
// 2: change actions beyond set_text; a change may have no selector (add_css, redirect).
inline constexpr std::uint32_t kFormatVersion = 2;

class Config {
 public:
  // Copies and verifies `bytes`: the FlatBuffers structure (offsets in bounds, required fields
  // present, file identifier "VAR1") and the format version. Errors are kBadConfig with a
  // sentence saying which check failed.
  static Result<Config> from_bytes(std::span<const std::uint8_t> bytes);

  const fb::Campaigns& root() const { return *fb::GetCampaigns(bytes_.data()); }
  const fb::Settings& settings() const { return *root().settings(); }

  // The audience of campaign `index` (file order), parsed once at load. `condition` is null
  // when the campaign targets everyone; `problem` is set when its JSON does not parse, which
  // the compiler never produces, so the campaign must not apply and the tag reports it.
  struct Audience {
    std::optional<json::Value> condition;
    std::string problem;
  };
  const Audience& audience(std::size_t index) const { return audiences_[index]; }
  // {"group-id": [values...]}, an empty object when there are none.
  const json::Value& saved_groups() const { return saved_groups_; }

 private:
  explicit Config(std::vector<std::uint8_t> bytes) : bytes_(std::move(bytes)) {}
  std::vector<std::uint8_t> bytes_;
  std::vector<Audience> audiences_;
  json::Value saved_groups_ = json::Value::object();
};

}  // namespace vario
