// Test tool: builds a tag from campaigns JSON WITHOUT `vario check`, so that the browser tests
// can hand the tag what check refuses (a <script>, an onerror= handler, a javascript: URL) and
// prove that the tag's own defences keep it inert. Never part of the product. It builds the
// inline layout, so that the test swaps one file (tag.js) and one integrity value.
//   unchecked_tag CAMPAIGNS.json OUT_DIR ENGINE_DIR
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "tag/build_tag.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: unchecked_tag CAMPAIGNS.json OUT_DIR ENGINE_DIR\n";
    return 2;
  }
  try {
    std::ifstream in(argv[1]);
    const auto doc = nlohmann::json::parse(in);
    const auto tag = vario::host::build_tag(doc, vario::host::load_engine_files(argv[3]),
                                            {.layout = vario::host::TagLayout::kInline});
    for (const auto& f : tag.files) {
      std::ofstream out(std::filesystem::path(argv[2]) / f.name, std::ios::binary);
      out.write(f.bytes.data(), static_cast<std::streamsize>(f.bytes.size()));
    }
    std::cout << tag.tag_sri << "\n";
  } catch (const std::exception& e) {
    std::cerr << "unchecked_tag: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
