// The consent fixture (fixtures/cmp/, helpers/cmp.mjs, helpers/tcf.mjs) as a baseline: TC
// strings made and read back by the IAB's own library in Node, and in Chromium, served by
// `vario serve` with the tag injected and the strict CSP, the IAB's stub and CMP API answering
// __tcfapi as a real CMP does, driven by the test; a frame reaching the CMP through the
// __tcfapiLocator protocol; Google Consent Mode v2 commands in the dataLayer. The demo
// campaigns target /product pages only, so the tag runs on these pages and changes nothing;
// the consent tests of Vario itself build on this one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { makeTempDir } from '../wasm/helpers/env.mjs';
import { buildCmpSite, cmpPages, cmpScripts, tagAfterConsentScripts, withQuery } from './helpers/cmp.mjs';
import { launchBrowser, startServer, tagSettled, visitorPage } from './helpers/harness.mjs';
import { decodeTcString, encodeTcString, kCmpId, kCmpVersion, testVendorIds } from './helpers/tcf.mjs';

const kWait = { timeout: 5_000, polling: 20 };

// Two visitors' choices: everything the fixture vendor list allows, and a narrower one.
const kAll = {
  purposeConsents: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  purposeLegitimateInterests: [2, 7, 8, 9, 10, 11],
  vendorConsents: [1, 2, 3],
  vendorLegitimateInterests: [1, 2],
  publisherConsents: [1, 7, 8],
  specialFeatureOptins: [1],
};
const kSome = { purposeConsents: [1, 8], vendorConsents: [1], publisherConsents: [1] };

let temp;
let server;
let browser;
let all;
let some;
before(async () => {
  temp = makeTempDir();
  await buildCmpSite(temp.dir);
  [server, browser] = await Promise.all([startServer({ site: temp.dir }), launchBrowser()]);
  all = encodeTcString(kAll);
  some = encodeTcString(kSome);
});
after(async () => {
  await browser?.close();
  await server?.stop();
  temp?.remove();
});

// The ids a TCData vector ({"1": true, "2": false, …}) holds true.
const trueIds = (vector) => Object.entries(vector ?? {}).filter(([, v]) => v === true).map(([id]) => Number(id));

// A visitor whose pages record, from DOMContentLoaded on (the stub in <head> has run by then),
// every addEventListener callback in window.__tcfEvents, and which records what the server
// sent, to tell that the tag ran.
async function cmpVisitor() {
  const visitor = await visitorPage(browser);
  await visitor.context.addInitScript(() => {
    window.__tcfEvents = [];
    document.addEventListener('DOMContentLoaded', () => {
      if (typeof window.__tcfapi != 'function') return;
      window.__tcfapi('addEventListener', 2, (tcData, success) => {
        window.__tcfEvents.push({
          at: performance.now(),
          success,
          eventStatus: tcData?.eventStatus,
          cmpStatus: tcData?.cmpStatus,
          gdprApplies: tcData?.gdprApplies,
          tcString: tcData?.tcString,
          listenerId: tcData?.listenerId,
          purposeConsents: tcData?.purpose?.consents,
          vendorConsents: tcData?.vendor?.consents,
          publisherConsents: tcData?.publisher?.consents,
        });
      });
    });
  });
  visitor.fetched = [];
  visitor.page.on('response', (r) => r.ok() && visitor.fetched.push(new URL(r.url()).pathname));
  return visitor;
}

// Opens path (with the fixture's URL parameters) and waits for the tag to be done.
async function open(visitor, path, params) {
  await visitor.page.goto(server.url(withQuery(path, params)));
  await tagSettled(visitor.page);
}

const events = (page) => page.evaluate(() => window.__tcfEvents);
const untilEvents = (page, n) => page.waitForFunction((k) => window.__tcfEvents.length >= k, n, kWait);
const ping = (target) =>
  target.evaluate(() => new Promise((resolve) => window.__tcfapi('ping', 2, (value, success) => resolve({ value, success }))));

