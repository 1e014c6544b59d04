#include "commands/preview.hpp"

#include <chrono>
#include <cmath>
#include <ctime>
#include <iostream>

#include "commands/commands.hpp"
#include "config/rfc3339.hpp"
#include "preview/keys.hpp"
#include "preview/preview_token.hpp"

namespace vario::host {
namespace {

const nlohmann::json* campaign_by_id(const nlohmann::json& doc, std::string_view id) {
  for (const auto& c : doc.at("campaigns"))
    if (c.at("id").get_ref<const std::string&>() == id) return &c;
  return nullptr;
}

std::string ids_of(const nlohmann::json& list) {
  std::string out;
  for (const auto& item : list) out += (out.empty() ? "" : ", ") + item.at("id").get<std::string>();
  return out;
}

}  // namespace

int run_preview(const PreviewArgs& args) {
  // Usage first: these need no file.
  ForcedVariations forced;
  for (const std::string& f : args.force) {
    const std::size_t eq = f.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == f.size()) {
      std::cerr << "vario preview: --force " << f << ": expected campaign=variation\n";
      return 2;
    }
    const std::string campaign = f.substr(0, eq);
    for (const auto& [c, v] : forced)
      if (c == campaign) {
        std::cerr << "vario preview: --force names campaign " << campaign << " twice\n";
        return 2;
      }
    forced.emplace_back(campaign, f.substr(eq + 1));
  }
  if (forced.empty()) {
    std::cerr << "vario preview: at least one --force campaign=variation is required\n";
    return 2;
  }
  if (const auto problem = kHoursRange.problem(args.hours)) {
    std::cerr << "vario preview: --hours: " << *problem << "\n";
    return 2;
  }

  const auto doc = load_valid_campaigns(args.campaigns);
  if (!doc) return 1;
  const std::string file = args.campaigns.string();
  for (const auto& [campaign_id, variation_id] : forced) {
    const nlohmann::json* campaign = campaign_by_id(*doc, campaign_id);
    if (!campaign) {
      std::cerr << file << ": has no campaign " << campaign_id
                << " (campaigns: " << ids_of(doc->at("campaigns")) << ")\n";
      return 1;
    }
    bool found = false;
    for (const auto& v : campaign->at("variations")) found = found || v.at("id") == variation_id;
    if (!found) {
      std::cerr << file << ": campaign " << campaign_id << " has no variation " << variation_id
                << " (variations: " << ids_of(campaign->at("variations")) << ")\n";
      return 1;
    }
  }
  const auto preview = doc->find("preview");
  if (preview == doc->end() || !preview->contains("public_key")) {
    std::cerr << file
              << ": has no \"preview\": {\"public_key\": ...}; run vario keygen and add "
                 "the key it prints\n";
    return 1;
  }
  std::string why;
  const auto public_key = read_public_key(preview->at("public_key").get<std::string>(), &why);
  if (!public_key) {
    std::cerr << file << ": /preview/public_key: " << why << "\n";
    return 1;
  }
  const auto key = read_private_key(args.key, &why);
  if (!key) {
    std::cerr << why << "\n";
    return 1;
  }
  if (EVP_PKEY_eq(key->get(), public_key->get()) != 1) {
    std::cerr << args.key.string() << ": does not match " << file
              << "'s preview.public_key; the tag would reject links signed with it\n";
    return 1;
  }

  const double now_seconds =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const auto expires = static_cast<std::int64_t>(std::floor(now_seconds + args.hours * 3600));
  const std::string token = sign_preview_token(key->get(), forced, expires);
  std::cerr << "Preview link, valid until " << format_rfc3339_utc(expires) << ":\n";
  std::cout << add_preview_parameter(args.url, token) << "\n";
  return 0;
}

}  // namespace vario::host
