#include "config/validate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <variant>

#include "config/validate_changes.hpp"
#include "config/validate_condition.hpp"
#include "config/validate_formats.hpp"
#include "config/validate_redirects.hpp"
#include "config/validate_report.hpp"
#include "regex/ecmascript_regex.hpp"

namespace vario::host {
namespace {

using nlohmann::json;
using namespace validation;

// Format version 1 limits (docs/campaigns.md). Lengths count characters (code points), which is
// what a person writing the file counts.
constexpr int kFormatVersion = 1;
constexpr std::size_t kMaxNameChars = 200;
constexpr std::size_t kMaxRuleChars = 2048;
constexpr std::size_t kMaxQueryParameterChars = 64;
constexpr std::size_t kMaxVariations = 20;
constexpr double kMaxAntiFlickerMs = 5000;
// How long the engine waits for a consent answer before deciding as if refused; longer than
// the anti-flicker bound would only let a late answer change a page the visitor already sees.
constexpr double kMaxConsentWaitMs = 5000;
constexpr double kMaxPriority = 1000;
// Weights are decimals written by people (0.1 + 0.2 + 0.7 is not exactly 1 in binary); a
// millionth is far below one bucket in 10,000.
constexpr double kWeightSumTolerance = 1e-6;

// The attributes the engine builds for every page view (runtime/targeting/attributes); a
// declaration may not reuse their names.
constexpr std::string_view kBuiltInAttributes[] = {
    "url",      "path",    "host",           "query",     "hash",     "referrer",    "referrerHost",
    "device",   "browser", "browserVersion", "os",        "language", "screenWidth", "screenHeight",
    "timeZone", "bot",     "returning",      "pageViews", "visits"};

bool is_built_in_attribute(std::string_view name) {
  return std::find(std::begin(kBuiltInAttributes), std::end(kBuiltInAttributes), name) !=
         std::end(kBuiltInAttributes);
}

// The shortest decimal that still shows why the sum is wrong: 0.1 + 0.2 + 0.6 prints as "0.9",
// while a sum just outside the tolerance prints enough digits not to read as "1".
std::string sum_text(double sum) {
  char buffer[64];
  for (int precision = 6; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, sum);
    if (std::fabs(std::strtod(buffer, nullptr) - 1.0) > kWeightSumTolerance) break;
  }
  return buffer;
}

const std::string* string_at(const json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  const auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

// ---- the validator ------------------------------------------------------------------------

class Validator : public Report {
 public:
  void document(const json& doc) {
    if (!doc.is_object()) {
      error("", std::string("the campaigns file must be a JSON object, got ") + doc.type_name());
      return;
    }
    // Another version may mean other fields altogether: checking it as version 1 would only
    // bury the one message that matters.
    if (const auto it = doc.find("version");
        it != doc.end() && is_integral(*it) && it->get<double>() != kFormatVersion) {
      error("/version", "version " + it->dump() + " is not supported: this vario reads version " +
                            std::to_string(kFormatVersion));
      return;
    }
    look_ahead(doc);
    fields(doc, "", {"version", "account", "campaigns"},
           {"$schema", "collector", "consent", "anti_flicker_ms", "bots", "attributes",
            "saved_groups", "holdouts", "preview", "hydration_roots", "goals", "events"},
           [&](std::string_view key, const json& v, const std::string& p) {
             if (key == "$schema") {
               expect(v, p, Kind::kString);
             } else if (key == "version") {
               expect(v, p, Kind::kInteger);
             } else if (key == "account") {
               account(v, p);
             } else if (key == "collector") {
               collector(v, p);
             } else if (key == "consent") {
               consent(v, p);
             } else if (key == "anti_flicker_ms") {
               if (expect(v, p, Kind::kInteger)) range(v, p, 0, kMaxAntiFlickerMs);
             } else if (key == "bots") {
               one_of(v, p, {"exclude", "include"});
             } else if (key == "attributes") {
               attributes(v, p);
             } else if (key == "saved_groups") {
               saved_groups(v, p);
             } else if (key == "holdouts") {
               holdouts(v, p);
             } else if (key == "preview") {
               preview(v, p);
             } else if (key == "hydration_roots") {
               hydration_roots(v, p);
             } else if (key == "goals") {
               goals(v, p);
             } else if (key == "events") {
               event_settings(v, p);
             } else if (key == "campaigns") {
               if (expect(v, p, Kind::kArray))
                 for (std::size_t i = 0; i < v.size(); ++i) campaign(v[i], child(p, i), i);
             }
           });
    if (const auto order = saved_group_cycles()) inlined_depths(*order);
    if (const auto it = doc.find("campaigns"); it != doc.end())
      check_redirect_targets(*this, *it, redirects_);
  }

 private:
  // "consent": {"required", "wait_ms", "tcf": {"vendor_id", "cookie"}} (docs/consent.md).
  void consent(const json& v, const std::string& p) {
    if (!expect(v, p, Kind::kObject)) return;
    fields(v, p, {}, {"required", "wait_ms", "tcf"},
           [&](std::string_view key, const json& r, const std::string& rp) {
             if (key == "required") {
               expect(r, rp, Kind::kBoolean);
             } else if (key == "wait_ms") {
               if (expect(r, rp, Kind::kInteger)) range(r, rp, 0, kMaxConsentWaitMs);
             } else if (expect(r, rp, Kind::kObject)) {
               fields(r, rp, {}, {"vendor_id", "cookie"},
                      [&](std::string_view k, const json& t, const std::string& tp) {
                        if (k == "vendor_id") {
                          if (expect(t, tp, Kind::kInteger)) range(t, tp, 1, 65535);
                        } else if (expect(t, tp, Kind::kString)) {
                          if (t.get<std::string>().empty()) error(tp, "must not be empty");
                          else cookie_name(t.get<std::string>(), tp);
                        }
                      });
             }
           });
  }

  // What one part of the file needs to know about another, wherever in the text it is: the
  // kinds of saved groups (for references from conditions), the declared attributes (for
  // hash_attribute) and the campaigns' ids and types (for holdouts). Malformed entries are
  // left for their own checks to report.
  void look_ahead(const json& doc) {
    if (const auto it = doc.find("saved_groups"); it != doc.end() && it->is_object()) {
      for (const auto& [id, group] : it->items()) {
        const bool values = group.is_object() && group.contains("values");
        const bool condition = group.is_object() && group.contains("condition");
        groups_[id] = values == condition ? GroupKind::kBroken
                      : values            ? GroupKind::kValues
                                          : GroupKind::kCondition;
        if (groups_[id] == GroupKind::kCondition) group_conditions_[id] = &group.at("condition");
      }
    }
    if (const auto it = doc.find("attributes"); it != doc.end() && it->is_object())
      for (const auto& [name, declaration] : it->items()) declared_attributes_.insert(name);
    if (const auto it = doc.find("campaigns"); it != doc.end() && it->is_array()) {
      for (const json& c : *it) {
        const std::string* id = string_at(c, "id");
        const std::string* type = string_at(c, "type");
        if (id) campaign_types_.emplace(*id, type ? *type : "");
      }
    }
  }

  void account(const json& v, const std::string& p) {
    if (!expect(v, p, Kind::kString)) return;
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty()) return error(p, "must not be empty");
    if (!max_chars(s, p, kMaxIdChars)) return;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0)) continue;
      if (c == '-') return error(p, "must start with a lowercase letter or a digit, not '-'");
      return error(p, "may contain only lowercase letters a-z, digits and '-'; " +
                          character_at(s, i) + " is not allowed");
    }
  }

  // Must agree with the engine's resolve_collector(): a path on the page's origin, an https URL,
  // or http only to the local machine, all written in lowercase as the engine compares them.
  void collector(const json& v, const std::string& p) {
    if (!expect(v, p, Kind::kString)) return;
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty())
      return error(p, "must not be empty (leave the field out for the default '/v1/events')");
    if (std::any_of(s.begin(), s.end(),
                    [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F; }))
      return error(p, "must not contain spaces or control characters");
    if (s.starts_with("//"))
      return error(p,
                   "must not start with '//' (a scheme-relative URL): write 'https://' and the "
                   "host, or a path on the page's own origin such as '/v1/events'");
    if (s.starts_with("/")) return;
    const bool https = s.starts_with("https://");
    if (!https && !s.starts_with("http://"))
      return error(p, "must be a path starting with '/' or a URL starting with 'https://', got " +
                          in_quotes(s));
    std::string_view authority = std::string_view(s).substr(s.find("://") + 3);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    if (authority.find('@') != std::string_view::npos)
      return error(p, "must not contain a user name or password: the tag is public");
    std::string_view host = authority;
    if (host.starts_with('[')) {
      host = host.substr(
          0, host.find(']') == std::string_view::npos ? host.size() : host.find(']') + 1);
    } else {
      host = host.substr(0, host.find(':'));
    }
    if (host.empty())
      return error(p, "has no host name after '" + s.substr(0, s.find("://") + 3) + "'");
    if (!https && host != "localhost" && host != "127.0.0.1" && host != "[::1]")
      error(p, "uses plain http to " + in_quotes(host) +
                   ": events are sent over https only (plain http only to localhost, 127.0.0.1 "
                   "or [::1])");
  }

  // ---- declared attributes, saved groups, holdouts, preview --------------------------------

  void attributes(const json& v, const std::string& p) {
    if (!expect(v, p, Kind::kObject)) return;
    for (const auto& [name, declaration] : v.items()) {
      const std::string ap = child(p, name);
      // Declaring a built-in is the whole problem; what the declaration says is beside it.
      if (is_built_in_attribute(name)) {
        error(ap, in_quotes(name) +
                      " is a built-in attribute: the engine provides it, so it cannot be "
                      "declared (a value the site pushes under this name overrides it)");
        continue;
      }
      if (const auto problem = attribute_name_problem(name))
        error(ap, "attribute name " + in_quotes(name) + " " + *problem);
      attribute(declaration, ap);
    }
  }

  void attribute(const json& a, const std::string& p) {
    if (!expect(a, p, Kind::kObject)) return;
    const std::string* source = string_at(a, "source");
    const auto third_party = [&](const json& f, const std::string& fp) {
      expect(f, fp, Kind::kBoolean);
    };
    if (source && (*source == "cookie" || *source == "data_layer" || *source == "page_variable")) {
      const bool cookie = *source == "cookie";
      fields(a, p, {"source", cookie ? "name" : "path"}, {"third_party"},
             [&](std::string_view key, const json& f, const std::string& fp) {
               if (key == "third_party") return third_party(f, fp);
               if (key == "source" || !expect(f, fp, Kind::kString)) return;
               const auto& s = f.get_ref<const std::string&>();
               if (s.empty()) return error(fp, "must not be empty");
               if (cookie)
                 cookie_name(s, fp);
               else
                 dotted_path(s, fp);
             });
    } else if (source && *source == "pushed") {
      fields(a, p, {"source"}, {"third_party"},
             [&](std::string_view key, const json& f, const std::string& fp) {
               if (key == "third_party") third_party(f, fp);
             });
    } else {
      // Without a known source, which of name and path belongs is unknown: check the rest.
      fields(a, p, {"source"}, {"name", "path", "third_party"},
             [&](std::string_view key, const json& f, const std::string& fp) {
               if (key == "source")
                 one_of(f, fp, {"cookie", "data_layer", "page_variable", "pushed"});
               else if (key == "third_party")
                 third_party(f, fp);
             });
    }
  }

  // RFC 6265 cookie names are RFC 2616 tokens.
  void cookie_name(const std::string& s, const std::string& p) {
    constexpr std::string_view kSeparators = "()<>@,;:\\\"/[]?={}";
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c <= 0x20 || c >= 0x7F || kSeparators.find(s[i]) != std::string_view::npos)
        return error(p, "is not a cookie name: " + character_at(s, i) + " is not allowed");
    }
  }

  void dotted_path(const std::string& s, const std::string& p) {
    if (s.front() == '.' || s.back() == '.' || s.find("..") != std::string::npos)
      error(p,
            "has an empty name between dots: write the names of the nested fields joined "
            "by single dots, as in 'ecommerce.purchase.value'");
  }

  void saved_groups(const json& v, const std::string& p) {
    if (!expect(v, p, Kind::kObject)) return;
    for (const auto& [id, group] : v.items()) {
      const std::string gp = child(p, id);
      if (const auto problem = identifier_problem(id))
        error(gp, "saved group id " + in_quotes(id) + " " + *problem);
      saved_group(group, gp, id);
    }
  }

  void saved_group(const json& g, const std::string& p, const std::string& id) {
    if (!expect(g, p, Kind::kObject)) return;
    constexpr std::string_view kNames[] = {"values", "condition"};
    const bool values = has_or_misspells(g, "values", kNames);
    const bool condition = has_or_misspells(g, "condition", kNames);
    if (!values && !condition)
      error(p,
            "must have 'values' (a list of attribute values, for '$inGroup') or "
            "'condition' (a condition, for '$savedGroup')");
    else if (g.contains("values") && g.contains("condition"))
      error(p, "must have either 'values' or 'condition', not both");
    fields(g, p, {}, {"values", "condition"},
           [&](std::string_view key, const json& f, const std::string& fp) {
             if (key == "condition") {
               auto& references = group_references_[id];
               if (!ConditionChecker(*this, groups_).condition(f, fp, &references))
                 too_deep_groups_.insert(id);
               return;
             }
             if (!expect(f, fp, Kind::kArray)) return;
             for (std::size_t i = 0; i < f.size(); ++i)
               if (!f[i].is_string() && !f[i].is_number() && !f[i].is_boolean())
                 error(child(fp, i), std::string("must be a string, number or boolean (an "
                                                 "attribute value), got ") +
                                         f[i].type_name());
           });
  }

  // A reference that leads back to a group it is inside of would make the compiler inline
  // forever. Each cycle is reported once, at the reference that closes it, with its path.
  // Depth-first without recursion, as a file may chain any number of groups. Returns the
  // groups in an order where each comes after the groups it names, or nullopt after a cycle.
  std::optional<std::vector<std::string_view>> saved_group_cycles() {
    enum class State { kNew, kOnPath, kDone };
    std::map<std::string_view, State> state;
    std::vector<std::string_view> order;
    bool cycle_found = false;
    struct Step {
      std::string_view group;
      std::size_t next = 0;  // the index of the next reference to follow
    };
    for (const auto& [root, unused] : group_references_) {
      if (state[root] != State::kNew) continue;
      std::vector<Step> path = {{root}};
      state[root] = State::kOnPath;
      while (!path.empty()) {
        Step& step = path.back();
        const auto it = group_references_.find(step.group);
        if (it == group_references_.end() || step.next == it->second.size()) {
          state[step.group] = State::kDone;
          order.push_back(step.group);
          path.pop_back();
          continue;
        }
        const GroupReference& ref = it->second[step.next++];
        const State s = state[ref.group];
        if (s == State::kNew) {
          state[ref.group] = State::kOnPath;
          path.push_back({ref.group});
        } else if (s == State::kOnPath) {
          cycle_found = true;
          std::string cycle;
          auto at = std::find_if(path.begin(), path.end(),
                                 [&](const Step& p) { return p.group == ref.group; });
          for (; at != path.end(); ++at) cycle += std::string(at->group) + " -> ";
          error(ref.pointer, "closes a cycle of saved groups: " + cycle + ref.group +
                                 "; a group cannot include itself, even through others");
        }
      }
    }
    if (cycle_found) return std::nullopt;
    return order;
  }

  // The engine reads each audience with its saved groups inlined; reported only for audiences
  // and groups that are not too deep as written (those are reported where they are).
  void inlined_depths(const std::vector<std::string_view>& groups_in_order) {
    std::map<std::string, int, std::less<>> depths;
    for (std::string_view id : groups_in_order) {
      const auto condition = group_conditions_.find(id);
      depths[std::string(id)] =
          condition == group_conditions_.end() || too_deep_groups_.contains(id)
              ? -1
              : inlined_depth(*condition->second, depths);
    }
    for (const auto& [pointer, audience] : audiences_) {
      const int depth = inlined_depth(*audience, depths);
      if (depth > kMaxConditionDepth)
        error(pointer, "nests " + std::to_string(depth) +
                           " levels of objects and arrays deep once its saved groups are "
                           "inlined; at most " +
                           std::to_string(kMaxConditionDepth) + " are allowed");
    }
  }

  void holdouts(const json& v, const std::string& p) {
    if (!expect(v, p, Kind::kArray)) return;
    std::map<std::string, std::size_t> ids;
    for (std::size_t i = 0; i < v.size(); ++i) holdout(v[i], child(p, i), i, ids);
  }

  void holdout(const json& h, const std::string& p, std::size_t index,
               std::map<std::string, std::size_t>& ids) {
    if (!expect(h, p, Kind::kObject)) return;
    fields(h, p, {"id", "traffic"}, {"campaigns"},
           [&](std::string_view key, const json& f, const std::string& fp) {
             if (key == "id") {
               if (!identifier(f, fp)) return;
               const auto [it, fresh] = ids.emplace(f.get<std::string>(), index);
               if (!fresh)
                 error(fp, "holdout id " + in_quotes(it->first) + " is already used by /holdouts/" +
                               std::to_string(it->second));
             } else if (key == "traffic") {
               if (expect(f, fp, Kind::kNumber)) range(f, fp, 0, 1);
             } else if (key == "campaigns") {
               held_out_campaigns(f, fp);
             }
           });
  }

  void held_out_campaigns(const json& list, const std::string& p) {
    if (!expect(list, p, Kind::kArray)) return;
    if (list.empty())
      return error(p,
                   "must name at least one campaign (leave the field out to hold out every "
                   "ab_test and personalization campaign)");
    std::vector<std::string_view> known;
    for (const auto& [id, type] : campaign_types_)
      if (type != "patch") known.push_back(id);
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string ip = child(p, i);
      if (!expect(list[i], ip, Kind::kString)) continue;
      const auto& id = list[i].get_ref<const std::string&>();
      if (const auto [it, fresh] = seen.emplace(id, i); !fresh) {
        error(ip, "campaign " + in_quotes(id) + " is already listed at " + child(p, it->second));
        continue;
      }
      const auto it = campaign_types_.find(id);
      if (it == campaign_types_.end())
        error(ip, "no campaign has the id " + in_quotes(id) + suggestion(id, known));
      else if (it->second == "patch")
        error(ip, "campaign " + in_quotes(id) + " is a patch, and patches are never held out");
    }
  }

  void hydration_roots(const json& v, const std::string& p) {
    if (!expect(v, p, Kind::kArray)) return;
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::string ip = child(p, i);
      if (!check_selector(*this, v[i], ip)) continue;
      if (const auto [it, fresh] = seen.emplace(v[i].get<std::string>(), i); !fresh)
        error(ip, "is already listed at " + child(p, it->second));
    }
  }

  void preview(const json& v, const std::string& p) {
    if (!expect(v, p, Kind::kObject)) return;
    fields(v, p, {"public_key"}, {}, [&](std::string_view, const json& f, const std::string& fp) {
      if (!expect(f, fp, Kind::kString)) return;
      if (const std::string problem = preview_key_problem(f.get_ref<const std::string&>());
          !problem.empty())
        error(fp, problem);
    });
  }

  // ---- goals and event settings -----------------------------------------------------------

  void goals(const json& v, const std::string& p) {
    if (!expect(v, p, Kind::kArray)) return;
    std::map<std::string, std::size_t> ids;
    for (std::size_t i = 0; i < v.size(); ++i) goal(v[i], child(p, i), p, i, ids);
  }

  // The fields a goal has depend on its kind: a selector for clicks and submits, page rules for
  // page views, nothing more for custom events and transactions (the page names them).
  void goal(const json& g, const std::string& p, const std::string& list_pointer, std::size_t index,
            std::map<std::string, std::size_t>& ids) {
    if (!expect(g, p, Kind::kObject)) return;
    const std::string* kind = string_at(g, "kind");
    constexpr std::string_view kKinds[] = {"page_view", "click", "submit", "custom", "transaction"};
    const bool known =
        kind && std::find(std::begin(kKinds), std::end(kKinds), *kind) != std::end(kKinds);
    std::vector<std::string_view> required = {"id", "kind"};
    std::vector<std::string_view> optional = {"name"};
    if (!known) {
      optional.insert(optional.end(), {"selector", "pages"});
    } else if (*kind == "click" || *kind == "submit") {
      required.push_back("selector");
    } else if (*kind == "page_view") {
      required.push_back("pages");
    }
    std::string note;
    if (known && (*kind == "custom" || *kind == "transaction"))
      note = "a " + *kind + " goal takes 'id', 'kind' and 'name'";
    else if (known && *kind == "page_view")
      note = "a page_view goal takes 'id', 'kind', 'name' and 'pages'";
    else if (known)
      note = "a " + *kind + " goal takes 'id', 'kind', 'name' and 'selector'";
    fields(
        g, p, required, optional,
        [&](std::string_view key, const json& f, const std::string& fp) {
          if (key == "id") {
            if (!identifier(f, fp)) return;
            const auto [it, fresh] = ids.emplace(f.get<std::string>(), index);
            if (!fresh)
              error(fp, "goal id " + in_quotes(it->first) + " is already used by " +
                            child(list_pointer, it->second));
          } else if (key == "name") {
            if (expect(f, fp, Kind::kString)) max_chars(f.get<std::string>(), fp, kMaxNameChars);
          } else if (key == "kind") {
            one_of(f, fp, {"page_view", "click", "submit", "custom", "transaction"});
          } else if (key == "selector") {
            check_selector(*this, f, fp);
          } else if (key == "pages") {
            pages(f, fp, "a goal without one counts no page view");
          }
        },
        note);
  }

  void event_settings(const json& v, const std::string& p) {
    if (!expect(v, p, Kind::kObject)) return;
    fields(v, p, {}, {"query_parameters"},
           [&](std::string_view, const json& list, const std::string& lp) {
             if (!expect(list, lp, Kind::kArray)) return;
             std::map<std::string, std::size_t> seen;
             for (std::size_t i = 0; i < list.size(); ++i) {
               const std::string ip = child(lp, i);
               if (!expect(list[i], ip, Kind::kString)) continue;
               const auto& name = list[i].get_ref<const std::string&>();
               if (const auto problem = query_parameter_problem(name)) {
                 error(ip, *problem);
                 continue;
               }
               if (const auto [it, fresh] = seen.emplace(name, i); !fresh)
                 error(ip, "parameter " + in_quotes(name) + " is already listed at " +
                               child(lp, it->second));
             }
           });
  }

  // A parameter name as it appears before '=' in a query string, undecoded.
  static std::optional<std::string> query_parameter_problem(const std::string& s) {
    if (s.empty()) return "must not be empty";
    if (char_count(s) > kMaxQueryParameterChars)
      return "must be at most " + std::to_string(kMaxQueryParameterChars) + " characters";
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c <= 0x20 || c == 0x7F || s[i] == '&' || s[i] == '=' || s[i] == '#' || s[i] == '?' ||
          s[i] == '%' || s[i] == '+')
        return "is not a query parameter name as written in a URL: " + character_at(s, i) +
               " is not allowed";
    }
    return std::nullopt;
  }

  // ---- campaigns ---------------------------------------------------------------------------

  void campaign(const json& c, const std::string& p, std::size_t index) {
    if (!expect(c, p, Kind::kObject)) return;
    std::optional<double> start, end;
    std::optional<GroupPlace> group_place;
    redirects_.push_back({index, {}});
    fields(c, p, {"id", "type", "purpose", "pages", "variations"},
           {"name", "status", "start", "end", "priority", "audience", "traffic", "hash", "seed",
            "hash_attribute", "group"},
           [&](std::string_view key, const json& v, const std::string& fp) {
             if (key == "id") {
               if (!identifier(v, fp)) return;
               const auto [it, fresh] = campaign_ids_.emplace(v.get<std::string>(), index);
               if (!fresh)
                 error(fp, "campaign id " + in_quotes(it->first) +
                               " is already used by /campaigns/" + std::to_string(it->second));
             } else if (key == "name") {
               if (expect(v, fp, Kind::kString)) max_chars(v.get<std::string>(), fp, kMaxNameChars);
             } else if (key == "type") {
               one_of(v, fp, {"ab_test", "patch", "personalization"});
             } else if (key == "purpose") {
               one_of(v, fp, {"technical", "revenue"});
             } else if (key == "status") {
               one_of(v, fp, {"running", "paused", "draft"});
             } else if (key == "start" || key == "end") {
               (key == "start" ? start : end) = timestamp(v, fp);
             } else if (key == "priority") {
               if (expect(v, fp, Kind::kInteger)) range(v, fp, -kMaxPriority, kMaxPriority);
             } else if (key == "pages") {
               pages(v, fp);
             } else if (key == "audience") {
               if (ConditionChecker(*this, groups_).condition(v, fp) && v.is_object())
                 audiences_.emplace_back(fp, &v);
             } else if (key == "traffic") {
               if (expect(v, fp, Kind::kNumber)) range(v, fp, 0, 1);
             } else if (key == "hash") {
               one_of(v, fp, {"murmur3", "fnv1a_v1", "fnv1a_v2"});
             } else if (key == "seed") {
               if (!expect(v, fp, Kind::kString)) return;
               if (v.get_ref<const std::string&>().empty())
                 return error(fp, "must not be empty (leave the field out to use the campaign id)");
               max_chars(v.get<std::string>(), fp, kMaxNameChars);
             } else if (key == "hash_attribute") {
               hash_attribute(v, fp);
             } else if (key == "group") {
               group_place = group(v, fp);
             } else if (key == "variations") {
               variations(v, fp);
             }
           });
    if (start && end && *start >= *end)
      error(child(p, "end"), "must be later than start (" + c["start"].get<std::string>() +
                                 "): the campaign would never run");
    if (group_place) group_overlaps(*group_place, c, p, index);
  }

  std::optional<double> timestamp(const json& v, const std::string& p) {
    if (!expect(v, p, Kind::kString)) return std::nullopt;
    const auto parsed = parse_timestamp(v.get_ref<const std::string&>());
    if (const auto* problem = std::get_if<std::string>(&parsed)) {
      error(p, *problem);
      return std::nullopt;
    }
    return std::get<double>(parsed);
  }

  // The value of the attribute is hashed instead of the visitor id: it must be able to hold a
  // string or a number. Pushed attributes need no declaration, so any well-formed name may be
  // one.
  void hash_attribute(const json& v, const std::string& p) {
    if (!expect(v, p, Kind::kString)) return;
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty())
      return error(p, "must not be empty (leave the field out to hash the Vario visitor id)");
    if (s == "query" || s == "bot" || s == "returning")
      return error(p, "names " + in_quotes(s) + ", whose value is " +
                          (s == "query" ? "an object" : "true or false") +
                          ": hashing needs an attribute whose value is a string or a number, "
                          "such as a customer id");
    if (is_built_in_attribute(s) || declared_attributes_.contains(s)) return;
    if (const auto problem = attribute_name_problem(s)) {
      std::vector<std::string_view> names(std::begin(kBuiltInAttributes),
                                          std::end(kBuiltInAttributes));
      names.insert(names.end(), declared_attributes_.begin(), declared_attributes_.end());
      error(p, "attribute name " + in_quotes(s) + " " + *problem + suggestion(s, names));
    }
  }

  struct GroupPlace {
    std::string id;
    double start, end;
  };

  std::optional<GroupPlace> group(const json& v, const std::string& p) {
    if (!expect(v, p, Kind::kObject)) return std::nullopt;
    const std::string* id = nullptr;
    std::optional<std::pair<double, double>> bounds;
    fields(
        v, p, {"id", "range"}, {}, [&](std::string_view key, const json& f, const std::string& fp) {
          if (key == "id") {
            if (identifier(f, fp)) id = &f.get_ref<const std::string&>();
            return;
          }
          if (!expect(f, fp, Kind::kArray)) return;
          if (f.size() != 2)
            return error(fp, "must be [start, end], two numbers from 0 to 1, got " +
                                 std::to_string(f.size()) + " elements");
          bool ok = true;
          for (std::size_t i = 0; i < 2; ++i)
            ok = expect(f[i], child(fp, i), Kind::kNumber) && range(f[i], child(fp, i), 0, 1) && ok;
          if (!ok) return;
          const double a = f[0].get<double>(), b = f[1].get<double>();
          if (a >= b)
            return error(fp, "is empty: start (" + f[0].dump() + ") must be less than end (" +
                                 f[1].dump() + ")");
          bounds.emplace(a, b);
        });
    if (!id || !bounds) return std::nullopt;
    return GroupPlace{*id, bounds->first, bounds->second};
  }

  // In a group, a visitor's hash value n places it in the campaign whose range holds n
  // (start <= n < end): ranges that share any n would put a visitor in two campaigns.
  void group_overlaps(const GroupPlace& place, const json& c, const std::string& p,
                      std::size_t index) {
    auto& members = group_members_[place.id];
    for (const GroupMember& other : members) {
      const double low = std::max(place.start, other.start);
      const double high = std::min(place.end, other.end);
      if (low < high)
        error(child(child(p, "group"), "range"),
              "overlaps the range [" + number_text(other.start) + ", " + number_text(other.end) +
                  "] of " + other.campaign + " in group " + in_quotes(place.id) +
                  ": a visitor between " + number_text(low) + " and " + number_text(high) +
                  " would be in both");
    }
    const std::string pointer = "/campaigns/" + std::to_string(index);
    const std::string* id = string_at(c, "id");
    members.push_back({place.start, place.end,
                       id && !identifier_problem(*id)
                           ? "campaign " + in_quotes(*id) + " (" + pointer + ")"
                           : pointer});
  }

  // `without_rules` says what an empty include list would mean for its owner.
  void pages(const json& v, const std::string& p,
             std::string_view without_rules = "a campaign without one runs on no page") {
    if (!expect(v, p, Kind::kObject)) return;
    fields(v, p, {"include"}, {"exclude"},
           [&](std::string_view key, const json& list, const std::string& lp) {
             if (!expect(list, lp, Kind::kArray)) return;
             if (key == "include" && list.empty())
               error(lp, "must have at least one rule: " + std::string(without_rules));
             for (std::size_t i = 0; i < list.size(); ++i) page_rule(list[i], child(lp, i));
           });
  }

  void page_rule(const json& rule, const std::string& p) {
    if (!expect(rule, p, Kind::kObject)) return;
    // The value's checks depend on the kind of match and on the part of the URL matched,
    // wherever those sit in the object; a wrong one is reported on its own.
    constexpr std::string_view kParts[] = {"path", "url", "host", "query", "hash"};
    const std::string* match = string_at(rule, "match");
    const std::string* on_field = string_at(rule, "on");
    const bool has_on = rule.contains("on");
    const std::string on = on_field ? *on_field : has_on ? "" : "path";
    const bool on_known = std::find(std::begin(kParts), std::end(kParts), on) != std::end(kParts);
    fields(rule, p, {"match", "value"}, {"on", "param"},
           [&](std::string_view key, const json& v, const std::string& fp) {
             if (key == "match") {
               one_of(v, fp, {"exact", "prefix", "contains", "glob", "regex"});
             } else if (key == "on") {
               one_of(v, fp, {"path", "url", "host", "query", "hash"});
             } else if (key == "param") {
               if (!expect(v, fp, Kind::kString)) return;
               if (v.get_ref<const std::string&>().empty()) return error(fp, "must not be empty");
               if (on_known && on != "query")
                 error(fp, "names a query parameter, so it needs \"on\": \"query\"" +
                               (has_on ? ", not " + in_quotes(on) : std::string()));
             } else {
               if (!expect(v, fp, Kind::kString)) return;
               const auto& s = v.get_ref<const std::string&>();
               if (s.empty()) return error(fp, "must not be empty");
               if (!max_chars(s, fp, kMaxRuleChars) || !match) return;
               if (*match == "regex") {
                 if (const auto problem = ecmascript_regex_problem(s, ""))
                   error(fp, "is not a valid regular expression: " + *problem);
               } else if (on_known) {
                 rule_value(*match, on, rule.contains("param"), s, fp);
               }
             }
           });
  }

  // Rules that can never match are errors. What "never" means depends on the part of the URL
  // the rule sees: the path starts with '/' and has neither query string nor fragment, the
  // query string comes without its '?', the fragment without its '#', the host is lowercase
  // with no scheme or path, and the whole URL starts with its scheme.
  void rule_value(const std::string& match, const std::string& on, bool param, const std::string& s,
                  const std::string& p) {
    const bool glob = match == "glob";
    if (match != "exact" && match != "prefix" && match != "contains" && !glob) return;
    const bool anchored = match != "contains" && !(glob && (s[0] == '*' || s[0] == '?'));
    const bool full_url = s.starts_with("http://") || s.starts_with("https://");
    if (on == "path") {
      if (full_url)
        return error(p,
                     "must be a URL path such as '/product.html': rules are matched against the "
                     "path of the page's URL, not the whole URL (add \"on\": \"url\" for that)");
      if (anchored && s[0] != '/')
        return error(p, "can never match: URL paths start with '/', as in '/" + s + "'");
      if (s.find_first_of(glob ? "#" : "?#") != std::string::npos)
        error(p,
              "can never match: rules see only the URL path, without the query string ('?...') "
              "or fragment ('#...'); match those with \"on\": \"query\" or \"on\": \"hash\"");
    } else if (on == "url") {
      if (anchored && !full_url)
        error(p,
              "can never match: page URLs start with 'https://' or 'http://', as in "
              "'https://shop.example/'");
    } else if (on == "host") {
      if (full_url || s.find('/') != std::string::npos)
        return error(p,
                     "can never match: a host has no scheme or path; write only the host, as "
                     "in 'shop.example'");
      if (std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
        error(p, "can never match: host names in URLs are lowercase");
    } else if (on == "query" && !param) {
      if (anchored && s[0] == '?')
        error(p, "can never match: the query string is matched without its leading '?', as in " +
                     in_quotes(s.substr(1)));
      else if (s.find('#') != std::string::npos)
        error(p, "can never match: the query string ends before the fragment ('#...')");
    } else if (on == "hash") {
      if (anchored && s[0] == '#')
        error(p, "can never match: the fragment is matched without its leading '#', as in " +
                     in_quotes(s.substr(1)));
    }
  }

  void variations(const json& v, const std::string& p) {
    if (!expect(v, p, Kind::kArray)) return;
    if (v.empty()) return error(p, "must have at least one variation");
    if (v.size() > kMaxVariations)
      error(p, "has " + std::to_string(v.size()) + " variations; at most " +
                   std::to_string(kMaxVariations) + " are allowed");
    // Summed only when every weight is valid: a missing or wrong weight is reported where it is.
    double sum = 0;
    bool all_valid = true;
    for (const json& variation : v) {
      const auto it = variation.is_object() ? variation.find("weight") : variation.end();
      if (!variation.is_object() || it == variation.end() || !it->is_number() ||
          it->get<double>() < 0 || it->get<double>() > 1) {
        all_valid = false;
        break;
      }
      sum += it->get<double>();
    }
    if (all_valid && std::fabs(sum - 1.0) > kWeightSumTolerance)
      error(p, "weights sum to " + sum_text(sum) + ", they must sum to 1");
    std::map<std::string, std::size_t> ids;
    for (std::size_t i = 0; i < v.size(); ++i) variation(v[i], child(p, i), p, i, ids);
  }

  void variation(const json& v, const std::string& p, const std::string& list_pointer,
                 std::size_t index, std::map<std::string, std::size_t>& ids) {
    if (!expect(v, p, Kind::kObject)) return;
    fields(v, p, {"id", "weight", "changes"}, {"name"},
           [&](std::string_view key, const json& f, const std::string& fp) {
             if (key == "id") {
               if (!identifier(f, fp)) return;
               const auto [it, fresh] = ids.emplace(f.get<std::string>(), index);
               if (!fresh)
                 error(fp, "variation id " + in_quotes(it->first) + " is already used by " +
                               child(list_pointer, it->second));
             } else if (key == "name") {
               if (expect(f, fp, Kind::kString)) max_chars(f.get<std::string>(), fp, kMaxNameChars);
             } else if (key == "weight") {
               if (expect(f, fp, Kind::kNumber)) range(f, fp, 0, 1);
             } else if (key == "changes") {
               auto found = check_changes(*this, f, fp);
               auto& mine = redirects_.back().redirects;
               mine.insert(mine.end(), std::make_move_iterator(found.begin()),
                           std::make_move_iterator(found.end()));
             }
           });
  }

  struct GroupMember {
    double start, end;
    std::string campaign;  // for messages: "campaign 'x' (/campaigns/1)"
  };

  std::map<std::string, std::size_t> campaign_ids_;  // id -> index of its first campaign
  GroupKinds groups_;                                // saved groups, from look_ahead()
  std::set<std::string, std::less<>> declared_attributes_;
  std::map<std::string, std::string, std::less<>> campaign_types_;  // id -> type, as written
  // condition group id -> the condition groups its condition names
  std::map<std::string, std::vector<GroupReference>, std::less<>> group_references_;
  std::map<std::string, std::vector<GroupMember>> group_members_;  // group id -> campaigns in it
  // For the depth of audiences once saved groups are inlined:
  std::map<std::string, const json*, std::less<>> group_conditions_;  // condition groups
  std::set<std::string, std::less<>> too_deep_groups_;          // too deep as written, reported
  std::vector<std::pair<std::string, const json*>> audiences_;  // pointer, audience
  std::vector<CampaignRedirects> redirects_;  // one entry per campaign object, in file order
};

