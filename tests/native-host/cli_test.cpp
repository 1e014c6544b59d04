#define BOOST_TEST_MODULE cli
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "commands/commands.hpp"
#include "commands/preview.hpp"
#include "commands/simulate.hpp"
#include "serve/collector.hpp"
#include "store/event_store.hpp"
#include "store/retention.hpp"
#include "support/campaigns.hpp"
#include "support/commands.hpp"

using namespace vario::host;
using vario::testing::Captured;
using vario::testing::Folder;
using vario::testing::run_vario;

namespace {

// The whole first line CLI11 prints for a usage error.
std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

std::string campaigns_file(const Folder& f) {
  const auto path = f.dir / "campaigns.json";
  std::ofstream(path) << vario::testing::headline_test().dump();
  return path.string();
}

}  // namespace

BOOST_AUTO_TEST_CASE(
    a_negative_visitor_count_is_refused_with_the_accepted_range_not_wrapped_around) {
  Folder f;
  const Captured c = run_vario({"simulate", campaigns_file(f), "--visitors", "-5"});
  BOOST_TEST(c.code == 2);
  BOOST_TEST(first_line(c.err) == "--visitors: must be a whole number from 1 to 100000000, got -5");
  BOOST_TEST(c.out.empty());
}

BOOST_AUTO_TEST_CASE(zero_too_many_and_unreadable_visitor_counts_are_refused_the_same_way) {
  Folder f;
  for (const std::string typed :
       {"0", "100000001", "99999999999999999999999", "1e3", "0x10", "12abc"}) {
    const Captured c = run_vario({"simulate", campaigns_file(f), "--visitors", typed});
    BOOST_TEST(c.code == 2, typed);
    BOOST_TEST(
        first_line(c.err) == "--visitors: must be a whole number from 1 to 100000000, got " + typed,
        typed);
  }
}

BOOST_AUTO_TEST_CASE(every_other_numeric_option_names_itself_and_its_range_when_refused) {
  Folder f;
  const std::string campaigns = campaigns_file(f);
  const auto preview = [&](const std::string& hours) {
    return std::vector<std::string>{"preview",    campaigns, "--key", "k.pem",   "--url",
                                    "https://x/", "--force", "a=b",   "--hours", hours};
  };
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"simulate", campaigns, "--seed", "-1"},
       "--seed: must be a whole number from 0 to 18446744073709551615, got -1"},
      {{"simulate", campaigns, "--seed", "18446744073709551616"},
       "--seed: must be a whole number from 0 to 18446744073709551615, got 18446744073709551616"},
      {preview("0"), "--hours: must be a number above 0 and at most 8760, got 0"},
      {preview("-1"), "--hours: must be a number above 0 and at most 8760, got -1"},
      {preview("nan"), "--hours: must be a number above 0 and at most 8760, got nan"},
      {preview("1e999"), "--hours: must be a number above 0 and at most 8760, got 1e999"},
      {{"serve", campaigns, "--site", f.dir.string(), "--port", "-1"},
       "--port: must be a whole number from 0 to 65535, got -1"},
      {{"serve", campaigns, "--site", f.dir.string(), "--port", "65536"},
       "--port: must be a whole number from 0 to 65535, got 65536"},
  };
  for (const Case& c : cases) {
    const Captured r = run_vario(c.args);
    BOOST_TEST(r.code == 2, c.message);
    BOOST_TEST(first_line(r.err) == c.message);
  }
}

BOOST_AUTO_TEST_CASE(the_ends_of_each_range_are_accepted) {
  Folder f;
  const Captured c = run_vario({"simulate", campaigns_file(f), "--visitors", "1", "--seed",
                                "18446744073709551615", "--json"});
  BOOST_TEST(c.code == 0, c.err);
  BOOST_TEST(c.out.find("\"seed\": 18446744073709551615") != std::string::npos, c.out);
  BOOST_TEST(!kVisitorsRange.problem(std::string_view("100000000")));
  BOOST_TEST(!kHoursRange.problem(std::string_view("8760")));
  BOOST_TEST(!kHoursRange.problem(std::string_view("0.5")));
  BOOST_TEST(!kPortRange.problem(std::string_view("0")));
  BOOST_TEST(!kPortRange.problem(std::string_view("65535")));
}

BOOST_AUTO_TEST_CASE(commands_called_directly_refuse_out_of_range_values_with_the_same_words) {
  Folder f;
  const Captured c = vario::testing::capture(
      [&] { return run_simulate({.campaigns = campaigns_file(f), .visitors = 200'000'000}); });
  BOOST_TEST(c.code == 2);
  BOOST_TEST(c.err ==
             "vario simulate: --visitors: must be a whole number from 1 to 100000000, got "
             "200000000\n");
  const Captured port = vario::testing::capture(
      [&] { return run_serve({.campaigns = campaigns_file(f), .site = f.dir, .port = 70000}); });
  BOOST_TEST(port.code == 2);
  BOOST_TEST(port.err ==
             "vario serve: --port: must be a whole number from 0 to 65535, got 70000\n");
}

BOOST_AUTO_TEST_CASE(an_unknown_command_is_named_with_the_list_of_commands) {
  for (const std::vector<std::string> args :
       {std::vector<std::string>{"frobnicate"},
        {"frobnicate", "campaigns.json", "--visitors", "3"}}) {
    const Captured c = run_vario(args);
    BOOST_TEST(c.code == 2);
    BOOST_TEST(c.err ==
               "vario: unknown command \"frobnicate\"; the commands are check, build, verify, "
               "decide, simulate, keygen, preview, serve, results, export, purge\n");
  }
  // No command at all, or only an unknown option, is still CLI11's own usage error.
  BOOST_TEST(first_line(run_vario({}).err) == "A subcommand is required");
  BOOST_TEST(run_vario({"--bogus"}).code == 2);
  BOOST_TEST(run_vario({"--help"}).code == 0);
}

