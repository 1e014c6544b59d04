// js-shim/loader.js takes the engine in every form a host may hold it and binds every import the
// engine asks the page through; js-shim/host.js answers them as a browser page would; and the
// tag template they are bundled into stays small.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { browserHost } from '../../js-shim/host.js';
import { instantiateEngine, VarioError } from '../../js-shim/loader.js';
import { buildCampaignsBinOf, readWasm, requireFile, wasmDir } from './helpers/env.mjs';
import { engineFor, fakeHost } from './helpers/fake_host.mjs';

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
  // Raised deliberately from 4096 / 2048 when the tag began to read the page context (user
  // agent, screen, time zone, pushed attributes), answer regex and page-value imports and verify
  // preview links: measured 5183 / 2583, rounded up to the next 256. Raise it only on purpose.
  // Raised deliberately again, to 10,752 / 4,864, when the tag learnt the page lifecycle (one
  // MutationObserver, history hooks, the timer, every DOM primitive of the change actions, the
  // Trusted Types policy and the inert HTML parser): measured 10,276 / 4,648; then for the
  // consent sources (vario.push, __tcfapi and its locator frame, Consent Mode in dataLayer) and
  // the User Timing marks: measured 11,663 / 5,200; then for both layouts (fetch_verified.js:
  // the engine's SHA-256 checked before compiling, the campaigns file's signature checked with
  // WebCrypto, the page held until it has, the refusal beacon): measured 13,552 / 5,944.
  assert.ok(template.length <= 13568, `tag.template.js is ${template.length} bytes (budget 13568)`);
  assert.ok(gzipped <= 6144, `tag.template.js is ${gzipped} bytes gzipped (budget 6144)`);
  assert.ok(template.includes('"@VARIO_BUILD@"'), 'the "@VARIO_BUILD@" placeholder survived minification');
  assert.ok(!/\beval\(|new Function\(/.test(template), 'no eval under a strict CSP');
});

// A patch on every page (or the given ones), for one targeting feature at a time.
const patch = (id, targeting) => ({
  id,
  type: 'patch',
  purpose: 'technical',
  pages: { include: [{ match: 'prefix', value: '/' }] },
  ...targeting,
  variations: [{ id: 'on', weight: 1, changes: [{ action: 'set_text', selector: '#product-title', value: id }] }],
});
const kLongNote = 'n'.repeat(300); // longer than the engine's first read buffer
const targeted = {
  version: 1,
  account: 'loader-test',
  consent: { required: false },
  attributes: {
    plan: { source: 'cookie', name: 'plan' },
    cartValue: { source: 'data_layer', path: 'ecommerce.value' },
    tier: { source: 'page_variable', path: 'shop.customer.tier' },
    note: { source: 'page_variable', path: 'shop.note' },
  },
  campaigns: [
    patch('regex-page', { pages: { include: [{ match: 'regex', value: '^/products?/\\d+$' }] } }),
    patch('regex-audience', { audience: { path: { $regexi: '^/PRODUCTS/' } } }),
    patch('cookie-plan', { audience: { plan: 'pro' } }),
    patch('data-layer-value', { audience: { cartValue: { $gte: 50 } } }),
    patch('page-variable-tier', { audience: { tier: { $in: ['gold', 'platinum'] } } }),
    patch('long-page-value', { audience: { note: kLongNote } }),
  ],
};

let targetedBin;
const targetedCampaigns = () => (targetedBin ??= buildCampaignsBinOf(targeted));

// Runs one page view; returns campaign id -> whether it applied.
async function applied(host, url) {
  const engine = await engineFor(host, targetedCampaigns());
  const result = JSON.parse(engine.start(JSON.stringify({ url, referrer: '', attributes: {} })));
  return Object.fromEntries(result.decisions.map((d) => [d.campaign, d.applied]));
}

