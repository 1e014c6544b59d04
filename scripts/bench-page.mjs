// scripts/bench-page: loads a headline test page served by `vario serve` (the lifecycle fixture,
// whose one campaign changes the headline for every visitor) N times in fresh browser contexts
// (first visit) and N times by reloading one context (cached), and prints medians read from the
// page itself: the tag's User Timing marks (vario:tag, vario:applied), the first contentful
// paint and the bytes transferred.
import { join } from 'node:path';
import { sourceDir } from '../tests/wasm/helpers/env.mjs';
import { launchBrowser, startServer, visitorPage } from '../tests/browser/helpers/harness.mjs';

const loads = Number(process.argv[2] || 25);
const site = join(sourceDir, 'tests/browser/fixtures/lifecycle');
const [server, browser] = await Promise.all([startServer({ site, campaigns: join(site, 'campaigns.json') }), launchBrowser()]);

const measure = (page) =>
  page.evaluate(async () => {
    const when = (name) => performance.getEntriesByName(name)[0]?.startTime;
    for (let i = 0; i < 100 && (when('vario:applied') === undefined || when('first-contentful-paint') === undefined); i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const bytes = performance.getEntriesByType('resource').reduce((sum, r) => sum + r.transferSize, 0) +
      performance.getEntriesByType('navigation')[0].transferSize;
    return { tag: when('vario:tag'), applied: when('vario:applied'), fcp: when('first-contentful-paint'), bytes };
  });

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const row = (name, samples) => {
  const m = (f) => median(samples.map(f)).toFixed(1);
  console.log(`| ${name} | ${m((s) => s.applied - s.tag)} | ${m((s) => s.applied)} | ${m((s) => s.fcp)} | ${m((s) => s.applied - s.fcp)} | ${median(samples.map((s) => s.bytes))} |`);
};

try {
  const first = [];
  for (let i = 0; i < loads; i++) {
    const visitor = await visitorPage(browser);
    await visitor.page.goto(server.url('/headline.html'));
    first.push(await measure(visitor.page));
    await visitor.close();
  }
  const cached = [];
  const visitor = await visitorPage(browser);
  await visitor.page.goto(server.url('/headline.html'));
  for (let i = 0; i < loads; i++) {
    await visitor.page.reload();
    cached.push(await measure(visitor.page));
  }
  await visitor.close();
  console.log(`Chromium ${browser.version()}, ${loads} loads each, medians, ms from navigation start:\n`);
  console.log('| load | tag start → changes applied | changes applied | first contentful paint | applied − FCP | bytes transferred |');
  console.log('|---|---|---|---|---|---|');
  row('first visit', first);
  row('cached', cached);
} finally {
  await browser.close();
  await server.stop();
}
