// js-shim/fetch_verified.js against real `vario build` output, with Node's WebCrypto (the same
// API the browser offers): the split layout's checks refuse any changed byte, the inline layout
// hands over what it holds, and the anti-flicker rules and the refusal beacon behave as the tag
// relies on.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { hideWhenKnown, openSignedCampaigns, reportRefusal, tagFiles } from '../../js-shim/fetch_verified.js';
import { campaignsOfSigned, campaignsPath, makeTempDir, runCli, wasmDir } from './helpers/env.mjs';

// What the demo's running campaigns change, in file order (native-host/config/compile.cpp).
const kDemoHide = ['#product-title', '.site-footer .shipping-note', '.product-info .button'];

let temp;
let split; // {settings: the loader's build settings, files: name -> bytes}
let inline;

// The build settings in a built tag.js: the JSON object that replaced the placeholder, which
// starts with `{"v":1`.
const buildSettings = (tagJs) => {
  const start = tagJs.indexOf('{"v":1');
  let depth = 0;
  for (let i = start; i < tagJs.length; i++) {
    if (tagJs[i] == '{') depth++;
    else if (tagJs[i] == '}' && --depth == 0) return JSON.parse(tagJs.slice(start, i + 1));
  }
  throw new Error('no build settings in tag.js');
};

const readBuild = (dir) => {
  const files = Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name))]));
  return { settings: buildSettings(files['tag.js'].toString('utf8')), files };
};

before(() => {
  temp = makeTempDir();
  const key = join(temp.dir, 'key.pem');
  runCli(['keygen', '--out', key]);
  runCli(['build', campaignsPath, '-o', join(temp.dir, 'split'), '--key', key, '--engine-dir', wasmDir]);
  runCli(['build', campaignsPath, '-o', join(temp.dir, 'inline'), '--layout', 'inline', '--engine-dir', wasmDir]);
  split = readBuild(join(temp.dir, 'split'));
  inline = readBuild(join(temp.dir, 'inline'));
});
after(() => temp?.remove());

// fetch() answering from the split build's files, with one byte flipped in `tampered`.
const serveSplit = (tampered) => {
  const calls = [];
  globalThis.fetch = async (url) => {
    const name = new URL(url).pathname.split('/').pop();
    calls.push(name);
    const bytes = Buffer.from(split.files[name]);
    if (name == tampered) bytes[bytes.length >> 1] ^= 1;
    return new Response(bytes, { status: split.files[name] ? 200 : 404 });
  };
  return calls;
};

test('a signed campaigns file opens to its header and the campaigns the engine loads', async () => {
  const file = split.files['campaigns.bin'];
  const { settings, campaigns } = await openSignedCampaigns(file, split.settings.key, 'campaigns.bin');
  assert.deepEqual(Buffer.from(campaigns), campaignsOfSigned(file));
  assert.equal(settings.account, 'demo-shop');
  assert.equal(settings.key, split.settings.key.id);
  assert.deepEqual(settings.hide, kDemoHide);
  assert.equal(settings.revealAfterMs, 1500);
});

test('a campaigns file with any byte changed, cut short, or signed by another key is refused', async () => {
  const file = split.files['campaigns.bin'];
  const other = makeTempDir();
  try {
    const key = join(other.dir, 'other.pem');
    runCli(['keygen', '--out', key]);
    runCli(['build', campaignsPath, '-o', other.dir, '--key', key, '--engine-dir', wasmDir]);
    const foreign = readFileSync(join(other.dir, 'campaigns.bin'));
    const flipped = (at) => {
      const copy = Buffer.from(file);
      copy[at] ^= 1;
      return copy;
    };
    for (const [what, bytes] of [
      ['a byte of the magic', flipped(0)],
      ['a byte of the header length', flipped(4)],
      ['a byte of the header', flipped(12)],
      ['a byte of the campaigns', flipped(file.length - 100)],
      ['a byte of the signature', flipped(file.length - 1)],
      ['cut short', file.subarray(0, file.length - 1)],
      ['nothing but a signature', file.subarray(file.length - 64)],
      ['empty', Buffer.alloc(0)],
      ['signed by another key', foreign],
    ]) {
      await assert.rejects(openSignedCampaigns(bytes, split.settings.key, 'campaigns.bin'), (error) => {
        assert.equal(error.refused, 'campaigns_refused', what);
        assert.equal(error.message, `campaigns.bin: refused, not signed by key ${split.settings.key.id}`);
        return true;
      }, what);
    }
  } finally {
    other.remove();
  }
});