// What every test ends with: the tag ran, and nothing broke or was refused, in any frame. A
// test may tolerate console messages that match `tolerate` (and says why).
async function assertClean(visitor, { tolerate } = {}) {
  await sleep(100);
  // The engine's name carries its content hash (docs/deploying.md).
  assert.ok(visitor.fetched.some((p) => /^\/vario\/vario\.[0-9a-f]+\.wasm$/.test(p)) && visitor.fetched.includes('/vario/campaigns.bin'),
    `the tag ran: ${visitor.fetched}`);
  assert.deepEqual(visitor.pageErrors, []);
  assert.deepEqual(visitor.consoleProblems.filter((m) => !tolerate?.test(m)), []);
  for (const frame of visitor.page.frames()) {
    if (frame.url() == 'about:blank') continue; // the stub's __tcfapiLocator frame
    assert.deepEqual(await frame.evaluate(() => window.__cspViolations), [], `no CSP violation in ${frame.url()}`);
  }
}

test('encodeTcString writes a TC string that the IAB decoder reads back with every choice it was given', () => {
  const created = new Date('2025-03-01T00:00:00Z');
  const tcString = encodeTcString({ ...kAll, created, policyVersion: 4, vendorListVersion: 7 });
  assert.equal(tcString.split('.').length, 3, 'core, disclosed vendors and publisher segments, as service-specific strings have');
  const decoded = decodeTcString(tcString);
  for (const [field, value] of Object.entries(kAll)) assert.deepEqual(decoded[field], value, field);
  assert.deepEqual(decoded.vendorsDisclosed, testVendorIds);
  assert.equal(decoded.version, 2);
  assert.equal(decoded.policyVersion, 4);
  assert.equal(decoded.vendorListVersion, 7);
  assert.equal(decoded.cmpId, kCmpId);
  assert.equal(decoded.cmpVersion, kCmpVersion);
  assert.equal(decoded.isServiceSpecific, true);
  assert.equal(decoded.created.toISOString(), created.toISOString());
  assert.equal(decoded.lastUpdated.toISOString(), created.toISOString());

  // The defaults: policy version 5, the fixture list's version, today at midnight UTC.
  const plain = decodeTcString(some);
  assert.deepEqual([plain.purposeConsents, plain.vendorConsents, plain.publisherConsents],
    [kSome.purposeConsents, kSome.vendorConsents, kSome.publisherConsents]);
  assert.equal(plain.policyVersion, 5);
  assert.equal(plain.vendorListVersion, 100);
  const today = new Date();
  assert.equal(plain.created.toISOString(), new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())).toISOString());
});

test('encodeTcString refuses what the IAB encoder would silently drop', () => {
  assert.throws(() => encodeTcString({ purposeLegitimateInterests: [3] }), /drops purposeLegitimateInterests 3/);
  assert.throws(() => encodeTcString({ vendorConsents: [99] }), /drops vendorConsents 99/, 'a vendor not in the list');
  assert.throws(() => encodeTcString({ vendorConsents: [10] }), /drops vendorConsents 10/, 'a vendor with no consent purpose');
  assert.throws(() => encodeTcString({ purposeConsent: [1] }), /unknown option purposeConsent/);
});

test('every fixture page arrives with the tag injected, the strict CSP and only same-origin script files', async () => {
  for (const { path, scripts } of Object.values(cmpPages)) {
    const response = await fetch(server.url(path));
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self' 'wasm-unsafe-eval'/, path);
    const html = await response.text();
    assert.match(html, /<head>\s*<meta charset="utf-8"><script src="\/vario\/tag\.js"/, `${path}: the tag comes first in <head>, after <meta charset>`);
    assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)/, `${path}: no inline script`);
    for (const name of scripts) assert.ok(html.includes(`<script src="${cmpScripts[name]}"`), `${path} loads ${name}`);
  }
  const stub = await (await fetch(server.url(cmpScripts.stub))).text();
  const published = readFileSync(createRequire(import.meta.url).resolve('@iabtechlabtcf/stub'), 'utf8');
  assert.equal(stub, published, "the stub is the IAB's published file, unmodified");
});

