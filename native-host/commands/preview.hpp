// `vario keygen` and `vario preview`: the key pair behind signed preview links, and the links
// themselves (docs/cli.md). Exit codes as commands.hpp: 0, 1 invalid input, 2 bad usage.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "commands/option_range.hpp"

namespace vario::host {

struct KeygenArgs {
  std::filesystem::path out;  // PEM file to create; never overwritten
};
// Writes a new P-256 private key (mode 0600) and prints the base64 public key for
// campaigns.json "preview": {"public_key": ...} on stdout.
int run_keygen(const KeygenArgs& args);

struct PreviewArgs {
  std::filesystem::path campaigns;
  std::filesystem::path key;       // the PEM written by keygen
  std::string url;                 // the page to preview
  std::vector<std::string> force;  // "campaign=variation", at least one
  double hours = 24;               // how long the link works
};
// A preview link is a bearer token: it works for whoever it reaches, so it cannot outlive a
// year.
inline constexpr OptionRange<double> kHoursRange{0, 24 * 365, /*above_low=*/true};

// Checks the forced ids against the campaigns file and the key against its preview.public_key,
// then prints the URL with vario_preview=TOKEN.
int run_preview(const PreviewArgs& args);

}  // namespace vario::host
