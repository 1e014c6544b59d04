#include "commands/simulate.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "commands/commands.hpp"
#include "config/compile.hpp"
#include "input_file.hpp"
#include "number_text.hpp"
#include "regex/ecmascript_regex.hpp"
#include "stats/synthetic_visitors.hpp"
#include "vario/attributes.hpp"
#include "vario/bucketing.hpp"
#include "vario/page_rules.hpp"

namespace vario::host {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::string_view kSampleOrigin = "https://www.example.com";

PageRule to_rule(const fb::PageRule& r) {
  return {static_cast<MatchKind>(r.match()), r.value()->string_view(), static_cast<UrlPart>(r.on()),
          r.param() ? r.param()->string_view() : std::string_view()};
}

// Whether the campaign's page rules let it run on `url`.
bool page_allows(const fb::Campaign& campaign, std::string_view url, const RegexTester& regex) {
  const auto any = [&](const flatbuffers::Vector<flatbuffers::Offset<fb::PageRule>>* rules) {
    if (rules)
      for (const fb::PageRule* r : *rules)
        if (page_rule_matches(to_rule(*r), url, regex).value_or(false)) return true;
    return false;
  };
  return any(campaign.include()) && !any(campaign.exclude());
}

// A string the regex probably finds: anchors dropped, escapes and classes replaced by one
// character they accept, quantified atoms repeated their minimum number of times (at least
// once), alternatives reduced to the first.
std::string regex_sample(std::string_view re) {
  std::string out;
  std::size_t atom = 0;  // where the last atom starts in `out`
  for (std::size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    const std::size_t before = out.size();
    switch (c) {
      case '^':
      case '$':
      case '*':
      case '+':
      case '?':
      case ')':
        continue;
      case '(':
        if (i + 2 < re.size() && re[i + 1] == '?' && re[i + 2] == ':') i += 2;
        continue;
      case '{': {  // {n}, {n,}, {n,m}: n copies in all
        std::size_t n = 0;
        while (++i < re.size() && re[i] >= '0' && re[i] <= '9') n = n * 10 + (re[i] - '0');
        while (i < re.size() && re[i] != '}') ++i;
        const std::string last = out.substr(atom);
        for (std::size_t k = 1; k < n && k < 64; ++k) out += last;
        continue;
      }
      case '.':
        out += 'x';
        break;
      case '|': {  // skip the other alternatives of this group (or of the whole pattern)
        int depth = 0;
        while (i + 1 < re.size() && !(re[i + 1] == ')' && depth == 0)) {
          ++i;
          if (re[i] == '\\')
            ++i;
          else if (re[i] == '(')
            ++depth;
          else if (re[i] == ')')
            --depth;
        }
        continue;
      }
      case '[': {
        const bool negated = i + 1 < re.size() && re[i + 1] == '^';
        std::size_t j = i + (negated ? 2 : 1);
        char first = j < re.size() ? re[j] : 'x';
        if (first == '\\' && j + 1 < re.size()) first = re[j + 1] == 'd' ? '1' : re[j + 1];
        out += negated ? '~' : first;
        for (j = i + 1; j < re.size() && !(re[j] == ']' && j > i + 1); ++j)
          if (re[j] == '\\') ++j;
        i = j;
        break;
      }
      case '\\':
        if (++i < re.size()) {
          const char e = re[i];
          if (e == 'd')
            out += '1';
          else if (e == 'w')
            out += 'a';
          else if (e == 's')
            out += ' ';
          else if (e == 'D' || e == 'W' || e == 'S')
            out += '-';
          else if (e != 'b' && e != 'B')
            out += e;
        }
        break;
      default:
        out += c;
    }
    atom = before;
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

bool eligible(Reason r) {
  switch (r) {
    case Reason::kInHoldout:
    case Reason::kOutsideGroup:
    case Reason::kNotInTraffic:
    case Reason::kAllocated:
    case Reason::kStoredAssignment:
    case Reason::kForced:
      return true;
    default:
      return false;
  }
}

// Room for every Reason value, including ones added after this file was written (they are
// counted and named "unknown" until reason_name learns them).
constexpr int kReasonCount = 32;
static_assert(static_cast<int>(Reason::kForced) < kReasonCount);

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string p_value_text(double p) {
  char text[32];
  std::snprintf(text, sizeof text, p >= 0.001 ? "%.3f" : "%.1e", p);
  return text;
}

}  // namespace

std::string_view reason_name(Reason reason) {
  switch (reason) {
    case Reason::kNotRunning:
      return "not_running";
    case Reason::kNotStarted:
      return "not_started";
    case Reason::kEnded:
      return "ended";
    case Reason::kPageNotIncluded:
      return "page_not_included";
    case Reason::kPageExcluded:
      return "page_excluded";
    case Reason::kBot:
      return "bot";
    case Reason::kNeedsConsent:
      return "needs_consent";
    case Reason::kConditionInvalid:
      return "condition_invalid";
    case Reason::kAudienceNotMatched:
      return "audience_not_matched";
    case Reason::kStoredAssignment:
      return "stored_assignment";
    case Reason::kInHoldout:
      return "in_holdout";
    case Reason::kOutsideGroup:
      return "outside_group";
    case Reason::kNotInTraffic:
      return "not_in_traffic";
    case Reason::kAllocated:
      return "allocated";
    case Reason::kForced:
      return "forced";
  }
  return "unknown";
}

namespace {

// Whether the visitor grants each capability: a bucket of its id per capability against the
// rate, so the answer is the same on each of its pages and independent between capabilities.
Consent simulated_consent(std::string_view visitor_id, const std::array<double, 4>& rates) {
  Consent consent = Consent::all(ConsentState::kGranted);
  for (std::size_t i = 0; i < rates.size(); ++i) {
    const Capability c = kCapabilities[i];
    if (rates[i] >= 1) continue;
    const std::uint32_t bucket = murmur3_bucket(visitor_id, "consent:" + std::string(to_string(c)));
    consent.of(c) = bucket < rates[i] * kBucketCount ? ConsentState::kGranted : ConsentState::kDenied;
  }
  return consent;
}

}  // namespace

std::string sample_url(const fb::PageRule& rule) {
  const std::string_view value = rule.value()->string_view();
  std::string text;
  switch (rule.match()) {
    case fb::MatchKind::Glob:
      for (const char c : value) text += (c == '*' || c == '?') ? 'x' : c;
      break;
    case fb::MatchKind::Regex:
      text = regex_sample(value);
      break;
    default:  // exact, prefix and contains: the value itself matches
      text = value;
  }
  const std::string origin(kSampleOrigin);
  switch (rule.on()) {
    case fb::UrlPart::Url:
      if (text.find("://") != std::string::npos) return text;
      return origin + (text.starts_with('/') ? "" : "/") + text;
    case fb::UrlPart::Host:
      return "https://" + text + "/";
    case fb::UrlPart::Query:
      if (rule.param())
        return origin + "/?" + percent_encode(rule.param()->string_view()) + "=" +
               percent_encode(text);
      return origin + "/?" + text;
    case fb::UrlPart::Hash:
      return origin + "/#" + text;
    default:  // path
      return origin + (text.starts_with('/') ? "" : "/") + text;
  }
}

SimulationResult simulate(const Config& config, const SimulationOptions& options,
                          const RegexTester& regex, const SimulationProgress& progress) {
  const auto started = Clock::now();
  SimulationResult result;
  result.visitors = options.visitors;
  result.seed = options.seed;

  // One page per distinct URL; each campaign is tallied on its own page.
  std::vector<std::string> pages;
  std::vector<std::size_t> page_of;                 // campaign index -> index in pages
  std::vector<std::vector<std::uint64_t>> reasons;  // campaign -> count per Reason
  std::vector<std::vector<std::uint64_t>> counts;   // campaign -> count per variation
  const auto* campaigns = config.root().campaigns();
  const std::size_t n = campaigns ? campaigns->size() : 0;
  for (std::size_t i = 0; i < n; ++i) {
    const fb::Campaign& c = *campaigns->Get(static_cast<flatbuffers::uoffset_t>(i));
    CampaignResult r;
    r.id = c.id()->str();
    r.traffic = c.traffic();
    if (!options.url.empty())
      r.url = options.url;
    else if (c.include() && c.include()->size() > 0)
      r.url = sample_url(*c.include()->Get(0));
    else
      r.url = std::string(kSampleOrigin) + "/";
    r.url_matches = page_allows(c, r.url, regex);
    if (c.variations())
      for (const fb::Variation* v : *c.variations())
        r.variations.push_back({v->id()->str(), v->weight(), 0});
    std::size_t page = 0;
    while (page < pages.size() && pages[page] != r.url) ++page;
    if (page == pages.size()) pages.push_back(r.url);
    page_of.push_back(page);
    reasons.emplace_back(kReasonCount, 0);
    counts.emplace_back(r.variations.size(), 0);
    result.campaigns.push_back(std::move(r));
  }

  // Visitors are made in batches and then decided in a tight loop, so the engine's time is
  // measured without the generator's and without a clock read per decision.
  constexpr std::uint64_t kBatch = 1024;
  VisitorMix mix(options.seed);
  SyntheticVisitor synthetic;
  std::vector<Visitor> batch;
  std::vector<std::vector<Decision>> decided;
  Clock::duration in_engine{};
  const std::uint64_t report_every = options.visitors >= 1000 ? options.visitors / 1000 : 1;
  std::uint64_t next_report = report_every;
  for (std::uint64_t done = 0; done < options.visitors;) {
    const std::uint64_t size = std::min(kBatch, options.visitors - done);
    batch.resize(size * pages.size());
    for (std::uint64_t k = 0; k < size; ++k) {
      mix.next(synthetic);
      for (std::size_t page = 0; page < pages.size(); ++page) {
        Visitor& visitor = batch[k * pages.size() + page];
        visitor.id = synthetic.id;
        visitor.url = pages[page];
        visitor.consent = simulated_consent(synthetic.id, options.consent_rates);
        visitor.now_ms = options.now_ms;
        synthetic.page.url = pages[page];
        visitor.attributes = builtin_attributes(synthetic.page, synthetic.counts);
        if (!options.attribute_profiles.empty())
          merge_attributes(visitor.attributes,
                           options.attribute_profiles[(done + k) % options.attribute_profiles.size()]);
        // What is_bot() says, without parsing the user agent a second time.
        const json::Value* bot = visitor.attributes.find("bot");
        visitor.bot = bot && bot->as_bool();
      }
    }
    decided.resize(batch.size());
    const auto before = Clock::now();
    for (std::size_t b = 0; b < batch.size(); ++b) decided[b] = decide(config, batch[b], regex);
    in_engine += Clock::now() - before;

    for (std::size_t b = 0; b < batch.size(); ++b) {
      const std::size_t page = b % pages.size();
      result.evaluations += decided[b].size();
      for (std::size_t i = 0; i < decided[b].size() && i < n; ++i) {
        if (page_of[i] != page) continue;
        const Decision& d = decided[b][i];
        ++reasons[i][std::min(static_cast<int>(d.reason), kReasonCount - 1)];
        if (!d.applied || !d.variation) continue;
        const auto* variations =
            campaigns->Get(static_cast<flatbuffers::uoffset_t>(i))->variations();
        for (std::size_t v = 0; v < counts[i].size(); ++v)
          if (variations->Get(static_cast<flatbuffers::uoffset_t>(v)) == d.variation)
            ++counts[i][v];
      }
    }
    done += size;
    if (progress && done >= next_report && done < options.visitors) {
      progress(done, options.visitors);
      next_report = (done / report_every + 1) * report_every;
    }
  }
  if (progress) progress(options.visitors, options.visitors);

  for (std::size_t i = 0; i < n; ++i) {
    CampaignResult& r = result.campaigns[i];
    for (int reason = 0; reason < kReasonCount; ++reason) {
      const std::uint64_t count = reasons[i][reason];
      if (eligible(static_cast<Reason>(reason))) r.eligible += count;
      const bool applied = static_cast<Reason>(reason) == Reason::kAllocated ||
                           static_cast<Reason>(reason) == Reason::kStoredAssignment ||
                           static_cast<Reason>(reason) == Reason::kForced;
      if (count > 0 && !applied) r.not_applied.emplace_back(static_cast<Reason>(reason), count);
    }
    std::vector<double> weights;
    for (std::size_t v = 0; v < r.variations.size(); ++v) {
      r.variations[v].visitors = counts[i][v];
      r.assigned += counts[i][v];
      weights.push_back(r.variations[v].expected_share);
    }
    r.split = chi_square_goodness_of_fit(counts[i], weights);
  }
  result.engine_seconds = std::chrono::duration<double>(in_engine).count();
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return result;
}

nlohmann::ordered_json simulation_json(const SimulationResult& result) {
  using json = nlohmann::ordered_json;
  json campaigns = json::array();
  for (const CampaignResult& c : result.campaigns) {
    json not_applied = json::object();
    for (const auto& [reason, count] : c.not_applied)
      not_applied[std::string(reason_name(reason))] = count;
    json variations = json::array();
    for (const VariationResult& v : c.variations)
      variations.push_back({{"id", v.id},
                            {"visitors", v.visitors},
                            {"observed_share", c.assigned ? double(v.visitors) / c.assigned : 0.0},
                            {"expected_share", v.expected_share}});
    campaigns.push_back({{"id", c.id},
                         {"url", c.url},
                         {"url_matches", c.url_matches},
                         {"traffic", c.traffic},
                         {"eligible", c.eligible},
                         {"assigned", c.assigned},
                         {"not_applied", std::move(not_applied)},
                         {"variations", std::move(variations)},
                         {"srm",
                          {{"chi_square", std::isfinite(c.split.statistic) ? json(c.split.statistic)
                                                                           : json(nullptr)},
                           {"degrees_of_freedom", c.split.degrees_of_freedom},
                           {"p_value", c.split.p_value},
                           {"mismatch", c.sample_ratio_mismatch()}}}});
  }
  return {{"visitors", result.visitors},
          {"seed", result.seed},
          {"srm_threshold", kSrmThreshold},
          {"campaigns", std::move(campaigns)},
          {"evaluations", result.evaluations},
          {"engine_seconds", result.engine_seconds},
          {"evaluations_per_second",
           result.engine_seconds > 0 ? result.evaluations / result.engine_seconds : 0.0},
          {"wall_seconds", result.wall_seconds}};
}

void print_simulation(std::ostream& out, const SimulationResult& result) {
  out << "Simulated " << with_thousands(result.visitors) << " visitors (seed " << result.seed
      << ") on " << result.campaigns.size()
      << (result.campaigns.size() == 1 ? " campaign" : " campaigns") << "\n";
  for (const CampaignResult& c : result.campaigns) {
    out << "\n" << c.id << "  on " << c.url << "\n";
    if (!c.url_matches)
      out << "  warning: the campaign's page rules reject this URL; pass --url with a page it "
             "runs on\n";
    const double visitors = result.visitors ? double(result.visitors) : 1;
    out << "  eligible " << with_thousands(c.eligible) << " ("
        << fixed(100 * c.eligible / visitors, 1) << "%), assigned " << with_thousands(c.assigned)
        << " (" << fixed(c.eligible ? 100.0 * c.assigned / c.eligible : 0, 1)
        << "% of eligible; traffic " << fixed(100 * c.traffic, 1) << "%)\n";
    if (!c.not_applied.empty()) {
      out << "  not applied:";
      const char* sep = " ";
      for (const auto& [reason, count] : c.not_applied) {
        out << sep << reason_name(reason) << " " << with_thousands(count);
        sep = ", ";
      }
      out << "\n";
    }
    std::size_t width = 9;
    for (const VariationResult& v : c.variations) width = std::max(width, v.id.size());
    out << "  " << std::string("variation") << std::string(width - 9 + 2, ' ')
        << "   visitors  observed  expected\n";
    for (const VariationResult& v : c.variations) {
      const std::string count = with_thousands(v.visitors);
      const std::string observed = fixed(c.assigned ? 100.0 * v.visitors / c.assigned : 0, 2) + "%";
      const std::string expected = fixed(100 * v.expected_share, 2) + "%";
      out << "  " << v.id << std::string(width - v.id.size() + 2, ' ')
          << std::string(count.size() < 11 ? 11 - count.size() : 0, ' ') << count
          << std::string(observed.size() < 10 ? 10 - observed.size() : 0, ' ') << observed
          << std::string(expected.size() < 10 ? 10 - expected.size() : 0, ' ') << expected << "\n";
    }
    if (c.split.degrees_of_freedom > 0 && c.assigned > 0) {
      out << "  sample ratio: chi-square " << fixed(c.split.statistic, 2) << ", df "
          << c.split.degrees_of_freedom << ", p = " << p_value_text(c.split.p_value)
          << (c.sample_ratio_mismatch() ? "  SAMPLE RATIO MISMATCH (p < 0.001)" : "  ok") << "\n";
    }
  }
  out << "\n"
      << with_thousands(result.evaluations) << " evaluations in " << fixed(result.engine_seconds, 2)
      << " s of engine time: "
      << with_thousands(static_cast<std::uint64_t>(
             result.engine_seconds > 0 ? result.evaluations / result.engine_seconds : 0))
      << " evaluations/s (" << fixed(result.wall_seconds, 2) << " s in all)\n";
}

int run_simulate(const SimulateArgs& args) {
  if (const auto problem = kVisitorsRange.problem(args.visitors)) {
    std::cerr << "vario simulate: --visitors: " << *problem << "\n";
    return 2;
  }
  const auto doc = load_valid_campaigns(args.campaigns);
  if (!doc) return 1;
  const std::string bin = compile_campaigns(*doc);
  Result<Config> config =
      Config::from_bytes({reinterpret_cast<const std::uint8_t*>(bin.data()), bin.size()});
  if (!config.ok()) {
    std::cerr << "vario simulate: " << config.error().message << "\n";
    return 1;
  }

  SimulationOptions options{.visitors = args.visitors, .seed = args.seed, .url = args.url};
  for (std::size_t i = 0; i < options.consent_rates.size(); ++i) {
    const std::optional<double> rate = args.consent_by_capability[i] ? args.consent_by_capability[i] : args.consent;
    if (!rate) continue;
    if (const auto problem = kConsentRateRange.problem(*rate)) {
      std::cerr << "vario simulate: consent rate: " << *problem << "\n";
      return 2;
    }
    options.consent_rates[i] = *rate;
  }
  if (!args.attributes.empty()) {
    std::string why;
    const auto text = read_input_file(args.attributes, "an attributes file", &why);
    if (!text) {
      std::cerr << why << "\n";
      return 1;
    }
    std::istringstream in(*text);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto profile = vario::json::parse(line);
      if (!profile.ok() || !profile.value().is_object()) {
        std::cerr << args.attributes.string() << ":" << number << ": "
                  << (profile.ok() ? std::string("must be a JSON object of attributes")
                                   : profile.error().message)
                  << "\n";
        return 1;
      }
      options.attribute_profiles.push_back(std::move(profile).value());
    }
    if (options.attribute_profiles.empty()) {
      std::cerr << args.attributes.string() << ": has no attribute objects\n";
      return 1;
    }
  }
  options.now_ms =
      std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  int last_shown = -1;
  const auto progress = [&](std::uint64_t done, std::uint64_t total) {
    // A live line on a terminal; one line per 10% in a log.
    const int per_mille = static_cast<int>(1000 * done / total);
    if (terminal) {
      if (per_mille == last_shown && done != total) return;
      std::cerr << "\rsimulating: " << fixed(per_mille / 10.0, 1) << "% (" << with_thousands(done)
                << " / " << with_thousands(total) << " visitors)" << (done == total ? "\n" : "")
                << std::flush;
    } else {
      const int tenth = per_mille / 100;
      if (tenth == last_shown / 100 && last_shown >= 0) return;
      if (tenth == 0) return;
      std::cerr << "simulating: " << tenth * 10 << "% (" << with_thousands(done) << " / "
                << with_thousands(total) << " visitors)\n";
    }
    last_shown = per_mille;
  };
  const EcmascriptRegex regex;
  const SimulationResult result = simulate(config.value(), options, regex, progress);
  for (const CampaignResult& c : result.campaigns)
    if (!c.url_matches)
      std::cerr << "vario simulate: warning: " << c.id << " does not run on " << c.url
                << "; pass --url with a page it runs on\n";
  if (args.json)
    std::cout << simulation_json(result).dump(2) << "\n";
  else
    print_simulation(std::cout, result);
  return 0;
}

}  // namespace vario::host
