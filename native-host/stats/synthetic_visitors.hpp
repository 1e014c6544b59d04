// Made-up visitors for `vario simulate`: random ids and a fixed, documented mix of devices,
// browsers, languages and visit histories (docs/cli.md lists the shares), so that audiences
// have something to select. Deterministic: the same seed gives the same visitors on every
// machine (no std::*_distribution, whose output the standard leaves to the library).
#pragma once

#include <cstdint>
#include <string>

#include "vario/attributes.hpp"

namespace vario::host {

// xoshiro256** seeded through splitmix64: fast, small, and specified bit for bit.
class Prng {
 public:
  explicit Prng(std::uint64_t seed);
  std::uint64_t next();
  double uniform();                      // [0, 1), 53 random bits
  std::uint64_t below(std::uint64_t n);  // [0, n), n > 0
 private:
  std::uint64_t s_[4];
};

struct SyntheticVisitor {
  std::string id;        // 32 lowercase hex digits, as the tag makes them
  PageEnvironment page;  // everything but the url: user agent, language, time zone, screen,
                         // referrer
  VisitCounts counts;    // visits and page views so far, this page view included
};

class VisitorMix {
 public:
  explicit VisitorMix(std::uint64_t seed) : prng_(seed) {}
  // The next visitor; overwrites `out` to reuse its strings.
  void next(SyntheticVisitor& out);

 private:
  Prng prng_;
};

}  // namespace vario::host
