#include "engine/page_session.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "vario/engine.hpp"
#include "vario/json.hpp"
#include "vario/preview.hpp"
#include "vario/redirect.hpp"
#include "vario/url.hpp"

namespace vario {
namespace {

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

// The variation's redirect change, if it is a redirect variation.
const fb::Change* redirect_of(const fb::Variation& variation) {
  if (const auto* changes = variation.changes())
    for (const fb::Change* c : *changes)
      if (c->action() == fb::Action::Redirect) return c;
  return nullptr;
}

}  // namespace

Result<PageContext> parse_page_context(std::string_view text) {
  auto parsed = json::parse(text);
  if (!parsed.ok())
    return make_error(ErrorCode::kInvalidArgument, "page context: " + parsed.error().message);
  const json::Value& doc = parsed.value();
  auto env = read_environment(doc, "page context");
  if (!env.ok()) return env.error();
  PageContext ctx{std::move(env).value(), std::nullopt, {}, false};
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
  if (const json::Value* p = doc.find("parsing")) {
    if (p->type() != json::Value::Type::kBool)
      return make_error(ErrorCode::kInvalidArgument, "page context: /parsing must be a boolean");
    ctx.parsing = p->as_bool();
  }
  return ctx;
}

PageSession::PageSession(Host& host, const Config& config, PageContext context)
    : config_(config),
      gate_(host, context.consent.value_or(config.settings().consent_required()
                                               ? ConsentState::kPending
                                               : ConsentState::kGranted)),
      env_(std::move(context.env)),
      changes_(gate_.dom(), config.settings().hide(), config.settings().hydration_roots()),
      preview_token_(std::move(context.preview)),
      parsing_(context.parsing) {
  const auto* campaigns = config.root().campaigns();
  counted_.assign(campaigns ? campaigns->size() : 0, 0);
}

std::string PageSession::new_id() {
  std::array<std::uint8_t, 16> bytes{};
  gate_.random_bytes(bytes);
  return random_hex_id(bytes);
}

void PageSession::health(std::string_view campaign, std::string_view code, std::string message) {
  gate_.log(LogLevel::kWarning, message);
  events_.push_back(Event{EventType::kHealth, std::nullopt, new_id(),
                          static_cast<std::int64_t>(gate_.now_ms()), std::string(campaign), "",
                          std::string(code), std::move(message)});
}

void PageSession::count(std::size_t index, const Decision& d, double now_ms) {
  if (previewing_ || counted_[index]) return;
  counted_[index] = 1;
  events_.push_back(Event{EventType::kImpression, d.consent_class, new_id(),
                          static_cast<std::int64_t>(now_ms),
                          std::string(d.campaign->id()->string_view()),
                          std::string(d.variation->id()->string_view()), "", ""});
}

std::string PageSession::start() {
  const double now_ms = gate_.now_ms();
  visitor_.url = env_.url;
  visitor_.consent = gate_.state();
  visitor_.now_ms = now_ms;
  visitor_.bot = is_bot(env_);
  // With consent the visitor keeps one id; without, each page gets a throwaway id that is
  // never stored or sent, and stickiness comes from the stored assignments alone.
  const std::optional<std::string> stored_id = gate_.read_visitor_id();
  const bool identified = stored_id && stored_id->size() == 32;
  visitor_.id = identified ? *stored_id : new_id();
  if (!identified) gate_.write_visitor_id(visitor_.id);
  // "a=x&b=y", as ConsentGate::write_assignments stores them: ids are [A-Za-z0-9_-], so they
  // read back unchanged as form parameters.
  if (auto stored = gate_.read_assignments()) visitor_.assignments = query_params(*stored);
  if (gate_.state() == ConsentState::kGranted) {
    counts_ = next_visit_counts(gate_.read_visit_counts(), std::floor(now_ms / 1000));
    gate_.write_visit_counts(format_visit_counts(*counts_));
  }
  // A preview page shows what QA asked for and must not count: no impressions, no stored
  // assignments.
  if (!preview_token_.empty()) {
    auto preview = read_preview(preview_token_, now_ms);
    if (preview.ok()) {
      gate_.write_preview_token(preview_token_, preview.value().expires_seconds -
                                                    static_cast<std::int64_t>(now_ms) / 1000);
      visitor_.forced = std::move(preview).value().forced;
    } else {
      health("", "preview_rejected", preview.error().message);
    }
  }
  previewing_ = !visitor_.forced.empty();
  refresh_attributes();
  const std::vector<Decision> decisions = evaluate();
  if (!left_) {
    if (parsing_) changes_.reveal_ready(now_ms);
    else changes_.document_parsed(now_ms);
  }
  finish();
  return decisions_json(visitor_, decisions);
}

void PageSession::refresh_attributes() {
  visitor_.attributes = page_attributes(config_, gate_, env_, counts_);
}

std::vector<Decision> PageSession::evaluate() {
  const double now_ms = gate_.now_ms();
  visitor_.now_ms = now_ms;
  std::vector<Decision> decisions = vario::decide(config_, visitor_, gate_.regex(), false);
  // Explanations cost time on every page; build them only when there is a problem to report.
  if (std::any_of(decisions.begin(), decisions.end(),
                  [](const Decision& d) { return d.reason == Reason::kConditionInvalid; })) {
    decisions = vario::decide(config_, visitor_, gate_.regex(), /*explain=*/true);
    for (const Decision& d : decisions)
      if (d.reason == Reason::kConditionInvalid)
        health(d.campaign->id()->string_view(), "condition_invalid",
               "campaign " + std::string(d.campaign->id()->string_view()) +
                   " does not apply: it cannot be evaluated as written (" + d.detail + ")");
  }
  const std::vector<std::size_t> order = application_order(decisions);

  // A redirect test leaves the page: the highest priority one wins, nothing else is applied or
  // counted here, and its impression is handed to the browser before navigating.
  for (auto i = order.rbegin(); i != order.rend(); ++i) {
    const Decision& d = decisions[*i];
    if (!d.applied) continue;
    const fb::Change* redirect = redirect_of(*d.variation);
    if (!redirect) continue;
    const std::string target = redirect_target(redirect->value()->string_view(), visitor_.url,
                                               redirect->keep_query());
    if (on_redirect_target(visitor_.url, target)) continue;
    count(*i, d, now_ms);
    store_assignments(decisions);
    finish();
    gate_.dom().navigate(target);
    left_ = true;
    return decisions;
  }

  for (std::size_t i = 0; i < decisions.size(); ++i)
    if (!decisions[i].applied && changes_.active(static_cast<std::uint32_t>(i)))
      changes_.deactivate(static_cast<std::uint32_t>(i));
  for (const std::size_t i : order) {
    const Decision& d = decisions[i];
    if (!d.applied || redirect_of(*d.variation)) continue;
    changes_.activate(static_cast<std::uint32_t>(i), d.campaign->priority(), *d.variation, now_ms);
    report_problems();
    count(i, d, now_ms);
  }
  store_assignments(decisions);
  return decisions;
}

void PageSession::store_assignments(const std::vector<Decision>& decisions) {
  if (previewing_) return;
  // Keep every assignment the visitor has (this page's and other pages' campaigns); the gate
  // drops those that consent does not allow to be stored.
  std::vector<std::pair<std::string, std::string>> kept;
  std::vector<ConsentGate::StoredAssignment> keep;
  for (const Decision& d : decisions) {
    const std::string_view campaign = d.campaign->id()->string_view();
    if (d.variation) {
      kept.emplace_back(campaign, d.variation->id()->string_view());
      keep.push_back({campaign, d.variation->id()->string_view(), d.consent_class});
      continue;
    }
    for (const auto& [c, v] : visitor_.assignments)
      if (c == campaign) {
        kept.emplace_back(c, v);
        keep.push_back({campaign, v, d.consent_class});
      }
  }
  gate_.write_assignments(keep);
  visitor_.assignments = std::move(kept);
}

void PageSession::report_problems() {
  const auto* campaigns = config_.root().campaigns();
  for (ChangeProblem& p : changes_.take_problems())
    health(campaigns && p.campaign < campaigns->size()
               ? campaigns->Get(p.campaign)->id()->string_view()
               : std::string_view(),
           p.code, std::move(p.message));
}

void PageSession::finish() {
  const double now_ms = gate_.now_ms();
  report_problems();
  if (!events_.empty()) {
    std::string why;
    const auto url = resolve_collector(config_.settings().collector()->string_view(), visitor_.url, why);
    if (!url) {
      gate_.log(LogLevel::kWarning, "events not sent: " + why);
    } else {
      // The gate strips the visitor id from every event that consent does not let identify.
      const EventContext ctx{config_.settings().account()->string_view(), visitor_.id,
                             url_path(visitor_.url)};
      gate_.send_events(*url, events_, ctx);
    }
    events_.clear();
  }
  const std::optional<double> next = changes_.next_deadline();
  if (next != timer_at_) {
    gate_.dom().set_timer(next ? std::max(0.0, *next - now_ms) : -1);
    timer_at_ = next;
  }
}

void PageSession::elements_appeared(std::span<const std::uint32_t> watch_ids) {
  if (left_) return;
  changes_.elements_appeared(watch_ids, gate_.now_ms());
  finish();
}

void PageSession::nodes_mutated(std::span<const NodeHandle> nodes) {
  if (left_) return;
  changes_.nodes_mutated(nodes, gate_.now_ms());
  finish();
}

void PageSession::url_changed(std::string_view url) {
  if (left_ || url == env_.url) return;
  env_.url = std::string(url);
  visitor_.url = env_.url;
  refresh_attributes();
  evaluate();
  if (!left_) changes_.reveal_ready(gate_.now_ms());
  finish();
}

void PageSession::document_parsed() {
  parsing_ = false;
  if (left_) return;
  changes_.document_parsed(gate_.now_ms());
  finish();
}

void PageSession::timer_fired() {
  timer_at_.reset();
  if (left_) return;
  changes_.timer_fired(gate_.now_ms());
  finish();
}

void PageSession::page_hidden() { finish(); }

}  // namespace vario
