#include "vario/engine.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "vario/attributes.hpp"
#include "vario/changes.hpp"
#include "vario/consent_gate.hpp"
#include "vario/decision.hpp"
#include "vario/events.hpp"
#include "vario/json.hpp"
#include "vario/page_rules.hpp"
#include "vario/preview.hpp"
#include "vario/url.hpp"

namespace vario {
namespace {

struct PageContext {
  PageEnvironment env;
  std::optional<ConsentState> consent;
  std::string preview;  // a token whose signature the host verified
};

Result<PageContext> parse_context(std::string_view text) {
  auto parsed = json::parse(text);
  if (!parsed.ok()) return make_error(ErrorCode::kInvalidArgument, "page context: " + parsed.error().message);
  const json::Value& doc = parsed.value();
  auto env = read_environment(doc, "page context");
  if (!env.ok()) return env.error();
  PageContext ctx{std::move(env).value(), std::nullopt, {}};
  if (const json::Value* c = doc.find("consent")) {
    ctx.consent = c->is_string() ? parse_consent(c->as_string()) : std::nullopt;
    if (!ctx.consent)
      return make_error(ErrorCode::kInvalidArgument,
                        "page context: /consent must be \"granted\", \"denied\" or \"pending\"");
  }
  if (const json::Value* p = doc.find("preview")) {
    if (!p->is_string())
      return make_error(ErrorCode::kInvalidArgument, "page context: /preview must be a string");
    ctx.preview = p->as_string();
  }
  return ctx;
}

// The attributes conditions see on this page: built-ins, then declared attributes read from
// the page, then what the site pushed. Third-party attributes exist only with consent: the
// gate refuses to read them, and pushed ones are dropped here.
json::Value page_attributes(const Config& config, ConsentGate& gate, const PageEnvironment& env,
                            const std::optional<VisitCounts>& counts) {
  json::Value attributes = builtin_attributes(env, counts);
  json::Value pushed = env.pushed;
  const bool granted = gate.state() == ConsentState::kGranted;
  if (const auto* declared = config.root().attributes()) {
    for (const fb::Attribute* a : *declared) {
      const std::string_view name = a->name()->string_view();
      if (a->source() == fb::AttributeSource::Pushed) {
        if (a->third_party() && !granted) pushed.set(name, json::Value());
        continue;
      }
      const auto raw = gate.read_page_value(static_cast<PageValueSource>(a->source()),
                                            a->key() ? a->key()->string_view() : name,
                                            a->third_party());
      if (!raw) continue;
      if (auto value = json::parse(*raw); value.ok()) attributes.set(name, std::move(value).value());
    }
  }
  merge_attributes(attributes, pushed);
  return attributes;
}

std::string new_id(ConsentGate& gate) {
  std::array<std::uint8_t, 16> bytes{};
  gate.random_bytes(bytes);
  return random_hex_id(bytes);
}

}  // namespace

std::string random_hex_id(std::span<const std::uint8_t, 16> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (std::size_t i = 0; i < 16; ++i) {
    id[2 * i] = kHex[bytes[i] >> 4];
    id[2 * i + 1] = kHex[bytes[i] & 15];
  }
  return id;
}

Status Engine::load(std::span<const std::uint8_t> campaigns_bin) {
  auto config = Config::from_bytes(campaigns_bin);
  if (!config.ok()) return config.error();
  config_.emplace(std::move(config).value());
  return Ok{};
}

Result<std::string> Engine::decide(std::string_view visitor_json) const {
  if (!config_) return make_error(ErrorCode::kNotLoaded, "decide: no campaigns loaded");
  auto visitor = parse_visitor(visitor_json, *config_, host_.now_ms());
  if (!visitor.ok()) return visitor.error();
  return decisions_json(visitor.value(),
                        vario::decide(*config_, visitor.value(), host_, /*explain=*/true));
}

Result<std::string> Engine::run_page(std::string_view context_json) {
  if (!config_) return make_error(ErrorCode::kNotLoaded, "run: no campaigns loaded");
  auto context = parse_context(context_json);
  if (!context.ok()) return context.error();
  const fb::Settings& settings = config_->settings();

  const ConsentState consent = context.value().consent.value_or(
      settings.consent_required() ? ConsentState::kPending : ConsentState::kGranted);
  ConsentGate gate(host_, consent);

  const PageEnvironment& env = context.value().env;
  const double now_ms = gate.now_ms();
  Visitor visitor;
  visitor.url = env.url;
  visitor.consent = consent;
  visitor.now_ms = now_ms;
  visitor.bot = is_bot(env);
  // With consent the visitor keeps one id; without, each page gets a throwaway id that is
  // never stored or sent, and stickiness comes from the stored assignments alone.
  const std::optional<std::string> stored_id = gate.read_visitor_id();
  const bool identified = stored_id && stored_id->size() == 32;
  visitor.id = identified ? *stored_id : new_id(gate);
  if (!identified) gate.write_visitor_id(visitor.id);
  // "a=x&b=y", as ConsentGate::write_assignments stores them: ids are [A-Za-z0-9_-], so they
  // read back unchanged as form parameters.
  if (auto stored = gate.read_assignments()) visitor.assignments = query_params(*stored);

  std::optional<VisitCounts> counts;
  if (consent == ConsentState::kGranted) {
    counts = next_visit_counts(gate.read_visit_counts(), std::floor(now_ms / 1000));
    gate.write_visit_counts(format_visit_counts(*counts));
  }
  visitor.attributes = page_attributes(*config_, gate, env, counts);

  std::vector<Event> events;
  const std::int64_t now = static_cast<std::int64_t>(now_ms);
  const auto health = [&](std::string_view campaign, std::string_view code, std::string message) {
    gate.log(LogLevel::kWarning, message);
    events.push_back(Event{EventType::kHealth, std::nullopt, new_id(gate), now,
                           std::string(campaign), "", std::string(code), std::move(message)});
  };

  // A preview page shows what QA asked for and must not count: no impressions, no stored
  // assignments.
  if (!context.value().preview.empty()) {
    auto preview = read_preview(context.value().preview, now_ms);
    if (preview.ok()) {
      gate.write_preview_token(context.value().preview,
                               preview.value().expires_seconds - now / 1000);
      visitor.forced = std::move(preview).value().forced;
    } else {
      health("", "preview_rejected", preview.error().message);
    }
  }
  const bool previewing = !visitor.forced.empty();

  std::vector<Decision> decisions =
      vario::decide(*config_, visitor, gate.regex(), /*explain=*/false);
  // Explanations cost time on every page; build them only when there is a problem to report.
  if (std::any_of(decisions.begin(), decisions.end(),
                  [](const Decision& d) { return d.reason == Reason::kConditionInvalid; }))
    decisions = vario::decide(*config_, visitor, gate.regex(), /*explain=*/true);

  for (const std::size_t i : application_order(decisions)) {
    const Decision& d = decisions[i];
    if (d.reason == Reason::kConditionInvalid)
      health(d.campaign->id()->string_view(), "condition_invalid",
             "campaign " + std::string(d.campaign->id()->string_view()) +
                 " does not apply: it cannot be evaluated as written (" + d.detail + ")");
    if (!d.applied) continue;
    for (const ChangeFailure& f : apply_changes(*d.variation, gate))
      health(d.campaign->id()->string_view(), "selector_rejected", f.message + ": " + f.selector);
    if (previewing) continue;
    events.push_back(Event{EventType::kImpression, d.consent_class, new_id(gate), now,
                           std::string(d.campaign->id()->string_view()),
                           std::string(d.variation->id()->string_view()), "", ""});
  }
  gate.reveal();

  // Keep every assignment the visitor has (this page's and other pages' campaigns); the gate
  // drops those that consent does not allow to be stored.
  std::vector<ConsentGate::StoredAssignment> keep;
  for (const Decision& d : decisions) {
    const fb::Variation* v = d.reason == Reason::kForced ? nullptr : d.variation;
    if (!v) {
      for (const auto& [c, var] : visitor.assignments)
        if (c == d.campaign->id()->string_view())
          keep.push_back({c, var, d.consent_class});
      continue;
    }
    keep.push_back({d.campaign->id()->string_view(), v->id()->string_view(), d.consent_class});
  }
  gate.write_assignments(keep);

  if (!events.empty()) {
    std::string why;
    const auto url = resolve_collector(settings.collector()->string_view(), visitor.url, why);
    if (!url) {
      gate.log(LogLevel::kWarning, "events not sent: " + why);
    } else {
      // The gate strips the visitor id from every event that consent does not let identify.
      const EventContext ctx{settings.account()->string_view(), visitor.id, url_path(visitor.url)};
      gate.send_events(*url, events, ctx);
    }
  }
  return decisions_json(visitor, decisions);
}

}  // namespace vario
