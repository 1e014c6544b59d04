#include "serve/precompressed.hpp"

#include <brotli/encode.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>

namespace vario::host {
namespace {

std::string gzip_9(std::string_view bytes) {
  z_stream z{};
  // 15 + 16: a gzip wrapper (an empty header: no name, time 0) around the deflate stream.
  if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("zlib could not start compressing");
  std::string out(deflateBound(&z, static_cast<uLong>(bytes.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (status != Z_STREAM_END) throw std::runtime_error("zlib could not compress a tag file");
  return out;
}

std::string brotli_11(std::string_view bytes) {
  std::size_t size = BrotliEncoderMaxCompressedSize(bytes.size());
  if (size == 0) size = bytes.size() + 1024;
  std::string out(size, '\0');
  if (!BrotliEncoderCompress(BROTLI_MAX_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC,
                             bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data()),
                             &size, reinterpret_cast<std::uint8_t*>(out.data())))
    throw std::runtime_error("brotli could not compress a tag file");
  out.resize(size);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// The q value of one coding of the header: its own entry's, else "*"'s, else 0 (not acceptable).
double quality(std::string_view header, std::string_view coding, std::string_view alias = {}) {
  double named = -1;
  double any = -1;
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view entry = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    const std::size_t semicolon = entry.find(';');
    const std::string_view name = trim(entry.substr(0, semicolon));
    double q = 1;
    if (semicolon != std::string_view::npos) {
      std::string_view params = trim(entry.substr(semicolon + 1));
      if (params.size() >= 2 && (params[0] == 'q' || params[0] == 'Q') && params[1] == '=') {
        const std::string value(trim(params.substr(2)));
        char* end = nullptr;
        q = std::strtod(value.c_str(), &end);
        if (end == value.c_str()) q = 0;  // an unreadable weight accepts nothing
      }
    }
    if (equals_ignoring_case(name, coding) || (!alias.empty() && equals_ignoring_case(name, alias)))
      named = std::max(named, q);
    else if (name == "*")
      any = q;
  }
  return named >= 0 ? named : std::max(any, 0.0);
}

}  // namespace

const std::string& Precompressed::bytes(ContentCoding coding) const {
  switch (coding) {
    case ContentCoding::kGzip:
      return gzip;
    case ContentCoding::kBrotli:
      return brotli;
    case ContentCoding::kIdentity:
      break;
  }
  return identity;
}

Precompressed precompress(std::string_view bytes) {
  return {std::string(bytes), gzip_9(bytes), brotli_11(bytes)};
}

ContentCoding choose_coding(std::string_view accept_encoding, const Precompressed& file) {
  if (quality(accept_encoding, "br") > 0 && file.brotli.size() < file.identity.size())
    return ContentCoding::kBrotli;
  if (quality(accept_encoding, "gzip", "x-gzip") > 0 && file.gzip.size() < file.identity.size())
    return ContentCoding::kGzip;
  return ContentCoding::kIdentity;
}

std::string_view content_encoding(ContentCoding coding) {
  switch (coding) {
    case ContentCoding::kGzip:
      return "gzip";
    case ContentCoding::kBrotli:
      return "br";
    case ContentCoding::kIdentity:
      break;
  }
  return "";
}

}  // namespace vario::host