BOOST_AUTO_TEST_CASE(every_command_given_a_folder_for_a_file_says_so) {
  Folder f;
  const std::string campaigns = campaigns_file(f);
  const std::string folder = f.dir.string();
  std::ofstream(f.dir / "visitor.json") << R"({"id": "a", "url": "https://shop.example/product"})";
  // With a public key in the campaigns file, preview goes as far as reading --key.
  const Captured key = run_vario({"keygen", "--out", (f.dir / "k.pem").string()});
  BOOST_TEST_REQUIRE(key.code == 0, key.err);
  nlohmann::json with_key = vario::testing::headline_test();
  with_key["preview"] = {{"public_key", key.out.substr(0, key.out.find('\n'))}};
  std::ofstream(f.dir / "with_key.json") << with_key.dump();
  struct Case {
    std::vector<std::string> args;
    std::string kind;
  };
  const std::vector<Case> cases = {
      {{"check", folder}, "a campaigns file"},
      {{"build", folder, "-o", folder + "/out", "--layout", "inline"}, "a campaigns file"},
      {{"build", campaigns, "-o", folder + "/out", "--key", folder}, "a key file"},
      {{"decide", folder, "--visitor", (f.dir / "visitor.json").string()}, "a campaigns file"},
      {{"decide", campaigns, "--visitor", folder}, "a visitor file"},
      {{"decide", campaigns, "--visitors", folder}, "a visitors file"},
      {{"simulate", folder}, "a campaigns file"},
      {{"simulate", campaigns, "--visitors", "10", "--attributes", folder}, "an attributes file"},
      {{"preview", folder, "--key", "k.pem", "--url", "https://x/", "--force", "a=b"},
       "a campaigns file"},
      {{"preview", (f.dir / "with_key.json").string(), "--key", folder, "--url", "https://x/",
        "--force", "product-headline=benefit"},
       "a key file"},
      {{"keygen", "--out", folder}, "a key file"},
      {{"serve", folder, "--site", folder}, "a campaigns file"},
      {{"serve", campaigns, "--site", folder, "--db", folder}, "an events database file"},
  };
  for (const Case& c : cases) {
    const Captured r = run_vario(c.args);
    BOOST_TEST(r.code == 1, c.args[0] + " " + c.kind);
    BOOST_TEST(r.err.starts_with(folder + " is a folder, not " + c.kind + "\n"), r.err);
  }
}

BOOST_AUTO_TEST_CASE(results_export_and_purge_read_what_serve_stored) {
  Folder f;
  const std::string campaigns = campaigns_file(f);
  const std::string db = (f.dir / "events.db").string();
  {
    std::string error;
    auto store = open_event_store(db, error);
    BOOST_TEST_REQUIRE(store != nullptr, error);
    Event e;
    e.type = EventType::kImpression;
    e.id = std::string(32, 'a');
    e.ts = now_ms() - 1000;
    e.account = "demo-shop";
    e.campaign = "product-headline";
    e.variation = "benefit";
    e.page = "/product";
    e.payload = "{}";
    Event old = e;
    old.id = std::string(32, 'b');
    old.ts = months_before(now_ms(), 3) - 1;
    BOOST_TEST_REQUIRE(store->insert_batch(std::vector{e, old}, now_ms()).ok);
  }
  const Captured table = run_vario({"results", campaigns, "--db", db});
  BOOST_TEST(table.code == 0, table.err);
  BOOST_TEST(table.out.find("product-headline") != std::string::npos, table.out);
  BOOST_TEST(table.out.find("sample ratio: chi-square") != std::string::npos, table.out);
  const Captured json_out = run_vario({"results", campaigns, "--db", db, "--json"});
  BOOST_TEST(nlohmann::json::parse(json_out.out)["campaigns"][0]["variations"][1]["visitors"] == 2);

  const Captured csv =
      run_vario({"export", campaigns, "--db", db, "--campaign", "product-headline"});
  BOOST_TEST(csv.code == 0, csv.err);
  BOOST_TEST(std::count(csv.out.begin(), csv.out.end(), '\n') == 3);
  const Captured unknown = run_vario({"export", campaigns, "--db", db, "--campaign", "nope"});
  BOOST_TEST(unknown.code == 1);
  BOOST_TEST(unknown.err.find("no campaign 'nope'") != std::string::npos, unknown.err);

  const Captured longer = run_vario({"purge", "--db", db, "--retention-months", "26"});
  BOOST_TEST(longer.code == 2);
  BOOST_TEST(first_line(longer.err) ==
             "--retention-months: must be a whole number from 1 to 25, got 26");
  const Captured purge = run_vario({"purge", "--db", db, "--retention-months", "3"});
  BOOST_TEST(purge.code == 0, purge.err);
  BOOST_TEST(purge.out.rfind("Deleted 1 event older than 3 months (before ", 0) == 0u, purge.out);
  const Captured missing = run_vario({"purge", "--db", (f.dir / "none.db").string()});
  BOOST_TEST(missing.code == 1);
  const Captured both = run_vario({"purge", "--db", db, "--store", "postgresql://x/y"});
  BOOST_TEST(both.code == 2);
}
