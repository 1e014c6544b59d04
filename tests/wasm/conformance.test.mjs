// The engine compiled to wasm passes every case of the GrowthBook and Optimizely conformance data
// it implements, as the native build does (tests/runtime/allocation_conformance_test.cpp): both
// call the same runner (tests/conformance/runner.cpp), here inside vario_conformance.wasm, a
// test-only module built from the engine's sources with vario.wasm's flags
// (tests/conformance/wasm.cmake). Regular expressions are answered by JavaScript's RegExp, as
// the tag answers them in the browser.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { requireFile, sourceDir, wasmDir } from './helpers/env.mjs';

const conformanceDir = process.env.VARIO_CONFORMANCE_DIR || join(sourceDir, '../shared/conformance');
const { sections } = JSON.parse(readFileSync(join(sourceDir, 'tests/conformance/sections.json'), 'utf8'));

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Emscripten's standalone runtime may import these on its own (see js-shim/loader.js).
const isRuntimeImport = (i) =>
  i.module == 'wasi_snapshot_preview1' || (i.module == 'env' && i.name == 'emscripten_notify_memory_growth');

function readModule() {
  const path = join(wasmDir, 'vario_conformance.wasm');
  return new WebAssembly.Module(readFileSync(requireFile(path, 'cmake --preset wasm && cmake --build --preset wasm')));
}

// Returns check(section, caseJson) -> the runner's result object.
async function instantiate(module) {
  let exports;
  const bytes = (ptr, len) => new Uint8Array(exports.memory.buffer, ptr, len);
  const read = (ptr, len) => decoder.decode(bytes(ptr, len));
  const vario = {
    // 1 match, 0 no match, -1 rejected: the contract of the tag's regex_test.
    regex_test(pattern, patternLen, flags, flagsLen, subject, subjectLen) {
      let regex;
      try {
        regex = new RegExp(read(pattern, patternLen), read(flags, flagsLen));
      } catch {
        return -1;
      }
      return regex.test(read(subject, subjectLen)) ? 1 : 0;
    },
  };
  const wasi = new Proxy({}, {
    get: (_, name) => () => {
      throw Error('vario_conformance.wasm aborted: ' + String(name));
    },
  });
  const instance = await WebAssembly.instantiate(module, {
    vario,
    env: { emscripten_notify_memory_growth() {} },
    wasi_snapshot_preview1: wasi,
  });
  exports = instance.exports;
  exports._initialize?.();

  const put = (text) => {
    const data = encoder.encode(text);
    const ptr = exports.conformance_alloc(data.length);
    bytes(ptr, data.length).set(data);
    return [ptr, data.length];
  };
  return (section, caseJson) => {
    const [sectionPtr, sectionLen] = put(section);
    const [casePtr, caseLen] = put(caseJson);
    try {
      const envelope = exports.conformance_check(sectionPtr, sectionLen, casePtr, caseLen);
      const view = new DataView(exports.memory.buffer);
      const text = read(envelope + 8, view.getUint32(envelope + 4, true));
      assert.equal(view.getUint32(envelope, true), 0, text);
      return JSON.parse(text);
    } finally {
      exports.conformance_free(sectionPtr);
      exports.conformance_free(casePtr);
    }
  };
}

let module;
let check;
before(async () => {
  module = readModule();
  check = await instantiate(module);
});

test('the conformance module imports only vario.regex_test, plus runtime stubs', () => {
  const imports = WebAssembly.Module.imports(module).filter((i) => !isRuntimeImport(i));
  assert.deepEqual(imports.map((i) => `${i.module}.${i.name}`), ['vario.regex_test']);
});

for (const { section, file, path } of sections) {
  test(`every ${section} case of ${file} passes in wasm`, (t) => {
    const dataPath = join(conformanceDir, file);
    if (!existsSync(dataPath)) {
      t.skip(`${dataPath} is absent`);
      return;
    }
    const cases = path.reduce((node, key) => node[key], JSON.parse(readFileSync(dataPath, 'utf8')));
    assert.ok(cases.length > 0, `${section} has no cases`);
    const failures = [];
    for (const c of cases) {
      const caseJson = JSON.stringify(c);
      const result = check(section, caseJson);
      if (result.pass !== true) failures.push(`${caseJson} -> ${JSON.stringify(result)}`);
    }
    t.diagnostic(`${section}: ${cases.length - failures.length}/${cases.length} pass`);
    assert.equal(failures.length, 0, `${failures.length} failing ${section} cases:\n${failures.slice(0, 20).join('\n')}`);
  });
}
