// Where consent comes from, in Chromium with real parts: the IAB's CMP API (@iabtechlabtcf/cmpapi
// behind the IAB stub) answering late and changing its answer, a frame reaching it through
// __tcfapiLocator, a returning visitor with only the stored euconsent-v2 cookie and no CMP
// script, and a site on Google Consent Mode v2. One revenue A/B test (it needs consent to apply
// at all) changes the page's headline; what the visitor sees and what is stored and sent is
// observed from outside the page.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeTempDir } from '../wasm/helpers/env.mjs';
import { buildCmpSite, tagAfterConsentScripts, withQuery } from './helpers/cmp.mjs';
import { launchBrowser, startServer, visitorPage } from './helpers/harness.mjs';
import { encodeTcString } from './helpers/tcf.mjs';

const kWaitMs = 1200;
const everything = [1, 5, 6, 8, 11];
const grant = () => encodeTcString({ purposeConsents: everything, publisherConsents: everything });
const refuse = () => encodeTcString({ purposeConsents: [], publisherConsents: [] });
// Consent Mode's four v2 types and the optional personalization_storage, all denied: a site that
// runs revenue tests answers for personalization too (docs/consent.md).
const deniedAll = { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied', personalization_storage: 'denied' };

let temp;
let server;
let browser;
before(async () => {
  temp = makeTempDir();
  // A framed page with a headline of its own, inside a page with the CMP (on the stub that
  // keeps a calling frame for every event, as the TCF specification's does).
  const { pages } = await buildCmpSite(temp.dir, {
    pages: {
      framedHeadline: { path: '/framed-headline.html', scripts: [], body: '<main><h1 id="title">A framed headline</h1></main>' },
      frameParent: {
        path: '/frame-parent.html', scripts: ['specStub', 'cmp'],
        body: '<main><h1 id="title">A page with a CMP and a frame</h1><iframe id="frame" title="framed" src="/framed-headline.html"></iframe></main>',
      },
    },
  });
  const file = join(temp.dir, 'campaigns.json');
  writeFileSync(file, JSON.stringify({
    version: 1, account: 'consent-sources', collector: '/v1/events',
    consent: { required: true, wait_ms: kWaitMs }, anti_flicker_ms: 1500,
    campaigns: [{
      id: 'headline', type: 'ab_test', purpose: 'revenue',
      pages: { include: [...Object.values(pages)].map((value) => ({ match: 'exact', value })) },
      variations: [{ id: 'b', weight: 1, changes: [{ action: 'set_text', selector: '#title', value: 'Changed' }] }],
    }],
  }));
  [server, browser] = await Promise.all([startServer({ site: temp.dir, campaigns: file }), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
  temp?.remove();
});

async function observed() {
  const visitor = await visitorPage(browser);
  const cdp = await visitor.context.newCDPSession(visitor.page);
  await cdp.send('Network.enable');
  const events = [];
  cdp.on('Network.requestWillBeSent', ({ request }) => {
    if (request.url.endsWith('/v1/events')) events.push(...JSON.parse(request.postData).events);
  });
  const cookies = async () => (await cdp.send('Network.getAllCookies')).cookies.map((c) => c.name).filter((n) => n.startsWith('vario_')).sort();
  return { visitor, events, cookies };
}

const title = (frame) =>
  frame.$eval('#title', (el) => (getComputedStyle(el).visibility == 'visible' ? el.textContent.trim() : '(hidden)'));

test('a CMP that answers late: the revenue test waits hidden, applies on the answer, and a changed answer withdraws it', async () => {
  const o = await observed();
  try {
    const { page } = o.visitor;
    await tagAfterConsentScripts(page);
    await page.goto(server.url(withQuery('/cmp.html', { ui: 0, tc: grant(), tcDelay: 600 })), { waitUntil: 'domcontentloaded' });
    await page.waitForTimeout(100);
    assert.equal(await title(page), '(hidden)', 'before the answer');
    assert.deepEqual(await o.cookies(), []);
    await page.waitForFunction(() => document.getElementById('title').textContent == 'Changed', null, { timeout: 3000 });
    await page.waitForTimeout(100);
    assert.equal(await title(page), 'Changed');
    assert.deepEqual(await o.cookies(), ['vario_as', 'vario_id', 'vario_vc']);
    assert.equal(o.events.length, 1);
    assert.ok(o.events[0].visitor, 'the impression carries the visitor id');

    // The visitor opens the CMP again and refuses: nothing more leaves, what was stored goes,
    // and the page shows its original again.
    const tcString = refuse();
    await page.evaluate((s) => window.__cmp.answer(s), tcString);
    await page.waitForFunction(() => document.getElementById('title').textContent != 'Changed', null, { timeout: 3000 });
    assert.deepEqual(await o.cookies(), []);
    assert.equal(o.events.length, 1);
    assert.deepEqual(o.visitor.pageErrors, []);
    assert.deepEqual(o.visitor.consoleProblems, []);
  } finally {
    await o.visitor.close();
  }
});

test('a CMP that answers after the wait: the page stays as it is, and the late yes only stores', async () => {
  const o = await observed();
  try {
    const { page } = o.visitor;
    // The tag comes first here, as `vario serve` injects it: it finds the stub once the
    // document is parsed.
    await page.goto(server.url(withQuery('/cmp.html', { ui: 0, tc: grant(), tcDelay: kWaitMs + 500 })));
    await page.waitForTimeout(kWaitMs + 150);
    assert.notEqual(await title(page), 'Changed', 'past the wait, the original shows');
    assert.notEqual(await title(page), '(hidden)');
    await page.waitForTimeout(700);
    assert.notEqual(await title(page), 'Changed', 'a late answer does not change the page the visitor sees');
    assert.deepEqual(await o.cookies(), ['vario_id', 'vario_vc']);
    assert.deepEqual(o.events, []);
    assert.deepEqual(o.visitor.pageErrors, []);
  } finally {
    await o.visitor.close();
  }
});

test('a returning visitor with only the stored euconsent-v2 cookie and no CMP script is decided at once', async () => {
  const o = await observed();
  try {
    const { page, context } = o.visitor;
    await context.addCookies([{ name: 'euconsent-v2', value: grant(), url: server.origin }]);
    await page.goto(server.url('/no-consent.html'));
    // No wait: the engine decoded the string at its start.
    await page.waitForFunction(() => document.getElementById('title').textContent == 'Changed', null, { timeout: kWaitMs - 200 });
    assert.equal(await page.evaluate(() => typeof window.__tcfapi), 'undefined');
    await page.waitForTimeout(100);
    assert.deepEqual(await o.cookies(), ['vario_as', 'vario_id', 'vario_vc']);
    assert.equal(o.events.length, 1);
    assert.ok(o.events[0].visitor);
    assert.deepEqual(o.visitor.pageErrors, []);
  } finally {
    await o.visitor.close();
  }
});

test('a stored TC string that refuses is decided at once too: the original, nothing stored or sent', async () => {
  const o = await observed();
  try {
    const { page, context } = o.visitor;
    await context.addCookies([{ name: 'euconsent-v2', value: refuse(), url: server.origin }]);
    await page.goto(server.url('/no-consent.html'));
    await page.waitForTimeout(250);
    assert.notEqual(await title(page), 'Changed');
    assert.notEqual(await title(page), '(hidden)', 'no waiting for an answer already given');
    assert.deepEqual(await o.cookies(), []);
    assert.deepEqual(o.events, []);
  } finally {
    await o.visitor.close();
  }
});

test('a Consent Mode site: denied by default shows the original, and the update granting analytics and personalization applies the test', async () => {
  const o = await observed();
  try {
    const { page } = o.visitor;
    await tagAfterConsentScripts(page);
    const update = { analytics_storage: 'granted', personalization_storage: 'granted' };
    await page.goto(server.url(withQuery('/consent-mode.html', { cmDefault: deniedAll, cmUpdate: update, cmUpdateDelay: 900 })), { waitUntil: 'domcontentloaded' });
    await page.waitForTimeout(100);
    // A denial is an answer: the original shows at once, nothing waits.
    assert.notEqual(await title(page), 'Changed', 'before the update');
    assert.notEqual(await title(page), '(hidden)', 'before the update');
    await page.waitForFunction(() => document.getElementById('title').textContent == 'Changed', null, { timeout: 3000 });
    await page.waitForTimeout(100);
    assert.deepEqual(await o.cookies(), ['vario_as', 'vario_id', 'vario_vc']);
    assert.equal(o.events.length, 1);
    // And a later update that denies withdraws it.
    await page.evaluate(() => gtag('consent', 'update', { analytics_storage: 'denied', personalization_storage: 'denied' }));
    await page.waitForFunction(() => document.getElementById('title').textContent != 'Changed', null, { timeout: 3000 });
    assert.deepEqual(await o.cookies(), []);
    assert.equal(o.events.length, 1);
    assert.deepEqual(o.visitor.pageErrors, []);
    assert.deepEqual(o.visitor.consoleProblems, []);
  } finally {
    await o.visitor.close();
  }
});

test('a Consent Mode site that only denies: the revenue test never applies and nothing is stored or sent', async () => {
  const o = await observed();
  try {
    const { page } = o.visitor;
    await page.goto(server.url(withQuery('/consent-mode.html', { cmDefault: deniedAll })));
    await page.waitForTimeout(250);
    assert.notEqual(await title(page), 'Changed');
    assert.notEqual(await title(page), '(hidden)', 'a denial is an answer: nothing waits');
    assert.deepEqual(await o.cookies(), []);
    assert.deepEqual(o.events, []);
  } finally {
    await o.visitor.close();
  }
});

test('a frame without its own CMP reaches the parent’s through __tcfapiLocator and applies on the answer', async () => {
  const o = await observed();
  try {
    const { page } = o.visitor;
    await page.goto(server.url(withQuery('/frame-parent.html', { ui: 0, tc: grant(), tcDelay: 200 })));
    const inner = page.frames().find((f) => f.url().includes('/framed-headline.html'));
    assert.ok(inner, 'the framed page loaded');
    assert.equal(await inner.evaluate(() => typeof window.__tcfapi), 'undefined', 'the frame has no CMP of its own');
    // Polled by time: a frame's animation frames may be throttled.
    await inner.waitForFunction(() => document.getElementById('title')?.textContent == 'Changed', null, { timeout: 3000, polling: 50 });
    await page.waitForTimeout(100);
    assert.ok(o.events.some((e) => e.page == '/framed-headline.html' && e.visitor), JSON.stringify(o.events));
    assert.deepEqual(o.visitor.pageErrors, []);
  } finally {
    await o.visitor.close();
  }
});