test('regex_test: a regex page rule the host matches applies, with the pattern, flags and path passed through', async () => {
  const host = fakeHost();
  const decisions = await applied(host, 'https://shop.example/products/42?x=1');
  assert.equal(decisions['regex-page'], true, JSON.stringify(decisions));
  assert.ok(
    host.regexTests.some(([p, f, s, a]) => p == '^/products?/\\d+$' && f == '' && s == '/products/42' && a === true),
    JSON.stringify(host.regexTests),
  );
  assert.equal(decisions['regex-audience'], true, 'a $regexi audience matches case-insensitively');
  assert.ok(host.regexTests.some(([p, f]) => p == '^/PRODUCTS/' && f == 'i'), JSON.stringify(host.regexTests));
});

test('regex_test: a regex page rule the host does not match does not apply', async () => {
  const host = fakeHost();
  const decisions = await applied(host, 'https://shop.example/products/kettle');
  assert.equal(decisions['regex-page'], false, JSON.stringify(decisions));
  assert.ok(host.regexTests.some(([p, , s, a]) => p == '^/products?/\\d+$' && s == '/products/kettle' && a === false));
});

test('regex_test: a pattern the host rejects matches nothing and breaks nothing else', async () => {
  const host = fakeHost({ page: { cookie: { plan: 'pro' } } });
  host.regexTest = (pattern, flags, subject) => {
    host.regexTests.push([pattern, flags, subject, null]);
    return null; // as a browser without the pattern's syntax answers
  };
  const decisions = await applied(host, 'https://shop.example/products/42');
  assert.ok(host.regexTests.length > 0, 'the host was asked');
  assert.equal(decisions['regex-page'], false, JSON.stringify(decisions));
  assert.equal(decisions['regex-audience'], false, JSON.stringify(decisions));
  assert.equal(decisions['cookie-plan'], true, 'campaigns without a regex still apply');
});

test('page_value: a cookie, a data layer value and a page variable reach the audience as JSON values', async () => {
  const host = fakeHost({
    page: {
      cookie: { plan: 'pro' },
      data_layer: { 'ecommerce.value': 64 },
      page_variable: { 'shop.customer.tier': 'gold', 'shop.note': kLongNote },
    },
  });
  const decisions = await applied(host, 'https://shop.example/');
  for (const id of ['cookie-plan', 'data-layer-value', 'page-variable-tier', 'long-page-value']) {
    assert.equal(decisions[id], true, `${id}: ${JSON.stringify(decisions)} after ${JSON.stringify(host.pageValues)}`);
  }
  assert.ok(host.pageValues.some(([s, k, a]) => s == 'cookie' && k == 'plan' && a == '"pro"'), JSON.stringify(host.pageValues));
  assert.ok(host.pageValues.some(([s, k, a]) => s == 'data_layer' && k == 'ecommerce.value' && a == '64'));
  assert.ok(host.pageValues.some(([s, k]) => s == 'page_variable' && k == 'shop.customer.tier'));
});

test('page_value: absent and unserializable page values leave the attribute out', async () => {
  const cyclic = {};
  cyclic.self = cyclic;
  const host = fakeHost();
  // The tag's own pageValue, over a page whose values cannot be JSON.
  host.pageValue = browserHost({}).pageValue;
  await withPage({ cookie: '', window: { dataLayer: [{ ecommerce: { value: 10n } }], shop: { customer: { tier: cyclic }, note: () => kLongNote } } }, async () => {
    const decisions = await applied(host, 'https://shop.example/');
    for (const id of ['cookie-plan', 'data-layer-value', 'page-variable-tier', 'long-page-value']) {
      assert.equal(decisions[id], false, `${id}: ${JSON.stringify(decisions)}`);
    }
  });
  const bare = fakeHost();
  const decisions = await applied(bare, 'https://shop.example/');
  assert.equal(decisions['cookie-plan'], false, 'no page values at all');
  assert.ok(bare.pageValues.length > 0 && bare.pageValues.every(([, , a]) => a === null), JSON.stringify(bare.pageValues));
});