test('the split loader fetches both files and hands over only what passed its check', async () => {
  const calls = serveSplit();
  const files = tagFiles(split.settings, 'https://cdn.example/vario/tag.js');
  const [settings, engine, campaigns] = await Promise.all([files.settings, files.engine, files.campaigns]);
  assert.deepEqual(calls.sort(), ['campaigns.bin', split.settings.engine.src].sort());
  assert.match(split.settings.engine.src, /^vario\.[0-9a-f]{16}\.wasm$/);
  assert.deepEqual(Buffer.from(engine), split.files[split.settings.engine.src]);
  assert.deepEqual(Buffer.from(campaigns), campaignsOfSigned(split.files['campaigns.bin']));
  assert.equal(settings.revealAfterMs, 1500);
});

test('an engine with one byte changed is refused before it is compiled', async () => {
  serveSplit(split.settings.engine.src);
  const files = tagFiles(split.settings, 'https://cdn.example/vario/tag.js');
  await assert.rejects(files.engine, (error) => error.refused == 'engine_refused' && error.message.startsWith(split.settings.engine.src + ': refused'));
  await files.campaigns; // the campaigns still verify on their own
});

test('a missing file is an error, not a refusal', async () => {
  globalThis.fetch = async () => new Response('not found', { status: 404 });
  const files = tagFiles(split.settings, 'https://cdn.example/vario/tag.js');
  await assert.rejects(files.engine, (error) => !error.refused && /HTTP 404$/.test(error.message));
  await assert.rejects(files.campaigns, (error) => !error.refused && error.message == 'campaigns.bin: HTTP 404');
});

test('without WebCrypto (a plain http: page) the split loader fetches nothing and refuses nothing', async () => {
  const calls = serveSplit();
  const crypto = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  Object.defineProperty(globalThis, 'crypto', { value: {}, configurable: true });
  try {
    const files = tagFiles(split.settings, 'http://shop.example/vario/tag.js');
    await assert.rejects(files.campaigns, (error) => !error.refused && error.message == 'campaigns.bin: not fetched: checking it needs https');
    await assert.rejects(files.engine, (error) => !error.refused && /needs https$/.test(error.message));
    assert.deepEqual(calls, []);
  } finally {
    Object.defineProperty(globalThis, 'crypto', crypto);
  }
});

test('the inline tag holds the engine and the campaigns and fetches nothing', async () => {
  globalThis.fetch = () => assert.fail('the inline tag fetched something');
  const files = tagFiles(inline.settings, 'https://cdn.example/vario/tag.js');
  assert.equal(files.settings.then, undefined, 'the settings are there at once');
  assert.deepEqual(files.settings.hide, kDemoHide);
  assert.deepEqual(Buffer.from(await files.engine), split.files[split.settings.engine.src]);
  assert.deepEqual(Buffer.from(await files.campaigns), campaignsOfSigned(split.files['campaigns.bin']));
});

test('inline, the anti-flicker rules go in at once', () => {
  const calls = [];
  const hide = (selectors, ms) => {
    calls.push([selectors, ms]);
    return (rule = -1) => calls.push(['reveal', selectors, rule]);
  };
  const reveal = hideWhenKnown({ hide: ['h1'], revealAfterMs: 1500 }, hide);
  assert.deepEqual(calls, [[['h1'], 1500]]);
  reveal(0);
  reveal();
  assert.deepEqual(calls.slice(1), [['reveal', ['h1'], 0], ['reveal', ['h1'], -1]]);
});

