#include <httplib.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <variant>

#include "commands/commands.hpp"
#include "input_file.hpp"
#include "number_text.hpp"
#include "tag/digest.hpp"

namespace vario::host {
namespace {

constexpr time_t kTimeoutSeconds = 10;

// What a file should be, and who says so ("--sha256", "manifest.json", "the checksum published
// at URL"), for the verdict line.
struct Expected {
  std::optional<std::string> sha256;
  std::optional<std::string> sri;
  std::optional<std::size_t> bytes;
  std::string source;
};

// The verdict or the reason there is none: exit code 2 with a sentence.
struct Failure {
  std::string sentence;
};

bool is_url(std::string_view target) {
  return target.starts_with("http://") || target.starts_with("https://");
}

struct Url {
  std::string origin;  // "https://cdn.example:8443"
  std::string path;    // "/vario/tag.js?x=1"
};

std::optional<Url> split_url(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const std::size_t path_start = url.find_first_of("/?#", scheme_end + 3);
  Url out{std::string(url.substr(0, path_start)), "/"};
  if (out.origin.size() == scheme_end + 3) return std::nullopt;  // no host
  if (path_start != std::string_view::npos) {
    out.path = std::string(url.substr(path_start, url.find('#', path_start) - path_start));
    if (out.path.front() != '/') out.path.insert(0, "/");
  }
  return out;
}

// The last path segment: what the file is called ("tag.js"), in a manifest and on the server.
std::string file_name(std::string_view target) {
  if (is_url(target)) {
    target = target.substr(0, target.find_first_of("?#"));
    const std::size_t scheme_end = target.find("://");
    target = target.substr(scheme_end + 3);
    const std::size_t slash = target.find('/');
    target = slash == std::string_view::npos ? "" : target.substr(slash);
  }
  return std::filesystem::path(std::string(target)).filename().string();
}

// GET `url`: the body (decoded, whatever Content-Encoding the server chose), or a Failure.
std::variant<std::string, Failure> download(const std::string& url) {
  const auto parts = split_url(url);
  if (!parts) return Failure{url + " is not a URL"};
  httplib::Client client(parts->origin);
  if (!client.is_valid()) return Failure{url + ": cannot connect with this scheme"};
  client.set_connection_timeout(kTimeoutSeconds);
  client.set_read_timeout(kTimeoutSeconds);
  client.set_follow_location(true);
  const auto res = client.Get(parts->path);
  if (!res) return Failure{url + ": " + httplib::to_string(res.error())};
  if (res->status != 200) return Failure{url + ": HTTP " + std::to_string(res->status)};
  return res->body;
}

std::variant<std::string, Failure> read_target(const std::string& target) {
  if (is_url(target)) return download(target);
  std::string why;
  auto bytes = read_input_file(target, "a tag file", &why);
  if (!bytes) return Failure{why};
  return std::move(*bytes);
}

bool is_hex_sha256(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
}

std::string lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A manifest's or a checksum document's entry for a file: {"bytes", "sha256", "sri"}.
std::variant<Expected, Failure> expected_from(const nlohmann::json& entry, std::string source) {
  Expected e{.source = std::move(source)};
  try {
    e.sha256 = lowercase(entry.at("sha256").get<std::string>());
    if (entry.contains("sri")) e.sri = entry.at("sri").get<std::string>();
    if (entry.contains("bytes")) e.bytes = entry.at("bytes").get<std::size_t>();
  } catch (const nlohmann::json::exception&) {
    return Failure{e.source + " has no sha256 for the file"};
  }
  return e;
}

std::variant<Expected, Failure> expected_for(const VerifyArgs& args, const std::string& name) {
  if (!args.sha256.empty()) {
    if (!is_hex_sha256(args.sha256)) return Failure{"--sha256 must be 64 hex digits"};
    return Expected{.sha256 = lowercase(args.sha256), .source = "--sha256"};
  }
  if (!args.sri.empty()) {
    if (!args.sri.starts_with("sha384-"))
      return Failure{"--sri must be a sha384- value, as vario build prints"};
    return Expected{.sri = args.sri, .source = "--sri"};
  }
  if (!args.manifest.empty()) {
    std::string why;
    const auto text = read_input_file(args.manifest, "a manifest", &why);
    if (!text) return Failure{why};
    const auto manifest = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
    const std::string source = args.manifest.string();
    if (!manifest.is_object() || !manifest.contains("files") || !manifest["files"].is_object())
      return Failure{source + " is not a manifest.json that vario build wrote"};
    if (!manifest["files"].contains(name)) {
      std::string names;
      for (const auto& [listed, entry] : manifest["files"].items())
        names += (names.empty() ? "" : ", ") + listed;
      return Failure{source + " lists no file called " + name + " (it lists " + names + ")"};
    }
    return expected_from(manifest["files"][name], source);
  }
  std::string published = args.published;
  if (published.empty()) {
    if (!is_url(args.target))
      return Failure{"nothing to compare " + args.target +
                     " with: pass --sha256, --sri, --manifest or --published"};
    published = split_url(args.target)->origin + "/v1/tags/" + name + "/checksum";
  }
  auto body = download(published);
  if (const auto* failure = std::get_if<Failure>(&body)) return *failure;
  const auto checksum =
      nlohmann::json::parse(std::get<std::string>(body), nullptr, /*allow_exceptions=*/false);
  if (!checksum.is_object())
    return Failure{published + " is not a published checksum (not a JSON object)"};
  return expected_from(checksum, "the checksum published at " + published);
}

}  // namespace

int run_verify(const VerifyArgs& args) {
  const std::string name = file_name(args.target);
  auto expected = expected_for(args, name);
  if (const auto* failure = std::get_if<Failure>(&expected)) {
    std::cerr << "vario verify: " << failure->sentence << "\n";
    return 2;
  }
  auto bytes = read_target(args.target);
  if (const auto* failure = std::get_if<Failure>(&bytes)) {
    std::cerr << "vario verify: " << failure->sentence << "\n";
    return 2;
  }
  const Expected& e = std::get<Expected>(expected);
  const std::string& content = std::get<std::string>(bytes);
  const std::string sha256 = sha256_hex(content);
  const std::string sri = sri_sha384(content);
  const auto mismatch = [&](const std::string& what, const std::string& actual,
                            const std::string& wanted) {
    std::cout << "MISMATCH: " << args.target << " has " << what << " " << actual << "; " << e.source
              << " says " << wanted << "\n";
    return 1;
  };
  if (e.sha256 && *e.sha256 != sha256) return mismatch("sha256", sha256, *e.sha256);
  if (e.sri && *e.sri != sri) return mismatch("sri", sri, *e.sri);
  if (e.bytes && *e.bytes != content.size())
    return mismatch("size", with_thousands(content.size()) + " bytes",
                    with_thousands(*e.bytes) + " bytes");
  std::cout << "OK: " << args.target << " matches " << e.source << " ("
            << (e.sha256 ? "sha256 " + sha256 : "sri " + sri) << ", "
            << with_thousands(content.size()) << " bytes)\n";
  return 0;
}

}  // namespace vario::host
