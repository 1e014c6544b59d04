#include "vario/user_agent.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>

namespace vario {
namespace {

// The tokens the rules below ask about. A user agent is scanned once, noting which tokens
// occur and where first; scanning once per token instead cost about 100 passes per string.
// clang-format off
enum Id : std::uint8_t {
  // device
  kIpad, kKindle, kSilk, kPlaybook, kTablet, kTabletPc, kMobi, kIphone, kIpod, kWindowsPhone,
  kBlackberry, kBb10, kOperaMini, kAndroid,
  // os
  kCros, kWindows, kMacintosh, kMacOsX, kLinux,
  // browser
  kEdg, kEdge, kEdgA, kEdgiOS, kOpr, kOpt, kOpios, kOperaMiniVersion, kOpera, kOperaVersion,
  kVersion, kSamsung, kOtherBrowser, kFirefox, kFxios, kCrios, kChrome, kChromium, kSafari,
  // bots: "bot" alone (Googlebot, bingbot, Applebot, AdsBot, YandexBot, ...) needs a look at
  // what precedes it; every other bot token is enough by itself.
  kBotWord, kBot,
  kIdCount
};
static_assert(kIdCount <= 64, "Seen keeps one bit per id");

struct Token {
  std::string_view text;  // lowercase
  Id id;
};

constexpr Token kTokens[] = {
    {"ipad", kIpad}, {"kindle", kKindle}, {"silk/", kSilk}, {"playbook", kPlaybook},
    {"tablet", kTablet}, {"tablet pc", kTabletPc}, {"mobi", kMobi}, {"iphone", kIphone},
    {"ipod", kIpod}, {"windows phone", kWindowsPhone}, {"blackberry", kBlackberry},
    {"bb10", kBb10}, {"opera mini", kOperaMini}, {"android", kAndroid},
    {"; cros ", kCros}, {"windows", kWindows}, {"macintosh", kMacintosh},
    {"mac os x", kMacOsX}, {"linux", kLinux},
    {"edg/", kEdg}, {"edge/", kEdge}, {"edga/", kEdgA}, {"edgios/", kEdgiOS}, {"opr/", kOpr},
    {"opt/", kOpt}, {"opios/", kOpios}, {"opera mini/", kOperaMiniVersion}, {"opera", kOpera},
    {"opera/", kOperaVersion}, {"version/", kVersion}, {"samsungbrowser/", kSamsung},
    // Chromium browsers that are not one of ours (they also write "Chrome/"), and IE.
    {"yabrowser/", kOtherBrowser}, {"ucbrowser/", kOtherBrowser}, {"vivaldi/", kOtherBrowser},
    {"miuibrowser/", kOtherBrowser}, {"huaweibrowser/", kOtherBrowser},
    {"whale/", kOtherBrowser}, {"qqbrowser/", kOtherBrowser}, {"msie ", kOtherBrowser},
    {"trident/", kOtherBrowser},
    {"firefox/", kFirefox}, {"fxios/", kFxios}, {"crios/", kCrios}, {"chrome/", kChrome},
    {"chromium/", kChromium}, {"safari/", kSafari},
    {"bot", kBotWord},
    // Crawlers without "bot" in their name, headless and driven browsers, audit and monitoring
    // tools, HTTP libraries, link previewers. Browsers never write a URL in their user agent.
    {"crawl", kBot}, {"spider", kBot}, {"slurp", kBot}, {"headless", kBot},
    {"lighthouse", kBot}, {"pagespeed", kBot}, {"gtmetrix", kBot}, {"pingdom", kBot},
    {"uptime", kBot}, {"phantomjs", kBot}, {"selenium", kBot}, {"webdriver", kBot},
    {"puppeteer", kBot}, {"playwright", kBot}, {"cypress", kBot}, {"curl/", kBot},
    {"wget", kBot}, {"python", kBot}, {"aiohttp", kBot}, {"httpx", kBot},
    {"go-http-client", kBot}, {"java/", kBot}, {"okhttp", kBot}, {"httpclient", kBot},
    {"libwww", kBot}, {"node-fetch", kBot}, {"undici", kBot}, {"axios/", kBot},
    {"guzzle", kBot}, {"scrapy", kBot}, {"httrack", kBot}, {"facebookexternalhit", kBot},
    {"facebookcatalog", kBot}, {"mediapartners-google", kBot}, {"apis-google", kBot},
    {"google-inspectiontool", kBot}, {"googleother", kBot}, {"feedfetcher", kBot},
    {"bingpreview", kBot}, {"ia_archiver", kBot}, {"embedly", kBot}, {"whatsapp", kBot},
    {"skypeuripreview", kBot}, {"http://", kBot}, {"https://", kBot},
};
// clang-format on

constexpr std::size_t kTokenCount = std::size(kTokens);

constexpr bool all_tokens_have_three_bytes() {
  for (const Token& t : kTokens)
    if (t.text.size() < 3) return false;
  return true;
}
static_assert(all_tokens_have_three_bytes(), "scan() reads the second byte unchecked");
static_assert(kTokenCount < 256, "the index stores token numbers as bytes");

// The tokens grouped by first byte, so each position of the string is compared only with the
// few tokens that can start there.
struct Index {
  // The tokens starting with byte c are order[begin[c]] up to order[begin[c + 1]].
  std::array<std::uint8_t, 257> begin{};
  std::array<std::uint8_t, kTokenCount> order{};
};

constexpr Index make_index() {
  Index index;
  std::size_t n = 0;
  for (int c = 0; c < 256; ++c) {
    index.begin[c] = static_cast<std::uint8_t>(n);
    for (std::size_t t = 0; t < kTokenCount; ++t)
      if (static_cast<unsigned char>(kTokens[t].text[0]) == c)
        index.order[n++] = static_cast<std::uint8_t>(t);
  }
  index.begin[256] = static_cast<std::uint8_t>(n);
  return index;
}
constexpr Index kIndex = make_index();

struct Seen {
  std::uint64_t ids = 0;
  std::array<std::size_t, kIdCount> first{};  // offset of the first occurrence

