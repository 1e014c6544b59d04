// The C ABI of vario.wasm (names in wasm/exports.txt). Every call that can fail returns one
// envelope; js-shim/loader.js has the one helper that unpacks it.
//
// Envelope, at the returned pointer, valid until the next call:
//   u32 status  (0 = ok, else vario::ErrorCode)
//   u32 length
//   length bytes: the value (ok) or the error message, UTF-8
//
// One engine per module instance: the adapter, not the engine, holds this state, so the
// engine itself stays free of globals.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "vario/engine.hpp"
#include "wasm_host.hpp"

namespace {

vario::wasm::WasmHost g_host;
vario::Engine g_engine(g_host);
std::string g_envelope;

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

std::string_view text(const char* ptr, std::uint32_t len) { return {ptr, len}; }

}  // namespace

extern "C" {

void* vario_alloc(std::uint32_t size) { return std::malloc(size ? size : 1); }

void vario_free(void* ptr) { std::free(ptr); }

const std::uint8_t* vario_load(const std::uint8_t* bytes, std::uint32_t len) {
  const vario::Status status = g_engine.load({bytes, len});
  return status.ok() ? envelope(vario::ErrorCode::kOk, {})
                     : envelope(status.error().code, status.error().message);
}

const std::uint8_t* vario_decide(const char* visitor_json, std::uint32_t len) {
  return envelope(g_engine.decide(text(visitor_json, len)));
}

const std::uint8_t* vario_run(const char* context_json, std::uint32_t len) {
  return envelope(g_engine.run_page(text(context_json, len)));
}

}  // extern "C"
