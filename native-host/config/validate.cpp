#include "config/validate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>

#include "config/css_selector.hpp"

namespace vario::host {
namespace {

using nlohmann::json;

// Format version 1 limits (docs/campaigns.md). Lengths count characters (code points), which is
// what a person writing the file counts.
constexpr int kFormatVersion = 1;
constexpr std::size_t kMaxIdChars = 64;
constexpr std::size_t kMaxNameChars = 200;
constexpr std::size_t kMaxRuleChars = 2048;
constexpr std::size_t kMaxSelectorChars = 1024;
constexpr std::size_t kMaxTextChars = 10000;
constexpr std::size_t kMaxVariations = 20;
constexpr std::size_t kMaxChanges = 200;
constexpr double kMaxAntiFlickerMs = 5000;
// Weights are decimals written by people (0.1 + 0.2 + 0.7 is not exactly 1 in binary); a
// millionth is far below one bucket in 10,000.
constexpr double kWeightSumTolerance = 1e-6;
// Suggest a known field or value only for near misses ("wieght" -> "weight").
constexpr std::size_t kMaxSuggestionDistance = 2;
constexpr std::string_view kActions[] = {"set_text"};

// ---- small text helpers -------------------------------------------------------------------

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string child(const std::string& pointer, std::string_view key) {
  return pointer + "/" + escape_pointer_token(key);
}
std::string child(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::size_t char_count(std::string_view utf8) {
  return static_cast<std::size_t>(
      std::count_if(utf8.begin(), utf8.end(), [](char c) { return !is_continuation_byte(c); }));
}

// The whole UTF-8 character starting at byte `i`, so a message never shows half of one.
std::string_view char_at(std::string_view s, std::size_t i) {
  std::size_t end = i + 1;
  while (end < s.size() && is_continuation_byte(s[end])) ++end;
  return s.substr(i, end - i);
}

// Quoted for a message; long values are cut so that one bad value cannot flood the output.
std::string in_quotes(std::string_view s) {
  constexpr std::size_t kShown = 60;
  if (char_count(s) <= kShown) return "'" + std::string(s) + "'";
  std::size_t bytes = 0;
  for (std::size_t chars = 0; bytes < s.size(); ++bytes)
    if (!is_continuation_byte(s[bytes]) && chars++ == kShown) break;
  return "'" + std::string(s.substr(0, bytes)) + "...'";
}

std::string in_quotes_list(std::initializer_list<std::string_view> names) {
  std::string out;
  std::size_t i = 0;
  for (std::string_view n : names) {
    if (i > 0) out += (i + 1 == names.size()) ? " or " : ", ";
    out += in_quotes(n);
    ++i;
  }
  return out;
}

// Optimal string alignment distance: Levenshtein plus adjacent transpositions, the typo people
// make most ("wieght").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// The candidate nearest to `word`, if near enough to be what was meant. It must be closer than
// the length of the word itself, so that "x" does not suggest "id".
std::optional<std::string_view> closest(std::string_view word,
                                        std::span<const std::string_view> candidates) {
  // No field or value name is long; a long word is no near miss, and skipping it keeps a
  // megabyte-long key from costing a megabyte-sized table.
  constexpr std::size_t kLongestNearMiss = 64;
  if (word.size() > kLongestNearMiss) return std::nullopt;
  std::string_view best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (std::string_view c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  if (best_distance <= kMaxSuggestionDistance && best_distance < word.size()) return best;
  return std::nullopt;
}

// "; did you mean 'weight'?", or "" when nothing is near.
std::string suggestion(std::string_view word, std::span<const std::string_view> candidates) {
  const auto best = closest(word, candidates);
  return best ? "; did you mean " + in_quotes(*best) + "?" : "";
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

bool is_integral(const json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  const double d = v.get<double>();
  return std::isfinite(d) && d == std::floor(d);
}

// ---- the validator ------------------------------------------------------------------------

enum class Kind { kString, kBoolean, kNumber, kInteger, kObject, kArray };

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::kString:
      return "a string";
    case Kind::kBoolean:
      return "true or false";
    case Kind::kNumber:
      return "a number";
    case Kind::kInteger:
      return "an integer";
    case Kind::kObject:
      return "an object";
    case Kind::kArray:
      return "an array";
  }
  return "";
}

class Validator {
 public:
  std::vector<Diagnostic> take() { return std::move(diagnostics_); }

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
    fields(doc, "", {"version", "account", "campaigns"},
           {"$schema", "collector", "consent", "anti_flicker_ms"},
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
               if (expect(v, p, Kind::kObject))
                 fields(v, p, {}, {"required"},
                        [&](std::string_view, const json& r, const std::string& rp) {
                          expect(r, rp, Kind::kBoolean);
                        });
             } else if (key == "anti_flicker_ms") {
               if (expect(v, p, Kind::kInteger)) range(v, p, 0, kMaxAntiFlickerMs);
             } else if (key == "campaigns") {
               if (expect(v, p, Kind::kArray))
                 for (std::size_t i = 0; i < v.size(); ++i) campaign(v[i], child(p, i), i);
             }
           });
  }