// Runs fn with document.cookie and window standing for a browser page's, in Node.
async function withPage({ cookie = '', window = {} }, fn) {
  const saved = [globalThis.document, globalThis.window];
  globalThis.document = typeof cookie == 'function' ? { get cookie() { return cookie(); } } : { cookie };
  globalThis.window = window;
  try {
    return await fn();
  } finally {
    [globalThis.document, globalThis.window] = saved;
  }
}

test('the browser host tests patterns with RegExp semantics and answers null for what RegExp rejects', () => {
  const { regexTest } = browserHost({});
  assert.equal(regexTest('^/products?/\\d+$', '', '/product/7'), true);
  assert.equal(regexTest('^/products?/\\d+$', '', '/product/x'), false);
  assert.equal(regexTest('kettle', 'i', '/Kettle'), true);
  assert.equal(regexTest('(?<=/)x', '', '/x'), true, 'lookbehind, as the browser has it');
  assert.equal(regexTest('(', '', 'x'), null, 'a pattern RegExp rejects');
  assert.equal(regexTest('x', 'q', 'x'), null, 'flags RegExp rejects');
  // A cached global pattern would otherwise resume after its last match and miss.
  for (let i = 0; i < 3; i++) assert.equal(regexTest('a', 'g', 'a'), true, `global pattern, test ${i + 1}`);
});

test('the browser host reads cookies, the latest data layer entry with a path and page variables as JSON', async () => {
  const { pageValue } = browserHost({});
  const cyclic = {};
  cyclic.self = cyclic;
  const window = {
    dataLayer: [
      { event: 'view', ecommerce: { value: 10, currency: 'EUR' } },
      { event: 'add_to_cart' },
      { ecommerce: { value: 64 } },
      null,
      'not an object',
    ],
    shop: {
      customer: { tier: 'gold', since: 2019 },
      zero: 0,
      empty: null,
      nothing: undefined,
      track() {},
      cyclic,
      big: 10n,
      get broken() {
        throw new Error('getter');
      },
    },
  };
  await withPage({ cookie: 'plan=pro; note=100%; encoded=a%20b%3Bc; empty=; planet=mars', window }, () => {
    const table = [
      [0, 'plan', '"pro"'],
      [0, 'note', '"100%"'], // not URI-encoded: as it is
      [0, 'encoded', '"a b;c"'],
      [0, 'empty', '""'],
      [0, 'pla', null],
      [0, 'missing', null],
      [1, 'ecommerce.value', '64'], // the latest entry that has it
      [1, 'ecommerce.currency', '"EUR"'], // an older entry, the only one that has it
      [1, 'event', '"add_to_cart"'],
      [1, 'ecommerce', '{"value":64}'],
      [1, 'missing.path', null],
      [2, 'shop.customer.tier', '"gold"'],
      [2, 'shop.customer', '{"tier":"gold","since":2019}'],
      [2, 'shop.zero', '0'],
      [2, 'shop.empty', 'null'],
      [2, 'shop.nothing', null],
      [2, 'shop.track', null], // a function
      [2, 'shop.cyclic', null],
      [2, 'shop.big', null],
      [2, 'shop.broken', null], // a throwing getter
      [2, 'shop.broken.deeper', null],
      [2, 'no.such.variable', null],
      [3, 'plan', null], // no such source
    ];
    for (const [source, key, expected] of table) assert.equal(pageValue(source, key), expected, `source ${source}, ${key}`);
  });
  await withPage({ window: {} }, () => assert.equal(pageValue(1, 'ecommerce.value'), null, 'no data layer'));
  await withPage({ window: { dataLayer: { not: 'an array' } } }, () => assert.equal(pageValue(1, 'not'), null));
  await withPage({ cookie: () => { throw new Error('sandboxed'); } }, () => {
    assert.equal(pageValue(0, 'plan'), null, 'cookies disabled');
    assert.equal(browserHost({}).storageRead('vario_id'), null);
  });
});
