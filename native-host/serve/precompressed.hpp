// The tag's files compressed once, when `vario serve` starts, rather than on every request:
// brotli at its best quality costs about a second per MB, far too slow per response, and
// cpp-httplib compresses neither application/wasm nor with brotli at a sane quality.
#pragma once

#include <string>
#include <string_view>

namespace vario::host {

enum class ContentCoding { kIdentity, kGzip, kBrotli };

// One file in the three codings a browser may take. `gzip` is what `gzip -9` makes (zlib level
// 9, no name, no time), `brotli` brotli quality 11; both are deterministic.
struct Precompressed {
  std::string identity;
  std::string gzip;
  std::string brotli;

  // The bytes of `coding`.
  const std::string& bytes(ContentCoding coding) const;
};

// Compresses `bytes` both ways. Throws std::runtime_error when zlib or brotli fails.
Precompressed precompress(std::string_view bytes);

// The coding to send for a request's Accept-Encoding (RFC 9110 section 12.5.3): brotli when
// it is acceptable (q above 0, by name or by "*"), else gzip (or "x-gzip"), else identity; an
// absent or empty header means identity. A compressed coding is chosen only when it is smaller
// than the identity bytes of `file`.
ContentCoding choose_coding(std::string_view accept_encoding, const Precompressed& file);

// The Content-Encoding value of a coding: "br", "gzip"; empty for identity.
std::string_view content_encoding(ContentCoding coding);

}  // namespace vario::host
