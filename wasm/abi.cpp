// The C ABI of vario.wasm (names in wasm/exports.txt). Every call that can fail returns one
// envelope; js-shim/loader.js has the one helper that unpacks it.
//
// Envelope, at the returned pointer, valid until the next call:
//   u32 status  (0 = ok, else vario::ErrorCode)
//   u32 length
//   length bytes: the value (ok) or the error message, UTF-8
//
// The page lifecycle comes through one door, vario_fact(kind, payload): each kind of fact the
// tag can report has a number, and facts to come (consent, goals, send results) are new numbers,
// not new exports. The payload is UTF-8 text or an array of little-endian u32, by kind.
//
// One engine per module instance: the adapter, not the engine, holds this state, so the
// engine itself stays free of globals.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "vario/engine.hpp"
#include "vario/json.hpp"
#include "wasm_host.hpp"

namespace {

vario::wasm::WasmHost g_host;
vario::Engine g_engine(g_host);
std::string g_envelope;

// The facts, as js-shim/loader.js numbers them.
enum class Fact : std::uint32_t {
  kStart = 0,           // page context JSON -> decisions JSON
  kAppeared = 1,        // u32 watch ids
  kMutated = 2,         // u32 node handles
  kUrlChanged = 3,      // the new URL
  kDocumentParsed = 4,  // (empty)
  kTimer = 5,           // (empty)
  kPageHidden = 6,      // (empty)
  kConsent = 7,         // a consent signal, JSON (consent_sources.hpp)
};

const std::uint8_t* envelope(vario::ErrorCode status, std::string_view bytes) {
  g_envelope.assign(8, '\0');
  const auto code = static_cast<std::uint32_t>(status);
  const auto len = static_cast<std::uint32_t>(bytes.size());
  std::memcpy(g_envelope.data(), &code, 4);  // wasm is little-endian, as the loader reads it
  std::memcpy(g_envelope.data() + 4, &len, 4);
  g_envelope.append(bytes);
  return reinterpret_cast<const std::uint8_t*>(g_envelope.data());
}

const std::uint8_t* envelope(const vario::Result<std::string>& result) {
  return result.ok() ? envelope(vario::ErrorCode::kOk, result.value())
                     : envelope(result.error().code, result.error().message);
}

const std::uint8_t* envelope(const vario::Status& status) {
  return status.ok() ? envelope(vario::ErrorCode::kOk, {})
                     : envelope(status.error().code, status.error().message);
}

std::vector<std::uint32_t> u32s(const std::uint8_t* bytes, std::uint32_t len) {
  std::vector<std::uint32_t> out(len / 4);
  if (!out.empty()) std::memcpy(out.data(), bytes, out.size() * 4);
  return out;
}

}  // namespace

extern "C" {

void* vario_alloc(std::uint32_t size) { return std::malloc(size ? size : 1); }

void vario_free(void* ptr) { std::free(ptr); }

const std::uint8_t* vario_load(const std::uint8_t* bytes, std::uint32_t len) {
  return envelope(g_engine.load({bytes, len}));
}

const std::uint8_t* vario_decide(const char* visitor_json, std::uint32_t len) {
  return envelope(g_engine.decide({visitor_json, len}));
}

const std::uint8_t* vario_fact(std::uint32_t kind, const std::uint8_t* payload, std::uint32_t len) {
  const std::string_view text(reinterpret_cast<const char*>(payload), len);
  switch (static_cast<Fact>(kind)) {
    case Fact::kStart: return envelope(g_engine.start(text));
    case Fact::kAppeared: return envelope(g_engine.elements_appeared(u32s(payload, len)));
    case Fact::kMutated: return envelope(g_engine.nodes_mutated(u32s(payload, len)));
    case Fact::kUrlChanged: return envelope(g_engine.url_changed(text));
    case Fact::kDocumentParsed: return envelope(g_engine.document_parsed());
    case Fact::kTimer: return envelope(g_engine.timer_fired());
    case Fact::kPageHidden: return envelope(g_engine.page_hidden());
    case Fact::kConsent: return envelope(g_engine.consent_signal(text));
  }
  return envelope(vario::ErrorCode::kInvalidArgument, "unknown fact " + vario::json::to_decimal(kind));
}

}  // extern "C"
