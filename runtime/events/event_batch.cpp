#include "vario/events.hpp"
#include "vario/json.hpp"
#include "vario/page_rules.hpp"

namespace vario {

std::string serialize_batch(std::span<const OutgoingEvent> events, const EventContext& context) {
  json::Writer w;
  w.begin_object().key("events").begin_array();
  for (const OutgoingEvent& out : events) {
    const Event& e = *out.event;
    w.begin_object();
    w.key("schema").integer(kEventSchemaVersion);
    w.key("type").string(e.type == EventType::kImpression ? "impression" : "health");
    w.key("id").string(e.id);
    w.key("ts").integer(e.ts);
    w.key("account").string(context.account);
    if (out.with_visitor && !context.visitor_id.empty()) w.key("visitor").string(context.visitor_id);
    if (!e.page.empty()) w.key("page").string(e.page);
    if (!e.campaign.empty()) w.key("campaign").string(e.campaign);
    if (e.type == EventType::kImpression) {
      w.key("variation").string(e.variation);
    } else {
      w.key("code").string(e.code);
      w.key("message").string(e.message);
    }
    w.end_object();
  }
  w.end_array().end_object();
  return w.take();
}

std::optional<std::string> resolve_collector(std::string_view collector, std::string_view page_url,
                                             std::string& why) {
  std::string url;
  if (collector.starts_with('/')) {
    const std::string_view origin = url_origin(page_url);
    if (origin.empty()) {
      why = "the page URL has no origin to resolve the collector path against";
      return std::nullopt;
    }
    url.append(origin).append(collector);
  } else {
    url = collector;
  }
  if (url.starts_with("https://")) return url;
  if (url.starts_with("http://")) {
    const std::string_view host = url_host(url);
    if (host == "localhost" || host == "127.0.0.1" || host == "[::1]") return url;
    why = "events are sent over https only (plain http only to localhost), refused " + url;
    return std::nullopt;
  }
  why = "the collector URL is not http(s): " + url;
  return std::nullopt;
}

}  // namespace vario