test("before the CMP loads the IAB stub answers ping itself and queues addEventListener, which the CMP answers once loaded", async () => {
  const visitor = await cmpVisitor();
  try {
    const { page } = visitor;
    await open(visitor, cmpPages.cmp.path, { cmp: 'manual', tc: some });
    assert.deepEqual(await ping(page), { value: { gdprApplies: undefined, cmpLoaded: false, cmpStatus: 'stub' }, success: undefined });
    const queued = await page.evaluate(() => window.__tcfapi().map((call) => call[0]));
    assert.ok(queued.includes('addEventListener'), `the stub holds the page's call: ${queued}`);
    assert.deepEqual(await events(page), []);
    assert.ok(await page.evaluate(() => window.frames.__tcfapiLocator && !!document.querySelector('iframe[name="__tcfapiLocator"]')),
      'the stub added the __tcfapiLocator frame');

    await page.evaluate(() => window.__cmp.load());
    await untilEvents(page, 1);
    const [event] = await events(page);
    assert.equal(event.success, true);
    assert.equal(event.eventStatus, 'tcloaded', 'a string without the UI is tcloaded');
    assert.equal(event.tcString, some);
    assert.equal(event.gdprApplies, true);
    assert.deepEqual(trueIds(event.purposeConsents), kSome.purposeConsents);

    const { value } = await ping(page);
    assert.deepEqual(
      { cmpLoaded: value.cmpLoaded, cmpStatus: value.cmpStatus, displayStatus: value.displayStatus, apiVersion: value.apiVersion,
        cmpId: value.cmpId, cmpVersion: value.cmpVersion, gdprApplies: value.gdprApplies, tcfPolicyVersion: value.tcfPolicyVersion,
        gvlVersion: value.gvlVersion },
      { cmpLoaded: true, cmpStatus: 'loaded', displayStatus: 'disabled', apiVersion: '2', cmpId: kCmpId, cmpVersion: kCmpVersion,
        gdprApplies: true, tcfPolicyVersion: 5, gvlVersion: 100 },
    );
    await assertClean(visitor);
  } finally {
    await visitor.close();
  }
});

test('an addEventListener callback sees cmpuishown, then after the delay useractioncomplete with the chosen string and its purpose consents', async () => {
  const visitor = await cmpVisitor();
  try {
    const { page } = visitor;
    await open(visitor, cmpPages.cmp.path, { ui: 100, tc: all, tcDelay: 600 });
    await untilEvents(page, 2);
    const [shown, done] = await events(page);
    assert.equal(shown.eventStatus, 'cmpuishown');
    assert.equal(shown.gdprApplies, true);
    assert.deepEqual(trueIds(shown.purposeConsents), [], 'nothing chosen while the UI shows');
    assert.equal(done.eventStatus, 'useractioncomplete');
    assert.equal(done.tcString, all);
    assert.equal(done.listenerId, shown.listenerId, 'the same listener');
    assert.deepEqual(trueIds(done.purposeConsents), kAll.purposeConsents);
    assert.deepEqual(trueIds(done.vendorConsents), kAll.vendorConsents);
    assert.deepEqual(trueIds(done.publisherConsents), kAll.publisherConsents);

    const log = await page.evaluate(() => window.__cmp.log);
    const loadedAt = log.find((e) => e.what == 'loaded').at;
    assert.ok(done.at - loadedAt >= 600 - 1, `the answer came ${done.at - loadedAt} ms after the CMP loaded`);
    assert.ok(shown.at - loadedAt >= 100 - 1, `the UI showed ${shown.at - loadedAt} ms after the CMP loaded`);
    assert.equal((await ping(page)).value.displayStatus, 'hidden', 'the UI is gone');
    await assertClean(visitor);
  } finally {
    await visitor.close();
  }
});

test('a changed answer reaches the same listener as a second useractioncomplete, and replaces the cookie', async () => {
  const visitor = await cmpVisitor();
  try {
    const { page } = visitor;
    await open(visitor, cmpPages.cmp.path, { ui: 50, tc: all, tcDelay: 200, tc2: some, tc2Delay: 700 });
    await untilEvents(page, 3);
    const [shown, first, second] = await events(page);
    assert.deepEqual([shown.eventStatus, first.eventStatus, second.eventStatus], ['cmpuishown', 'useractioncomplete', 'useractioncomplete']);
    assert.deepEqual([first.tcString, second.tcString], [all, some]);
    assert.equal(new Set([shown.listenerId, first.listenerId, second.listenerId]).size, 1);
    assert.deepEqual(trueIds(second.purposeConsents), kSome.purposeConsents);
    const loadedAt = (await page.evaluate(() => window.__cmp.log)).find((e) => e.what == 'loaded').at;
    assert.ok(second.at - loadedAt >= 700 - 1, `the second answer came ${second.at - loadedAt} ms after the CMP loaded`);
    assert.equal(await page.evaluate(() => window.__cmp.cookie()), some);
    await assertClean(visitor);
  } finally {
    await visitor.close();
  }
});

