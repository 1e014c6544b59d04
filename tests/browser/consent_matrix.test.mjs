// The consent table in Chromium, observed from outside the page: for every path a visitor's
// consent can take (granted, denied, pending then granted, pending past the wait, pending until
// the page closes, granted then withdrawn) and every kind of campaign (patch, first-party
// personalization, personalization on third-party data, technical A/B test, revenue A/B test),
// with only that campaign on the page, the DevTools protocol records every cookie, every
// storage write and every request, and the test asserts exactly the allowed effects and no
// others, and what the visitor sees.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeTempDir } from '../wasm/helpers/env.mjs';
import { launchBrowser, startServer, visitorPage } from './helpers/harness.mjs';

const kWaitMs = 700;
const kinds = {
  patch: { type: 'patch', purpose: 'technical' },
  personalization: { type: 'personalization', purpose: 'technical' },
  'third-party': { type: 'personalization', purpose: 'technical', audience: { segment: 'runners' } },
  technical: { type: 'ab_test', purpose: 'technical' },
  revenue: { type: 'ab_test', purpose: 'revenue' },
};
// What needs consent to apply at all (docs/consent.md).
const needsConsent = new Set(['third-party', 'revenue']);

let temp;
let server;
let browser;
before(async () => {
  temp = makeTempDir();
  const site = join(temp.dir, 'site');
  mkdirSync(join(site, 'm'), { recursive: true });
  // The page says its consent, if any, with the tag's own API, as a site's banner would.
  writeFileSync(join(site, 'm', 'page.js'), `
    window.vario = window.vario || [];
    vario.push(['attributes', { segment: 'runners' }]);
    const consent = new URLSearchParams(location.search).get('consent');
    if (consent) vario.push(['consent', consent]);
  `);
  for (const kind of Object.keys(kinds))
    writeFileSync(join(site, 'm', `${kind}.html`), `<!doctype html><html><head><meta charset="utf-8"><title>${kind}</title>` +
      `<link rel="icon" href="data:,"><script src="/m/page.js"></script></head><body><h1 id="title">Original</h1></body></html>`);
  const campaigns = {
    version: 1, account: 'consent-matrix', collector: '/v1/events',
    consent: { required: true, wait_ms: kWaitMs }, anti_flicker_ms: 1500,
    attributes: { segment: { source: 'pushed', third_party: true } },
    campaigns: Object.entries(kinds).map(([kind, { type, purpose, audience }]) => ({
      id: kind, type, purpose, ...(audience ? { audience } : {}),
      pages: { include: [{ match: 'exact', value: `/m/${kind}.html` }] },
      variations: [{ id: 'on', weight: 1, changes: [{ action: 'set_text', selector: '#title', value: 'Changed' }] }],
    })),
  };
  const file = join(temp.dir, 'campaigns.json');
  writeFileSync(file, JSON.stringify(campaigns));
  [server, browser] = await Promise.all([startServer({ site, campaigns: file }), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
  temp?.remove();
});

// A visitor whose every request and every local or session storage write is recorded through
// the DevTools protocol, and whose cookie jar is read back from the browser
// (Network.getAllCookies) at each checkpoint of a path.
async function observed() {
  const visitor = await visitorPage(browser);
  const cdp = await visitor.context.newCDPSession(visitor.page);
  await cdp.send('Network.enable');
  await cdp.send('DOMStorage.enable');
  const requests = [];
  const storageWrites = [];
  cdp.on('Network.requestWillBeSent', ({ request }) => requests.push({ url: request.url, method: request.method, body: request.postData }));
  for (const event of ['domStorageItemAdded', 'domStorageItemUpdated', 'domStorageItemRemoved', 'domStorageItemsCleared'])
    cdp.on(`DOMStorage.${event}`, (e) => storageWrites.push({ event, ...e }));
  const cookies = async () => (await cdp.send('Network.getAllCookies')).cookies.map((c) => c.name).sort();
  const events = () =>
    requests.filter((r) => r.url.endsWith('/v1/events')).flatMap((r) => JSON.parse(r.body).events.map((e) => ({ ...e })));
  const others = () =>
    requests.filter((r) => !r.url.endsWith('/v1/events') && !new URL(r.url).pathname.match(/^\/(m\/|vario\/)/) && !r.url.startsWith('data:'));
  return { visitor, cdp, requests, storageWrites, cookies, events, others };
}

const title = (page) => page.$eval('#title', (el) => (getComputedStyle(el).visibility == 'visible' ? el.textContent : '(hidden)'));
const settle = (page, ms) => page.waitForTimeout(ms);

// What the table allows with consent `granted` (all or nothing), for a kind.
function allowed(kind, granted) {
  const applies = granted || !needsConsent.has(kind);
  return {
    title: applies ? 'Changed' : 'Original',
    cookies: granted ? ['vario_as', 'vario_id', 'vario_vc'] : kind == 'technical' ? ['vario_as'] : [],
    impressions: granted || kind == 'technical' ? 1 : 0,
    identified: granted,
  };
}

const paths = {
  async granted(o, kind) {
    await o.visitor.page.goto(server.url(`/m/${kind}.html?consent=granted`));
    await settle(o.visitor.page, 400);
    return allowed(kind, true);
  },
  async denied(o, kind) {
    await o.visitor.page.goto(server.url(`/m/${kind}.html?consent=denied`));
    await settle(o.visitor.page, 400);
    return allowed(kind, false);
  },
  async 'pending then granted'(o, kind) {
    await o.visitor.page.goto(server.url(`/m/${kind}.html`));
    await settle(o.visitor.page, 150);
    // Before the answer: what needs no consent only; what needs it waits, hidden.
    const early = allowed(kind, false);
    assert.equal(await title(o.visitor.page), needsConsent.has(kind) ? '(hidden)' : 'Changed', 'before the answer');
    assert.deepEqual(o.events().length, early.impressions, 'events before the answer');
    assert.deepEqual(await o.cookies(), early.cookies, 'cookies before the answer');
    await o.visitor.page.evaluate(() => vario.push(['consent', 'granted']));
    await settle(o.visitor.page, 300);
    // A technical test's impression left at once, without the id; every other impression was
    // held and leaves now with it.
    return { ...allowed(kind, true), identified: kind != 'technical' };
  },
  async 'pending past the wait'(o, kind) {
    await o.visitor.page.goto(server.url(`/m/${kind}.html`));
    await settle(o.visitor.page, kWaitMs + 400);
    return allowed(kind, false);
  },
  async 'pending until the page closes'(o, kind) {
    await o.visitor.page.goto(server.url(`/m/${kind}.html`));
    await settle(o.visitor.page, 200);
    const seen = allowed(kind, false);
    seen.title = needsConsent.has(kind) ? '(hidden)' : 'Changed';
    return seen;
  },
  async 'granted then withdrawn'(o, kind) {
    await o.visitor.page.goto(server.url(`/m/${kind}.html?consent=granted`));
    await settle(o.visitor.page, 400);
    assert.deepEqual(await o.cookies(), allowed(kind, true).cookies, 'cookies while granted');
    const before = o.events().length;
    await o.visitor.page.evaluate(() => vario.push(['consent', 'denied']));
    await settle(o.visitor.page, 300);
    assert.equal(o.events().length, before, 'nothing is sent after the withdrawal');
    // Everything stored is erased; a technical test keeps the assignment it may keep without
    // consent. Changes that needed consent are undone.
    return { ...allowed(kind, false), impressions: 1, identified: true };
  },
};

for (const [path, run] of Object.entries(paths))
  test(`consent ${path}: each kind of campaign has exactly the effects the table allows`, async (t) => {
    for (const kind of Object.keys(kinds)) {
      const o = await observed();
      try {
        const expected = await run(o, kind);
        const where = `${kind}, consent ${path}`;
        assert.equal(await title(o.visitor.page), expected.title, `${where}: what the visitor sees`);
        assert.deepEqual(await o.cookies(), expected.cookies, `${where}: cookies`);
        assert.deepEqual(o.storageWrites, [], `${where}: local or session storage writes`);
        if (path == 'pending until the page closes') {
          await o.visitor.page.close({ runBeforeUnload: true });
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        const sent = o.events();
        assert.equal(sent.filter((e) => e.type == 'impression').length, expected.impressions, `${where}: impressions ${JSON.stringify(sent)}`);
        assert.deepEqual(sent.filter((e) => e.type != 'impression'), [], `${where}: other events`);
        for (const e of sent) {
          assert.equal(e.campaign, kind, where);
          if (e.type == 'impression') assert.equal('visitor' in e, expected.identified, `${where}: visitor id ${JSON.stringify(e)}`);
        }
        assert.deepEqual(o.others(), [], `${where}: requests beyond the page, the tag and the collector`);
        assert.deepEqual(o.visitor.pageErrors, [], where);
        t.diagnostic(`${where}: ${expected.title}; cookies [${expected.cookies}]; ${expected.impressions} impression(s)`);
      } finally {
        await o.visitor.close();
      }
    }
  });
