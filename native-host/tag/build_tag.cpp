#include "tag/build_tag.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "config/compile.hpp"
#include "tag/digest.hpp"

namespace vario::host {
namespace {

constexpr std::string_view kPlaceholder = "\"@VARIO_BUILD@\"";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read " + path.string() +
                             " (build the engine first: cmake --preset wasm && cmake --build "
                             "--preset wasm, or pass --engine-dir)");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string with_thousands(std::size_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

}  // namespace

EngineFiles load_engine_files(const std::filesystem::path& dir) {
  return {read_file(dir / "vario.wasm"), read_file(dir / "tag.template.js")};
}

std::filesystem::path default_engine_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "build/wasm";
  return (exe.parent_path() / ".." / "wasm").lexically_normal();
}

BuiltTag build_tag(const nlohmann::json& campaigns, const EngineFiles& engine) {
  const std::string config = compile_campaigns(campaigns);

  // The build settings the tag reads: where its engine and campaigns are, their SRI hashes (the
  // browser checks them on fetch, so pinning tag.js pins all three) and what to hide.
  nlohmann::ordered_json settings = {
      {"v", 1},
      {"account", campaigns.at("account")},
      {"engine", {{"src", "vario.wasm"}, {"integrity", sri_sha384(engine.wasm)}}},
      {"config", {{"src", "campaigns.bin"}, {"integrity", sri_sha384(config)}}},
      {"hide", anti_flicker_selectors(campaigns)},
      {"revealAfterMs", campaigns.value("anti_flicker_ms", 1500)},
  };
  // The tag checks preview links against this key with WebCrypto before the engine sees them.
  if (const auto preview = campaigns.find("preview"); preview != campaigns.end())
    settings["previewKey"] = preview->at("public_key");
  const std::string settings_js = settings.dump();

  std::string tag = engine.tag_template;
  std::size_t replaced = 0;
  for (std::size_t at = tag.find(kPlaceholder); at != std::string::npos;
       at = tag.find(kPlaceholder, at + settings_js.size())) {
    tag.replace(at, kPlaceholder.size(), settings_js);
    ++replaced;
  }
  if (replaced == 0)
    throw std::runtime_error("tag.template.js has no \"@VARIO_BUILD@\" placeholder; rebuild the "
                             "wasm preset");

  BuiltTag out;
  out.files = {
      {"tag.js", "text/javascript; charset=utf-8", std::move(tag)},
      {"vario.wasm", "application/wasm", engine.wasm},
      {"campaigns.bin", "application/octet-stream", config},
  };
  nlohmann::ordered_json manifest = {{"vario", VARIO_VERSION},
                                     {"account", campaigns.at("account")},
                                     {"files", nlohmann::ordered_json::object()}};
  for (const TagFile& f : out.files)
    manifest["files"][f.name] = {{"bytes", f.bytes.size()},
                                 {"sha256", sha256_hex(f.bytes)},
                                 {"sri", sri_sha384(f.bytes)}};
  out.tag_sha256_hex = sha256_hex(out.files[0].bytes);
  out.tag_sri = sri_sha384(out.files[0].bytes);
  out.files.push_back({"manifest.json", "application/json", manifest.dump(2) + "\n"});
  return out;
}

std::string describe(const BuiltTag& tag) {
  std::string out;
  for (const TagFile& f : tag.files) {
    if (f.name == "manifest.json") continue;
    out += f.name + std::string(15 - std::min<std::size_t>(14, f.name.size()), ' ') +
           with_thousands(f.bytes.size()) + " bytes  sha256 " + sha256_hex(f.bytes) + "\n" +
           std::string(15, ' ') + sri_sha384(f.bytes) + "\n";
  }
  out += "\nPaste into <head>:\n  <script src=\"/vario/tag.js\" integrity=\"" + tag.tag_sri +
         "\" crossorigin=\"anonymous\"></script>\n";
  return out;
}

}  // namespace vario::host
