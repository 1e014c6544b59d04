#define BOOST_TEST_MODULE user_agent
#include <boost/test/unit_test.hpp>

#include "vario/user_agent.hpp"

using namespace vario;

namespace {

struct Case {
  std::string_view ua;
  std::string_view device, browser, version, os;
  bool bot;
};

void check(const Case& c) {
  BOOST_TEST_CONTEXT(c.ua) {
    const UserAgentInfo info = parse_user_agent(c.ua);
    BOOST_TEST(info.device == c.device);
    BOOST_TEST(info.browser == c.browser);
    BOOST_TEST(info.browser_version == c.version);
    BOOST_TEST(info.os == c.os);
    BOOST_TEST(info.bot == c.bot);
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(desktop_browsers_are_named_with_their_own_version) {
  const Case cases[] = {
      {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.6478.127 Safari/537.36",
       "desktop", "chrome", "126.0.6478.127", "windows", false},
      {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87",
       "desktop", "edge", "126.0.2592.87", "windows", false},
      {"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
       "desktop", "firefox", "127.0", "windows", false},
      {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
       "Version/17.5 Safari/605.1.15",
       "desktop", "safari", "17.5", "macos", false},
      {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Safari/537.36",
       "desktop", "chrome", "126.0.0.0", "macos", false},
      {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0",
       "desktop", "opera", "111.0.0.0", "windows", false},
      {"Opera/9.80 (Windows NT 6.1; WOW64) Presto/2.12.388 Version/12.18", "desktop", "opera",
       "12.18", "windows", false},
      {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Safari/537.36",
       "desktop", "chrome", "126.0.0.0", "linux", false},
      {"Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0", "desktop",
       "firefox", "127.0", "linux", false},
      {"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Safari/537.36",
       "desktop", "chrome", "126.0.0.0", "chromeos", false},
      {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/124.0.0.0 YaBrowser/24.6.0.0 Safari/537.36",
       "desktop", "other", "", "windows", false},
      {"Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko", "desktop", "other",
       "", "windows", false},
      {"Mozilla/5.0 (X11; FreeBSD amd64; rv:127.0) Gecko/20100101 Firefox/127.0", "desktop",
       "firefox", "127.0", "other", false},
  };
  for (const Case& c : cases) check(c);
}

BOOST_AUTO_TEST_CASE(phones_are_mobile) {
  const Case cases[] = {
      {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
       "Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
       "mobile", "safari", "17.5", "ios", false},
      {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
       "Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
       "mobile", "chrome", "126.0.6478.54", "ios", false},
      {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
       "Gecko) FxiOS/127.0 Mobile/15E148 Safari/605.1.15",
       "mobile", "firefox", "127.0", "ios", false},
      {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
       "Gecko) Version/17.0 EdgiOS/126.2592.56 Mobile/15E148 Safari/605.1.15",
       "mobile", "edge", "126.2592.56", "ios", false},
      // An app's web view: no "Version/", no browser name.
      {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
       "Gecko) Mobile/15E148",
       "mobile", "other", "", "ios", false},
      {"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.6478.122 Mobile Safari/537.36",
       "mobile", "chrome", "126.0.6478.122", "android", false},
      {"Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
       "SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
       "mobile", "samsung", "25.0", "android", false},
      {"Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0", "mobile", "firefox",
       "127.0", "android", false},
      {"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Mobile Safari/537.36 EdgA/126.0.2592.80",
       "mobile", "edge", "126.0.2592.80", "android", false},
      {"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Mobile Safari/537.36 OPR/83.0.0.0",
       "mobile", "opera", "83.0.0.0", "android", false},
      {"Opera/9.80 (Android; Opera Mini/36.2.2254/119.132; U; id) Presto/2.12.423 Version/12.16",
       "mobile", "opera", "36.2.2254", "android", false},
      {"Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36 "
       "(KHTML, like Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.15063",
       "mobile", "edge", "15.15063", "windows", false},
      // Android's browser before Chrome also called itself Safari.
      {"Mozilla/5.0 (Linux; U; Android 4.0.3; de-de; Galaxy S II Build/GRJ22) "
       "AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30",
       "mobile", "other", "", "android", false},
      {"Mozilla/5.0 (Linux; Android 12; CUBOT KINGKONG 7) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Mobile Safari/537.36",
       "mobile", "chrome", "126.0.0.0", "android", false},
  };
  for (const Case& c : cases) check(c);
}

BOOST_AUTO_TEST_CASE(tablets_are_tablets) {
  const Case cases[] = {
      {"Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
       "Version/17.5 Mobile/15E148 Safari/604.1",
       "tablet", "safari", "17.5", "ios", false},
      {"Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Safari/537.36",
       "tablet", "chrome", "126.0.0.0", "android", false},
      {"Mozilla/5.0 (Android 14; Tablet; rv:127.0) Gecko/127.0 Firefox/127.0", "tablet", "firefox",
       "127.0", "android", false},
      {"Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Silk/126.3.1 like Chrome/126.0.6478.71 Safari/537.36",
       "tablet", "chrome", "126.0.6478.71", "android", false},
      // iPadOS Safari asks for the desktop site: indistinguishable from a Mac (documented).
      {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
       "Version/17.5 Safari/605.1.15",
       "desktop", "safari", "17.5", "macos", false},
  };
  for (const Case& c : cases) check(c);
}

BOOST_AUTO_TEST_CASE(crawlers_headless_browsers_audits_and_http_libraries_are_bots) {
  const Case cases[] = {
      {"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "desktop",
       "other", "", "other", true},
      {"Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, "
       "like Gecko) Chrome/126.0.6478.126 Mobile Safari/537.36 (compatible; Googlebot/2.1; "
       "+http://www.google.com/bot.html)",
       "mobile", "chrome", "126.0.6478.126", "android", true},
      {"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
       "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
       "desktop", "chrome", "116.0.1938.76", "other", true},
      {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "HeadlessChrome/126.0.6478.126 Safari/537.36",
       "desktop", "chrome", "126.0.6478.126", "windows", true},
      {"Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like "
       "Gecko) Chrome/126.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse",
       "mobile", "chrome", "126.0.0.0", "android", true},
      {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
       "Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
       "desktop", "safari", "13.1.1", "macos", true},
      {"Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", "desktop", "other", "",
       "other", true},
      {"Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
       "desktop", "other", "", "other", true},
      {"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "desktop",
       "other", "", "other", true},
      {"Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", "desktop", "other", "",
       "other", true},
      {"curl/8.5.0", "desktop", "other", "", "other", true},
      {"python-requests/2.32.3", "desktop", "other", "", "other", true},
      {"Wget/1.21.4", "desktop", "other", "", "other", true},
      {"Go-http-client/2.0", "desktop", "other", "", "other", true},
      {"Mozilla/5.0", "desktop", "other", "", "other", true},
      {"Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 "
       "Safari/538.1",
       "desktop", "other", "", "linux", true},
  };
  for (const Case& c : cases) check(c);
}

BOOST_AUTO_TEST_CASE(an_empty_string_is_an_unknown_desktop_not_a_bot) {
  check({"", "desktop", "other", "", "other", false});
}
