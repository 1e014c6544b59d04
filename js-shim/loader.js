// Instantiates vario.wasm and binds its "vario" imports to a host object that deals only in
// strings and DOM nodes. This file owns everything wasm-specific: the node-handle table, UTF-8
// marshalling through the module's memory, the fact numbers and the result envelope. The imports
// mirror wasm/host_imports.hpp one for one.
//
// host: DOM reads  queryAll(selector) -> Node[] | null (rejected), children(node) -> Node[],
//                  parent(node), next(node) -> Node | null, contains(a, b), text(node),
//                  attr(node, name) -> string | null, attrNames(node) -> string[],
//                  style(node, property) -> [value, important],
//                  hydrated(node) -> boolean
//       DOM writes setText(node, text), parseHtml(html) -> Node[] | null (refused),
//                  insert(reference, position, node) -> boolean, detach(node),
//                  setAttr(node, name, value) -> boolean, removeAttr(node, name),
//                  setStyle(node, property, value, important) -> boolean,
//                  cssAdd(css) -> id (0 failed), cssRemove(id)
//       lifecycle  watch(id, selector), unwatch(id), guard(node, on), reveal(rule),
//                  navigate(url), timer(delayMs) (one timer; negative cancels)
//       the rest   regexTest(pattern, flags, subject) -> true | false | null (rejected),
//                  pageValue(source, key) -> JSON text | null (source 0 cookie, 1 data_layer,
//                  2 page_variable), storageRead(key) -> string | null,
//                  storageWrite(key, value, maxAgeSeconds), storageErase(key),
//                  send(url, body) -> boolean, now() -> number, randomFill(uint8Array),
//                  log(level, message)

// An error envelope from the engine. code: 1 invalid argument, 2 bad config, 3 not loaded,
// 4 host failure, 5 internal.
export class VarioError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'VarioError';
    this.code = code;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// source: a Response (fetched vario.wasm), an ArrayBuffer or typed array, or a WebAssembly.Module.
