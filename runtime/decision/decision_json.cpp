#include <string>

#include "vario/decision.hpp"
#include "vario/json.hpp"
#include "vario/page_rules.hpp"

namespace vario {
namespace {

std::string_view class_name(ConsentClass cls) {
  switch (cls) {
    case ConsentClass::kPatch: return "patch";
    case ConsentClass::kPersonalization: return "personalization";
    case ConsentClass::kTechnicalTest: return "technical A/B test";
    case ConsentClass::kRevenueTest: return "revenue A/B test";
  }
  return "campaign";
}

// The bucket range of a variation: from the previous variation's end to its own.
std::string range_of(const fb::Campaign& campaign, const fb::Variation& variation) {
  std::uint32_t start = 0;
  for (const fb::Variation* v : *campaign.variations()) {
    if (v == &variation) break;
    start = v->bucket_end();
  }
  return "[" + json::to_decimal(start) + ", " + json::to_decimal(variation.bucket_end()) + ")";
}

std::string sentence(const Decision& d, const Visitor& visitor) {
  const fb::Campaign& c = *d.campaign;
  switch (d.reason) {
    case Reason::kNotRunning:
      return c.status() == fb::Status::Paused ? "campaign is paused" : "campaign is a draft";
    case Reason::kPageNotIncluded:
      return "page " + std::string(url_path(visitor.url)) + " matches no include rule";
    case Reason::kPageExcluded:
      return "page " + std::string(url_path(visitor.url)) + " matches an exclude rule";
    case Reason::kNeedsConsent:
      return std::string(class_name(d.consent_class)) + " needs consent, which is " +
             std::string(to_string(visitor.consent));
    case Reason::kNotInTraffic: {
      const auto* last = c.variations() && c.variations()->size()
                             ? c.variations()->Get(c.variations()->size() - 1)
                             : nullptr;
      return "bucket " + json::to_decimal(d.bucket) + " is outside the campaign's traffic [0, " +
             json::to_decimal(last ? last->bucket_end() : 0) + ")";
    }
    case Reason::kAllocated:
      return "bucket " + json::to_decimal(d.bucket) + " falls in variation " +
             std::string(d.variation->id()->string_view()) + " " + range_of(c, *d.variation);
    case Reason::kStoredAssignment:
      return "kept the variation stored for this visitor";
  }
  return "";
}

}  // namespace

std::string decisions_json(const Visitor& visitor, const std::vector<Decision>& decisions) {
  json::Writer w;
  w.begin_object();
  w.key("visitor").string(visitor.id);
  w.key("consent").string(to_string(visitor.consent));
  w.key("decisions").begin_array();
  for (const Decision& d : decisions) {
    w.begin_object();
    w.key("campaign").string(d.campaign->id()->string_view());
    w.key("applied").boolean(d.applied);
    if (d.variation) w.key("variation").string(d.variation->id()->string_view());
    if (d.bucket >= 0) w.key("bucket").integer(d.bucket);
    w.key("reason").string(sentence(d, visitor));
    w.end_object();
  }
  w.end_array().end_object();
  return w.take();
}

}  // namespace vario
