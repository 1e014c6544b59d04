#define BOOST_TEST_MODULE serve_precompressed
#include <zlib.h>

#include <boost/test/unit_test.hpp>
#include <string>

#include "serve/precompressed.hpp"

using namespace vario::host;

namespace {

std::string gunzip(const std::string& gz) {
  z_stream z{};
  BOOST_REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  BOOST_REQUIRE(inflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

const Precompressed& text() {
  static const Precompressed file = precompress(std::string(3000, 'v') + "ario");
  return file;
}

}  // namespace

BOOST_AUTO_TEST_CASE(both_codings_are_smaller_deterministic_and_gzip_decodes_to_the_file) {
  const Precompressed& file = text();
  BOOST_TEST(file.identity == std::string(3000, 'v') + "ario");
  BOOST_TEST(file.gzip.size() < file.identity.size());
  BOOST_TEST(file.brotli.size() < file.identity.size());
  BOOST_TEST(gunzip(file.gzip) == file.identity);
  BOOST_TEST(file.gzip.substr(0, 2) == "\x1f\x8b");
  const Precompressed again = precompress(file.identity);
  BOOST_TEST(again.gzip == file.gzip);
  BOOST_TEST(again.brotli == file.brotli);
}

BOOST_AUTO_TEST_CASE(brotli_is_preferred_then_gzip_then_the_file_as_it_is) {
  struct Case {
    const char* accept;
    ContentCoding coding;
  };
  for (const Case c : {
           Case{"gzip, deflate, br, zstd", ContentCoding::kBrotli},
           Case{"BR", ContentCoding::kBrotli},
           Case{"gzip, deflate", ContentCoding::kGzip},
           Case{"x-gzip", ContentCoding::kGzip},
           Case{"br;q=0, gzip;q=0.5", ContentCoding::kGzip},
           Case{"br ; q=0 , *", ContentCoding::kGzip},
           Case{"*", ContentCoding::kBrotli},
           Case{"*;q=0", ContentCoding::kIdentity},
           Case{"gzip;q=0, br;q=0", ContentCoding::kIdentity},
           Case{"gzip;q=nonsense", ContentCoding::kIdentity},
           Case{"deflate, identity", ContentCoding::kIdentity},
           Case{"", ContentCoding::kIdentity},
       }) {
    BOOST_TEST_CONTEXT(c.accept) {
      BOOST_TEST(content_encoding(choose_coding(c.accept, text())) == content_encoding(c.coding));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_coding_that_would_not_shrink_the_file_is_not_used) {
  const Precompressed tiny = precompress("x");
  BOOST_TEST(content_encoding(choose_coding("br, gzip", tiny)).empty());
  BOOST_TEST(content_encoding(ContentCoding::kBrotli) == "br");
  BOOST_TEST(content_encoding(ContentCoding::kGzip) == "gzip");
  BOOST_TEST(content_encoding(ContentCoding::kIdentity).empty());
}
