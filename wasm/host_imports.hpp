// The functions the JS tag supplies to vario.wasm, all in the import module "vario".
// This list and js-shim/host.js are the two halves of one contract; wasm/imports.txt names
// them so a test can check the module imports nothing else.
//
// Conventions: strings are UTF-8 (ptr, len) in the module's memory. A function that returns a
// string copies at most `cap` bytes to `out` and returns the full length, so the caller can
// retry with a larger buffer; -1 means "absent" (no such cookie) or "rejected" (bad selector).
#pragma once

#include <cstdint>

#define VARIO_IMPORT(name) __attribute__((import_module("vario"), import_name(#name)))

extern "C" {
// Writes up to `cap` u32 node handles matching `selector` to `out`; returns the match count.
VARIO_IMPORT(dom_query_all)
std::int32_t vario_dom_query_all(const char* selector, std::int32_t len, std::uint32_t* out,
                                 std::int32_t cap);
VARIO_IMPORT(dom_text)
std::int32_t vario_dom_text(std::uint32_t node, char* out, std::int32_t cap);
VARIO_IMPORT(dom_set_text)
void vario_dom_set_text(std::uint32_t node, const char* text, std::int32_t len);
VARIO_IMPORT(dom_release) void vario_dom_release(std::uint32_t node);
VARIO_IMPORT(dom_reveal) void vario_dom_reveal();

VARIO_IMPORT(storage_read)
std::int32_t vario_storage_read(const char* key, std::int32_t key_len, char* out,
                                std::int32_t cap);
VARIO_IMPORT(storage_write)
void vario_storage_write(const char* key, std::int32_t key_len, const char* value,
                         std::int32_t value_len, double max_age_seconds);
VARIO_IMPORT(storage_erase) void vario_storage_erase(const char* key, std::int32_t key_len);

// Returns 1 when the body was queued (sendBeacon or fetch keepalive), 0 otherwise.
VARIO_IMPORT(net_send)
std::int32_t vario_net_send(const char* url, std::int32_t url_len, const char* body,
                            std::int32_t body_len);

// RegExp.prototype.test: 1 match, 0 no match, -1 the pattern or flags are rejected.
VARIO_IMPORT(regex_test)
std::int32_t vario_regex_test(const char* pattern, std::int32_t pattern_len, const char* flags,
                              std::int32_t flags_len, const char* subject,
                              std::int32_t subject_len);
// A declared attribute's value as JSON text (source: PageValueSource), or -1 when absent.
VARIO_IMPORT(page_value)
std::int32_t vario_page_value(std::int32_t source, const char* key, std::int32_t key_len,
                              char* out, std::int32_t cap);

VARIO_IMPORT(clock_now_ms) double vario_clock_now_ms();
VARIO_IMPORT(random_fill) void vario_random_fill(std::uint8_t* out, std::int32_t len);
VARIO_IMPORT(log) void vario_log(std::int32_t level, const char* message, std::int32_t len);
}
