// The impression a page view produces reaches the collector's SQLite store, once per page view
// and for the variation the visitor was shown.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { launchBrowser, readCampaignsJson, startServer, tagSettled, visitorPage, whenVisible } from './helpers/harness.mjs';

const kCampaign = 'product-headline';
const kOriginalTitle = 'Aurora Pour-Over Brewer';

let server;
let browser;
before(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const impressions = (stats) => stats.impressions?.[kCampaign] ?? {};

// Polls GET /v1/stats until done(stats) or the deadline; returns the last stats.
async function pollStats(done, deadlineMs = 5_000) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const stats = await server.stats();
    if (done(stats) || Date.now() > until) return stats;
    await sleep(100);
  }
}

test('the impressions of a visitor\'s page views are stored for the variation it was shown, once each', async (t) => {
  const campaign = readCampaignsJson().campaigns.find((c) => c.id == kCampaign);
  const byTitle = new Map(
    campaign.variations.map((v) => [v.changes.find((c) => c.selector == '#product-title')?.value ?? kOriginalTitle, v.id]),
  );
  const before = await server.stats();
  assert.equal(before.account, 'demo-shop');

  const visitor = await visitorPage(browser);
  const kPageViews = 2;
  let variation;
  try {
    for (let i = 0; i < kPageViews; i++) {
      await visitor.page.goto(server.url('/product.html'));
      const { text } = await whenVisible(visitor.page, '#product-title');
      await tagSettled(visitor.page);
      variation ??= byTitle.get(text.trim());
      assert.equal(byTitle.get(text.trim()), variation, `page view ${i + 1} shows "${text}"`);
    }
  } finally {
    await visitor.close();
  }

  const shown = (stats) => (impressions(stats)[variation] ?? 0) - (impressions(before)[variation] ?? 0);
  const stats = await pollStats((s) => shown(s) >= kPageViews);
  assert.ok(shown(stats) >= 1, `an impression of ${variation} is stored: ${JSON.stringify(stats)}`);
  // Give a duplicate the time to arrive, then check there is none.
  const settled = await pollStats(() => false, 500);
  t.diagnostic(`${kPageViews} page views of ${variation}; stats before ${JSON.stringify(before)}, after ${JSON.stringify(settled)}`);
  assert.ok(shown(settled) <= kPageViews, `at most one impression per page view: ${JSON.stringify(settled)}`);
  for (const other of campaign.variations.filter((v) => v.id != variation)) {
    assert.equal(impressions(settled)[other.id] ?? 0, impressions(before)[other.id] ?? 0, `no impression of ${other.id}`);
  }
  assert.ok(settled.events - before.events >= shown(settled), 'the event total counts the impressions');
});
