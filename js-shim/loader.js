// Instantiates vario.wasm and binds its "vario" imports to a host object that deals only in
// strings and DOM nodes. This file owns everything wasm-specific: the node-handle table, UTF-8
// marshalling through the module's memory, and the result envelope. The imports mirror
// wasm/host_imports.hpp one for one.
//
// host = {queryAll(selector) -> Array | null, text(node) -> string, setText(node, text), reveal(),
//         regexTest(pattern, flags, subject) -> true | false | null (pattern or flags rejected),
//         pageValue(source, key) -> JSON text | null (absent; source 0 cookie, 1 data_layer,
//           2 page_variable),
//         storageRead(key) -> string | null, storageWrite(key, value, maxAgeSeconds),
//         storageErase(key), send(url, body) -> boolean, now() -> number,
//         randomFill(uint8Array), log(level, message)}

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
// Resolves to {load(bytes), decide(visitorJson) -> string, run(contextJson) -> string}; each
// throws a VarioError when the engine answers with an error envelope.
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

  // Handles are never reused, so a stale handle can only miss, never hit the wrong node.
  const nodes = new Map();
  let lastHandle = 0;

  const vario = {
    dom_query_all(selector, len, out, cap) {
      const found = host.queryAll(read(selector, len));
      if (!found) return -1;
      for (let i = 0; i < found.length && i < cap; i++) {
        nodes.set(++lastHandle, found[i]);
        view().setUint32(out + 4 * i, lastHandle, true);
      }
      return found.length;
    },
    dom_text: (node, out, cap) => (nodes.has(node) ? write(host.text(nodes.get(node)), out, cap) : -1),
    dom_set_text(node, text, len) {
      if (nodes.has(node)) host.setText(nodes.get(node), read(text, len));
    },
    dom_release: (node) => void nodes.delete(node),
    dom_reveal: () => void host.reveal(),
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
  const call = (fn, input) => {
    const data = typeof input == 'string' ? encoder.encode(input) : new Uint8Array(input);
    const ptr = exports.vario_alloc(data.length);
    if (!ptr && data.length) throw new VarioError(5, 'vario_alloc failed');
    try {
      bytes(ptr, data.length).set(data);
      return unpack(fn(ptr, data.length));
    } finally {
      exports.vario_free(ptr);
    }
  };

  return {
    load: (bytesIn) => void call(exports.vario_load, bytesIn),
    decide: (visitorJson) => call(exports.vario_decide, visitorJson),
    run: (contextJson) => call(exports.vario_run, contextJson),
  };
}
