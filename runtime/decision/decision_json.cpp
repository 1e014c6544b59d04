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
    case ConsentClass::kThirdParty: return "campaign on third-party data";
  }
  return "campaign";
}

// " (detail)" when there is one.
std::string with_detail(std::string sentence, const Decision& d) {
  if (!d.detail.empty()) sentence += " (" + d.detail + ")";
  return sentence;
}

std::string sentence(const Decision& d, const Visitor& visitor) {
  const fb::Campaign& c = *d.campaign;
  const std::string bucket = "bucket " + json::to_decimal(static_cast<std::uint64_t>(d.bucket));
  switch (d.reason) {
    case Reason::kNotRunning:
      return c.status() == fb::Status::Paused ? "campaign is paused" : "campaign is a draft";
    case Reason::kNotStarted:
      return "campaign has not started yet";
    case Reason::kEnded:
      return "campaign has ended";
    case Reason::kPageNotIncluded:
      return "page " + std::string(url_path(visitor.url)) + " matches no include rule";
    case Reason::kPageExcluded:
      return with_detail("page " + std::string(url_path(visitor.url)) + " matches an exclude rule", d);
    case Reason::kBot:
      return "bots and automated browsers are excluded";
    case Reason::kNeedsConsent: {
      const Capability needed = d.consent_class == ConsentClass::kThirdParty
                                    ? Capability::kThirdParty
                                    : Capability::kPersonalization;
      return std::string(class_name(d.consent_class)) + " needs " + std::string(to_string(needed)) +
             " consent, which is " + std::string(to_string(visitor.consent.of(needed)));
    }
    case Reason::kConditionInvalid:
      return with_detail("campaign cannot be evaluated as written", d);
    case Reason::kAudienceNotMatched:
      return with_detail("visitor is not in the audience", d);
    case Reason::kStoredAssignment:
      return "kept the variation stored for this visitor";
    case Reason::kInHoldout:
      return with_detail("visitor is held out", d);
    case Reason::kOutsideGroup:
      return with_detail("visitor is in another campaign's slot of its exclusive group", d);
    case Reason::kNotInTraffic:
      return with_detail(bucket + " is outside the campaign's traffic", d);
    case Reason::kAllocated:
      return with_detail(bucket + " falls in variation " +
                             std::string(d.variation->id()->string_view()),
                         d);
    case Reason::kForced:
      return "variation forced by a preview link";
  }
  return "";
}

}  // namespace

std::string decisions_json(const Visitor& visitor, const std::vector<Decision>& decisions) {
  json::Writer w;
  w.begin_object();
  w.key("visitor").string(visitor.id);
  // One word when every capability agrees, else each capability's state.
  if (const auto all = visitor.consent.uniform()) {
    w.key("consent").string(to_string(*all));
  } else {
    w.key("consent").begin_object();
    for (const Capability c : kCapabilities)
      w.key(to_string(c)).string(to_string(visitor.consent.of(c)));
    w.end_object();
  }
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