 private:
  void error(std::string pointer, std::string message) {
    diagnostics_.push_back({std::move(pointer), std::move(message)});
  }

  bool expect(const json& v, const std::string& p, Kind kind) {
    bool ok = false;
    switch (kind) {
      case Kind::kString:
        ok = v.is_string();
        break;
      case Kind::kBoolean:
        ok = v.is_boolean();
        break;
      case Kind::kNumber:
        ok = v.is_number();
        break;
      case Kind::kInteger:
        ok = is_integral(v);
        break;
      case Kind::kObject:
        ok = v.is_object();
        break;
      case Kind::kArray:
        ok = v.is_array();
        break;
    }
    if (!ok) {
      // "got 1.5" says more than "got number" when the type is right but not whole.
      const std::string got = (kind == Kind::kInteger && v.is_number()) ? v.dump() : v.type_name();
      error(p, std::string("must be ") + kind_name(kind) + ", got " + got);
    }
    return ok;
  }

  bool range(const json& v, const std::string& p, double low, double high) {
    const double d = v.get<double>();
    if (d >= low && d <= high) return true;
    char bounds[64];
    std::snprintf(bounds, sizeof bounds, "%g and %g", low, high);
    error(p, std::string("must be between ") + bounds + ", got " + v.dump());
    return false;
  }

  bool max_chars(const std::string& s, const std::string& p, std::size_t limit) {
    const std::size_t n = char_count(s);
    if (n <= limit) return true;
    error(p, "is " + std::to_string(n) + " characters long; at most " + std::to_string(limit) +
                 " are allowed");
    return false;
  }

  // Reports the required fields `obj` lacks (at `p`) and the fields it should not have, then
  // hands every known field to `on_field`, in the object's order. A misspelt required field is
  // reported once, as unknown with a suggestion, not also as missing.
  template <class OnField>
  void fields(const json& obj, const std::string& p,
              std::initializer_list<std::string_view> required,
              std::initializer_list<std::string_view> optional, OnField&& on_field) {
    std::vector<std::string_view> names(required);
    names.insert(names.end(), optional.begin(), optional.end());
    const auto known = [&](const std::string& key) {
      return std::find(names.begin(), names.end(), key) != names.end();
    };
    std::set<std::string_view> meant;  // the known names unknown keys look like
    for (const auto& [key, value] : obj.items())
      if (!known(key))
        if (const auto best = closest(key, names)) meant.insert(*best);
    for (std::string_view name : required)
      if (!obj.contains(name) && !meant.contains(name))
        error(p, "missing required field " + in_quotes(name));
    for (const auto& [key, value] : obj.items()) {
      if (known(key))
        on_field(std::string_view(key), value, child(p, key));
      else
        error(child(p, key), "unknown field " + in_quotes(key) + suggestion(key, names));
    }
  }

