#include "config/validate_changes.hpp"

#include <algorithm>
#include <optional>

#include "config/css_properties.hpp"
#include "config/css_selector.hpp"
#include "config/css_text.hpp"
#include "config/html_safety.hpp"

namespace vario::host::validation {
namespace {

// Version 1 limits (docs/changes.md). Lengths count characters (code points).
constexpr std::size_t kMaxSelectorChars = 1024;
constexpr std::size_t kMaxTextChars = 10000;
constexpr std::size_t kMaxStylesheetChars = 50000;
constexpr std::size_t kMaxUrlChars = 2048;
constexpr std::size_t kMaxNameChars = 200;

constexpr std::string_view kActions[] = {
    "set_text",  "set_html",    "set_attribute", "remove_attribute", "add_class", "remove_class",
    "set_style", "insert_html", "move",          "remove",           "hide",      "add_css",
    "redirect"};

// The fields of each action, "action" first.
constexpr std::string_view kSelectorValue[] = {"action", "selector", "value"};
constexpr std::string_view kSelectorNameValue[] = {"action", "selector", "name", "value"};
constexpr std::string_view kSelectorName[] = {"action", "selector", "name"};
constexpr std::string_view kSelectorPositionValue[] = {"action", "selector", "position", "value"};
constexpr std::string_view kSelectorTargetPosition[] = {"action", "selector", "target", "position"};
constexpr std::string_view kSelector[] = {"action", "selector"};
constexpr std::string_view kValue[] = {"action", "value"};
constexpr std::string_view kUrl[] = {"action", "url"};
constexpr std::string_view kKeepQuery[] = {"keep_query"};

struct Shape {
  std::string_view action;
  std::span<const std::string_view> required;
  std::span<const std::string_view> optional;
  // Why an action without a selector has none, for the message about a stray one.
  std::string_view no_selector = {};
};

const Shape kShapes[] = {
    {"set_text", kSelectorValue, {}},
    {"set_html", kSelectorValue, {}},
    {"set_attribute", kSelectorNameValue, {}},
    {"remove_attribute", kSelectorName, {}},
    {"add_class", kSelectorValue, {}},
    {"remove_class", kSelectorValue, {}},
    {"set_style", kSelectorNameValue, {}},
    {"insert_html", kSelectorPositionValue, {}},
    {"move", kSelectorTargetPosition, {}},
    {"remove", kSelector, {}},
    {"hide", kSelector, {}},
    {"add_css", kValue, {}, "its stylesheet applies to the whole page"},
    {"redirect", kUrl, kKeepQuery, "it sends the visitor to another page"},
};

const Shape* shape_of(std::string_view action) {
  for (const Shape& s : kShapes)
    if (s.action == action) return &s;
  return nullptr;
}

// "set_text takes 'selector' and 'value'": what an unknown field's message adds.
std::string fields_note(const Shape& s) {
  std::vector<std::string_view> names(s.required.begin() + 1, s.required.end());
  names.insert(names.end(), s.optional.begin(), s.optional.end());
  std::string note = std::string(s.action) + " takes " + (names.size() == 1 ? "only " : "") +
                     in_quotes_list(names, "and");
  if (!s.no_selector.empty()) note += ", and no selector: " + std::string(s.no_selector);
  return note;
}

const std::string* string_field(const json& obj, std::string_view key) {
  const auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

// The candidates for "did you mean" among CSS properties.
const std::vector<std::string_view>& css_property_candidates() {
  static const std::vector<std::string_view> all = [] {
    std::vector<std::string_view> out(standard_css_properties().begin(),
                                      standard_css_properties().end());
    out.insert(out.end(), prefixed_css_properties().begin(), prefixed_css_properties().end());
    return out;
  }();
  return all;
}

// "backgroundColor" -> "background-color", as the CSSOM's camel-case names map to CSS.
std::string hyphenated(std::string_view camel) {
  std::string out;
  for (char c : camel) {
    if (c >= 'A' && c <= 'Z') {
      out += '-';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

// The problem with `s` as a redirect URL, or nullopt.
std::optional<std::string> redirect_url_problem(std::string_view s) {
  if (s.empty()) return "must not be empty";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c <= 0x20 || c == 0x7F)
      return "must not contain spaces or control characters: " + character_at(s, i) +
             " is one (write a space as %20)";
  }
  if (s.starts_with("//"))
    return "must not start with '//': write the scheme, as in 'https:" + std::string(s) + "'";
  if (s.starts_with('/')) return std::nullopt;
  for (std::string_view scheme : {"https://", "http://"}) {
    if (!s.starts_with(scheme)) continue;
    const std::string_view rest = s.substr(scheme.size());
    const std::size_t host_end = std::min(rest.find_first_of("/?#"), rest.size());
    if (host_end == 0) return "has no host after '" + std::string(scheme) + "'";
    if (rest.substr(0, host_end).find('@') != std::string_view::npos)
      return "must not contain a user name or password: the tag and its files are public";
    return std::nullopt;
  }
  return "must be a path starting with '/' or an absolute URL starting with 'https://' or "
         "'http://', got " +
         in_quotes(s);
}

class ChangeCheck {
 public:
  ChangeCheck(Report& report, const json& c, const std::string& p) : r_(report), c_(c), p_(p) {}

  // Checks the change; returns the redirect it is when it is a valid one.
  std::optional<Redirect> run() {
    if (!r_.expect(c_, p_, Kind::kObject)) return std::nullopt;
    const auto action = c_.find("action");
    const Shape* shape = action != c_.end() && action->is_string()
                             ? shape_of(action->get_ref<const std::string&>())
                             : nullptr;
    if (!shape) {
      unknown_action(action);
      return std::nullopt;
    }
    action_ = shape->action;
    r_.fields(
        c_, p_, shape->required, shape->optional,
        [&](std::string_view key, const json& v, const std::string& fp) { field(key, v, fp); },
        fields_note(*shape));
    if (action_ == "redirect" && redirect_valid_) {
      const std::string* url = string_field(c_, "url");
      const auto keep = c_.find("keep_query");
      if (url && (keep == c_.end() || keep->is_boolean()))
        return Redirect{*url, keep == c_.end() || keep->get<bool>(), child(p_, "url")};
    }
    return std::nullopt;
  }

 private:
  // Without a known action the other fields' shape is unknown; only the selector, which most
  // kinds of change have, is still worth checking.
  void unknown_action(json::const_iterator action) {
    if (action == c_.end()) {
      r_.error(p_, "missing required field 'action'");
    } else if (r_.expect(*action, child(p_, "action"), Kind::kString)) {
      const auto& name = action->get_ref<const std::string&>();
      const std::string near = suggestion(name, kActions);
      r_.error(child(p_, "action"),
               "unknown action " + in_quotes(name) +
                   (near.empty() ? ": it must be " + in_quotes_list(kActions) : near));
    }
    if (const auto it = c_.find("selector"); it != c_.end())
      check_selector(r_, *it, child(p_, "selector"));
  }

  void field(std::string_view key, const json& v, const std::string& p) {
    if (key == "selector") {
      check_selector(r_, v, p);
    } else if (key == "target") {
      target(v, p);
    } else if (key == "position") {
      r_.one_of(v, p, {"before", "after", "prepend", "append"});
    } else if (key == "name") {
      if (!r_.expect(v, p, Kind::kString) || !r_.max_chars(v.get<std::string>(), p, kMaxNameChars))
        return;
      if (action_ == "set_style")
        css_property(v.get_ref<const std::string&>(), p);
      else
        attribute_name(v.get_ref<const std::string&>(), p);
    } else if (key == "value") {
      value(v, p);
    } else if (key == "url") {
      if (!r_.expect(v, p, Kind::kString)) return;
      const auto& s = v.get_ref<const std::string&>();
      if (!r_.max_chars(s, p, kMaxUrlChars)) return;
      if (const auto problem = redirect_url_problem(s)) return r_.error(p, *problem);
      redirect_valid_ = true;
    } else if (key == "keep_query") {
      r_.expect(v, p, Kind::kBoolean);
    }
  }

  void target(const json& v, const std::string& p) {
    if (!check_selector(r_, v, p)) return;
    if (const std::string* selector = string_field(c_, "selector"); selector && *selector == v)
      r_.error(p,
               "is the selector itself: a move whose target is the element itself has nowhere "
               "to go");
  }

  void value(const json& v, const std::string& p) {
    if (!r_.expect(v, p, Kind::kString)) return;
    const auto& s = v.get_ref<const std::string&>();
    if (!r_.max_chars(s, p, action_ == "add_css" ? kMaxStylesheetChars : kMaxTextChars)) return;
    if (action_ == "set_html" || action_ == "insert_html") {
      if (action_ == "insert_html" && s.empty())
        return r_.error(p, "must not be empty: there would be nothing to insert");
      if (const auto problem = html_problem(s)) r_.error(p, *problem);
    } else if (action_ == "set_attribute") {
      attribute_value(s, p);
    } else if (action_ == "add_class" || action_ == "remove_class") {
      classes(s, p);
    } else if (action_ == "set_style") {
      const CssValue css = split_important(s);
      if (css.value.find_first_not_of(" \t\n\f\r") == std::string_view::npos)
        return r_.error(p, css.important ? "has only '!important': a value is needed before it"
                                         : "must not be empty");
      if (const auto problem = css_value_problem(css.value)) r_.error(p, *problem);
    } else if (action_ == "add_css") {
      if (s.find_first_not_of(" \t\n\f\r") == std::string::npos)
        return r_.error(p, "must not be empty");
      if (const auto problem = stylesheet_problem(s)) r_.error(p, *problem);
    }
  }

  // An XML name, as setAttribute() requires, restricted to ASCII: what HTML and SVG
  // attributes are called. Event handlers, style and class have their own refusals.
  void attribute_name(const std::string& s, const std::string& p) {
    if (s.empty()) return r_.error(p, "must not be empty");
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      const bool start = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
      const bool other = (c >= '0' && c <= '9') || c == '-' || c == '.';
      if (!start && !(i > 0 && other))
        return r_.error(p, "is not a valid attribute name: " + character_at(s, i) +
                               " is not allowed " + (i == 0 ? "first" : "in a name") +
                               " (letters, digits, '-', '_', '.' and ':', starting with a "
                               "letter, '_' or ':')");
    }
    if (action_ != "set_attribute") return;
    const std::string lower = ascii_lowercase(s);
    if (lower.starts_with("on"))
      r_.error(p, in_quotes(s) +
                      " is an event handler attribute: event handlers are script, and Vario "
                      "never runs script");
    else if (lower == "style")
      r_.error(p,
               "'style' is set one property at a time with set_style (a strict "
               "Content-Security-Policy blocks style attributes)");
    else if (lower == "class")
      r_.error(p,
               "'class' is changed with add_class and remove_class, which keep the classes "
               "the page sets itself");
    else if (lower == "srcdoc")
      r_.error(p,
               "'srcdoc' holds a document of its own, which could run script: Vario never "
               "runs script");
  }

  void attribute_value(const std::string& s, const std::string& p) {
    const std::string* name = string_field(c_, "name");
    if (!name || !is_url_attribute(ascii_lowercase(*name))) return;
    if (const auto scheme = script_url_scheme(s))
      r_.error(p, "is a " + std::string(*scheme) + " URL, in the " + ascii_lowercase(*name) +
                      " attribute: Vario never runs script");
  }

  void classes(const std::string& s, const std::string& p) {
    const std::vector<std::string_view> names = class_names(s);
    if (names.empty()) return r_.error(p, "must name at least one class");
    for (std::string_view name : names) {
      if (name.starts_with('.') && name.size() > 1)
        return r_.error(p, "class names are written without the '.' of a selector: " +
                               in_quotes(name.substr(1)) + ", not " + in_quotes(name));
      for (std::size_t j = 0; j < name.size(); ++j) {
        const auto c = static_cast<unsigned char>(name[j]);
        if (c < 0x20 || c == 0x7F)
          return r_.error(p, "class name " + in_quotes(name) + " has a control character at " +
                                 "character " +
                                 std::to_string(character_number(s, name.data() - s.data() + j)));
      }
    }
  }

  void css_property(const std::string& s, const std::string& p) {
    if (is_known_css_property(s)) return;
    const std::string message = "unknown CSS property " + in_quotes(s);
    if (s.starts_with("--"))
      return r_.error(p, message +
                             ": a custom property is '--' and a name of letters, digits, '-' "
                             "and '_'");
    if (const std::string css = hyphenated(s); css != s && is_known_css_property(css))
      return r_.error(p, message + ": CSS writes it " + in_quotes(css));
    for (std::string_view prefix : {"-webkit-", "-moz-", "-ms-", "-o-"})
      if (s.starts_with(prefix) && is_known_css_property(s.substr(prefix.size())))
        return r_.error(p, message + ": use the standard " + in_quotes(s.substr(prefix.size())));
    r_.error(p, message + suggestion(s, css_property_candidates()));
  }

  Report& r_;
  const json& c_;
  const std::string& p_;
  std::string_view action_;
  bool redirect_valid_ = false;
};

}  // namespace

std::span<const std::string_view> change_actions() { return kActions; }

std::vector<std::string_view> class_names(std::string_view value) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < value.size();) {
    if (is_ascii_whitespace(value[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < value.size() && !is_ascii_whitespace(value[end])) ++end;
    out.push_back(value.substr(i, end - i));
    i = end;
  }
  return out;
}

bool check_selector(Report& report, const json& v, const std::string& p) {
  if (!report.expect(v, p, Kind::kString)) return false;
  const auto& s = v.get_ref<const std::string&>();
  if (!report.max_chars(s, p, kMaxSelectorChars)) return false;
  if (const auto problem = check_css_selector(s)) {
    report.error(p, "is not a valid CSS selector: " + *problem);
    return false;
  }
  return true;
}

std::vector<Redirect> check_changes(Report& report, const json& changes, const std::string& p) {
  std::vector<Redirect> redirects;
  if (!report.expect(changes, p, Kind::kArray)) return redirects;
  if (changes.size() > kMaxChanges)
    report.error(p, "has " + std::to_string(changes.size()) + " changes; at most " +
                        std::to_string(kMaxChanges) + " are allowed");
  std::optional<std::size_t> first_redirect;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (auto redirect = ChangeCheck(report, changes[i], child(p, i)).run())
      redirects.push_back(std::move(*redirect));
    const std::string* action =
        changes[i].is_object() ? string_field(changes[i], "action") : nullptr;
    if (!first_redirect && action && *action == "redirect") first_redirect = i;
  }
  // The visitor leaves the page at the redirect: nothing else the variation does is seen.
  if (first_redirect) {
    const std::string where = "changes/" + std::to_string(*first_redirect);
    for (std::size_t i = 0; i < changes.size(); ++i) {
      if (i == *first_redirect) continue;
      const std::string* action =
          changes[i].is_object() ? string_field(changes[i], "action") : nullptr;
      if (action && *action == "redirect")
        report.error(child(p, i), "is a second redirect: a variation redirects at most once, and " +
                                      where + " already does");
      else
        report.error(child(p, i), "would never be seen: the variation redirects (" + where +
                                      "), so the visitor leaves the page before it applies");
    }
  }
  return redirects;
}

}  // namespace vario::host::validation
