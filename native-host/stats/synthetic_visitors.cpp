#include "stats/synthetic_visitors.hpp"

#include <string_view>

namespace vario::host {
namespace {

enum class Device { kMobile, kTablet, kDesktop };

// A browser on a device, its share of visitors in tenths of a percent, and its User-Agent
// with "{M}" standing for a major version drawn uniformly from [low, high]. Shares follow the
// rough shape of European e-commerce traffic in 2024: 58% mobile, 6% tablet, 36% desktop.
struct Profile {
  int share;
  Device device;
  std::string_view user_agent;
  int low, high;
};

// clang-format off
constexpr Profile kProfiles[] = {
    {220, Device::kMobile,
     "Mozilla/5.0 (iPhone; CPU iPhone OS {M}_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
     "like Gecko) Version/{M}.5 Mobile/15E148 Safari/604.1", 15, 17},
    {40, Device::kMobile,
     "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) CriOS/{M}.0.6478.54 Mobile/15E148 Safari/604.1", 120, 126},
    {240, Device::kMobile,
     "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/{M}.0.0.0 Mobile Safari/537.36", 120, 126},
    {60, Device::kMobile,
     "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
     "SamsungBrowser/{M}.0 Chrome/121.0.0.0 Mobile Safari/537.36", 23, 25},
    {10, Device::kMobile,
     "Mozilla/5.0 (Android 14; Mobile; rv:{M}.0) Gecko/{M}.0 Firefox/{M}.0", 125, 127},
    {10, Device::kMobile,
     "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/126.0.0.0 Mobile Safari/537.36 OPR/{M}.0.0.0", 80, 83},
    {35, Device::kTablet,
     "Mozilla/5.0 (iPad; CPU OS {M}_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/{M}.5 Mobile/15E148 Safari/604.1", 15, 17},
    {20, Device::kTablet,
     "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/{M}.0.0.0 Safari/537.36", 120, 126},
    {5, Device::kTablet,
     "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
     "SamsungBrowser/{M}.0 Chrome/121.0.0.0 Safari/537.36", 23, 25},
    {170, Device::kDesktop,
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/{M}.0.0.0 Safari/537.36", 120, 126},
    {60, Device::kDesktop,
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/{M}.0.0.0 Safari/537.36 Edg/{M}.0.0.0", 120, 126},
    {25, Device::kDesktop,
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{M}.0) Gecko/20100101 Firefox/{M}.0", 125,
     127},
    {5, Device::kDesktop,
     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/126.0.0.0 Safari/537.36 OPR/{M}.0.0.0", 108, 111},
    {40, Device::kDesktop,
     "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/{M}.5 Safari/605.1.15", 15, 17},
    {40, Device::kDesktop,
     "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/{M}.0.0.0 Safari/537.36", 120, 126},
    {5, Device::kDesktop,
     "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:{M}.0) Gecko/20100101 Firefox/{M}.0", 125,
     127},
    {8, Device::kDesktop,
     "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{M}.0.0.0 "
     "Safari/537.36", 120, 126},
    {5, Device::kDesktop,
     "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:{M}.0) Gecko/20100101 Firefox/{M}.0", 125, 127},
    {2, Device::kDesktop,
     "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/{M}.0.0.0 Safari/537.36", 120, 126},
};

struct Locale {
  int share;  // percent
  std::string_view language, time_zone;
};

constexpr Locale kLocales[] = {
    {18, "en-US", "America/New_York"}, {10, "en-US", "America/Los_Angeles"},
    {8, "en-GB", "Europe/London"},     {14, "de-DE", "Europe/Berlin"},
    {2, "de-AT", "Europe/Vienna"},     {2, "de-CH", "Europe/Zurich"},
    {10, "fr-FR", "Europe/Paris"},     {7, "es-ES", "Europe/Madrid"},
    {6, "it-IT", "Europe/Rome"},       {4, "nl-NL", "Europe/Amsterdam"},
    {3, "pl-PL", "Europe/Warsaw"},     {2, "sv-SE", "Europe/Stockholm"},
    {5, "pt-BR", "America/Sao_Paulo"}, {4, "ja-JP", "Asia/Tokyo"},
    {3, "en-IN", "Asia/Kolkata"},      {2, "en-AU", "Australia/Sydney"},
};

struct Referrer {
  int share;  // percent
  std::string_view url;
};

constexpr Referrer kReferrers[] = {
    {45, ""},
    {30, "https://www.google.com/"},
    {8, "https://www.bing.com/"},
    {7, "https://www.facebook.com/"},
    {10, "https://newsletter.example/"},
};

struct Screen {
  int width, height;
};

// Uniform within a device class; repeated entries are the common sizes.
constexpr Screen kMobileScreens[] = {{390, 844}, {393, 852}, {412, 915},
                                     {360, 800}, {414, 896}, {430, 932}};
constexpr Screen kTabletScreens[] = {{810, 1080}, {820, 1180}, {800, 1280}, {1024, 1366}};
constexpr Screen kDesktopScreens[] = {{1920, 1080}, {1920, 1080}, {1920, 1080}, {1920, 1080},
                                      {1536, 864},  {1536, 864},  {1366, 768},  {1440, 900},
                                      {2560, 1440}, {1280, 720}};
// clang-format on

constexpr double kReturningShare = 0.4;

template <typename T, std::size_t N>
const T& pick_by_share(Prng& prng, const T (&table)[N]) {
  int total = 0;
  for (const T& row : table) total += row.share;
  auto ticket = static_cast<int>(prng.below(static_cast<std::uint64_t>(total)));
  for (const T& row : table) {
    if (ticket < row.share) return row;
    ticket -= row.share;
  }
  return table[N - 1];
}

template <typename T, std::size_t N>
const T& pick_uniform(Prng& prng, const T (&table)[N]) {
  return table[prng.below(N)];
}

// Failures before the first success, each trial succeeding with probability p.
int geometric(Prng& prng, double p) {
  int n = 0;
  while (n < 1000 && prng.uniform() >= p) ++n;
  return n;
}

void fill_user_agent(std::string& out, std::string_view pattern, int major) {
  out.clear();
  char digits[12];
  int len = 0;
  for (int m = major; m > 0 || len == 0; m /= 10) digits[len++] = static_cast<char>('0' + m % 10);
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern.compare(i, 3, "{M}") == 0) {
      for (int d = len - 1; d >= 0; --d) out += digits[d];
      i += 2;
    } else {
      out += pattern[i];
    }
  }
}

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Prng::Prng(std::uint64_t seed) {
  for (std::uint64_t& s : s_) s = splitmix64(seed);
}

std::uint64_t Prng::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Prng::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

std::uint64_t Prng::below(std::uint64_t n) {
  // Lemire's nearly-divisionless method would be faster; rejection keeps it exact and simple.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  std::uint64_t x;
  do x = next();
  while (x >= limit);
  return x % n;
}

void VisitorMix::next(SyntheticVisitor& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.id.resize(32);
  for (int half = 0; half < 2; ++half) {
    const std::uint64_t bits = prng_.next();
    for (int i = 0; i < 16; ++i) out.id[half * 16 + i] = kHex[(bits >> (60 - 4 * i)) & 15];
  }

  const Profile& profile = pick_by_share(prng_, kProfiles);
  const int major =
      profile.low +
      static_cast<int>(prng_.below(static_cast<std::uint64_t>(profile.high - profile.low + 1)));
  fill_user_agent(out.page.user_agent, profile.user_agent, major);
  const Screen& screen = profile.device == Device::kMobile   ? pick_uniform(prng_, kMobileScreens)
                         : profile.device == Device::kTablet ? pick_uniform(prng_, kTabletScreens)
                                                             : pick_uniform(prng_, kDesktopScreens);
  out.page.screen_width = screen.width;
  out.page.screen_height = screen.height;

  const Locale& locale = pick_by_share(prng_, kLocales);
  out.page.language = locale.language;
  out.page.time_zone = locale.time_zone;
  out.page.referrer = pick_by_share(prng_, kReferrers).url;
  out.page.webdriver = false;

  // New visitors: one visit, 1 + geometric(0.5) page views (mean 2). Returning: 2 + geometric
  // (0.35) visits (mean 3.9) and visits + geometric(0.4) page views.
  if (prng_.uniform() < kReturningShare) {
    out.counts.visits = 2 + geometric(prng_, 0.35);
    out.counts.page_views = out.counts.visits + geometric(prng_, 0.4);
  } else {
    out.counts.visits = 1;
    out.counts.page_views = 1 + geometric(prng_, 0.5);
  }
  out.counts.last_seen_seconds = 0;
}

}  // namespace vario::host