  // One of `allowed`; says which and suggests the nearest.
  bool one_of(const json& v, const std::string& p,
              std::initializer_list<std::string_view> allowed) {
    if (!expect(v, p, Kind::kString)) return false;
    const auto& s = v.get_ref<const std::string&>();
    if (std::find(allowed.begin(), allowed.end(), s) != allowed.end()) return true;
    error(p, "must be " + in_quotes_list(allowed) + ", got " + in_quotes(s) +
                 suggestion(s, {allowed.begin(), allowed.size()}));
    return false;
  }

  // Campaign and variation ids: they travel in cookies, events and CSV exports, so they keep to
  // characters that need no escaping anywhere.
  bool identifier(const json& v, const std::string& p) {
    if (!expect(v, p, Kind::kString)) return false;
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty()) {
      error(p, "must not be empty");
      return false;
    }
    if (!max_chars(s, p, kMaxIdChars)) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
      if (!ok) {
        error(p, "may contain only letters a-z and A-Z, digits, '_' and '-'; " +
                     in_quotes(char_at(s, i)) + " (character " +
                     std::to_string(char_count(s.substr(0, i)) + 1) + ") is not allowed");
        return false;
      }
    }
    return true;
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
                          in_quotes(char_at(s, i)) + " (character " +
                          std::to_string(char_count(s.substr(0, i)) + 1) + ") is not allowed");
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

  void campaign(const json& c, const std::string& p, std::size_t index) {
    if (!expect(c, p, Kind::kObject)) return;
    fields(c, p, {"id", "type", "purpose", "pages", "variations"}, {"name", "status", "traffic"},
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
             } else if (key == "pages") {
               pages(v, fp);
             } else if (key == "traffic") {
               if (expect(v, fp, Kind::kNumber)) range(v, fp, 0, 1);
             } else if (key == "variations") {
               variations(v, fp);
             }
           });
  }

  void pages(const json& v, const std::string& p) {
    if (!expect(v, p, Kind::kObject)) return;
    fields(v, p, {"include"}, {"exclude"},
           [&](std::string_view key, const json& list, const std::string& lp) {
             if (!expect(list, lp, Kind::kArray)) return;
             if (key == "include" && list.empty())
               error(lp, "must have at least one rule: a campaign without one runs on no page");
             for (std::size_t i = 0; i < list.size(); ++i) page_rule(list[i], child(lp, i));
           });
  }

  void page_rule(const json& rule, const std::string& p) {
    if (!expect(rule, p, Kind::kObject)) return;
    // The value's checks depend on the kind of match, wherever "match" sits in the object.
    std::string match;
    if (const auto it = rule.find("match"); it != rule.end() && it->is_string())
      match = it->get<std::string>();
    fields(rule, p, {"match", "value"}, {},
           [&](std::string_view key, const json& v, const std::string& fp) {
             if (key == "match") {
               if (v.is_string() && v.get<std::string>() == "regex")
                 error(fp,
                       "regex page rules are not supported in version 1; use 'glob', where "
                       "'*' matches any run of characters and '?' one character");
               else
                 one_of(v, fp, {"exact", "prefix", "contains", "glob"});
               return;
             }
             if (!expect(v, fp, Kind::kString)) return;
             const auto& s = v.get_ref<const std::string&>();
             if (s.empty()) return error(fp, "must not be empty");
             if (!max_chars(s, fp, kMaxRuleChars)) return;
             rule_value(match, s, fp);
           });
  }

  // Rules that can never match are errors: the engine matches them against the URL path only,
  // which starts with '/' and has neither query string nor fragment.
  void rule_value(const std::string& match, const std::string& s, const std::string& p) {
    const bool glob = match == "glob";
    if (match != "exact" && match != "prefix" && match != "contains" && !glob) return;
    if (s.starts_with("http://") || s.starts_with("https://"))
      return error(p,
                   "must be a URL path such as '/product.html': rules are matched against the "
                   "path of the page's URL, not the whole URL");
    const bool starts_ok = s.starts_with('/') || (glob && (s[0] == '*' || s[0] == '?'));
    if (match != "contains" && !starts_ok)
      return error(p, "can never match: URL paths start with '/', as in '/" + s + "'");
    const char* never = glob ? "#" : "?#";
    if (s.find_first_of(never) != std::string::npos)
      error(p,
            "can never match: rules see only the URL path, without the query string ('?...') "
            "or fragment ('#...')");
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
               if (!expect(f, fp, Kind::kArray)) return;
               if (f.size() > kMaxChanges)
                 error(fp, "has " + std::to_string(f.size()) + " changes; at most " +
                               std::to_string(kMaxChanges) + " are allowed");
               for (std::size_t i = 0; i < f.size(); ++i) change(f[i], child(fp, i));
             }
           });
  }

  void change(const json& c, const std::string& p) {
    if (!expect(c, p, Kind::kObject)) return;
    const auto action = c.find("action");
    if (action != c.end() && action->is_string() && action->get<std::string>() == "set_text") {
      fields(c, p, {"action", "selector", "value"}, {},
             [&](std::string_view key, const json& v, const std::string& fp) {
               if (key == "selector") {
                 selector(v, fp);
               } else if (key == "value") {
                 if (expect(v, fp, Kind::kString))
                   max_chars(v.get<std::string>(), fp, kMaxTextChars);
               }
             });
      return;
    }
    // Without a known action the other fields' shape is unknown; only the selector, which
    // every kind of change will have, is still worth checking.
    if (action == c.end())
      error(p, "missing required field 'action'");
    else if (expect(*action, child(p, "action"), Kind::kString))
      error(child(p, "action"), "unknown action " + in_quotes(action->get<std::string>()) +
                                    ": version 1 supports only 'set_text'" +
                                    suggestion(action->get<std::string>(), kActions));
    if (const auto it = c.find("selector"); it != c.end()) selector(*it, child(p, "selector"));
  }

  void selector(const json& v, const std::string& p) {
    if (!expect(v, p, Kind::kString)) return;
    const auto& s = v.get_ref<const std::string&>();
    if (!max_chars(s, p, kMaxSelectorChars)) return;
    if (const auto problem = check_css_selector(s))
      error(p, "is not a valid CSS selector: " + *problem);
  }

  std::vector<Diagnostic> diagnostics_;
  std::map<std::string, std::size_t> campaign_ids_;  // id -> index of its first campaign
};

