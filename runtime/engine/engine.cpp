#include "vario/engine.hpp"

#include "engine/page_session.hpp"
#include "vario/decision.hpp"
#include "vario/json.hpp"

namespace vario {

std::string random_hex_id(std::span<const std::uint8_t, 16> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (std::size_t i = 0; i < 16; ++i) {
    id[2 * i] = kHex[bytes[i] >> 4];
    id[2 * i + 1] = kHex[bytes[i] & 15];
  }
  return id;
}

Engine::Engine(Host& host) : host_(host) {}

Engine::~Engine() = default;

Status Engine::load(std::span<const std::uint8_t> campaigns_bin) {
  auto config = Config::from_bytes(campaigns_bin);
  if (!config.ok()) return config.error();
  page_.reset();  // it points into the campaigns it was started with
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

Result<std::string> Engine::start(std::string_view context_json) {
  if (!config_) return make_error(ErrorCode::kNotLoaded, "start: no campaigns loaded");
  auto context = parse_page_context(context_json);
  if (!context.ok()) return context.error();
  page_.reset();
  page_ = std::make_unique<PageSession>(host_, *config_, std::move(context).value());
  return page_->start();
}

Status Engine::on_page(const char* what) const {
  if (page_) return Ok{};
  return make_error(ErrorCode::kNotLoaded, std::string(what) + ": the page was not started");
}

Status Engine::elements_appeared(std::span<const std::uint32_t> watch_ids) {
  Status s = on_page("elements appeared");
  if (s.ok()) page_->elements_appeared(watch_ids);
  return s;
}

Status Engine::nodes_mutated(std::span<const NodeHandle> nodes) {
  Status s = on_page("nodes mutated");
  if (s.ok()) page_->nodes_mutated(nodes);
  return s;
}

Status Engine::url_changed(std::string_view url) {
  Status s = on_page("url changed");
  if (s.ok()) page_->url_changed(url);
  return s;
}

Status Engine::document_parsed() {
  Status s = on_page("document parsed");
  if (s.ok()) page_->document_parsed();
  return s;
}

Status Engine::timer_fired() {
  Status s = on_page("timer fired");
  if (s.ok()) page_->timer_fired();
  return s;
}

Status Engine::consent_signal(std::string_view signal_json) {
  if (Status s = on_page("consent"); !s.ok()) return s;
  auto signal = json::parse(signal_json);
  if (!signal.ok())
    return make_error(ErrorCode::kInvalidArgument, "consent signal: " + signal.error().message);
  Status status = Ok{};
  page_->consent_signal(signal.value(), status);
  return status;
}

Status Engine::page_hidden() {
  Status s = on_page("page hidden");
  if (s.ok()) page_->page_hidden();
  return s;
}

}  // namespace vario
