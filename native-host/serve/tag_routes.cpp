#include "serve/tag_routes.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "tag/digest.hpp"

namespace vario::host {
namespace {

constexpr const char* kImmutable = "public, max-age=31536000, immutable";
constexpr const char* kShortCache = "public, max-age=300";
constexpr const char* kRevalidate = "no-cache";

std::string cache_control(const BuiltTag& tag, TagFileRole role, bool stable_loader) {
  switch (role) {
    case TagFileRole::kEngine:
      return kImmutable;
    case TagFileRole::kLoader:
      // Inline, tag.js changes at every publish, and so does the page's integrity value: a
      // cached copy would be refused by the browser until it expired.
      return tag.layout == TagLayout::kSplit && stable_loader ? kShortCache : kRevalidate;
    case TagFileRole::kCampaigns:
    case TagFileRole::kManifest:
      break;
  }
  return kRevalidate;
}

std::string etag(const std::string& stem, ContentCoding coding) {
  switch (coding) {
    case ContentCoding::kGzip:
      return "\"" + stem + "-gz\"";
    case ContentCoding::kBrotli:
      return "\"" + stem + "-br\"";
    case ContentCoding::kIdentity:
      break;
  }
  return "\"" + stem + "\"";
}

// Whether If-None-Match names the file as it is now, in any coding: the client then still holds
// a current copy (RFC 9110 section 13.1.2, weak comparison).
bool not_modified(std::string_view if_none_match, const std::string& stem) {
  while (!if_none_match.empty()) {
    const std::size_t comma = if_none_match.find(',');
    std::string_view tag = if_none_match.substr(0, comma);
    if_none_match =
        comma == std::string_view::npos ? std::string_view() : if_none_match.substr(comma + 1);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag == "*") return true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    for (const ContentCoding coding :
         {ContentCoding::kIdentity, ContentCoding::kGzip, ContentCoding::kBrotli})
      if (tag == etag(stem, coding)) return true;
  }
  return false;
}

// httplib's default headers are in the response before a handler runs, and set_header adds
// rather than replaces.
void replace_header(httplib::Response& res, const char* name, const std::string& value) {
  res.headers.erase(name);
  res.set_header(name, value);
}

}  // namespace

TagRoutes::TagRoutes(const BuiltTag& tag, bool stable_loader) {
  for (const TagFile& f : tag.files) {
    const std::string sha256 = sha256_hex(f.bytes);
    const nlohmann::ordered_json checksum = {{"file", f.name},
                                             {"bytes", f.bytes.size()},
                                             {"sha256", sha256},
                                             {"sri", sri_sha384(f.bytes)},
                                             {"campaigns_digest", tag.campaigns_digest}};
    files_.push_back({f.name, f.content_type, cache_control(tag, f.role, stable_loader),
                      sha256.substr(0, 16), checksum.dump(), precompress(f.bytes)});
  }
}

const TagRoutes::Served* TagRoutes::find(const std::string& name) const {
  for (const Served& f : files_)
    if (f.name == name) return &f;
  return nullptr;
}

void TagRoutes::install(httplib::Server& http) const {
  http.Get(R"(/vario/(.*))", [this](const httplib::Request& req, httplib::Response& res) {
    const Served* file = find(req.matches[1]);
    if (file == nullptr) {
      res.status = 404;
      return;
    }
    const ContentCoding coding =
        choose_coding(req.get_header_value("Accept-Encoding"), file->bytes);
    // The body below is already encoded, and httplib would compress a text/javascript body once
    // more whatever Content-Encoding says (it looks only at Accept-Encoding, when it writes the
    // response). httplib owns the request and hands it to handlers as const.
    const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");
    replace_header(res, "Cache-Control", file->cache_control);
    res.set_header("ETag", etag(file->etag_stem, coding));
    res.set_header("Vary", "Accept-Encoding");
    // The downloads are CORS requests when the page is on another origin than the tag.
    res.set_header("Access-Control-Allow-Origin", "*");
    if (not_modified(req.get_header_value("If-None-Match"), file->etag_stem)) {
      res.status = 304;
      return;
    }
    if (coding != ContentCoding::kIdentity)
      res.set_header("Content-Encoding", std::string(content_encoding(coding)));
    res.set_content(file->bytes.bytes(coding), file->content_type.c_str());
  });

  http.Get(R"(/v1/tags/([^/]+)/checksum)",
           [this](const httplib::Request& req, httplib::Response& res) {
             const Served* file = find(req.matches[1]);
             if (file == nullptr) {
               res.status = 404;
               return;
             }
             replace_header(res, "Cache-Control", kRevalidate);
             res.set_header("Access-Control-Allow-Origin", "*");
             res.set_content(file->checksum_json, "application/json");
           });
}

}  // namespace vario::host
