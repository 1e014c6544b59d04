// Running `vario` commands in tests: what they print, captured, and a fresh folder for the files
// they read and write.
#pragma once

#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"

namespace vario::testing {

struct Captured {
  int code;
  std::string out, err;
};

template <typename F>
Captured capture(F run) {
  std::ostringstream out, err;
  auto* old_out = std::cout.rdbuf(out.rdbuf());
  auto* old_err = std::cerr.rdbuf(err.rdbuf());
  const int code = run();
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  return {code, out.str(), err.str()};
}

// The command line `vario ARGS...`, as main() runs it.
inline Captured run_vario(const std::vector<std::string>& args) {
  std::vector<const char*> argv{"vario"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  return capture([&] { return host::run_cli(static_cast<int>(argv.size()), argv.data()); });
}

// A fresh folder per test case.
struct Folder {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("vario_test_" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  Folder() { std::filesystem::create_directories(dir); }
  ~Folder() { std::filesystem::remove_all(dir); }
};

}  // namespace vario::testing
