// vario.wasm's interface is exactly the checked-in contract: wasm/imports.txt and
// wasm/exports.txt.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { readWasm, sourceDir } from './helpers/env.mjs';

const names = (file) =>
  readFileSync(join(sourceDir, 'wasm', file), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

// Emscripten's standalone runtime adds these on its own; the loader supplies each of them.
const runtimeImports = new Set(['env.emscripten_notify_memory_growth']);
const isRuntimeImport = (i) => i.module == 'wasi_snapshot_preview1' || runtimeImports.has(`${i.module}.${i.name}`);

const module = new WebAssembly.Module(readWasm());

test('the module imports exactly the functions of wasm/imports.txt, plus runtime stubs only', (t) => {
  const imports = WebAssembly.Module.imports(module);
  const runtime = imports.filter(isRuntimeImport).map((i) => `${i.module}.${i.name}`);
  const vario = imports.filter((i) => !isRuntimeImport(i));
  assert.ok(
    vario.every((i) => i.module == 'vario' && i.kind == 'function'),
    `imports outside the "vario" contract: ${JSON.stringify(vario.filter((i) => i.module != 'vario'))}`,
  );
  assert.deepEqual(vario.map((i) => i.name).sort(), names('imports.txt').sort());
  // The runtime stubs present (ideally none) are listed in the test output.
  t.diagnostic(`runtime stubs imported: ${runtime.join(', ') || 'none'}`);
});

test('the module exports memory and every name in wasm/exports.txt', () => {
  const exports = new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
  assert.equal(exports.get('memory'), 'memory');
  for (const name of names('exports.txt')) assert.equal(exports.get(name), 'function', `missing export ${name}`);
});

// Every visitor downloads the module. Issue 3 (GrowthBook-exact conditions, allocation schemes,
// attributes) took it from 36,349 / 17,013 bytes to the figures in docs/performance.md; this
// budget holds the line there. Raising it should be a decision, said in the commit.
test('the module stays within its size budget', (t) => {
  const bytes = readWasm();
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  t.diagnostic(`vario.wasm: ${bytes.length} bytes, ${gzipped} gzip -9`);
  // Raised from 86,016 / 39,936 with the page lifecycle (every change action, revert records,
  // the re-render guard, SPA re-evaluation, hydration waits): measured 119,024 / 53,583 with the
  // visitor field check, then 131,113 / 58,329 with consent per capability and its sources,
  // 141,177 / 63,856 with the TC string decoder and its mapping; with the speed work of issue 10
  // (each regex question asked once per visitor, attribute lookups kept, URL parts split once):
  // measured 142,819 / 64106. The size work of docs/performance.md is what brings it down.
  assert.ok(bytes.length <= 143360, `${bytes.length} bytes > 143360`);
  assert.ok(gzipped <= 65536, `${gzipped} gzip bytes > 65536`);
});