test('split, the page is held until the signed campaigns say what to hide, then only that is', async () => {
  const calls = [];
  const hide = (selectors, ms) => {
    calls.push([selectors, ms]);
    return (rule = -1) => calls.push(['reveal', selectors, rule]);
  };
  const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

  let arrive;
  const reveal = hideWhenKnown(new Promise((resolve) => (arrive = resolve)), hide);
  assert.deepEqual(calls, [[['*'], 1000]], 'everything is hidden, at most a second');
  arrive({ hide: ['h1'], revealAfterMs: 1500 });
  await tick();
  assert.deepEqual(calls[1][0], ['h1'], 'the changed elements are hidden');
  assert.ok(calls[1][1] > 1400 && calls[1][1] <= 1500, 'within the bound counted from the start');
  assert.deepEqual(calls[2], ['reveal', ['*'], -1], 'then the hold is lifted');
  reveal(0);
  assert.deepEqual(calls[3], ['reveal', ['h1'], 0]);

  calls.length = 0;
  let refuse;
  hideWhenKnown(new Promise((_, reject) => (refuse = reject)), hide);
  refuse(new Error('refused'));
  await tick();
  assert.deepEqual(calls, [[['*'], 1000], ['reveal', ['*'], -1]], 'a refused file lifts the hold and hides nothing');

  calls.length = 0;
  const gaveUp = hideWhenKnown(new Promise((resolve) => (arrive = resolve)), hide);
  gaveUp(); // the engine failed before the campaigns arrived
  arrive({ hide: ['h1'], revealAfterMs: 1500 });
  await tick();
  assert.deepEqual(calls.slice(0, 2), [[['*'], 1000], ['reveal', ['*'], -1]]);
  assert.ok(!calls.some(([selectors]) => selectors?.[0] == 'h1'), 'nothing is hidden after the tag gave up');

  calls.length = 0;
  hideWhenKnown(new Promise((resolve) => setTimeout(() => resolve({ hide: ['h1'], revealAfterMs: 30 }), 40)), hide);
  await tick(60);
  assert.ok(!calls.some(([selectors]) => selectors?.[0] == 'h1'), 'settings that arrive after the bound hide nothing');

  calls.length = 0;
  hideWhenKnown(new Promise((resolve) => setTimeout(() => resolve({ hide: ['h1'], revealAfterMs: 5000 }), 1050)), hide);
  await tick(1100);
  assert.ok(!calls.some(([selectors]) => selectors?.[0] == 'h1'), 'settings that arrive after the hold hide nothing: the page was shown');
});

test('a refusal is reported as one minimal health event, only when the build says where', () => {
  const beacons = [];
  globalThis.location = new URL('https://shop.example/product.html?email=a@b.example#top');
  Object.defineProperty(globalThis, 'navigator', {
    value: { sendBeacon: (url, body) => beacons.push([String(url), JSON.parse(body)]) },
    configurable: true,
  });
  const error = Object.assign(new Error('campaigns.bin: refused, not signed by key 0123456789abcdef'), { refused: 'campaigns_refused' });
  reportRefusal(split.settings, error);
  assert.deepEqual(beacons, [], 'the demo requires consent: no report');
  reportRefusal({ ...split.settings, report: '/v1/events' }, new Error('vario.wasm: HTTP 404'));
  assert.deepEqual(beacons, [], 'a download error is not a refusal');

  reportRefusal({ ...split.settings, report: '/v1/events' }, error);
  assert.equal(beacons.length, 1);
  const [url, body] = beacons[0];
  assert.equal(url, 'https://shop.example/v1/events');
  const [event] = body.events;
  assert.match(event.id, /^[0-9a-f]{32}$/);
  assert.ok(event.ts > 0);
  assert.deepEqual({ ...event, id: 0, ts: 0 }, {
    schema: 1, type: 'health', id: 0, ts: 0, account: 'demo-shop', page: '/product.html',
    code: 'campaigns_refused', message: error.message,
  });
});
