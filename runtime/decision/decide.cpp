#include "vario/bucketing.hpp"
#include "vario/decision.hpp"
#include "vario/page_rules.hpp"

namespace vario {
namespace {

bool any_rule_matches(const flatbuffers::Vector<flatbuffers::Offset<fb::PageRule>>* rules,
                      std::string_view path) {
  if (!rules) return false;
  for (const fb::PageRule* rule : *rules) {
    const auto kind = static_cast<MatchKind>(rule->match());
    if (page_rule_matches(kind, rule->value()->string_view(), path)) return true;
  }
  return false;
}

const fb::Variation* variation_by_id(const fb::Campaign& campaign, std::string_view id) {
  if (!campaign.variations()) return nullptr;
  for (const fb::Variation* v : *campaign.variations())
    if (v->id()->string_view() == id) return v;
  return nullptr;
}

const fb::Variation* stored_variation(const fb::Campaign& campaign, const Visitor& visitor) {
  for (const auto& [campaign_id, variation_id] : visitor.assignments)
    if (campaign_id == campaign.id()->string_view()) return variation_by_id(campaign, variation_id);
  return nullptr;
}

// Variations own consecutive bucket ranges [previous end, end); buckets past the last end are
// outside the campaign's traffic.
const fb::Variation* variation_for_bucket(const fb::Campaign& campaign, std::uint32_t bucket) {
  if (!campaign.variations()) return nullptr;
  for (const fb::Variation* v : *campaign.variations())
    if (bucket < v->bucket_end()) return v;
  return nullptr;
}

}  // namespace

ConsentClass consent_class_of(const fb::Campaign& campaign) {
  switch (campaign.type()) {
    case fb::CampaignType::Patch: return ConsentClass::kPatch;
    case fb::CampaignType::Personalization: return ConsentClass::kPersonalization;
    case fb::CampaignType::AbTest:
      return campaign.purpose() == fb::Purpose::Revenue ? ConsentClass::kRevenueTest
                                                        : ConsentClass::kTechnicalTest;
  }
  return ConsentClass::kRevenueTest;  // unknown kinds get the strictest row
}

std::vector<Decision> decide(const Config& config, const Visitor& visitor) {
  std::vector<Decision> out;
  const auto* campaigns = config.root().campaigns();
  if (!campaigns) return out;
  const std::string_view path = url_path(visitor.url);
  out.reserve(campaigns->size());

  for (const fb::Campaign* campaign : *campaigns) {
    Decision d;
    d.campaign = campaign;
    d.consent_class = consent_class_of(*campaign);
    if (campaign->status() != fb::Status::Running) {
      d.reason = Reason::kNotRunning;
    } else if (!any_rule_matches(campaign->include(), path)) {
      d.reason = Reason::kPageNotIncluded;
    } else if (any_rule_matches(campaign->exclude(), path)) {
      d.reason = Reason::kPageExcluded;
    } else if (!permissions(d.consent_class, visitor.consent).apply_changes) {
      d.reason = Reason::kNeedsConsent;
    } else if (const fb::Variation* kept = stored_variation(*campaign, visitor)) {
      d.applied = true;
      d.variation = kept;
      d.reason = Reason::kStoredAssignment;
    } else {
      const std::uint32_t bucket = murmur3_bucket(visitor.id, campaign->id()->string_view());
      d.bucket = static_cast<std::int32_t>(bucket);
      d.variation = variation_for_bucket(*campaign, bucket);
      d.applied = d.variation != nullptr;
      d.reason = d.applied ? Reason::kAllocated : Reason::kNotInTraffic;
    }
    out.push_back(d);
  }
  return out;
}

}  // namespace vario
