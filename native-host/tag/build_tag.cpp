#include "tag/build_tag.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "config/compile.hpp"
#include "number_text.hpp"
#include "preview/keys.hpp"
#include "serve/html_injection.hpp"
#include "tag/digest.hpp"

namespace vario::host {
namespace {

using nlohmann::ordered_json;

constexpr std::string_view kPlaceholder = "\"@VARIO_BUILD@\"";
// The first bytes of a signed campaigns file: "Vario signed campaigns", format 1.
constexpr std::string_view kSignedMagic = "VSC1";
constexpr std::size_t kEngineNameDigits = 16;

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

std::string u32_le(std::size_t n) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i)
    out[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xFF);
  return out;
}

// What the tag itself reads of the campaigns, besides what it hands the engine: what to hide
// before the engine runs, the bound on hiding, and the key that preview links must verify with.
ordered_json page_settings(const nlohmann::json& campaigns) {
  ordered_json settings = {{"hide", anti_flicker_selectors(campaigns)},
                           {"revealAfterMs", campaigns.value("anti_flicker_ms", 1500)}};
  if (const auto preview = campaigns.find("preview"); preview != campaigns.end())
    settings["previewKey"] = preview->at("public_key");
  return settings;
}

std::string fill_template(const std::string& tag_template, const ordered_json& settings) {
  const std::string settings_js = settings.dump();
  std::string tag = tag_template;
  std::size_t replaced = 0;
  for (std::size_t at = tag.find(kPlaceholder); at != std::string::npos;
       at = tag.find(kPlaceholder, at + settings_js.size())) {
    tag.replace(at, kPlaceholder.size(), settings_js);
    ++replaced;
  }
  if (replaced == 0)
    throw std::runtime_error(
        "tag.template.js has no \"@VARIO_BUILD@\" placeholder; rebuild the "
        "wasm preset");
  return tag;
}

}  // namespace

std::string_view layout_name(TagLayout layout) {
  return layout == TagLayout::kInline ? "inline" : "split";
}

EngineFiles load_engine_files(const std::filesystem::path& dir) {
  return {read_file(dir / "vario.wasm"), read_file(dir / "tag.template.js")};
}

std::filesystem::path default_engine_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "build/wasm";
  return (exe.parent_path() / ".." / "wasm").lexically_normal();
}

BuiltTag build_tag(const nlohmann::json& campaigns, const EngineFiles& engine,
                   const TagOptions& options) {
  const std::string config = compile_campaigns(campaigns);
  const std::string engine_sha256 = sha256_hex(engine.wasm);
  BuiltTag out;
  out.layout = options.layout;
  out.campaigns_digest = sha256_hex(config);

  ordered_json manifest_engine = {{"version", VARIO_VERSION}, {"sha256", engine_sha256}};
  ordered_json manifest_campaigns = {{"digest", out.campaigns_digest}};
  if (options.layout == TagLayout::kInline) {
    // Everything in one file: the page's integrity attribute pins all of it, and the tag
    // fetches nothing before it starts the engine.
    ordered_json campaigns_settings = {{"base64", base64_encode(config)}};
    campaigns_settings.update(page_settings(campaigns));
    const ordered_json settings = {{"v", 1},
                                   {"account", campaigns.at("account")},
                                   {"engine", {{"base64", base64_encode(engine.wasm)}}},
                                   {"campaigns", std::move(campaigns_settings)}};
    out.files = {{"tag.js", "text/javascript; charset=utf-8",
                  fill_template(engine.tag_template, settings), TagFileRole::kLoader}};
    manifest_engine["file"] = "tag.js";
    manifest_campaigns["file"] = "tag.js";
  } else {
    if (options.key == nullptr)
      throw std::runtime_error(
          "the split layout signs the campaigns file: it needs the account's "
          "key (--key FILE.pem, made by vario keygen)");
    const std::string engine_name = "vario." + engine_sha256.substr(0, kEngineNameDigits) + ".wasm";
    out.key_id = public_key_id(options.key);
    const std::string public_key = public_key_base64(options.key);

    ordered_json header = {{"v", 1},
                           {"account", campaigns.at("account")},
                           {"key", out.key_id},
                           {"digest", out.campaigns_digest}};
    header.update(page_settings(campaigns));
    const std::string header_json = header.dump();
    std::string signed_file =
        std::string(kSignedMagic) + u32_le(header_json.size()) + header_json + config;
    signed_file += sign_p256(options.key, signed_file);

    // The loader knows nothing of the campaigns, so that it stays the same from one publish to
    // the next: the engine's hash, the account's public key, and where to report a refused
    // file when the account needs no consent for it (docs/events.md).
    ordered_json settings = {
        {"v", 1},
        {"account", campaigns.at("account")},
        {"engine", {{"src", engine_name}, {"sha256", engine_sha256}}},
        {"campaigns", {{"src", "campaigns.bin"}}},
        {"key", {{"id", out.key_id}, {"spki", public_key}}},
    };
    if (!campaigns.value("consent", nlohmann::json::object()).value("required", true))
      settings["report"] = campaigns.value("collector", std::string("/v1/events"));

    out.files = {
        {"tag.js", "text/javascript; charset=utf-8", fill_template(engine.tag_template, settings),
         TagFileRole::kLoader},
        {engine_name, "application/wasm", engine.wasm, TagFileRole::kEngine},
        {"campaigns.bin", "application/octet-stream", std::move(signed_file),
         TagFileRole::kCampaigns},
    };
    manifest_engine["file"] = engine_name;
    manifest_campaigns["file"] = "campaigns.bin";
    manifest_campaigns["key_id"] = out.key_id;
    manifest_campaigns["public_key"] = public_key;
  }

  out.tag_sha256_hex = sha256_hex(out.files[0].bytes);
  out.tag_sri = sri_sha384(out.files[0].bytes);
  out.snippet = script_tag(options.base_url + "tag.js", out.tag_sri);

  ordered_json manifest = {{"vario", VARIO_VERSION},
                           {"layout", layout_name(options.layout)},
                           {"account", campaigns.at("account")},
                           {"engine", std::move(manifest_engine)},
                           {"campaigns", std::move(manifest_campaigns)},
                           {"files", ordered_json::object()},
                           {"snippet", out.snippet}};
  for (const TagFile& f : out.files)
    manifest["files"][f.name] = {
        {"bytes", f.bytes.size()}, {"sha256", sha256_hex(f.bytes)}, {"sri", sri_sha384(f.bytes)}};
  out.files.push_back(
      {"manifest.json", "application/json", manifest.dump(2) + "\n", TagFileRole::kManifest});
  return out;
}

std::string describe(const BuiltTag& tag) {
  std::size_t width = 0;
  for (const TagFile& f : tag.files) width = std::max(width, f.name.size());
  width += 2;
  std::string out;
  for (const TagFile& f : tag.files) {
    if (f.role == TagFileRole::kManifest) continue;
    out += f.name + std::string(width - f.name.size(), ' ') + with_thousands(f.bytes.size()) +
           " bytes  sha256 " + sha256_hex(f.bytes) + "\n" + std::string(width, ' ') +
           sri_sha384(f.bytes) + "\n";
  }
  out += "campaigns digest sha256 " + tag.campaigns_digest;
  out += tag.key_id.empty() ? "\n" : ", signed by key " + tag.key_id + "\n";
  out += "\nPaste into <head>, right after <meta charset>:\n  " + tag.snippet + "\n";
  return out;
}

}  // namespace vario::host
