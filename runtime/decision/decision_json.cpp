#include <string>

#include "vario/decision.hpp"
#include "vario/json.hpp"
#include "vario/page_rules.hpp"

namespace vario {
namespace {

std::string_view class_name(ConsentClass cls) {
  switch (cls) {
    case ConsentClass::kPatch:
      return "patch";
    case ConsentClass::kPersonalization:
      return "personalization";
    case ConsentClass::kTechnicalTest:
      return "technical A/B test";
    case ConsentClass::kRevenueTest:
      return "revenue A/B test";
    case ConsentClass::kThirdParty:
      return "campaign on third-party data";
  }
  return "campaign";
}

// The reason's sentence, appended to `out` (cleared first). One buffer serves every decision of a
// page: a page start writes a hundred of these, so no sentence is built from temporaries.
void sentence(const Decision& d, const Visitor& visitor, std::string& out) {
  out.clear();
  const fb::Campaign& c = *d.campaign;
  const auto bucket = [&] {
    out += "bucket ";
    out += json::to_decimal(static_cast<std::uint64_t>(d.bucket));
  };
  switch (d.reason) {
    case Reason::kNotRunning:
      out += c.status() == fb::Status::Paused ? "campaign is paused" : "campaign is a draft";
      return;
    case Reason::kNotStarted:
      out += "campaign has not started yet";
      return;
    case Reason::kEnded:
      out += "campaign has ended";
      return;
    case Reason::kPageNotIncluded:
      out.append("page ").append(url_path(visitor.url)).append(" matches no include rule");
      return;
    case Reason::kPageExcluded:
      out.append("page ").append(url_path(visitor.url)).append(" matches an exclude rule");
      break;
    case Reason::kBot:
      out += "bots and automated browsers are excluded";
      return;
    case Reason::kNeedsConsent: {
      const Capability needed = d.consent_class == ConsentClass::kThirdParty
                                    ? Capability::kThirdParty
                                    : Capability::kPersonalization;
      out.append(class_name(d.consent_class)).append(" needs ").append(to_string(needed));
      out.append(" consent, which is ").append(to_string(visitor.consent.of(needed)));
      return;
    }
    case Reason::kConditionInvalid:
      out += "campaign cannot be evaluated as written";
      break;
    case Reason::kAudienceNotMatched:
      out += "visitor is not in the audience";
      break;
    case Reason::kStoredAssignment:
      out += "kept the variation stored for this visitor";
      return;
    case Reason::kInHoldout:
      out += "visitor is held out";
      break;
    case Reason::kOutsideGroup:
      out += "visitor is in another campaign's slot of its exclusive group";
      break;
    case Reason::kNotInTraffic:
      bucket();
      out += " is outside the campaign's traffic";
      break;
    case Reason::kAllocated:
      bucket();
      out.append(" falls in variation ").append(d.variation->id()->string_view());
      break;
    case Reason::kForced:
      out += "variation forced by a preview link";
      return;
  }
  // " (detail)" when there is one.
  if (!d.detail.empty()) out.append(" (").append(d.detail).append(")");
}

}  // namespace

std::string decisions_json(const Visitor& visitor, const std::vector<Decision>& decisions) {
  json::Writer w;
  w.reserve(64 + 160 * decisions.size());
  std::string reason;
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
    sentence(d, visitor, reason);
    w.key("reason").string(reason);
    w.end_object();
  }
  w.end_array().end_object();
  return w.take();
}

}  // namespace vario