// ---- document order -----------------------------------------------------------------------

// The validator's deepest pointers are inside conditions: /campaigns/i/audience (3 tokens) and
// one token per level below it, up to the level beyond kMaxConditionDepth that is reported as
// too deep. Anything deeper sits inside a value that is already reported.
constexpr std::size_t kDeepestPointer = 3 + kMaxConditionDepth;

// The reported pointers as a tree of their tokens, so that one pass over the text can find each
// one's place in reading order without building a pointer string for every value (which is
// quadratic on deep or long-keyed input).
struct PointerTree {
  std::size_t ordinal = std::numeric_limits<std::size_t>::max();
  std::map<std::string, std::unique_ptr<PointerTree>, std::less<>> children;

  PointerTree* find_or_add(std::string_view pointer) {
    PointerTree* node = this;
    for (const std::string& token : tokens(pointer)) {
      auto& next = node->children[token];
      if (!next) next = std::make_unique<PointerTree>();
      node = next.get();
    }
    return node;
  }

  static std::vector<std::string> tokens(std::string_view pointer) {
    std::vector<std::string> out;
    while (pointer.starts_with('/')) {
      pointer.remove_prefix(1);
      const std::size_t end = std::min(pointer.find('/'), pointer.size());
      std::string token;
      for (std::size_t i = 0; i < end; ++i) {
        if (pointer[i] == '~' && i + 1 < end) {
          token += pointer[i + 1] == '1' ? '/' : '~';
          ++i;
        } else {
          token += pointer[i];
        }
      }
      out.push_back(std::move(token));
      pointer.remove_prefix(end);
    }
    return out;
  }
};

