#include <fstream>
#include <iostream>

#include "commands/commands.hpp"
#include "preview/keys.hpp"
#include "tag/build_tag.hpp"

namespace vario::host {

int run_build(const BuildArgs& args) {
  TagOptions options{.layout = args.layout == "inline" ? TagLayout::kInline : TagLayout::kSplit,
                     .base_url = args.base_url};
  std::optional<Pkey> key;
  if (options.layout == TagLayout::kSplit) {
    if (args.key.empty()) {
      std::cerr << "vario build: --layout split (the default) signs the campaigns file with the "
                   "account's key: pass --key FILE.pem (make one once with vario keygen --out "
                   "FILE.pem), or build one file with --layout inline\n";
      return 2;
    }
    std::string why;
    key = read_private_key(args.key, &why);
    if (!key) {
      std::cerr << why << "\n";
      return 1;
    }
    options.key = key->get();
  }
  const auto doc = load_valid_campaigns(args.campaigns);
  if (!doc) return 1;  // nothing written
  BuiltTag tag;
  try {
    tag = build_tag(*doc, load_engine_files(args.engine_dir), options);
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
  std::cout << "Built " << args.out_dir.string() << "/ (" << layout_name(tag.layout) << " layout)\n"
            << describe(tag);
  return 0;
}

}  // namespace vario::host
