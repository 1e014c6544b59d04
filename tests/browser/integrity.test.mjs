// The tag a site can pin and verify, in Chromium: what the browser and the loader refuse, what
// a refusal reports, and what a repeat page view downloads (read through the DevTools protocol,
// since Playwright's own request routing would turn the HTTP cache off).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeTempDir } from '../wasm/helpers/env.mjs';
import { launchBrowser, readCampaignsJson, startServer, tagSettled, visitorPage, whenVisible } from './helpers/harness.mjs';

const kOriginalTitle = 'Aurora Pour-Over Brewer';

let browser;
let temp;
let openCampaigns; // the demo's campaigns with consent not required
before(async () => {
  browser = await launchBrowser();
  temp = makeTempDir();
  openCampaigns = join(temp.dir, 'campaigns.json');
  writeFileSync(openCampaigns, JSON.stringify({ ...readCampaignsJson(), consent: { required: false } }));
});
after(async () => {
  await browser?.close();
  temp?.remove();
});

// One byte flipped in the middle of the body, the status and headers kept: what a compromised
// CDN or a man in the middle would serve.
const tamper = async (route) => {
  const response = await route.fetch();
  const body = Buffer.from(await response.body());
  body[body.length >> 1] ^= 0x01;
  await route.fulfill({ response, body });
};

// Loads the product page with `path` tampered; returns the visitor once the page has settled.
async function tamperedVisit(server, path) {
  const visitor = await visitorPage(browser);
  await visitor.page.route(path, tamper);
  await visitor.page.goto(server.url('/product.html'), { waitUntil: 'domcontentloaded' });
  const { text } = await whenVisible(visitor.page, '#product-title', 3_000);
  assert.equal(text.trim(), kOriginalTitle, 'the original headline');
  await visitor.page.waitForLoadState('load');
  await tagSettled(visitor.page);
  assert.equal(await visitor.page.$eval('.price', (el) => getComputedStyle(el).visibility), 'visible', 'the page is shown');
  assert.deepEqual(visitor.pageErrors, []);
  return visitor;
}

for (const [file, path, code] of [
  ['an engine', '**/vario/vario.*.wasm', 'engine_refused'],
  ['a campaigns file', '**/vario/campaigns.bin', 'campaigns_refused'],
]) {
  test(`${file} changed by one byte is refused by the loader, the page stays original and visible, and a health event says so`, async () => {
    const server = await startServer({ campaigns: openCampaigns });
    try {
      const visitor = await tamperedVisit(server, path);
      assert.equal(visitor.varioMessages.length, 1, visitor.varioMessages.join('\n'));
      assert.match(visitor.varioMessages[0], /^warning: \[vario\] .*: refused, /);
      const stats = await server.statsWhen((s) => s.health[code] == 1, `one ${code} health event`);
      assert.deepEqual(stats.impressions, {}, 'no impression: the engine never ran');
      await visitor.close();
    } finally {
      await server.stop();
    }
  });
}

test('where the campaigns need consent, a refusal is only logged: the tag sends nothing', async () => {
  const server = await startServer(); // the demo: consent required
  try {
    const visitor = await tamperedVisit(server, '**/vario/campaigns.bin');
    assert.equal(visitor.varioMessages.length, 1);
    await visitor.page.waitForTimeout(300);
    assert.equal((await server.stats()).events, 0);
    await visitor.close();
  } finally {
    await server.stop();
  }
});

for (const layout of ['split', 'inline']) {
  test(`${layout}: a tag.js that does not match the page's integrity attribute is blocked by the browser itself`, async () => {
    const server = await startServer({ layout });
    try {
      const visitor = await tamperedVisit(server, '**/vario/tag.js');
      assert.deepEqual(visitor.varioMessages, [], 'the tag never ran');
      assert.ok(visitor.consoleProblems.some((m) => /integrity/.test(m)), `Chromium says why: ${visitor.consoleProblems.join('\n')}`);
      await visitor.close();
    } finally {
      await server.stop();
    }
  });
}

// Every /vario/ request of a page view: {path, bytes on the wire (headers included), the wire
// status (absent when the HTTP cache answered alone), whether the disk cache served it}.
async function tagRequests(visitor, server, path) {
  const cdp = await visitor.context.newCDPSession(visitor.page);
  await cdp.send('Network.enable');
  const requests = new Map();
  const wire = new Map();
  cdp.on('Network.requestWillBeSent', (e) => requests.set(e.requestId, { path: e.request.url.replace(server.origin, '') }));
  cdp.on('Network.requestServedFromCache', (e) => (requests.get(e.requestId).cached = true));
  cdp.on('Network.responseReceived', (e) => e.response.fromDiskCache && (requests.get(e.requestId).cached = true));
  cdp.on('Network.responseReceivedExtraInfo', (e) => wire.set(e.requestId, e.statusCode));
  cdp.on('Network.loadingFinished', (e) => (requests.get(e.requestId).bytes = e.encodedDataLength));
  await visitor.page.goto(server.url(path));
  await whenVisible(visitor.page, '#product-title');
  await tagSettled(visitor.page);
  await cdp.detach();
  return [...requests].map(([id, r]) => ({ ...r, status: wire.get(id) })).filter((r) => r.path.startsWith('/vario/'));
}

test('split: a second page view downloads neither the engine nor the unchanged campaigns file', async () => {
  const server = await startServer();
  const visitor = await visitorPage(browser);
  try {
    const first = await tagRequests(visitor, server, '/product.html');
    const engine = first.find((r) => /^\/vario\/vario\.[0-9a-f]{16}\.wasm$/.test(r.path));
    assert.ok(engine && engine.status == 200 && engine.bytes > 30_000, `the engine was downloaded once: ${JSON.stringify(first)}`);
    assert.equal(first.find((r) => r.path == '/vario/campaigns.bin')?.status, 200);

    const second = await tagRequests(visitor, server, '/product.html');
    const again = second.find((r) => r.path == engine.path);
    assert.ok(again?.cached && again.bytes == 0 && again.status === undefined, `the engine came from the cache: ${JSON.stringify(second)}`);
    const campaigns = second.find((r) => r.path == '/vario/campaigns.bin');
    assert.equal(campaigns?.status, 304, `the campaigns file was revalidated: ${JSON.stringify(second)}`);
    assert.ok(campaigns.bytes < 400, `only headers came back: ${campaigns.bytes} bytes`);
  } finally {
    await visitor.close();
    await server.stop();
  }
});

test('inline: a second page view revalidates the one file and downloads nothing', async () => {
  const server = await startServer({ layout: 'inline' });
  const visitor = await visitorPage(browser);
  try {
    const first = await tagRequests(visitor, server, '/product.html');
    assert.deepEqual(first.map((r) => r.path), ['/vario/tag.js'], 'one request');
    assert.ok(first[0].bytes > 50_000, `the tag holds the engine: ${first[0].bytes} bytes`);
    const second = await tagRequests(visitor, server, '/product.html');
    assert.deepEqual(second.map((r) => [r.path, r.status]), [['/vario/tag.js', 304]]);
    assert.ok(second[0].bytes < 400, `only headers came back: ${second[0].bytes} bytes`);
    assert.deepEqual(visitor.varioMessages.filter((m) => !/^(debug|info)/.test(m)), []);
  } finally {
    await visitor.close();
    await server.stop();
  }
});
