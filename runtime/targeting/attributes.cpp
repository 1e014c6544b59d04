#include "vario/attributes.hpp"

#include "vario/url.hpp"
#include "vario/user_agent.hpp"

namespace vario {
namespace {

constexpr double kVisitGapSeconds = 30 * 60;

Status string_field(const json::Value& doc, std::string_view key, std::string_view what,
                    std::string& out) {
  const json::Value* v = doc.find(key);
  if (!v || v->type() == json::Value::Type::kNull) return Ok{};
  if (!v->is_string())
    return make_error(ErrorCode::kInvalidArgument,
                      std::string(what) + ": /" + std::string(key) + " must be a string");
  out = v->as_string();
  return Ok{};
}

// A non-negative decimal integer, or nullopt.
std::optional<double> parse_count(std::string_view s) {
  if (s.empty() || s.size() > 15) return std::nullopt;
  double n = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace

Result<PageEnvironment> read_environment(const json::Value& doc, std::string_view what) {
  if (!doc.is_object())
    return make_error(ErrorCode::kInvalidArgument, std::string(what) + ": must be a JSON object");
  PageEnvironment env;
  const json::Value* url = doc.find("url");
  if (!url || !url->is_string() || url->as_string().empty())
    return make_error(ErrorCode::kInvalidArgument,
                      std::string(what) + ": /url must be a non-empty string");
  env.url = url->as_string();
  for (auto [key, field] : {std::pair{"referrer", &env.referrer},
                            std::pair{"userAgent", &env.user_agent},
                            std::pair{"language", &env.language},
                            std::pair{"timeZone", &env.time_zone}})
    if (Status s = string_field(doc, key, what, *field); !s.ok()) return s.error();
  if (const json::Value* screen = doc.find("screen")) {
    if (!screen->is_object())
      return make_error(ErrorCode::kInvalidArgument, std::string(what) + ": /screen must be an object");
    for (auto [key, field] : {std::pair{"width", &env.screen_width},
                              std::pair{"height", &env.screen_height}})
      if (const json::Value* v = screen->find(key)) {
        if (v->type() != json::Value::Type::kNumber)
          return make_error(ErrorCode::kInvalidArgument,
                            std::string(what) + ": /screen/" + key + " must be a number");
        *field = v->as_number();
      }
  }
  if (const json::Value* w = doc.find("webdriver")) {
    if (w->type() != json::Value::Type::kBool)
      return make_error(ErrorCode::kInvalidArgument, std::string(what) + ": /webdriver must be true or false");
    env.webdriver = w->as_bool();
  }
  if (const json::Value* a = doc.find("attributes")) {
    if (!a->is_object())
      return make_error(ErrorCode::kInvalidArgument, std::string(what) + ": /attributes must be an object");
    env.pushed = *a;
  }
  return env;
}

VisitCounts next_visit_counts(const std::optional<std::string>& stored, double now_seconds) {
  VisitCounts counts{1, 1, now_seconds};
  if (!stored) return counts;
  std::string_view s = *stored;
  std::optional<double> parts[3];
  for (auto& part : parts) {
    const std::size_t dot = s.find('.');
    part = parse_count(s.substr(0, dot));
    s = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  }
  if (!parts[0] || !parts[1] || !parts[2] || *parts[0] < 1) return counts;
  counts.visits = *parts[0] + (now_seconds - *parts[2] > kVisitGapSeconds ? 1 : 0);
  counts.page_views = *parts[1] + 1;
  return counts;
}

std::string format_visit_counts(const VisitCounts& counts) {
  const auto whole = [](double d) { return json::to_decimal(d > 0 ? static_cast<std::uint64_t>(d) : 0); };
  return whole(counts.visits) + "." + whole(counts.page_views) + "." + whole(counts.last_seen_seconds);
}

bool is_bot(const PageEnvironment& env) {
  return env.webdriver || parse_user_agent(env.user_agent).bot;
}

json::Value builtin_attributes(const PageEnvironment& env, const std::optional<VisitCounts>& counts) {
  using json::Value;
  Value a = Value::object();
  a.set("url", Value::string(env.url));
  a.set("path", Value::string(std::string(url_path(env.url))));
  a.set("host", Value::string(std::string(url_host(env.url))));
  Value query = Value::object();
  for (auto& [name, value] : query_params(url_query(env.url))) query.set(name, Value::string(value));
  a.set("query", std::move(query));
  a.set("hash", Value::string(std::string(url_fragment(env.url))));
  a.set("referrer", Value::string(env.referrer));
  a.set("referrerHost", Value::string(std::string(url_host(env.referrer))));

  const UserAgentInfo ua = parse_user_agent(env.user_agent);
  if (!env.user_agent.empty()) {
    a.set("device", Value::string(std::string(ua.device)));
    a.set("browser", Value::string(std::string(ua.browser)));
    a.set("browserVersion", Value::string(ua.browser_version));
    a.set("os", Value::string(std::string(ua.os)));
  }
  if (!env.language.empty()) a.set("language", Value::string(env.language));
  if (env.screen_width) a.set("screenWidth", Value::number(*env.screen_width));
  if (env.screen_height) a.set("screenHeight", Value::number(*env.screen_height));
  if (!env.time_zone.empty()) a.set("timeZone", Value::string(env.time_zone));
  a.set("bot", Value::boolean(env.webdriver || ua.bot));
  if (counts) {
    a.set("returning", Value::boolean(counts->visits > 1));
    a.set("pageViews", Value::number(counts->page_views));
    a.set("visits", Value::number(counts->visits));
  }
  return a;
}

void merge_attributes(json::Value& into, const json::Value& from) {
  for (const auto& [key, value] : from.members()) into.set(key, value);
}

const json::Value* attribute_at(const json::Value& attributes, std::string_view path) {
  const json::Value* current = &attributes;
  while (current) {
    const std::size_t dot = path.find('.');
    current = current->find(path.substr(0, dot));
    if (dot == std::string_view::npos) return current;
    path.remove_prefix(dot + 1);
  }
  return nullptr;
}

}  // namespace vario