test('the answer is stored in a first-party euconsent-v2 cookie for 13 months, which the CMP can remove', async () => {
  const visitor = await cmpVisitor();
  try {
    const { page, context } = visitor;
    await open(visitor, cmpPages.cmp.path, { tc: all, tcDelay: 100 });
    await untilEvents(page, 1);
    const cookie = (await context.cookies()).find((c) => c.name == 'euconsent-v2');
    assert.ok(cookie, 'the cookie is set');
    assert.equal(cookie.value, all);
    assert.equal(cookie.domain, '127.0.0.1');
    assert.equal(cookie.path, '/');
    assert.equal(cookie.sameSite, 'Lax');
    const days = (cookie.expires * 1000 - Date.now()) / 86_400_000;
    assert.ok(days > 395 && days <= 396, `kept ${days.toFixed(1)} days`);

    await page.evaluate(() => window.__cmp.removeCookie());
    assert.equal((await context.cookies()).find((c) => c.name == 'euconsent-v2'), undefined, 'the cookie is gone');
    assert.equal(await page.evaluate(() => window.__cmp.cookie()), null);

    // writeCookie=0: the same answer, no cookie.
    await open(visitor, cmpPages.cmp.path, { tc: all, writeCookie: 0 });
    await untilEvents(page, 1);
    assert.equal((await context.cookies()).find((c) => c.name == 'euconsent-v2'), undefined, 'no cookie with writeCookie=0');
    await assertClean(visitor);
  } finally {
    await visitor.close();
  }
});

test("a returning visitor's stored string is answered at once as tcloaded, without the UI", async () => {
  const visitor = await cmpVisitor();
  try {
    const { page, context } = visitor;
    await context.addCookies([{ name: 'euconsent-v2', value: some, url: server.origin, sameSite: 'Lax' }]);
    await open(visitor, cmpPages.cmp.path, { tc: 'cookie' });
    await untilEvents(page, 1);
    await sleep(200);
    const list = await events(page);
    assert.equal(list.length, 1);
    assert.equal(list[0].eventStatus, 'tcloaded');
    assert.equal(list[0].tcString, some);
    assert.ok(!(await page.evaluate(() => window.__cmp.log.map((e) => e.what))).includes('cmpuishown'));

    // Without the cookie the same page's CMP does not answer.
    await context.clearCookies();
    await open(visitor, cmpPages.cmp.path, { tc: 'cookie' });
    await sleep(300);
    assert.deepEqual(await events(page), []);
    await assertClean(visitor);
  } finally {
    await visitor.close();
  }
});

test('a CMP that never answers leaves addEventListener waiting while ping says loading, and one that never loads leaves the stub', async () => {
  const visitor = await cmpVisitor();
  try {
    const { page } = visitor;
    await open(visitor, cmpPages.cmp.path);
    await page.waitForFunction(() => window.__cmp?.loaded, null, kWait);
    await sleep(500);
    assert.deepEqual(await events(page), []);
    const { value } = await ping(page);
    assert.deepEqual([value.cmpLoaded, value.cmpStatus, value.gdprApplies], [true, 'loading', undefined]);

    await open(visitor, cmpPages.cmp.path, { cmp: 'none' });
    await sleep(500);
    assert.deepEqual(await events(page), []);
    assert.equal((await ping(page)).value.cmpStatus, 'stub');
    await assertClean(visitor);
  } finally {
    await visitor.close();
  }
});

test('a CMP that finds GDPR does not apply answers tcloaded with gdprApplies false and no string, and stores nothing', async () => {
  const visitor = await cmpVisitor();
  try {
    const { page, context } = visitor;
    await open(visitor, cmpPages.cmp.path, { gdpr: 0, tcDelay: 100 });
    await untilEvents(page, 1);
    const [event] = await events(page);
    assert.deepEqual([event.success, event.eventStatus, event.gdprApplies, event.tcString], [true, 'tcloaded', false, undefined]);
    assert.equal((await ping(page)).value.gdprApplies, false);
    assert.equal((await context.cookies()).find((c) => c.name == 'euconsent-v2'), undefined);
    await assertClean(visitor);
  } finally {
    await visitor.close();
  }
});

