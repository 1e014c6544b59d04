#include <fstream>
#include <iostream>

#include "commands/commands.hpp"
#include "tag/build_tag.hpp"

namespace vario::host {

int run_build(const BuildArgs& args) {
  const auto doc = load_valid_campaigns(args.campaigns);
  if (!doc) return 1;  // nothing written
  BuiltTag tag;
  try {
    tag = build_tag(*doc, load_engine_files(args.engine_dir));
  } catch (const std::exception& e) {
    std::cerr << "vario build: " << e.what() << "\n";
    return 1;
  }
  // Everything is built in memory first, so a failure above leaves the folder untouched.
  std::error_code ec;
  std::filesystem::create_directories(args.out_dir, ec);
  if (ec) {
    std::cerr << "vario build: cannot create " << args.out_dir.string() << ": " << ec.message()
              << "\n";
    return 1;
  }
  for (const TagFile& f : tag.files) {
    const auto path = args.out_dir / f.name;
    const auto tmp = args.out_dir / (f.name + ".tmp");
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out.write(f.bytes.data(), static_cast<std::streamsize>(f.bytes.size()));
      if (!out) {
        std::cerr << "vario build: cannot write " << tmp.string() << "\n";
        return 1;
      }
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
      std::cerr << "vario build: cannot write " << path.string() << ": " << ec.message() << "\n";
      return 1;
    }
  }
  std::cout << "Built " << args.out_dir.string() << "/\n" << describe(tag);
  return 0;
}

}  // namespace vario::host
