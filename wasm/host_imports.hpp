// The functions the JS tag supplies to vario.wasm, all in the import module "vario".
// This list and js-shim/loader.js are the two halves of one contract; wasm/imports.txt names
// them so a test can check the module imports nothing else.
//
// Conventions: strings are UTF-8 (ptr, len) in the module's memory. A function that returns a
// string copies at most `cap` bytes to `out` and returns the full length, so the caller can
// retry with a larger buffer; -1 means "absent" (no such cookie) or "rejected" (bad selector).
// A function that returns nodes writes at most `cap` u32 handles to `out` and returns the
// count; when that is more than `cap`, dom_list copies the whole list of that same call (the
// call itself is not repeated: parse_html makes new nodes each time). Handles are stable: the
// same node has the same handle until it is released.
#pragma once

#include <cstdint>

#define VARIO_IMPORT(name) __attribute__((import_module("vario"), import_name(#name)))

extern "C" {
// --- Reading the DOM
VARIO_IMPORT(dom_query_all)
std::int32_t vario_dom_query_all(const char* selector, std::int32_t len, std::uint32_t* out,
                                 std::int32_t cap);
VARIO_IMPORT(dom_children)
std::int32_t vario_dom_children(std::uint32_t node, std::uint32_t* out, std::int32_t cap);
VARIO_IMPORT(dom_list) void vario_dom_list(std::uint32_t* out, std::int32_t cap);
VARIO_IMPORT(dom_parent) std::uint32_t vario_dom_parent(std::uint32_t node);
VARIO_IMPORT(dom_next) std::uint32_t vario_dom_next(std::uint32_t node);
VARIO_IMPORT(dom_contains) std::int32_t vario_dom_contains(std::uint32_t ancestor, std::uint32_t node);
VARIO_IMPORT(dom_text)
std::int32_t vario_dom_text(std::uint32_t node, char* out, std::int32_t cap);
VARIO_IMPORT(dom_attr)
std::int32_t vario_dom_attr(std::uint32_t node, const char* name, std::int32_t len, char* out,
                            std::int32_t cap);
// The element's attribute names in order, separated by spaces.
VARIO_IMPORT(dom_attr_names)
std::int32_t vario_dom_attr_names(std::uint32_t node, char* out, std::int32_t cap);
// The value as the browser serializes it, after one byte: '!' when it is !important, else ' '.
VARIO_IMPORT(dom_style)
std::int32_t vario_dom_style(std::uint32_t node, const char* property, std::int32_t len, char* out,
                             std::int32_t cap);
VARIO_IMPORT(dom_hydrated) std::int32_t vario_dom_hydrated(std::uint32_t node);
VARIO_IMPORT(dom_release) void vario_dom_release(std::uint32_t node);

// --- Writing the DOM
VARIO_IMPORT(dom_set_text)
void vario_dom_set_text(std::uint32_t node, const char* text, std::int32_t len);
// -1 when the host refuses to create HTML (Trusted Types).
VARIO_IMPORT(dom_parse_html)
std::int32_t vario_dom_parse_html(const char* html, std::int32_t len, std::uint32_t* out,
                                  std::int32_t cap);
// position: vario::Position. 1 done, 0 impossible.
VARIO_IMPORT(dom_insert)
std::int32_t vario_dom_insert(std::uint32_t reference, std::int32_t position, std::uint32_t node);
VARIO_IMPORT(dom_detach) void vario_dom_detach(std::uint32_t node);
VARIO_IMPORT(dom_set_attr)
std::int32_t vario_dom_set_attr(std::uint32_t node, const char* name, std::int32_t name_len,
                                const char* value, std::int32_t value_len);
VARIO_IMPORT(dom_remove_attr)
void vario_dom_remove_attr(std::uint32_t node, const char* name, std::int32_t len);
VARIO_IMPORT(dom_set_style)
std::int32_t vario_dom_set_style(std::uint32_t node, const char* property, std::int32_t property_len,
                                 const char* value, std::int32_t value_len, std::int32_t important);
VARIO_IMPORT(css_add) std::uint32_t vario_css_add(const char* css, std::int32_t len);
VARIO_IMPORT(css_remove) void vario_css_remove(std::uint32_t sheet);

// --- Lifecycle commands
VARIO_IMPORT(page_watch)
void vario_page_watch(std::uint32_t id, const char* selector, std::int32_t len);
VARIO_IMPORT(page_unwatch) void vario_page_unwatch(std::uint32_t id);
VARIO_IMPORT(page_guard) void vario_page_guard(std::uint32_t node, std::int32_t on);
VARIO_IMPORT(page_reveal) void vario_page_reveal(std::int32_t rule);
VARIO_IMPORT(page_navigate) void vario_page_navigate(const char* url, std::int32_t len);
VARIO_IMPORT(page_timer) void vario_page_timer(double delay_ms);

// --- Storage, network, page data
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