// Resolves to the engine: {load(bytes), decide(visitorJson) -> string, start(contextJson) ->
// string, appeared(watchIds), mutated(nodes), urlChanged(url), parsed(), timer(), hidden(),
// consent(signalJson)};
// each throws a VarioError when the engine answers with an error envelope.
export async function instantiateEngine(source, host) {
  let exports;
  // Memory may grow during any call, so views are made fresh every time they are needed.
  const bytes = (ptr, len) => new Uint8Array(exports.memory.buffer, ptr, len);
  const view = () => new DataView(exports.memory.buffer);
  const read = (ptr, len) => decoder.decode(bytes(ptr, len));
  // Copies at most cap bytes of s to ptr; returns the full length, or -1 when s is absent.
  const write = (s, ptr, cap) => {
    if (s == null) return -1;
    const data = encoder.encode(s);
    bytes(ptr, Math.min(cap, data.length)).set(data.subarray(0, cap));
    return data.length;
  };

  // The same node keeps the same handle until the engine releases it, so the engine can tell a
  // node it changed from a new one. Handles are never reused: a stale one can only miss.
  const nodes = new Map();
  const handles = new WeakMap();
  let lastHandle = 0;
  const handle = (node) => {
    if (!node) return 0;
    let h = handles.get(node);
    if (!h) {
      handles.set(node, (h = ++lastHandle));
      nodes.set(h, node);
    }
    return h;
  };
  const node = (h) => nodes.get(h);
  // Node lists: up to cap handles now; the whole last list through dom_list when longer.
  let list = [];
  const writeList = (found, out, cap) => {
    if (!found) return -1;
    list = found.map(handle);
    dom_list(out, cap);
    return list.length;
  };
  const dom_list = (out, cap) => {
    for (let i = 0; i < list.length && i < cap; i++) view().setUint32(out + 4 * i, list[i], true);
  };
  // A missing node (released, or never known) makes a read answer "nothing" and a write do
  // nothing: the engine must never see an exception from here.
  const on = (h, f, otherwise) => {
    const n = node(h);
    return n ? f(n) : otherwise;
  };

  const vario = {
    dom_query_all: (selector, len, out, cap) => writeList(host.queryAll(read(selector, len)), out, cap),
    dom_children: (h, out, cap) => writeList(on(h, host.children, []), out, cap),
    dom_list,
    dom_parent: (h) => on(h, (n) => handle(host.parent(n)), 0),
    dom_next: (h) => on(h, (n) => handle(host.next(n)), 0),
    dom_contains: (a, b) => +!!(node(a) && node(b) && host.contains(node(a), node(b))),
    dom_text: (h, out, cap) => write(on(h, host.text, null), out, cap),
    dom_attr: (h, name, len, out, cap) => write(on(h, (n) => host.attr(n, read(name, len)), null), out, cap),
    dom_attr_names: (h, out, cap) => write(on(h, (n) => host.attrNames(n).join(' '), null), out, cap),
    dom_style: (h, property, len, out, cap) =>
      write(on(h, (n) => {
        const [value, important] = host.style(n, read(property, len));
        return (important ? '!' : ' ') + value;
      }, null), out, cap),
    dom_hydrated: (h) => +!!on(h, host.hydrated, true),
    dom_release(h) {
      handles.delete(nodes.get(h));
      nodes.delete(h);
    },
    dom_set_text: (h, text, len) => on(h, (n) => host.setText(n, read(text, len))),
    dom_parse_html: (html, len, out, cap) => writeList(host.parseHtml(read(html, len)), out, cap),
    dom_insert: (ref, position, h) => +!!(node(ref) && node(h) && host.insert(node(ref), position, node(h))),
    dom_detach: (h) => on(h, host.detach),
    dom_set_attr: (h, name, nameLen, value, valueLen) =>
      +!!on(h, (n) => host.setAttr(n, read(name, nameLen), read(value, valueLen)), false),
    dom_remove_attr: (h, name, len) => on(h, (n) => host.removeAttr(n, read(name, len))),
    dom_set_style: (h, property, propertyLen, value, valueLen, important) =>
      +!!on(h, (n) => host.setStyle(n, read(property, propertyLen), read(value, valueLen), !!important), false),
    css_add: (css, len) => host.cssAdd(read(css, len)),
    css_remove: (id) => host.cssRemove(id),
    page_watch: (id, selector, len) => host.watch(id, read(selector, len)),
    page_unwatch: (id) => host.unwatch(id),
    page_guard: (h, guarded) => on(h, (n) => host.guard(n, !!guarded)),
    page_reveal: (rule) => host.reveal(rule),
    page_navigate: (url, len) => host.navigate(read(url, len)),
    page_timer: (delayMs) => host.timer(delayMs),
    regex_test(pattern, patternLen, flags, flagsLen, subject, subjectLen) {
      const found = host.regexTest(read(pattern, patternLen), read(flags, flagsLen), read(subject, subjectLen));
      return found == null ? -1 : +found;
    },
    page_value: (source, key, len, out, cap) => write(host.pageValue(source, read(key, len)), out, cap),
    storage_read: (key, len, out, cap) => write(host.storageRead(read(key, len)), out, cap),
    storage_write(key, keyLen, value, valueLen, maxAgeSeconds) {
      host.storageWrite(read(key, keyLen), read(value, valueLen), maxAgeSeconds);
    },
    storage_erase: (key, len) => void host.storageErase(read(key, len)),
    net_send: (url, urlLen, body, bodyLen) => (host.send(read(url, urlLen), read(body, bodyLen)) ? 1 : 0),
    clock_now_ms: () => host.now(),
    random_fill: (out, len) => void host.randomFill(bytes(out, len)),
    log: (level, message, len) => void host.log(level, read(message, len)),
  };
  // Emscripten's standalone runtime may add two kinds of imports of its own: a memory-growth
  // notice (nothing to do: views are never cached) and WASI functions it should never reach
  // (proc_exit on abort). A WASI call is an abort, thrown to whoever called into the engine.
  const wasi = new Proxy({}, {
    get: (_, name) => () => {
      throw Error('vario.wasm aborted: ' + String(name));
    },
  });
  const imports = { vario, env: { emscripten_notify_memory_growth() {} }, wasi_snapshot_preview1: wasi };

  let instance;
  if (source instanceof WebAssembly.Module) {
    instance = await WebAssembly.instantiate(source, imports);
  } else {
    // instantiateStreaming refuses a body not served as application/wasm; read it whole then.
    const streaming = source instanceof Response;
    const result = streaming && /^application\/wasm\b/.test(source.headers.get('content-type'))
      ? await WebAssembly.instantiateStreaming(source, imports)
      : await WebAssembly.instantiate(streaming ? await source.arrayBuffer() : source, imports);
    instance = result.instance;
  }
  exports = instance.exports;
  exports._initialize?.();

  // The only place an engine error becomes an exception. The envelope at ptr is a u32 status,
  // a u32 byte length, then that many bytes: the value when status is 0, else the message.
  const unpack = (ptr) => {
    const status = view().getUint32(ptr, true);
    const text = read(ptr + 8, view().getUint32(ptr + 4, true));
    if (status) throw new VarioError(status, text);
    return text;
  };
  const call = (fn, input, ...before) => {
    const data = typeof input == 'string' ? encoder.encode(input) : new Uint8Array(input);
    const ptr = exports.vario_alloc(data.length);
    if (!ptr && data.length) throw new VarioError(5, 'vario_alloc failed');
    try {
      bytes(ptr, data.length).set(data);
      return unpack(fn(...before, ptr, data.length));
    } finally {
      exports.vario_free(ptr);
    }
  };
  // Facts, numbered as in wasm/abi.cpp.
  const fact = (kind, payload = '') => call(exports.vario_fact, payload, kind);
  const u32s = (values) => new Uint8Array(Uint32Array.from(values).buffer);

  return {
    load: (bytesIn) => void call(exports.vario_load, bytesIn),
    decide: (visitorJson) => call(exports.vario_decide, visitorJson),
    start: (contextJson) => fact(0, contextJson),
    appeared: (watchIds) => void fact(1, u32s(watchIds)),
    // Only nodes the engine holds have handles; others it cannot have asked to guard.
    mutated: (changed) => void fact(2, u32s(changed.map((n) => handles.get(n)).filter(Boolean))),
    urlChanged: (url) => void fact(3, url),
    parsed: () => void fact(4),
    timer: () => void fact(5),
    hidden: () => void fact(6),
    consent: (signalJson) => void fact(7, signalJson),
  };
}
