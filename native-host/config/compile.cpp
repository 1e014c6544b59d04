#include "config/compile.hpp"

#include <algorithm>
#include <cmath>

#include "vario/campaigns_generated.h"
#include "vario/config.hpp"

namespace vario::host {
namespace {

using nlohmann::json;
namespace fbs = flatbuffers;

fb::CampaignType campaign_type(const std::string& s) {
  if (s == "patch") return fb::CampaignType::Patch;
  if (s == "personalization") return fb::CampaignType::Personalization;
  return fb::CampaignType::AbTest;
}

fb::Status status(const std::string& s) {
  if (s == "paused") return fb::Status::Paused;
  if (s == "draft") return fb::Status::Draft;
  return fb::Status::Running;
}

fb::MatchKind match_kind(const std::string& s) {
  if (s == "prefix") return fb::MatchKind::Prefix;
  if (s == "contains") return fb::MatchKind::Contains;
  if (s == "glob") return fb::MatchKind::Glob;
  return fb::MatchKind::Exact;
}

fbs::Offset<fbs::Vector<fbs::Offset<fb::PageRule>>> rules(fbs::FlatBufferBuilder& b,
                                                          const json& list) {
  std::vector<fbs::Offset<fb::PageRule>> out;
  for (const json& r : list)
    out.push_back(fb::CreatePageRule(b, match_kind(r.at("match").get<std::string>()),
                                     b.CreateString(r.at("value").get<std::string>())));
  return b.CreateVector(out);
}

fbs::Offset<fb::Variation> variation(fbs::FlatBufferBuilder& b, const json& v,
                                     std::uint16_t bucket_end) {
  std::vector<fbs::Offset<fb::Change>> changes;
  for (const json& c : v.at("changes"))
    changes.push_back(fb::CreateChange(b, fb::Action::SetText,
                                       b.CreateString(c.at("selector").get<std::string>()),
                                       b.CreateString(c.at("value").get<std::string>())));
  return fb::CreateVariation(b, b.CreateString(v.at("id").get<std::string>()), bucket_end,
                             b.CreateVector(changes));
}

fbs::Offset<fb::Campaign> campaign(fbs::FlatBufferBuilder& b, const json& c) {
  const double traffic = c.value("traffic", 1.0);
  const json& vars = c.at("variations");
  std::vector<fbs::Offset<fb::Variation>> variations;
  double cumulative = 0;
  for (std::size_t i = 0; i < vars.size(); ++i) {
    cumulative += vars[i].at("weight").get<double>();
    // The last range closes exactly at the traffic bound, whatever the float rounding of the
    // weights' sum.
    const double end = (i + 1 == vars.size()) ? traffic * 10000 : traffic * cumulative * 10000;
    const auto bucket_end = static_cast<std::uint16_t>(std::clamp(std::lround(end), 0L, 10000L));
    variations.push_back(variation(b, vars[i], bucket_end));
  }
  const json& pages = c.at("pages");
  return fb::CreateCampaign(
      b, b.CreateString(c.at("id").get<std::string>()),
      campaign_type(c.at("type").get<std::string>()),
      c.at("purpose").get<std::string>() == "revenue" ? fb::Purpose::Revenue
                                                      : fb::Purpose::Technical,
      status(c.value("status", "running")), rules(b, pages.at("include")),
      rules(b, pages.value("exclude", json::array())), fb::HashScheme::Murmur3X86_32Seed1,
      b.CreateVector(variations));
}

}  // namespace

std::string compile_campaigns(const json& doc) {
  fbs::FlatBufferBuilder b(1024);
  std::vector<fbs::Offset<fb::Campaign>> campaigns;
  for (const json& c : doc.at("campaigns")) campaigns.push_back(campaign(b, c));
  const json consent = doc.value("consent", json::object());
  const auto settings = fb::CreateSettings(
      b, b.CreateString(doc.at("account").get<std::string>()),
      b.CreateString(doc.value("collector", std::string("/v1/events"))),
      consent.value("required", true), doc.value("anti_flicker_ms", 1500u));
  b.Finish(fb::CreateCampaigns(b, kFormatVersion, settings, b.CreateVector(campaigns)),
           fb::CampaignsIdentifier());
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

std::vector<std::string> anti_flicker_selectors(const json& doc) {
  std::vector<std::string> out;
  for (const json& c : doc.at("campaigns")) {
    if (c.value("status", "running") != "running") continue;
    for (const json& v : c.at("variations"))
      for (const json& change : v.at("changes")) {
        std::string selector = change.at("selector").get<std::string>();
        if (std::find(out.begin(), out.end(), selector) == out.end())
          out.push_back(std::move(selector));
      }
  }
  return out;
}

}  // namespace vario::host