// ---- document order -----------------------------------------------------------------------

// The validator's pointers never go deeper than a change's field
// (/campaigns/i/variations/j/changes/k/selector); anything deeper sits inside a value that is
// already reported as unknown or of the wrong type.
constexpr std::size_t kDeepestPointer = 8;

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

  std::vector<Diagnostic> repeated_keys;
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
    if (!order_ && stack_.size() <= kDeepestPointer && !f.keys.insert(k).second)
      repeated_keys.push_back({child(current_pointer(), k),
                               "field " + in_quotes(k) +
                                   " appears more than once in this object; only one of its "
                                   "values would be used"});
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

}  // namespace

std::vector<Diagnostic> validate_campaigns(const json& doc) {
  Validator v;
  v.document(doc);
  return v.take();
}

std::vector<Diagnostic> validate_campaigns_text(std::string_view json_text) {
  TextWalk check;
  json::sax_parse(json_text, &check);
  if (check.syntax_error) return {{"", syntax_message(*check.syntax_error)}};

  std::vector<Diagnostic> out = std::move(check.repeated_keys);
  std::vector<Diagnostic> found = validate_campaigns(json::parse(json_text));
  out.insert(out.end(), std::make_move_iterator(found.begin()),
             std::make_move_iterator(found.end()));
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
  return out;
}

std::string format_diagnostic(const Diagnostic& d) {
  return d.pointer.empty() ? d.message : d.pointer + ": " + d.message;
}

}  // namespace vario::host
