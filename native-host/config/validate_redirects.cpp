#include "config/validate_redirects.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "regex/ecmascript_regex.hpp"
#include "vario/page_rules.hpp"

namespace vario::host::validation {
namespace {

// What a campaign's page rules say about a target page.
enum class Answer { kYes, kNo, kUnknown };

struct Rule {
  vario::PageRule rule;
  std::string pointer;
};

struct Pages {
  std::string id;
  bool running = true;
  std::vector<Rule> include, exclude;
};

std::optional<MatchKind> match_kind(std::string_view s) {
  if (s == "exact") return MatchKind::kExact;
  if (s == "prefix") return MatchKind::kPrefix;
  if (s == "contains") return MatchKind::kContains;
  if (s == "glob") return MatchKind::kGlob;
  if (s == "regex") return MatchKind::kRegex;
  return std::nullopt;
}

std::optional<UrlPart> url_part(std::string_view s) {
  if (s == "path") return UrlPart::kPath;
  if (s == "url") return UrlPart::kUrl;
  if (s == "host") return UrlPart::kHost;
  if (s == "query") return UrlPart::kQuery;
  if (s == "hash") return UrlPart::kHash;
  return std::nullopt;
}

// The rules of one list, or nullopt when any of them is malformed.
std::optional<std::vector<Rule>> rules(const json& list, const std::string& p) {
  if (!list.is_array()) return std::nullopt;
  std::vector<Rule> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& r = list[i];
    if (!r.is_object()) return std::nullopt;
    const auto match = r.find("match");
    const auto value = r.find("value");
    const auto on = r.find("on");
    const auto param = r.find("param");
    if (match == r.end() || !match->is_string() || value == r.end() || !value->is_string() ||
        value->get_ref<const std::string&>().empty() || (on != r.end() && !on->is_string()) ||
        (param != r.end() && !param->is_string()))
      return std::nullopt;
    const auto kind = match_kind(match->get_ref<const std::string&>());
    const auto part = on == r.end() ? UrlPart::kPath : url_part(on->get_ref<const std::string&>());
    if (!kind || !part || (param != r.end() && *part != UrlPart::kQuery)) return std::nullopt;
    vario::PageRule rule;
    rule.kind = *kind;
    rule.value = value->get_ref<const std::string&>();
    rule.on = *part;
    if (param != r.end()) rule.param = param->get_ref<const std::string&>();
    out.push_back({rule, child(p, i)});
  }
  return out;
}

std::optional<Pages> pages_of(const json& c, std::size_t index) {
  if (!c.is_object()) return std::nullopt;
  const auto id = c.find("id");
  const auto pages = c.find("pages");
  if (id == c.end() || !id->is_string() || identifier_problem(id->get_ref<const std::string&>()) ||
      pages == c.end() || !pages->is_object() || !pages->contains("include"))
    return std::nullopt;
  Pages out;
  out.id = id->get<std::string>();
  if (const auto status = c.find("status"); status != c.end())
    out.running = status->is_string() && status->get_ref<const std::string&>() == "running";
  const std::string p = child(child(child("", "campaigns"), index), "pages");
  auto include = rules(pages->at("include"), child(p, "include"));
  auto exclude = pages->contains("exclude") ? rules(pages->at("exclude"), child(p, "exclude"))
                                            : std::vector<Rule>{};
  if (!include || include->empty() || !exclude) return std::nullopt;
  out.include = std::move(*include);
  out.exclude = std::move(*exclude);
  return out;
}

bool is_absolute(const Redirect& t) { return !t.url.starts_with('/'); }

// What `rule` says about the page `t` leads to, as far as the URL written in the file tells.
Answer answer(const vario::PageRule& rule, const Redirect& t, const RegexTester& regex) {
  bool known = false;
  switch (rule.on) {
    case UrlPart::kPath:
      known = true;
      break;
    case UrlPart::kHost:
      known = is_absolute(t);
      break;
    case UrlPart::kUrl:
      known = is_absolute(t) && !t.keep_query;
      break;
    case UrlPart::kQuery:
    case UrlPart::kHash:
      known = !t.keep_query;
      break;
  }
  if (!known) return Answer::kUnknown;
  const auto matches = page_rule_matches(rule, t.url, regex);
  if (!matches) return Answer::kUnknown;
  return *matches ? Answer::kYes : Answer::kNo;
}

// Whether no exclude rule can match the target. `own`: the target is left from a page of
// these same rules, which none of its exclude rules matched; a relative target keeps its host.
bool certainly_not_excluded(const Pages& pages, const Redirect& t, bool own,
                            const RegexTester& regex) {
  return std::all_of(pages.exclude.begin(), pages.exclude.end(), [&](const Rule& r) {
    if (own && !is_absolute(t) && r.rule.on == UrlPart::kHost) return true;
    return answer(r.rule, t, regex) == Answer::kNo;
  });
}

// The include rule that certainly matches the target, if any.
const Rule* matching_include(const Pages& pages, const Redirect& t, const RegexTester& regex) {
  for (const Rule& r : pages.include)
    if (answer(r.rule, t, regex) == Answer::kYes) return &r;
  return nullptr;
}

struct Edge {
  std::size_t to;       // index into the campaigns that have pages
  std::string pointer;  // the url of the redirect that leads there
};

class Loops {
 public:
  Loops(Report& report, const std::vector<Pages>& pages,
        const std::vector<std::vector<Edge>>& edges)
      : report_(report), pages_(pages), edges_(edges), state_(pages.size(), kNew) {}

