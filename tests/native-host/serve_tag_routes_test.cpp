#define BOOST_TEST_MODULE serve_tag_routes
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "preview/keys.hpp"
#include "serve/precompressed.hpp"
#include "support/tag_server.hpp"
#include "tag/digest.hpp"

using namespace vario;
using nlohmann::json;
using testing::TagServer;

namespace {

// A campaigns file big enough to compress, in the layout asked for.
host::BuiltTag built(host::TagLayout layout) {
  static const host::Pkey key = host::generate_p256_key();
  auto campaigns = testing::headline_test();
  for (int i = 0; i < 20; ++i) {
    auto copy = campaigns["campaigns"][0];
    copy["id"] = "headline-" + std::to_string(i);
    campaigns["campaigns"].push_back(copy);
  }
  host::EngineFiles engine = testing::stand_in_engine();
  engine.wasm += std::string(4000, '\0');  // compressible, as the real engine is
  return host::build_tag(campaigns, engine, {.layout = layout, .key = key.get()});
}

std::string engine_name(const host::BuiltTag& tag) {
  for (const auto& f : tag.files)
    if (f.role == host::TagFileRole::kEngine) return f.name;
  return "";
}

httplib::Result get(const TagServer& s, const std::string& path, httplib::Headers headers = {}) {
  auto res = s.client().Get(path.c_str(), headers);
  BOOST_REQUIRE_MESSAGE(res, path + ": " + httplib::to_string(res.error()));
  return res;
}

std::size_t count(const httplib::Response& res, const char* header) {
  return res.get_header_value_count(header);
}

}  // namespace

BOOST_AUTO_TEST_CASE(each_file_is_cached_as_its_role_allows) {
  const host::BuiltTag tag = built(host::TagLayout::kSplit);
  TagServer s(tag);
  const auto engine = get(s, "/vario/" + engine_name(tag));
  BOOST_TEST(engine->status == 200);
  BOOST_TEST(engine->get_header_value("Cache-Control") == "public, max-age=31536000, immutable");
  BOOST_TEST(engine->get_header_value("Content-Type") == "application/wasm");
  BOOST_TEST(get(s, "/vario/tag.js")->get_header_value("Cache-Control") == "public, max-age=300");
  BOOST_TEST(get(s, "/vario/campaigns.bin")->get_header_value("Cache-Control") == "no-cache");
  BOOST_TEST(get(s, "/vario/manifest.json")->get_header_value("Cache-Control") == "no-cache");
  for (const auto& f : tag.files) {
    const auto res = get(s, "/vario/" + f.name);
    BOOST_TEST_CONTEXT(f.name) {
      BOOST_TEST(count(*res, "Cache-Control") == 1u, "the server's no-store is replaced");
      BOOST_TEST(res->get_header_value("Vary") == "Accept-Encoding");
      BOOST_TEST(res->get_header_value("Access-Control-Allow-Origin") == "*");
      BOOST_TEST(res->get_header_value("ETag") ==
                 "\"" + host::sha256_hex(f.bytes).substr(0, 16) + "\"");
      BOOST_TEST(res->body == f.bytes);
    }
  }
  // Site pages keep the demo's no-store.
  BOOST_TEST(get(s, "/")->get_header_value("Cache-Control") == "no-store");
}

BOOST_AUTO_TEST_CASE(a_loader_that_changes_between_runs_or_at_every_publish_is_revalidated) {
  {
    TagServer ephemeral(built(host::TagLayout::kSplit), /*stable_loader=*/false);
    BOOST_TEST(get(ephemeral, "/vario/tag.js")->get_header_value("Cache-Control") == "no-cache");
  }
  TagServer inline_layout(built(host::TagLayout::kInline));
  BOOST_TEST(get(inline_layout, "/vario/tag.js")->get_header_value("Cache-Control") == "no-cache");
  BOOST_TEST(get(inline_layout, "/vario/campaigns.bin")->status == 404);
}

