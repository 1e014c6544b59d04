#include "cli.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "commands/commands.hpp"
#include "commands/preview.hpp"
#include "commands/simulate.hpp"
#include "tag/build_tag.hpp"

namespace vario::host {
namespace {

// Checks an option as typed, before CLI11 converts it: CLI11 wraps "-5" around into a huge
// unsigned number.
template <class T>
CLI::Validator within(const OptionRange<T>& range) {
  return CLI::Validator(
      [range](std::string& typed) { return range.problem(std::string_view(typed)).value_or(""); },
      range.wording());
}

}  // namespace

int run_cli(int argc, const char* const* argv) {
  CLI::App app{"vario: validate campaigns, build the tag, explain decisions, serve a preview"};
  app.set_version_flag("--version", std::string("vario ") + VARIO_VERSION);
  app.require_subcommand(1);

  std::filesystem::path check_file;
  auto* check = app.add_subcommand("check", "Validate a campaigns file; exit 1 on any error");
  check->add_option("campaigns", check_file, "campaigns JSON file")->required();

  BuildArgs build_args{.engine_dir = default_engine_dir()};
  auto* build = app.add_subcommand("build", "Compile campaigns into a deployable tag");
  build->add_option("campaigns", build_args.campaigns, "campaigns JSON file")->required();
  build->add_option("-o,--out", build_args.out_dir, "output folder")->required();
  build
      ->add_option("--engine-dir", build_args.engine_dir,
                   "folder with vario.wasm and tag.template.js")
      ->capture_default_str();
  build
      ->add_option("--layout", build_args.layout,
                   "inline: one tag.js; split: loader, engine and signed campaigns")
      ->check(CLI::IsMember({"inline", "split"}))
      ->capture_default_str();
  build->add_option("--key", build_args.key,
                    "the account's private key (PEM, from vario keygen); signs the split layout");
  build
      ->add_option("--base-url", build_args.base_url,
                   "where the files will be served, for the <script> snippet")
      ->capture_default_str();

  VerifyArgs verify_args;
  auto* verify = app.add_subcommand(
      "verify", "Compare a tag file or a served URL with its checksum; exit 1 on a mismatch");
  verify->add_option("target", verify_args.target, "a file, or an http(s):// URL")->required();
  auto* sha256 = verify->add_option("--sha256", verify_args.sha256, "the expected SHA-256 (hex)");
  auto* sri = verify->add_option("--sri", verify_args.sri, "the expected SRI value (sha384-...)");
  auto* manifest =
      verify->add_option("--manifest", verify_args.manifest, "the manifest.json vario build wrote");
  auto* published = verify->add_option(
      "--published", verify_args.published,
      "the URL of the published checksum (default: ORIGIN/v1/tags/NAME/checksum)");
  sha256->excludes(sri)->excludes(manifest)->excludes(published);
  sri->excludes(manifest)->excludes(published);
  manifest->excludes(published);

  DecideArgs decide_args;
  auto* decide =
      app.add_subcommand("decide", "Show each campaign's decision for visitors, and why");
  decide->add_option("campaigns", decide_args.campaigns, "campaigns JSON file")->required();
  auto* one = decide->add_option("--visitor", decide_args.visitor,
                                 "visitor JSON: {\"id\", \"url\", \"attributes\"}");
  auto* many = decide->add_option("--visitors", decide_args.visitors,
                                  "visitors as JSON lines; prints one result per line");
  one->excludes(many);
  decide->callback([&] {
    if (decide_args.visitor.empty() && decide_args.visitors.empty())
      throw CLI::RequiredError("--visitor or --visitors");
  });

  SimulateArgs simulate_args;
  auto* simulate = app.add_subcommand(
      "simulate", "Run the engine over generated visitors: split per variation, SRM test, speed");
  simulate->add_option("campaigns", simulate_args.campaigns, "campaigns JSON file")->required();
  simulate->add_option("--visitors", simulate_args.visitors, "how many visitors")
      ->check(within(kVisitorsRange))
      ->capture_default_str();
  simulate->add_option("--seed", simulate_args.seed, "seed of the generated visitors")
      ->check(within(kSeedRange))
      ->capture_default_str();
  simulate->add_option("--url", simulate_args.url,
                       "the page every visitor views (default: one page per campaign)");
  simulate->add_option(
      "--attributes", simulate_args.attributes,
      "JSON lines of attribute objects, merged over each visitor's built-ins in turn");
  simulate->add_flag("--json", simulate_args.json, "one JSON document on stdout");
  simulate->add_option("--consent", simulate_args.consent,
                       "share of visitors who grant consent, 0 to 1 (default 1)")
      ->check(within(kConsentRateRange));
  for (std::size_t i = 0; i < std::size(kCapabilities); ++i) {
    std::string name(to_string(kCapabilities[i]));
    std::replace(name.begin(), name.end(), '_', '-');
    simulate->add_option("--consent-" + name, simulate_args.consent_by_capability[i],
                         "share of visitors who grant " + name + " consent (overrides --consent)")
        ->check(within(kConsentRateRange));
  }

  KeygenArgs keygen_args;
  auto* keygen = app.add_subcommand("keygen", "Create the key pair that signs preview links");
  keygen->add_option("--out", keygen_args.out, "PEM file for the private key (not overwritten)")
      ->required();

  PreviewArgs preview_args;
  auto* preview = app.add_subcommand("preview", "Print a signed link that forces variations");
  preview->add_option("campaigns", preview_args.campaigns, "campaigns JSON file")->required();
  preview->add_option("--key", preview_args.key, "private key PEM from vario keygen")->required();
  preview->add_option("--url", preview_args.url, "the page to preview")->required();
  preview->add_option("--force", preview_args.force, "campaign=variation (repeatable)")
      ->required()
      ->take_all();
  preview->add_option("--hours", preview_args.hours, "how long the link works")
      ->check(within(kHoursRange))
      ->capture_default_str();

  // --db and --store, the same for every command that reads or writes events.
  const auto store_options = [](CLI::App* command, StoreArgs& events) {
    auto* db = command->add_option("--db", events.db, "SQLite file for events")
                   ->capture_default_str();
    command->add_option("--store", events.store,
                        "PostgreSQL URI for events, postgresql://USER@HOST:PORT/DB (instead of --db)")
        ->excludes(db);
  };

  ServeArgs serve_args{.engine_dir = default_engine_dir(), .host = "127.0.0.1"};
  auto* serve = app.add_subcommand("serve", "Serve a site with the tag injected and collect events");
  serve->add_option("campaigns", serve_args.campaigns, "campaigns JSON file")->required();
  serve->add_option("--site", serve_args.site, "site folder to serve")->required();
  serve->add_option("--port", serve_args.port, "port (0 picks a free one)")
      ->check(within(kPortRange))
      ->capture_default_str();
  serve->add_option("--host", serve_args.host, "address to listen on")->capture_default_str();
  store_options(serve, serve_args.events);
  serve->add_option("--origin", serve_args.origins,
                    "another origin whose pages may post events, https://HOST[:PORT] (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  serve->add_option("--retention-months", serve_args.retention_months,
                    "months events are kept (at most 25)")
      ->check(within(kRetentionRange))
      ->capture_default_str();
  serve
      ->add_option("--engine-dir", serve_args.engine_dir,
                   "folder with vario.wasm and tag.template.js")
      ->capture_default_str();
  serve->add_option("--layout", serve_args.layout, "the tag layout to serve: inline or split")
      ->check(CLI::IsMember({"inline", "split"}))
      ->capture_default_str();
  serve->add_option("--key", serve_args.key,
                    "private key (PEM) that signs the campaigns (default: one made for this run)");

  ResultsArgs results_args;
  auto* results = app.add_subcommand(
      "results", "Per campaign and variation: visitors, conversions, revenue, lift, SRM");
  results->add_option("campaigns", results_args.campaigns, "campaigns JSON file")->required();
  store_options(results, results_args.events);
  results->add_flag("--json", results_args.json, "the JSON of GET /v1/results on stdout");

  ExportArgs export_args;
  auto* export_command = app.add_subcommand("export", "Write a campaign's events as CSV");
  export_command->add_option("campaigns", export_args.campaigns, "campaigns JSON file")
      ->required();
  export_command->add_option("--campaign", export_args.campaign, "campaign id")->required();
  export_command->add_option("-o,--out", export_args.out, "CSV file to write (default: stdout)");
  store_options(export_command, export_args.events);

  PurgeArgs purge_args;
  auto* purge = app.add_subcommand("purge", "Delete the events older than the retention window");
  store_options(purge, purge_args.events);
  purge->add_option("--retention-months", purge_args.retention_months,
                    "months events are kept (at most 25)")
      ->check(within(kRetentionRange))
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 reports an unknown command as a missing one ("A subcommand is required").
    if (e.get_exit_code() != 0 && app.get_subcommands().empty())
      for (const std::string& word : app.remaining())
        if (!word.starts_with('-')) {
          std::string commands;
          for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
            commands += (commands.empty() ? "" : ", ") + sub->get_name();
          std::cerr << "vario: unknown command \"" << word << "\"; the commands are " << commands
                    << "\n";
          return 2;
        }
    // --help and --version are "errors" that exit 0; every real usage error exits 2.
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (*check) return run_check(check_file);
  if (*build) return run_build(build_args);
  if (*verify) return run_verify(verify_args);
  if (*decide) return run_decide(decide_args);
  if (*serve) return run_serve(serve_args);
  if (*simulate) return run_simulate(simulate_args);
  if (*keygen) return run_keygen(keygen_args);
  if (*preview) return run_preview(preview_args);
  if (*results) return run_results(results_args);
  if (*export_command) return run_export(export_args);
  if (*purge) return run_purge(purge_args);
  return 2;
}

}  // namespace vario::host