// The test drives the parent's CMP; the frame only calls it, through the locator: a ping, two
// addEventListener calls (an object message and a JSON string) before the CMP answers, one
// after, then the answer changes. Returns the frame and every answer it received, by call.
async function frameThroughLocator(visitor, path) {
  const { page } = visitor;
  await open(visitor, path);
  const frame = page.frame({ url: (u) => u.pathname == cmpPages.frameInner.path });
  assert.ok(frame, 'the frame loaded');
  await frame.waitForFunction(() => window.__frame, null, kWait);
  assert.equal(await frame.evaluate(() => typeof window.__tcfapi), 'undefined', 'no __tcfapi in the frame');
  assert.equal(await frame.evaluate(() => window.__frame.locator() === window.parent), true, 'the locator is in the parent');
  await page.waitForFunction(() => window.__cmp?.loaded, null, kWait);
  const call = (...args) => frame.evaluate((a) => window.__frame.call(...a), args);
  const answered = (id, n) => frame.waitForFunction((a) => window.__frame.returns[a.id].length >= a.n, { id, n }, kWait);

  const ids = { ping: await call('ping', 2) };
  await answered(ids.ping, 1);
  ids.early = await call('addEventListener', 2);
  ids.earlyJson = await call('addEventListener', 2, undefined, { json: true });
  await sleep(100); // both calls are in the CMP's queue
  await page.evaluate(() => window.__cmp.showUi());
  await page.evaluate((s) => window.__cmp.answer(s), all);
  ids.late = await call('addEventListener', 2);
  await answered(ids.late, 1);
  await page.evaluate((s) => window.__cmp.answer(s), some);
  await sleep(300);
  const returns = await frame.evaluate(() => window.__frame.returns);
  const got = Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, returns[id]]));

  const [pinged] = got.ping;
  assert.equal(pinged.success, true);
  assert.deepEqual([pinged.returnValue.cmpLoaded, pinged.returnValue.cmpStatus, pinged.returnValue.cmpId], [true, 'loading', kCmpId]);
  for (const answers of Object.values(got))
    for (const answer of answers) {
      assert.equal(answer.fromParent, true, 'every answer comes from the parent window');
      assert.equal(answer.success, true);
    }
  return { frame, got };
}

const statuses = (answers) => answers.map((a) => [a.returnValue.eventStatus, a.returnValue.tcString ?? '', a.json]);

test("a frame with no __tcfapi reaches the parent's CMP through the IAB stub's __tcfapiLocator, but hears only answers given at once", async () => {
  const visitor = await cmpVisitor();
  try {
    const { got } = await frameThroughLocator(visitor, cmpPages.frame.path);
    // The published stub lets go of the frame's window once __tcfapi returns: the calls queued
    // before the CMP answered, and every later event, never come back.
    assert.deepEqual(statuses(got.early), []);
    assert.deepEqual(statuses(got.earlyJson), []);
    assert.deepEqual(statuses(got.late), [['useractioncomplete', all, false]], 'the state at the time of the call, once');
    assert.deepEqual(trueIds(got.late[0].returnValue.purpose.consents), kAll.purposeConsents);
    // The page itself heard everything.
    assert.deepEqual((await events(visitor.page)).map((e) => e.eventStatus), ['cmpuishown', 'useractioncomplete', 'useractioncomplete']);
    await assertClean(visitor);
  } finally {
    await visitor.close();
  }
});

test("a frame on a CMP whose stub keeps the caller's window, as the TCF specification's does, hears every event", async () => {
  const visitor = await cmpVisitor();
  try {
    const { got } = await frameThroughLocator(visitor, cmpPages.frameSpecStub.path);
    for (const [name, json] of [['early', false], ['earlyJson', true]])
      assert.deepEqual(statuses(got[name]),
        [['cmpuishown', '', json], ['useractioncomplete', all, json], ['useractioncomplete', some, json]], name);
    assert.deepEqual(statuses(got.late), [['useractioncomplete', all, false], ['useractioncomplete', some, false]]);
    assert.deepEqual(trueIds(got.early[2].returnValue.purpose.consents), kSome.purposeConsents);
    await assertClean(visitor);
  } finally {
    await visitor.close();
  }
});

