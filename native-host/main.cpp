// vario: the team's tool (docs/cli.md). The commands live in vario_host, where tests call them.
#include "cli.hpp"

int main(int argc, char** argv) { return vario::host::run_cli(argc, argv); }
