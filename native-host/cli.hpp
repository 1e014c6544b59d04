// The `vario` command line: parses the arguments and runs the subcommand they name
// (docs/cli.md). Returns the exit code of commands/commands.hpp: 0, 1 invalid input or failed
// work, 2 bad usage (CLI11's own messages included).
#pragma once

namespace vario::host {

int run_cli(int argc, const char* const* argv);

}  // namespace vario::host