test('a sandboxed frame, which cannot touch its parent at all, reaches the CMP through the locator the same way', async (t) => {
  const visitor = await cmpVisitor();
  try {
    const { frame, got } = await frameThroughLocator(visitor, cmpPages.sandboxedFrame.path);
    assert.equal(await frame.evaluate(() => {
      try {
        return typeof window.parent.__tcfapi;
      } catch (error) {
        return error.name;
      }
    }), 'SecurityError', "the parent's window is out of reach");
    assert.deepEqual(statuses(got.late), [['useractioncomplete', all, false]]);
    // The tag injected into the sandboxed frame fetches its engine and campaigns from origin
    // 'null', which `vario serve` does not allow (no Access-Control-Allow-Origin): it gives up
    // there, saying so on the console. That is the tag's matter, not the fixture's.
    const sandboxedTag = /from origin 'null' has been blocked by CORS policy|net::ERR_FAILED|\[vario\] Failed to fetch/;
    t.diagnostic(visitor.consoleProblems.filter((m) => sandboxedTag.test(m)).join('\n'));
    await assertClean(visitor, { tolerate: sandboxedTag });
  } finally {
    await visitor.close();
  }
});

test("the Consent Mode page's dataLayer holds gtag's consent default and later update as arguments objects", async () => {
  const visitor = await cmpVisitor();
  try {
    const { page } = visitor;
    const entries = () => page.evaluate(() => window.dataLayer.map((entry) => ({
      kind: Object.prototype.toString.call(entry),
      isArray: Array.isArray(entry),
      args: Array.from(entry),
    })));
    const denied = { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied' };
    const granted = { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'granted' };

    await open(visitor, cmpPages.consentMode.path, { cmUpdate: 'granted', cmUpdateDelay: 300 });
    await page.waitForFunction(() => window.dataLayer.length == 2, null, kWait);
    assert.deepEqual(await entries(), [
      { kind: '[object Arguments]', isArray: false, args: ['consent', 'default', { ...denied, wait_for_update: 500 }] },
      { kind: '[object Arguments]', isArray: false, args: ['consent', 'update', granted] },
    ]);
    assert.equal(await page.evaluate(() => typeof window.gtag), 'function', 'gtag is the page global a site defines');

    // A withdrawal, through the page's own gtag.
    await page.evaluate(() => window.gtag('consent', 'update', { ad_storage: 'denied', analytics_storage: 'denied' }));
    assert.deepEqual((await entries())[2].args, ['consent', 'update', { ad_storage: 'denied', analytics_storage: 'denied' }]);

    // A default of the test's own, and the other things a tagged page's dataLayer holds.
    const regional = { ad_storage: 'denied', analytics_storage: 'granted', region: ['DE', 'FR'] };
    await open(visitor, cmpPages.consentMode.path, { cmDefault: regional, cmExtra: 1 });
    const list = await entries();
    assert.deepEqual(list.map((e) => e.args[0] ?? e.args), ['consent', 'js', 'set', 'config', []]);
    assert.deepEqual(list[0].args, ['consent', 'default', regional]);
    assert.deepEqual(await page.evaluate(() => window.dataLayer[4]), { event: 'fixture.ready' }, 'a plain object, as GTM pushes');
    await assertClean(visitor);
  } finally {
    await visitor.close();
  }
});

test('tagAfterConsentScripts serves the stub and the CMP ahead of the tag, with the same CSP', async () => {
  const visitor = await cmpVisitor();
  try {
    const { page } = visitor;
    await tagAfterConsentScripts(page);
    const response = await page.goto(server.url(withQuery(cmpPages.cmp.path, { tc: some })));
    await tagSettled(page);
    assert.match((await response.allHeaders())['content-security-policy'] ?? '', /script-src 'self' 'wasm-unsafe-eval'/);
    assert.deepEqual(await page.evaluate(() => [...document.scripts].map((s) => new URL(s.src).pathname)),
      [cmpScripts.stub, cmpScripts.cmp, '/vario/tag.js']);
    await untilEvents(page, 1);
    assert.equal((await events(page))[0].tcString, some);
    await assertClean(visitor);
  } finally {
    await visitor.close();
  }
});