  bool has(Id id) const { return (ids >> id) & 1; }
};

Seen scan(std::string_view lower) {
  Seen seen;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    const auto c = static_cast<unsigned char>(lower[i]);
    for (std::size_t k = kIndex.begin[c]; k < kIndex.begin[c + 1]; ++k) {
      const Token& t = kTokens[kIndex.order[k]];
      // Every token has at least three bytes; testing the second one inline skips most
      // candidates without a call to memcmp.
      if (seen.has(t.id) || i + t.text.size() > lower.size() || lower[i + 1] != t.text[1] ||
          lower.compare(i, t.text.size(), t.text) != 0)
        continue;
      // "Cubot" is a phone maker, not a robot.
      if (t.id == kBotWord && i >= 2 && lower.substr(i - 2, 2) == "cu") continue;
      seen.ids |= std::uint64_t{1} << t.id;
      seen.first[t.id] = i;
    }
  }
  return seen;
}

std::string lowercase_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view device_of(const Seen& s) {
  if (s.has(kIpad) || s.has(kKindle) || s.has(kSilk) || s.has(kPlaybook)) return "tablet";
  if (s.has(kTablet) && !s.has(kTabletPc)) return "tablet";  // "Tablet PC": old Windows IE
  if (s.has(kMobi) || s.has(kIphone) || s.has(kIpod) || s.has(kWindowsPhone) ||
      s.has(kBlackberry) || s.has(kBb10) || s.has(kOperaMini))
    return "mobile";
  // Android phones say "Mobile"; Android without it is a tablet (Google's own guidance).
  if (s.has(kAndroid)) return "tablet";
  return "desktop";
}

std::string_view os_of(const Seen& s) {
  if (s.has(kWindowsPhone)) return "windows";
  // iOS strings say "like Mac OS X", Android ones "Linux": the specific ones first.
  if (s.has(kIphone) || s.has(kIpad) || s.has(kIpod)) return "ios";
  if (s.has(kAndroid)) return "android";
  if (s.has(kCros)) return "chromeos";  // "X11; CrOS x86_64 ..."
  if (s.has(kWindows)) return "windows";
  if (s.has(kMacintosh) || s.has(kMacOsX)) return "macos";
  if (s.has(kLinux)) return "linux";
  return "other";
}

// The first of `ids` seen, or kIdCount.
Id first_seen(const Seen& s, std::initializer_list<Id> ids) {
  for (Id id : ids)
    if (s.has(id)) return id;
  return kIdCount;
}

// Every Chromium browser also writes "Chrome/" and "Safari/", and Chrome writes "Safari/":
// the most specific names come first. Returns the token whose number is the version.
Id browser_of(const Seen& s, UserAgentInfo& info) {
  Id version = kIdCount;
  if ((version = first_seen(s, {kEdg, kEdge, kEdgA, kEdgiOS})) != kIdCount) {
    info.browser = "edge";
  } else if ((version = first_seen(s, {kOpr, kOpt, kOpios, kOperaMiniVersion})) != kIdCount) {
    info.browser = "opera";
  } else if (s.has(kOpera)) {  // Presto: "Opera/9.80 (...) Version/12.16"
    info.browser = "opera";
    version = s.has(kVersion) ? kVersion : kOperaVersion;
  } else if (s.has(kSamsung)) {
    info.browser = "samsung";
    version = kSamsung;
  } else if (s.has(kOtherBrowser)) {
    return kIdCount;
  } else if ((version = first_seen(s, {kFirefox, kFxios})) != kIdCount) {
    info.browser = "firefox";
  } else if ((version = first_seen(s, {kCrios, kChrome, kChromium})) != kIdCount) {
    info.browser = "chrome";
  } else if (s.has(kSafari) && s.has(kVersion) && !s.has(kAndroid)) {
    // Without "Version/" it is an iOS app's web view; Android's pre-Chrome browser also
    // called itself Safari.
    info.browser = "safari";
    version = kVersion;
  }
  return version;
}

// The digits and dots right after the token `id` (offsets are the same in `ua` and lowercase).
std::string version_after(std::string_view ua, const Seen& s, Id id) {
  if (id == kIdCount || !s.has(id)) return {};
  std::size_t start = s.first[id];
  for (const Token& t : kTokens)
    if (t.id == id) {
      start += t.text.size();
      break;
    }
  std::size_t end = start;
  while (end < ua.size() && ((ua[end] >= '0' && ua[end] <= '9') || ua[end] == '.')) ++end;
  return std::string(ua.substr(start, end - start));
}

}  // namespace

UserAgentInfo parse_user_agent(std::string_view ua) {
  UserAgentInfo info;
  if (ua.empty()) return info;
  const std::string lower = lowercase_ascii(ua);
  const Seen seen = scan(lower);
  info.device = device_of(seen);
  info.os = os_of(seen);
  info.browser_version = version_after(ua, seen, browser_of(seen, info));
  // A browser always writes several space-separated products; "curl/8.4.0" or a bare
  // "Mozilla/5.0" is a script.
  info.bot = seen.has(kBotWord) || seen.has(kBot) || lower.find(' ') == std::string::npos;
  return info;
}

}  // namespace vario
