// A 50/50 redirect test between two cart layouts, run by 400 fresh visitors in Chromium: the
// split the collector stores has no sample-ratio mismatch, and every redirected visitor's
// impression is stored, because it is handed to the browser before the page is left.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sourceDir } from '../wasm/helpers/env.mjs';
import { launchBrowser, startServer, visitorPage } from './helpers/harness.mjs';

const site = join(sourceDir, 'tests/browser/fixtures/lifecycle');
const kVisitors = Number(process.env.VARIO_REDIRECT_VISITORS || 400);
const kAtOnce = Number(process.env.VARIO_REDIRECT_AT_ONCE || 2);

let server;
let browser;
before(async () => {
  [server, browser] = await Promise.all([startServer({ site, campaigns: join(site, 'campaigns.json') }), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// The chi-square test of a 50/50 split, one degree of freedom: p = erfc(sqrt(chi2 / 2)).
function srmPValue(a, b) {
  const expected = (a + b) / 2;
  const chi2 = ((a - expected) ** 2 + (b - expected) ** 2) / expected;
  const x = Math.sqrt(chi2 / 2);
  // erfc by Abramowitz and Stegun 7.1.26 (|error| < 1.5e-7), plenty for a 0.001 threshold.
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return poly * Math.exp(-x * x);
}

test(`${kVisitors} fresh visitors split 50/50 by a redirect test, with every impression stored`, async (t) => {
  const landed = { a: 0, b: 0 };
  let next = 0;
  // Each worker is one browser context whose cookies are cleared before every visitor: a fresh
  // visitor at a fraction of the cost of a new context.
  const visit = async () => {
    const visitor = await visitorPage(browser);
    try {
      while (next < kVisitors) {
        next++;
        await visitor.context.clearCookies();
        const page = await visitor.context.newPage();
        try {
          // The engine sends the impression as soon as it has decided, before it navigates; the
          // browser delivers it even when the page is left at once. The page closes only once
          // the request has gone and the page it leads to has loaded.
          const sent = new Promise((resolve) => page.on('request', (r) => r.url().endsWith('/v1/events') && resolve()));
          const delivered = new Promise((resolve) =>
            visitor.context.on('requestfinished', (r) => r.url().endsWith('/v1/events') && resolve()));
          await page.goto(server.url('/cart.html?ref=mail#top'));
          await sent;
          await page.waitForTimeout(50);
          await page.waitForFunction(() => document.getElementById('layout') && document.readyState == 'complete', null, { timeout: 5000 });
          const url = new URL(page.url());
          // Playwright may not report the end of a request made by a page that is gone.
          const redirected = url.pathname == '/cart-b.html';
          await Promise.race([delivered, new Promise((resolve) => setTimeout(resolve, redirected ? 200 : 3000))]);
          if (redirected) {
            assert.equal(url.search + url.hash, '?ref=mail#top', 'the query and fragment are kept');
            landed.b++;
          } else {
            assert.equal(url.pathname, '/cart.html');
            landed.a++;
          }
        } finally {
          await page.close();
        }
      }
      assert.deepEqual(visitor.pageErrors, []);
    } finally {
      await visitor.close();
    }
  };
  await Promise.all(Array.from({ length: kAtOnce }, visit));

  let stats;
  for (let i = 0; i < 100; i++) {
    stats = await server.stats();
    const counted = stats.impressions['cart-layout'] ?? {};
    if ((counted.a ?? 0) + (counted.b ?? 0) >= kVisitors) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const counted = stats.impressions['cart-layout'] ?? {};
  const p = srmPValue(counted.a ?? 0, counted.b ?? 0);
  t.diagnostic(`landed a=${landed.a} b=${landed.b}; stored impressions a=${counted.a} b=${counted.b}; SRM p=${p.toFixed(4)}`);
  assert.equal(landed.a + landed.b, kVisitors);
  assert.deepEqual(counted, landed, 'one stored impression per visitor, in the variation they saw');
  assert.ok(p > 0.001, `sample-ratio mismatch: p = ${p}`);
});
