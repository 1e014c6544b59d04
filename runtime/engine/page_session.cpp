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
  const bool granted = gate.consent().granted(Capability::kThirdParty);
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
  PageContext ctx{std::move(env).value(), {}, {}, false};
  if (const json::Value* c = doc.find("consent")) {
    // The page's own answer, as vario.push(["consent", …]) would give it.
    json::Value signal = json::Value::object();
    signal.set("source", json::Value::string("page"));
    signal.set("consent", *c);
    ctx.signals.push_back(std::move(signal));
  }
  if (const json::Value* signals = doc.find("consentSignals")) {
    if (signals->type() != json::Value::Type::kArray)
      return make_error(ErrorCode::kInvalidArgument,
                        "page context: /consentSignals must be an array");
    for (const json::Value& signal : signals->items()) ctx.signals.push_back(signal);
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
      sources_(consent_sources(config)),
      gate_(host, Consent::all(ConsentState::kPending)),
      env_(std::move(context.env)),
      changes_(gate_.dom(), config.settings().hide(), config.settings().hydration_roots()),
      preview_token_(std::move(context.preview)),
      parsing_(context.parsing),
      signals_(std::move(context.signals)) {
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
                          std::string(code), std::move(message), std::string(url_path(visitor_.url))});
}

void PageSession::count(std::size_t index, const Decision& d, double now_ms) {
  if (previewing_ || counted_[index]) return;
  counted_[index] = 1;
  events_.push_back(Event{EventType::kImpression, d.consent_class, new_id(),
                          static_cast<std::int64_t>(now_ms),
                          std::string(d.campaign->id()->string_view()),
                          std::string(d.variation->id()->string_view()), "", "",
                          std::string(url_path(visitor_.url))});
}

std::string PageSession::start() {
  const double now_ms = gate_.now_ms();
  visitor_.url = env_.url;
  visitor_.now_ms = now_ms;
  visitor_.bot = is_bot(env_);
  // The answer already given decides at once: the TC string a CMP stored on an earlier page,
  // then what the page passed (its own call, Consent Mode commands pushed so far).
  const auto* cookie = config_.settings().tcf_cookie();
  if (auto tc = gate_.read_consent_record(cookie ? cookie->string_view() : "euconsent-v2"))
    sources_.stored_tc_string(*tc);
  for (const json::Value& signal : std::exchange(signals_, {}))
    if (Status s = sources_.add(signal); !s.ok()) gate_.log(LogLevel::kWarning, s.error().message);
  const Consent consent = sources_.effective();
  gate_.set_consent(consent);
  if (consent.any_pending()) {
    const fb::Settings& settings = config_.settings();
    consent_deadline_ms_ =
        now_ms + std::min(settings.consent_wait_ms(), settings.anti_flicker_ms());
  }
  visitor_.consent = consent;
  // With storage consent the visitor keeps one id; without, each page gets a throwaway id that
  // is never stored or sent, and stickiness comes from the stored assignments alone.
  visitor_.id = new_id();
  if (consent.granted(Capability::kStorage)) take_stored_identity(now_ms);
  // "a=x&b=y", as ConsentGate::write_assignments stores them: ids are [A-Za-z0-9_-], so they
  // read back unchanged as form parameters.
  if (auto stored = gate_.read_assignments()) visitor_.assignments = query_params(*stored);
  if (const std::string problem = sources_.take_problem(); !problem.empty())
    health("", "consent_invalid", problem);
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

void PageSession::take_stored_identity(double now_ms) {
  const std::optional<std::string> stored = gate_.read_visitor_id();
  if (stored && stored->size() == 32) visitor_.id = *stored;
  else gate_.write_visitor_id(visitor_.id);
  counts_ = next_visit_counts(gate_.read_visit_counts(), std::floor(now_ms / 1000));
  gate_.write_visit_counts(format_visit_counts(*counts_));
}

EventContext PageSession::event_context() const {
  return {config_.settings().account()->string_view(), visitor_.id};
}

Consent PageSession::consent_for_decisions() const {
  Consent c = gate_.consent();
  // Past the wait, what had no answer then is refused for the rest of this page: a late yes
  // may persist and send what was held, but it does not change a page the visitor sees.
  if (consent_wait_over_)
    for (const Capability cap : kCapabilities)
      if (unanswered_at_wait_.of(cap) == ConsentState::kPending) c.of(cap) = ConsentState::kDenied;
  return c;
}

void PageSession::apply_consent(const Consent& consent) {
  const Consent before = gate_.consent();
  if (consent == before) return;
  const double now_ms = gate_.now_ms();
  gate_.set_consent(consent);
  // A returning visitor's stored id first, so that the held events leave with it.
  if (!before.granted(Capability::kStorage) && consent.granted(Capability::kStorage))
    take_stored_identity(now_ms);
  gate_.send_held(event_context());
  if (!consent.any_pending()) consent_deadline_ms_.reset();
  if (consent.storage != ConsentState::kGranted) counts_.reset();
  refresh_attributes();
  evaluate();
  if (!left_) changes_.reveal_ready(now_ms);
}

void PageSession::consent_signal(const json::Value& signal, Status& status) {
  status = sources_.add(signal);
  if (!status.ok() || left_) return;
  if (const std::string problem = sources_.take_problem(); !problem.empty())
    health("", "consent_invalid", problem);
  apply_consent(sources_.effective());
  finish();
}

void PageSession::refresh_attributes() {
  visitor_.attributes = page_attributes(config_, gate_, env_, counts_);
}

std::vector<Decision> PageSession::evaluate() {
  const double now_ms = gate_.now_ms();
  visitor_.now_ms = now_ms;
  visitor_.consent = consent_for_decisions();
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
  // Campaigns that wait for an answer keep what they would change hidden until it comes, or
  // until the wait is over.
  std::vector<const fb::Campaign*> waiting;
  if (!consent_wait_over_)
    for (const Decision& d : decisions)
      if (d.reason == Reason::kNeedsConsent &&
          permissions(d.consent_class, visitor_.consent.hoped()).apply_changes)
        waiting.push_back(d.campaign);
  changes_.keep_hidden(waiting);
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
      gate_.send_events(*url, events_, event_context());
    }
    events_.clear();
  }
  std::optional<double> next = changes_.next_deadline();
  if (consent_deadline_ms_ && !consent_wait_over_ && (!next || *consent_deadline_ms_ < *next))
    next = consent_deadline_ms_;
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
  const double now_ms = gate_.now_ms();
  if (consent_deadline_ms_ && !consent_wait_over_ && now_ms >= *consent_deadline_ms_) {
    consent_wait_over_ = true;
    unanswered_at_wait_ = gate_.consent();
    evaluate();
    if (!left_) changes_.reveal_ready(now_ms);
  }
  changes_.timer_fired(now_ms);
  finish();
}

void PageSession::page_hidden() {
  finish();
  // Nothing held for a pending answer leaves with a page that goes away unanswered.
  gate_.drop_held();
}

}  // namespace vario
