#include "serve/html_injection.hpp"

#include <cctype>
#include <optional>

namespace vario::host {

std::string escape_attribute(std::string_view value) {
  std::string out;
  for (char c : value) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// The position just past the '>' that closes the tag starting at `open` ('<'), honouring quoted
// attribute values, which may contain '>'. npos when the tag never closes.
std::size_t end_of_tag(std::string_view html, std::size_t open) {
  char quote = 0;
  for (std::size_t i = open + 1; i < html.size(); ++i) {
    char c = html[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// The lowercase tag name of a start tag at `open`, or empty when '<' does not start one.
std::string start_tag_name(std::string_view html, std::size_t open) {
  std::string name;
  std::size_t i = open + 1;
  if (i >= html.size() || !is_alpha(html[i])) return name;
  while (i < html.size() && !is_space(html[i]) && html[i] != '>' && html[i] != '/') {
    name += lower(html[i]);
    ++i;
  }
  return name;
}

std::string insert_at(std::string_view html, std::size_t at, std::string_view element) {
  std::string out;
  out.reserve(html.size() + element.size());
  out.append(html.substr(0, at));
  out.append(element);
  out.append(html.substr(at));
  return out;
}

// `at`, or just past a <meta> that declares the character encoding among the void elements
// (meta, link, base) and comments that follow `at`. The declaration must stay within the
// document's first 1024 bytes for the browser to see it, so the tag goes after it, never before.
std::size_t after_charset(std::string_view html, std::size_t at) {
  std::size_t i = at;
  while (i < html.size()) {
    if (is_space(html[i])) {
      ++i;
      continue;
    }
    if (html.compare(i, 4, "<!--") == 0) {
      const auto close = html.find("-->", i + 4);
      if (close == std::string_view::npos) break;
      i = close + 3;
      continue;
    }
    const std::string name = start_tag_name(html, i);
    if (name != "meta" && name != "link" && name != "base") break;
    const auto close = end_of_tag(html, i);
    if (close == std::string_view::npos) break;
    if (name == "meta") {
      std::string tag;
      for (const char c : html.substr(i, close - i)) tag += lower(c);
      if (tag.find("charset") != std::string::npos) return close;
    }
    i = close;
  }
  return at;
}

}  // namespace

std::string script_tag(std::string_view src, std::string_view sri) {
  std::string tag = "<script src=\"" + escape_attribute(src) + "\"";
  if (!sri.empty()) tag += " integrity=\"" + escape_attribute(sri) + "\"";
  tag += " crossorigin=\"anonymous\"></script>";
  return tag;
}

std::string inject_into_head(std::string_view html, std::string_view element) {
  // Walk the document prologue token by token. `fallback` is where the tag goes if no <head>
  // turns up: after the preamble so far, or after <html>.
  std::size_t fallback = 0;
  std::size_t i = 0;
  while (i < html.size()) {
    char c = html[i];
    if (is_space(c)) {
      ++i;
      continue;
    }
    if (c != '<') break;  // text content: the body has started
    if (html.compare(i, 4, "<!--") == 0) {
      auto close = html.find("-->", i + 4);
      if (close == std::string_view::npos) break;
      i = close + 3;
      fallback = i;
      continue;
    }
    if (html.compare(i, 2, "<!") == 0 || html.compare(i, 2, "<?") == 0) {  // doctype, PI
      auto close = html.find('>', i);
      if (close == std::string_view::npos) break;
      i = close + 1;
      fallback = i;
      continue;
    }
    std::string name = start_tag_name(html, i);
    if (name == "head" || name == "html") {
      auto close = end_of_tag(html, i);
      if (close == std::string_view::npos) break;
      if (name == "head") return insert_at(html, after_charset(html, close), element);
      i = close;
      fallback = i;
      continue;
    }
    // Any other element (or a stray end tag) means there is no <head> before the content.
    fallback = i;
    break;
  }
  return insert_at(html, after_charset(html, fallback), element);
}

}  // namespace vario::host
