#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "vario/attributes.hpp"
#include "vario/bucketing.hpp"
#include "vario/conditions.hpp"
#include "vario/decision.hpp"
#include "vario/page_rules.hpp"

namespace vario {
namespace {

using Rules = flatbuffers::Vector<flatbuffers::Offset<fb::PageRule>>;

PageRule to_rule(const fb::PageRule& r) {
  return {static_cast<MatchKind>(r.match()), r.value()->string_view(), static_cast<UrlPart>(r.on()),
          r.param() ? r.param()->string_view() : std::string_view()};
}

// Which rule of `rules` matches the page first: its index, -1 for none, nullopt when a regex
// rule is rejected by the host (the campaign cannot be decided as written).
std::optional<int> first_matching_rule(const Rules* rules, const UrlParts& url,
                                       const RegexTester& regex) {
  if (!rules) return -1;
  for (flatbuffers::uoffset_t i = 0; i < rules->size(); ++i) {
    const std::optional<bool> m = page_rule_matches(to_rule(*rules->Get(i)), url, regex);
    if (!m) return std::nullopt;
    if (*m) return static_cast<int>(i);
  }
  return -1;
}

const fb::Variation* variation_by_id(const fb::Campaign& campaign, std::string_view id) {
  if (!campaign.variations()) return nullptr;
  for (const fb::Variation* v : *campaign.variations())
    if (v->id()->string_view() == id) return v;
  return nullptr;
}

const fb::Variation* listed_variation(
    const fb::Campaign& campaign, const std::vector<std::pair<std::string, std::string>>& list) {
  for (const auto& [campaign_id, variation_id] : list)
    if (campaign_id == campaign.id()->string_view()) return variation_by_id(campaign, variation_id);
  return nullptr;
}

// The value hashed for this campaign: its hash attribute when the visitor has it (a string,
// or a whole number written in decimal), else the Vario visitor id.
std::string hash_value(const fb::Campaign& campaign, const Visitor& visitor) {
  if (const auto* name = campaign.hash_attribute()) {
    if (const json::Value* v = attribute_at(visitor.attributes, name->string_view())) {
      if (v->is_string() && !v->as_string().empty()) return v->as_string();
      if (v->type() == json::Value::Type::kNumber && v->as_number() >= 0 &&
          v->as_number() < 9007199254740992.0 && std::floor(v->as_number()) == v->as_number())
        return json::to_decimal(static_cast<std::uint64_t>(v->as_number()));
    }
  }
  return visitor.id;
}

std::string_view seed_of(const fb::Campaign& campaign) {
  return campaign.seed() ? campaign.seed()->string_view() : campaign.id()->string_view();
}

// Optimizely's layout: variations take consecutive bucket ranges of traffic * weight, each end
// rounded to a whole bucket, the last closing exactly at the traffic bound.
int murmur_variation(const fb::Campaign& campaign, std::uint32_t bucket, std::string* detail) {
  const auto& vars = *campaign.variations();
  double cumulative = 0;
  long start = 0;
  for (flatbuffers::uoffset_t i = 0; i < vars.size(); ++i) {
    cumulative += vars.Get(i)->weight();
    const double end_exact = (i + 1 == vars.size())
                                 ? campaign.traffic() * kBucketCount
                                 : campaign.traffic() * cumulative * kBucketCount;
    const long end = std::clamp(std::lround(end_exact), 0L, static_cast<long>(kBucketCount));
    if (bucket < static_cast<std::uint32_t>(end) && bucket >= static_cast<std::uint32_t>(start)) {
      if (detail) *detail = "[" + json::to_decimal(start) + ", " + json::to_decimal(end) + ")";
      return static_cast<int>(i);
    }
    start = std::max(start, end);
  }
  if (detail) *detail = "[0, " + json::to_decimal(start) + ")";
  return -1;
}

bool in_holdout(const Config& config, flatbuffers::uoffset_t index, const Visitor& visitor,
                std::string* detail) {
  const auto* holdouts = config.root().holdouts();
  if (!holdouts) return false;
  for (const fb::Holdout* h : *holdouts) {
    if (!h->campaigns()) continue;
    const auto& members = *h->campaigns();
    if (std::find(members.begin(), members.end(), index) == members.end()) continue;
    const std::uint32_t bucket = murmur3_bucket(visitor.id, h->id()->string_view());
    const long limit = std::lround(h->traffic() * kBucketCount);
    if (bucket < static_cast<std::uint32_t>(limit)) {
      if (detail)
        *detail = "holdout " + std::string(h->id()->string_view()) + ": bucket " +
                  json::to_decimal(bucket) + " < " + json::to_decimal(limit);
      return true;
    }
  }
  return false;
}

// One visitor's regex questions, each asked of the host once: campaigns test the same few
// patterns against the same attributes (the user agent, the page) again and again, and every
// question is a call out of the wasm. Patterns are views of the campaigns, which outlive a
// decide; subjects may be made on the fly, so they are copied.
class RegexMemo final : public RegexTester {
 public:
  explicit RegexMemo(const RegexTester& host) : host_(host) {}
  std::optional<bool> regex_test(std::string_view pattern, std::string_view flags,
                                 std::string_view subject) const override {
    for (const Entry& e : asked_)
      if (e.pattern == pattern && e.flags == flags && e.subject == subject) return e.answer;
    const std::optional<bool> answer = host_.regex_test(pattern, flags, subject);
    asked_.push_back({pattern, flags, std::string(subject), answer});
    return answer;
  }

