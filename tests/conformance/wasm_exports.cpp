// The C ABI of the conformance test module, vario_conformance.wasm: the shared conformance
// runner over the engine's own sources, with the host's regex as its only import. It is built
// beside vario.wasm by tests/conformance/wasm.cmake and never shipped; vario.wasm's
// exports.txt and imports.txt do not list it.
//
// conformance_check returns the envelope of wasm/abi.cpp, valid until the next call:
//   u32 status (0; the runner reports bad input inside its JSON), u32 length, then the runner's
//   JSON result, UTF-8.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "conformance/runner.hpp"
#include "vario/regex.hpp"

extern "C" {
// 1 match, 0 no match, -1 the pattern or flags are rejected (new RegExp throws).
__attribute__((import_module("vario"), import_name("regex_test"))) std::int32_t
vario_conformance_regex_test(const char* pattern, std::int32_t pattern_len, const char* flags,
                             std::int32_t flags_len, const char* subject,
                             std::int32_t subject_len);
}

namespace {

class ImportedRegex final : public vario::RegexTester {
 public:
  std::optional<bool> regex_test(std::string_view pattern, std::string_view flags,
                                 std::string_view subject) const override {
    const std::int32_t answer = vario_conformance_regex_test(
        pattern.data(), static_cast<std::int32_t>(pattern.size()), flags.data(),
        static_cast<std::int32_t>(flags.size()), subject.data(),
        static_cast<std::int32_t>(subject.size()));
    if (answer < 0) return std::nullopt;
    return answer == 1;
  }
};

// Adapter state, as in wasm/abi.cpp: the last envelope stays alive until the next call.
std::string g_envelope;

const std::uint8_t* envelope(std::string_view bytes) {
  g_envelope.assign(8, '\0');
  const auto len = static_cast<std::uint32_t>(bytes.size());
  std::memcpy(g_envelope.data() + 4, &len, 4);  // status 0 stays zero
  g_envelope.append(bytes);
  return reinterpret_cast<const std::uint8_t*>(g_envelope.data());
}

}  // namespace

extern "C" {

void* conformance_alloc(std::uint32_t size) { return std::malloc(size ? size : 1); }

void conformance_free(void* ptr) { std::free(ptr); }

const std::uint8_t* conformance_check(const char* section, std::uint32_t section_len,
                                      const char* case_json, std::uint32_t case_len) {
  const ImportedRegex regex;
  return envelope(vario::conformance::check_conformance_case({section, section_len},
                                                             {case_json, case_len}, regex));
}

}  // extern "C"
