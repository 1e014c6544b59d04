// The results page /report in Chromium: the variations side by side, a chart of conversion rate
// drawn (pixels, not just markup), nothing blocked by its Content-Security-Policy, and a
// transaction posted to the collector shows in /v1/results, on the page and in the CSV.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeTempDir } from '../wasm/helpers/env.mjs';
import { launchBrowser, readCampaignsJson, startServer, visitorPage } from './helpers/harness.mjs';

const kCampaign = 'product-headline';
let server;
let browser;
let temp;
before(async () => {
  temp = makeTempDir();
  // The demo's campaigns, with a custom goal and a transaction goal to count.
  const campaigns = readCampaignsJson();
  campaigns.goals = [{ id: 'signup', kind: 'custom' }, { id: 'purchase', kind: 'transaction' }];
  const path = join(temp.dir, 'campaigns.json');
  writeFileSync(path, JSON.stringify(campaigns));
  [server, browser] = await Promise.all([startServer({ campaigns: path }), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
  temp?.remove();
});

const hex = () => randomBytes(16).toString('hex');

function events(account) {
  const ts = Date.now() - 1000;
  const base = (type) => ({ schema: 2, type, id: hex(), ts, account, page: '/product.html' });
  const out = [];
  for (let v = 0; v < 40; v++) {
    const variation = v % 2 ? 'benefit' : 'control';
    const visitor = hex();
    out.push({ ...base('impression'), visitor, campaign: kCampaign, variation });
    if (v % 4 == 1 || v % 8 == 0)
      out.push({ ...base('goal'), visitor, goal: 'signup', campaigns: { [kCampaign]: variation } });
    if (v == 3)
      out.push({ ...base('transaction'), visitor, goal: 'purchase', campaigns: { [kCampaign]: variation },
                 transaction: { id: 'order-1042', revenue: 59.9, currency: 'EUR' } });
  }
  return out;
}

test('a posted transaction shows in /v1/results, on /report with a drawn chart, and in the CSV', async (t) => {
  const stats = await server.stats();
  const batch = events(stats.account);
  for (let i = 0; i < batch.length; i += 20) {
    const response = await fetch(server.url('/v1/events'), {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ events: batch.slice(i, i + 20) }),
    });
    const body = await response.json();
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body.rejected, 0, JSON.stringify(body));
  }

  const results = await (await fetch(server.url('/v1/results'))).json();
  const campaign = results.campaigns.find((c) => c.id == kCampaign);
  const benefit = campaign.variations.find((v) => v.id == 'benefit');
  assert.equal(benefit.visitors, 20);
  assert.equal(benefit.revenue[0].revenue, 59.9);
  assert.equal(benefit.revenue[0].currency, 'EUR');

  const csv = await (await fetch(server.url(`/v1/campaigns/${kCampaign}/export.csv`))).text();
  assert.match(csv, /,transaction,.*,purchase,,order-1042,59\.9,EUR,/);

  const visitor = await visitorPage(browser);
  try {
    const response = await visitor.page.goto(server.url('/report'));
    assert.equal(response.status(), 200);
    const section = visitor.page.locator(`#campaign-${kCampaign}`);
    assert.match(await section.locator('table').innerText(), /control[\s\S]*benefit/);
    assert.match(await section.locator('table').innerText(), /revenue per visitor \(EUR\)\t0\.00\t3\.00/);  // 59.90 over 20 visitors
    const chart = section.locator('svg.chart[data-goal="signup"]');
    const box = await chart.boundingBox();
    assert.ok(box && box.width > 300 && box.height > 50, `the chart has a size: ${JSON.stringify(box)}`);

    // Pixels inside the chart's box that are not the white background: the bars, whiskers and
    // labels were drawn, in the bars' colours.
    const png = (await chart.screenshot()).toString('base64');
    const blank = await visitor.context.newPage();
    const pixels = await blank.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      [canvas.width, canvas.height] = [img.width, img.height];
      const g = canvas.getContext('2d');
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, img.width, img.height).data;
      let drawn = 0, blue = 0, grey = 0;
      for (let i = 0; i < d.length; i += 4) {
        const [r, gr, b] = [d[i], d[i + 1], d[i + 2]];
        if (r < 240 || gr < 240 || b < 240) drawn++;
        if (Math.abs(r - 0x2f) < 12 && Math.abs(gr - 0x6f) < 12 && Math.abs(b - 0xdf) < 12) blue++;
        if (Math.abs(r - 0x8a) < 12 && Math.abs(gr - 0x94) < 12 && Math.abs(b - 0xa6) < 12) grey++;
      }
      return { drawn, blue, grey, total: d.length / 4 };
    }, png);
    t.diagnostic(`chart pixels: ${JSON.stringify(pixels)}`);
    assert.ok(pixels.drawn > pixels.total * 0.03, `drawn pixels in the chart: ${JSON.stringify(pixels)}`);
    assert.ok(pixels.blue > 200 && pixels.grey > 200, `both variations' bars are drawn: ${JSON.stringify(pixels)}`);

    assert.deepEqual(await visitor.cspViolations(), []);
    assert.deepEqual(visitor.pageErrors, []);
    assert.deepEqual(visitor.consoleProblems, []);
    // It refreshes itself, without script.
    assert.equal(await visitor.page.locator('meta[http-equiv="refresh"]').getAttribute('content'), '5');
    assert.equal(await visitor.page.locator('script').count(), 0);
  } finally {
    await visitor.close();
  }
});