 private:
  struct Entry {
    std::string_view pattern, flags;
    std::string subject;
    std::optional<bool> answer;
  };
  const RegexTester& host_;
  mutable std::vector<Entry> asked_;
};

// Up to two decimals of a share for explanations ("0.25"), without printf.
std::string share_text(double x) {
  const long hundredths = std::lround(x * 100);
  std::string out = json::to_decimal(static_cast<std::uint64_t>(hundredths / 100)) + ".";
  const long frac = hundredths % 100;
  out += static_cast<char>('0' + frac / 10);
  out += static_cast<char>('0' + frac % 10);
  return out;
}

}  // namespace

ConsentClass consent_class_of(const fb::Campaign& campaign) {
  if (campaign.third_party()) return ConsentClass::kThirdParty;
  switch (campaign.type()) {
    case fb::CampaignType::Patch:
      return ConsentClass::kPatch;
    case fb::CampaignType::Personalization:
      return ConsentClass::kPersonalization;
    case fb::CampaignType::AbTest:
      return campaign.purpose() == fb::Purpose::Revenue ? ConsentClass::kRevenueTest
                                                        : ConsentClass::kTechnicalTest;
  }
  return ConsentClass::kRevenueTest;  // unknown kinds get the strictest row
}

std::vector<Decision> decide(const Config& config, const Visitor& visitor,
                             const RegexTester& host_regex, bool explain) {
  std::vector<Decision> out;
  const auto* campaigns = config.root().campaigns();
  if (!campaigns) return out;
  out.reserve(campaigns->size());
  const RegexMemo regex(host_regex);
  AttributeMemo attributes(visitor.attributes);
  const ConditionContext conditions{&config.saved_groups(), &regex, &attributes};
  const bool bots_excluded = !config.settings().include_bots();
  const UrlParts url(visitor.url);

  for (flatbuffers::uoffset_t index = 0; index < campaigns->size(); ++index) {
    const fb::Campaign* campaign = campaigns->Get(index);
    Decision d;
    d.campaign = campaign;
    d.consent_class = consent_class_of(*campaign);
    std::string* detail = explain ? &d.detail : nullptr;
    const fb::Variation* forced = listed_variation(*campaign, visitor.forced);
    const auto decided = [&](Reason reason, const fb::Variation* variation = nullptr) {
      d.reason = reason;
      d.variation = variation;
      d.applied = variation != nullptr;
      out.push_back(std::move(d));
    };

    if (!forced && campaign->status() != fb::Status::Running) {
      decided(Reason::kNotRunning);
      continue;
    }
    if (!forced && campaign->start_ms() && visitor.now_ms < campaign->start_ms()) {
      decided(Reason::kNotStarted);
      continue;
    }
    if (!forced && campaign->end_ms() && visitor.now_ms >= campaign->end_ms()) {
      decided(Reason::kEnded);
      continue;
    }
    const auto included = first_matching_rule(campaign->include(), url, regex);
    const auto excluded = included && *included >= 0
                              ? first_matching_rule(campaign->exclude(), url, regex)
                              : std::optional<int>(-1);
    if (!included || !excluded) {
      if (detail) *detail = "a regex page rule is rejected by the browser";
      decided(Reason::kConditionInvalid);
      continue;
    }
    if (*included < 0) {
      decided(Reason::kPageNotIncluded);
      continue;
    }
    if (*excluded >= 0) {
      if (detail)
        *detail = "exclude rule " + json::to_decimal(static_cast<std::uint64_t>(*excluded));
      decided(Reason::kPageExcluded);
      continue;
    }
    if (!forced && bots_excluded && visitor.bot) {
      decided(Reason::kBot);
      continue;
    }
    if (!permissions(d.consent_class, visitor.consent).apply_changes) {
      decided(Reason::kNeedsConsent);
      continue;
    }
    if (forced) {
      decided(Reason::kForced, forced);
      continue;
    }

    const Config::Audience& audience = config.audience(index);
    if (!audience.problem.empty()) {
      if (detail) *detail = audience.problem;
      decided(Reason::kConditionInvalid);
      continue;
    }
    if (audience.condition) {
      // A condition the host could not evaluate (a rejected regex) keeps the campaign off even
      // where the rest of it holds. Only an explanation evaluates a second time, recording why.
      const ConditionOutcome outcome =
          evaluate_condition(visitor.attributes, *audience.condition, conditions);
      if (outcome.invalid || !outcome.matched) {
        if (detail) {
          ConditionTrace trace;
          eval_condition(visitor.attributes, *audience.condition, conditions, &trace);
          *detail = trace.path.empty() ? trace.detail : trace.path + ": " + trace.detail;
        }
        decided(outcome.invalid ? Reason::kConditionInvalid : Reason::kAudienceNotMatched);
        continue;
      }
    }

    if (const fb::Variation* kept = listed_variation(*campaign, visitor.assignments)) {
      decided(Reason::kStoredAssignment, kept);
      continue;
    }
    if (in_holdout(config, index, visitor, detail)) {
      decided(Reason::kInHoldout);
      continue;
    }
    const std::string hashed = hash_value(*campaign, visitor);
    if (const auto* group = campaign->group()) {
      if (!in_namespace(hashed, group->string_view(), campaign->group_start(),
                        campaign->group_end())) {
        if (detail)
          *detail = "group " + std::string(group->string_view()) + " slot [" +
                    share_text(campaign->group_start()) + ", " + share_text(campaign->group_end()) +
                    ") belongs to this campaign; the visitor's is elsewhere";
        decided(Reason::kOutsideGroup);
        continue;
      }
    }

    if (!campaign->variations() || campaign->variations()->size() == 0) {
      decided(Reason::kNotInTraffic);
      continue;
    }
    int chosen = -1;
    if (campaign->hash() == fb::HashScheme::Murmur3X86_32Seed1) {
      const std::uint32_t bucket = murmur3_bucket(hashed, seed_of(*campaign));
      d.bucket = static_cast<std::int32_t>(bucket);
      chosen = murmur_variation(*campaign, bucket, detail);
    } else {
      const int version = campaign->hash() == fb::HashScheme::GrowthBookFnv1aV1 ? 1 : 2;
      const double n = growthbook_hash(seed_of(*campaign), hashed, version).value_or(-1);
      d.bucket = static_cast<std::int32_t>(std::lround(n * kBucketCount));
      std::vector<double> weights;
      for (const fb::Variation* v : *campaign->variations()) weights.push_back(v->weight());
      const auto ranges =
          bucket_ranges(static_cast<int>(weights.size()), campaign->traffic(), weights);
      chosen = choose_variation(n, ranges);
      if (detail) {
        if (chosen >= 0) {
          *detail = "[" + share_text(ranges[chosen].first) + ", " +
                    share_text(ranges[chosen].second) + ")";
        } else {
          *detail = "traffic " + share_text(campaign->traffic());
        }
      }
    }
    if (chosen < 0) {
      decided(Reason::kNotInTraffic);
      continue;
    }
    decided(Reason::kAllocated,
            campaign->variations()->Get(static_cast<flatbuffers::uoffset_t>(chosen)));
  }
  return out;
}

std::vector<std::size_t> application_order(const std::vector<Decision>& decisions) {
  // Insertion sort: stable, a handful of campaigns, and a fraction of std::stable_sort's code
  // in the wasm.
  std::vector<std::size_t> order;
  order.reserve(decisions.size());
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    std::size_t at = order.size();
    while (at > 0 &&
           decisions[order[at - 1]].campaign->priority() > decisions[i].campaign->priority())
      --at;
    order.insert(order.begin() + static_cast<std::ptrdiff_t>(at), i);
  }
  return order;
}

}  // namespace vario