  void report_all() {
    for (std::size_t i = 0; i < pages_.size(); ++i)
      if (state_[i] == kNew) visit(i);
  }

 private:
  enum State { kNew, kOnPath, kDone };

  void visit(std::size_t node) {
    state_[node] = kOnPath;
    path_.push_back(node);
    for (const Edge& e : edges_[node]) {
      if (state_[e.to] == kNew) {
        edge_taken_[node] = &e;
        visit(e.to);
      } else if (state_[e.to] == kOnPath) {
        edge_taken_[node] = &e;
        cycle(std::find(path_.begin(), path_.end(), e.to));
      }
    }
    path_.pop_back();
    state_[node] = kDone;
  }

  // The path from `from` to its end closes a cycle: each campaign on it is told once, with the
  // cycle named from itself.
  void cycle(std::vector<std::size_t>::const_iterator from) {
    const std::vector<std::size_t> members(from, path_.cend());
    for (std::size_t k = 0; k < members.size(); ++k) {
      const std::size_t campaign = members[k];
      if (!reported_.insert(campaign).second) continue;
      std::string named;
      for (std::size_t step = 0; step <= members.size(); ++step)
        named += (step ? " -> " : "") + pages_[members[(k + step) % members.size()]].id;
      report_.error(edge_taken_.at(campaign)->pointer,
                    "redirects in a loop between campaigns: " + named +
                        ": each sends visitors to a page of the next, so they would be "
                        "redirected on and on");
    }
  }

  Report& report_;
  const std::vector<Pages>& pages_;
  const std::vector<std::vector<Edge>>& edges_;
  std::vector<State> state_;
  std::vector<std::size_t> path_;
  std::map<std::size_t, const Edge*> edge_taken_;  // campaign on the path -> its next step
  std::set<std::size_t> reported_;
};

}  // namespace

void check_redirect_targets(Report& report, const json& campaigns,
                            const std::vector<CampaignRedirects>& redirects) {
  if (!campaigns.is_array()) return;
  const EcmascriptRegex regex;
  std::vector<Pages> pages;                  // the campaigns with well-formed page rules
  std::vector<const CampaignRedirects*> of;  // and their redirects, if any
  for (const CampaignRedirects& r : redirects) {
    if (r.campaign >= campaigns.size()) continue;
    if (auto p = pages_of(campaigns[r.campaign], r.campaign)) {
      pages.push_back(std::move(*p));
      of.push_back(&r);
    }
  }

  // (1) A redirect onto its own campaign's pages.
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const Pages& own = pages[i];
    for (const Redirect& t : of[i]->redirects) {
      const Rule* rule = matching_include(own, t, regex);
      // A relative URL stays on the host of the page it leaves: when every include rule is on
      // the host, the one that matched that page matches the target too.
      const bool host_only = !rule && !is_absolute(t) &&
                             std::all_of(own.include.begin(), own.include.end(),
                                         [](const Rule& r) { return r.rule.on == UrlPart::kHost; });
      if ((!rule && !host_only) || !certainly_not_excluded(own, t, true, regex)) continue;
      report.error(t.pointer,
                   "leads to a page of its own campaign (" +
                       (rule ? "include rule " + rule->pointer + " matches it"
                             : std::string("a relative URL stays on the host its include rules "
                                           "matched")) +
                       "): visitors would be redirected again on arrival");
    }
  }

  // (2) Loops between running campaigns.
  std::vector<std::vector<Edge>> edges(pages.size());
  for (std::size_t a = 0; a < pages.size(); ++a) {
    if (!pages[a].running) continue;
    for (const Redirect& t : of[a]->redirects)
      for (std::size_t b = 0; b < pages.size(); ++b) {
        if (b == a || !pages[b].running) continue;
        const bool known =
            std::any_of(edges[a].begin(), edges[a].end(), [&](const Edge& e) { return e.to == b; });
        if (!known && matching_include(pages[b], t, regex) &&
            certainly_not_excluded(pages[b], t, false, regex))
          edges[a].push_back({b, t.pointer});
      }
  }
  Loops(report, pages, edges).report_all();
}

}  // namespace vario::host::validation
