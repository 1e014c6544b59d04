// Preview links: a signed token that forces variations for QA (docs/campaigns.md, "Preview
// links"). The signature is checked by the host before the token reaches the engine (WebCrypto
// in the tag, OpenSSL natively): the engine only reads the payload and its expiry.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vario/result.hpp"

namespace vario {

struct Preview {
  std::vector<std::pair<std::string, std::string>> forced;  // (campaign id, variation id)
  std::int64_t expires_seconds = 0;                         // Unix time
};

// Reads TOKEN = base64url(payload) "." base64url(signature), payload
// {"v": 1, "forced": {"campaign": "variation", ...}, "exp": unix_seconds}. Errors
// (kInvalidArgument) say what is wrong; an expired token is an error too.
Result<Preview> read_preview(std::string_view token, double now_ms);

}  // namespace vario
