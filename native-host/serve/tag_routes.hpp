// The tag's routes on `vario serve` (docs/deploying.md, "Caching" and "Verifying"):
//   GET /vario/NAME                its files, compressed once at startup (brotli or gzip, as the
//                                  client accepts), each cached as its role allows:
//                                    engine     public, max-age=31536000, immutable (its name is
//                                               its hash)
//                                    loader     public, max-age=300 in the split layout (a short
//                                               cache: it changes only with a release or a key);
//                                               no-cache inline, or when its key is made per run
//                                    campaigns  no-cache: revalidated with its ETag every view
//                                    manifest   no-cache
//                                  with a strong ETag per coding, If-None-Match answered 304,
//                                  Vary: Accept-Encoding and Access-Control-Allow-Origin: *;
//   GET /v1/tags/NAME/checksum     {"file", "bytes", "sha256", "sri", "campaigns_digest"} of
//                                  that file as built: what `vario verify URL` compares with.
#pragma once

#include <string>
#include <vector>

#include "serve/precompressed.hpp"
#include "tag/built_tag.hpp"

namespace httplib {
class Server;
}

namespace vario::host {

class TagRoutes {
 public:
  // Compresses every file of `tag` (a few hundred milliseconds for the engine at brotli's best
  // quality). `stable_loader` is false when the loader differs from one run of the server to
  // the next (its campaigns key is made per run): it is then never cached, so that a browser
  // never holds a loader that the page's new integrity value refuses. Throws
  // std::runtime_error when compression fails.
  TagRoutes(const BuiltTag& tag, bool stable_loader);

  // Registers both routes on `http`. Call it before any catch-all GET route, which would
  // otherwise take these paths first.
  void install(httplib::Server& http) const;

 private:
  struct Served {
    std::string name;
    std::string content_type;
    std::string cache_control;
    std::string etag_stem;  // the file's SHA-256, 16 hex digits; each coding adds its suffix
    std::string checksum_json;
    Precompressed bytes;
  };
  const Served* find(const std::string& name) const;

  std::vector<Served> files_;
};

}  // namespace vario::host