BOOST_AUTO_TEST_CASE(a_current_etag_in_any_coding_is_answered_304_without_a_body) {
  const host::BuiltTag tag = built(host::TagLayout::kSplit);
  TagServer s(tag);
  const auto first = get(s, "/vario/campaigns.bin", {{"Accept-Encoding", "br"}});
  const std::string etag = first->get_header_value("ETag");
  BOOST_TEST(etag.ends_with("-br\""));
  for (const std::string& validator :
       {etag, "W/" + etag, "\"other\", " + etag, std::string("*"),
        "\"" + host::sha256_hex(tag.find("campaigns.bin")->bytes).substr(0, 16) + "\""}) {
    BOOST_TEST_CONTEXT(validator) {
      const auto again = get(s, "/vario/campaigns.bin", {{"If-None-Match", validator}});
      BOOST_TEST(again->status == 304);
      BOOST_TEST(again->body.empty());
      BOOST_TEST(again->get_header_value("Cache-Control") == "no-cache");
      BOOST_TEST(again->has_header("ETag"));
    }
  }
  const auto stale = get(s, "/vario/campaigns.bin", {{"If-None-Match", "\"0000000000000000\""}});
  BOOST_TEST(stale->status == 200);
  BOOST_TEST(stale->body == tag.find("campaigns.bin")->bytes);
}

BOOST_AUTO_TEST_CASE(files_are_sent_compressed_once_in_the_best_coding_the_client_accepts) {
  const host::BuiltTag tag = built(host::TagLayout::kSplit);
  TagServer s(tag);
  struct Case {
    const char* accept;
    const char* encoding;
  };
  for (const auto& f : tag.files) {
    for (const Case c :
         {Case{"gzip, deflate, br, zstd", "br"}, Case{"gzip, deflate", "gzip"},
          Case{"br;q=0, gzip", "gzip"}, Case{"*", "br"}, Case{"identity", ""}, Case{"", ""}}) {
      BOOST_TEST_CONTEXT(f.name << " with Accept-Encoding: " << c.accept) {
        const auto res = get(s, "/vario/" + f.name, {{"Accept-Encoding", c.accept}});
        BOOST_TEST(res->status == 200);
        BOOST_TEST(count(*res, "Content-Encoding") == (*c.encoding ? 1u : 0u));
        BOOST_TEST(res->get_header_value("Content-Encoding") == c.encoding);
        BOOST_TEST(res->body == f.bytes, "decoded once, the body is the file");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(the_checksum_of_every_file_is_published_under_v1_tags) {
  const host::BuiltTag tag = built(host::TagLayout::kSplit);
  TagServer s(tag);
  for (const auto& f : tag.files) {
    BOOST_TEST_CONTEXT(f.name) {
      const auto res = get(s, "/v1/tags/" + f.name + "/checksum");
      BOOST_TEST(res->status == 200);
      BOOST_TEST(res->get_header_value("Content-Type") == "application/json");
      BOOST_TEST(res->get_header_value("Cache-Control") == "no-cache");
      BOOST_TEST(json::parse(res->body) == json({{"file", f.name},
                                                 {"bytes", f.bytes.size()},
                                                 {"sha256", host::sha256_hex(f.bytes)},
                                                 {"sri", host::sri_sha384(f.bytes)},
                                                 {"campaigns_digest", tag.campaigns_digest}}));
    }
  }
  const auto missing = get(s, "/v1/tags/other.js/checksum");
  BOOST_TEST(missing->status == 404);
  BOOST_TEST(json::parse(missing->body).contains("error"));
}

BOOST_AUTO_TEST_CASE(unknown_tag_paths_are_not_found) {
  TagServer s(built(host::TagLayout::kSplit));
  for (const char* path : {"/vario/other.js", "/vario/", "/vario/tag.js/x", "/vario/vario.wasm"}) {
    BOOST_TEST_CONTEXT(path) { BOOST_TEST(get(s, path)->status == 404); }
  }
}