// A SAX walk over the text. Without a tree it checks the syntax and finds keys repeated in one
// object, which the DOM parser would silently collapse; with a tree it numbers the tree's
// pointers in reading order (a repeated key's pointer gets its last, surviving occurrence).
class TextWalk {
 public:
  explicit TextWalk(PointerTree* order = nullptr) : order_(order) {}

  std::vector<Diagnostic> repeated_keys;  // at most kMaxDiagnostics
  std::size_t repeated_keys_left_out = 0;
  std::optional<std::string> syntax_error;

  bool null() { return scalar(); }
  bool boolean(bool) { return scalar(); }
  bool number_integer(json::number_integer_t) { return scalar(); }
  bool number_unsigned(json::number_unsigned_t) { return scalar(); }
  bool number_float(json::number_float_t, const json::string_t&) { return scalar(); }
  bool string(json::string_t&) { return scalar(); }
  bool binary(json::binary_t&) { return scalar(); }
  bool start_object(std::size_t) { return open(true); }
  bool start_array(std::size_t) { return open(false); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(json::string_t& k) {
    Frame& f = stack_.back();
    if (!order_ && stack_.size() <= kDeepestPointer && !f.keys.insert(k).second) {
      if (repeated_keys.size() == kMaxDiagnostics)
        ++repeated_keys_left_out;
      else
        repeated_keys.push_back({child(current_pointer(), k),
                                 "field " + in_quotes(k) +
                                     " appears more than once in this object; only one of its "
                                     "values would be used"});
    }
    f.key = k;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const json::exception& e) {
    syntax_error = e.what();
    return false;
  }

 private:
  struct Frame {
    bool object = false;
    std::size_t next_index = 0;   // arrays: the index the next element gets
    std::string key;              // objects: the key of the value being read
    std::set<std::string> keys;   // objects: the keys seen so far (first pass only)
    PointerTree* node = nullptr;  // this container in the tree, if a pointer reaches it
  };

  // Numbers the value starting now and returns its node in the tree, if any.
  PointerTree* enter_value() {
    const std::size_t ordinal = counter_++;
    PointerTree* node = nullptr;
    if (stack_.empty()) {
      node = order_;
    } else {
      Frame& f = stack_.back();
      const std::string token = f.object ? f.key : std::to_string(f.next_index++);
      if (f.node)
        if (const auto it = f.node->children.find(token); it != f.node->children.end())
          node = it->second.get();
    }
    if (node) node->ordinal = ordinal;
    return node;
  }

  // The pointer of the object being read (the first pass needs it only for repeated keys).
  std::string current_pointer() const {
    std::string out;
    for (std::size_t i = 0; i + 1 < stack_.size(); ++i) {
      const Frame& f = stack_[i];
      out += f.object ? child("", f.key) : child("", f.next_index - 1);
    }
    return out;
  }

  bool scalar() {
    enter_value();
    return true;
  }
  bool open(bool object) {
    PointerTree* node = enter_value();
    stack_.push_back(Frame{object, 0, {}, {}, node});
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  PointerTree* order_;
  std::vector<Frame> stack_;
  std::size_t counter_ = 0;
};

// nlohmann's "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error
// while parsing ..." without the library's prefix.
std::string syntax_message(const std::string& what) {
  std::string_view s = what;
  if (const std::size_t close = s.find("] "); s.starts_with("[json.exception") && close != s.npos)
    s.remove_prefix(close + 2);
  if (s.starts_with("parse error at ")) return "invalid JSON at " + std::string(s.substr(15));
  if (s.starts_with("parse error: ")) return "invalid JSON: " + std::string(s.substr(13));
  return "invalid JSON: " + std::string(s);
}

// A valid file nests at most kDeepestPointer levels (a condition's 64 under
// /campaigns/N/audience); one more lets the validator report a condition nested too deep at its
// pointer.
constexpr std::size_t kMaxTextDepth = kDeepestPointer + 1;

// Where the first array or object deeper than kMaxTextDepth opens, as a syntax error is located
// (line and column counted from 1, in bytes), or nullopt. It runs before any parser, because
// nlohmann's would first build the whole tree, in time and memory that grow with the depth.
std::optional<std::string> too_deep(std::string_view text) {
  std::size_t depth = 0, line = 1, column = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    ++column;
    const char c = text[i];
    if (c == '\n') {
      ++line;
      column = 0;
    } else if (in_string) {
      if (c == '\\') {  // an escaped quote does not end the string
        ++i;
        ++column;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxTextDepth)
        return "JSON at line " + std::to_string(line) + ", column " + std::to_string(column) +
               ": nested deeper than " + std::to_string(kMaxTextDepth) +
               " levels of arrays and objects";
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

void say_how_many_were_left_out(std::vector<Diagnostic>& kept, std::size_t left_out) {
  if (left_out > 0)
    kept.push_back({"", std::to_string(left_out) + " more " +
                            (left_out == 1 ? "error is" : "errors are") +
                            " not shown; fix these first"});
}

}  // namespace

std::vector<Diagnostic> validate_campaigns(const json& doc) {
  Validator v;
  v.document(doc);
  const std::size_t left_out = v.left_out();
  std::vector<Diagnostic> out = v.take();
  say_how_many_were_left_out(out, left_out);
  return out;
}

std::vector<Diagnostic> validate_campaigns_text(std::string_view json_text) {
  if (auto deep = too_deep(json_text)) return {{"", std::move(*deep)}};
  TextWalk check;
  json::sax_parse(json_text, &check);
  if (check.syntax_error) return {{"", syntax_message(*check.syntax_error)}};

  std::vector<Diagnostic> out = std::move(check.repeated_keys);
  std::size_t left_out = check.repeated_keys_left_out;
  {
    Validator v;
    v.document(json::parse(json_text));
    left_out += v.left_out();
    std::vector<Diagnostic> found = v.take();
    out.insert(out.end(), std::make_move_iterator(found.begin()),
               std::make_move_iterator(found.end()));
  }
  if (out.size() < 2) return out;

  PointerTree order;
  for (const Diagnostic& d : out) order.find_or_add(d.pointer);
  TextWalk numbering(&order);
  json::sax_parse(json_text, &numbering);
  // Stable: a value's own diagnostics keep the order the checks made them in, and a repeated
  // key's diagnostic comes before those about the value that survived.
  const auto rank = [&](const Diagnostic& d) { return order.find_or_add(d.pointer)->ordinal; };
  std::stable_sort(out.begin(), out.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return rank(a) < rank(b); });
  if (out.size() > kMaxDiagnostics) {
    left_out += out.size() - kMaxDiagnostics;
    out.resize(kMaxDiagnostics);
  }
  say_how_many_were_left_out(out, left_out);
  return out;
}

std::string format_diagnostic(const Diagnostic& d) {
  return d.pointer.empty() ? d.message : d.pointer + ": " + d.message;
}

}  // namespace vario::host
