// js-shim/loader.js takes the engine in every form a host may hold it, and the tag template it is
// bundled into stays small.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { instantiateEngine, VarioError } from '../../js-shim/loader.js';
import { readWasm, requireFile, wasmDir } from './helpers/env.mjs';
import { fakeHost } from './helpers/fake_host.mjs';

const wasm = readWasm();
const visitor = JSON.stringify({ id: '0123456789abcdef0123456789abcdef', url: 'https://shop.example/', attributes: {} });

const sources = [
  ['a Response served as application/wasm', () => new Response(wasm, { headers: { 'content-type': 'application/wasm' } })],
  ['a Response served with another type', () => new Response(wasm, { headers: { 'content-type': 'application/octet-stream' } })],
  ['an ArrayBuffer', () => wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)],
  ['a Uint8Array', () => new Uint8Array(wasm)],
  ['a compiled WebAssembly.Module', () => new WebAssembly.Module(wasm)],
];

for (const [what, source] of sources) {
  test(`the loader instantiates the engine from ${what}`, async () => {
    const engine = await instantiateEngine(source(), fakeHost());
    // A live engine answers; with nothing loaded, the answer is the "not loaded" envelope.
    assert.throws(() => engine.decide(visitor), (error) => error instanceof VarioError && error.code == 3);
  });
}

test('the loader rejects bytes that are not a WebAssembly module', async () => {
  await assert.rejects(instantiateEngine(new Uint8Array([0, 1, 2, 3]), fakeHost()), WebAssembly.CompileError);
});

test('the tag template stays within its size budget and has its build-settings placeholder', () => {
  const path = join(wasmDir, 'tag.template.js');
  const template = readFileSync(requireFile(path, 'cmake --build --preset wasm'));
  const gzipped = gzipSync(template, { level: 9 }).length;
  assert.ok(template.length <= 4096, `tag.template.js is ${template.length} bytes (budget 4096)`);
  assert.ok(gzipped <= 2048, `tag.template.js is ${gzipped} bytes gzipped (budget 2048)`);
  assert.ok(template.includes('"@VARIO_BUILD@"'), 'the "@VARIO_BUILD@" placeholder survived minification');
  assert.ok(!/\beval\(|new Function\(/.test(template), 'no eval under a strict CSP');
});
