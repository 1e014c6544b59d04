// Point 5 of scripts/bench: in Chromium on loopback, the headline page of the lifecycle fixture
// with Vario's tag (served by `vario serve`, as in scripts/bench-page) against the same page
// with GrowthBook's script tag (auto.min.js, its payload inline, served gzip-compressed and
// cacheable by a small static server here) making the same change: async as GrowthBook
// documents it, and synchronous. For each, first visits (fresh contexts) and cached reloads:
// when the new headline is in the DOM and the first contentful paint (ms from navigation
// start), whether the original headline was painted, and the bytes transferred.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sourceDir } from '../../tests/wasm/helpers/env.mjs';
import { launchBrowser, startServer, visitorPage } from '../../tests/browser/helpers/harness.mjs';
import { growthbookScriptTag } from './contenders.mjs';

const kNew = 'A perfect pour-over in four minutes';
const site = join(sourceDir, 'tests/browser/fixtures/lifecycle');
const page = readFileSync(join(site, 'headline.html'), 'utf8');

// The GrowthBook page: its documented snippet before </head>, the experiment in the payload.
function growthbookPage(async) {
  const config = {
    noStreaming: true,
    payload: {
      features: {},
      experiments: [{
        key: 'headline',
        changeId: 'headline-1',
        urlPatterns: [{ type: 'regex', include: true, pattern: 'gb-' }],
        weights: [0, 1],
        coverage: 1,
        hashAttribute: 'id',
        variations: [{}, { domMutations: [{ selector: '#headline', action: 'set', attribute: 'html', value: kNew }] }],
      }],
    },
  };
  return page.replace('</head>', `<script>window.growthbook_config=${JSON.stringify(config)}</script>\n` +
    `<script ${async ? 'async ' : ''}src="/gb/auto.min.js"></script>\n</head>`);
}

function growthbookServer() {
  const bundle = gzipSync(readFileSync(growthbookScriptTag), { level: 9 });
  const pages = { '/gb-async.html': growthbookPage(true), '/gb-sync.html': growthbookPage(false), '/plain.html': page };
  const server = createServer((req, res) => {
    if (req.url == '/gb/auto.min.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'content-encoding': 'gzip', 'cache-control': 'max-age=3600' });
      return res.end(bundle);
    }
    const html = pages[req.url];
    if (!html) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    res.end(html);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// Installed before any script of the page: the moment the new headline is in the DOM, and
// whether the old one was visible at the first contentful paint.
function probe(text) {
  window.__probe = {};
  const check = () => {
    const h = document.getElementById('headline');
    if (h && h.textContent == text && window.__probe.changed === undefined) window.__probe.changed = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name != 'first-contentful-paint') continue;
      const h = document.getElementById('headline');
      window.__probe.originalPainted = !!h && h.textContent != text && getComputedStyle(h).visibility == 'visible';
    }
  }).observe({ type: 'paint', buffered: true });
}

const measure = (p) =>
  p.evaluate(async () => {
    const fcp = () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
    for (let i = 0; i < 150 && (fcp() === undefined || window.__probe.changed === undefined); i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const bytes = performance.getEntriesByType('resource').reduce((sum, r) => sum + r.transferSize, 0) +
      performance.getEntriesByType('navigation')[0].transferSize;
    return { changed: window.__probe.changed, fcp: fcp(), original: window.__probe.originalPainted, bytes };
  });

const median = (values) => {
  const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

export async function chromium(loads, log) {
  const [vario, gb, browser] = await Promise.all([
    startServer({ site, campaigns: join(site, 'campaigns.json') }),
    growthbookServer(),
    launchBrowser(),
  ]);
  const gbOrigin = `http://127.0.0.1:${gb.address().port}`;
  const rows = {
    'Vario (sync in head)': vario.url('/headline.html'),
    'GrowthBook async (as documented)': gbOrigin + '/gb-async.html',
    'GrowthBook sync': gbOrigin + '/gb-sync.html',
    'no tag': gbOrigin + '/plain.html',
  };
  const results = {};
  try {
    for (const [name, url] of Object.entries(rows)) {
      log(`chromium: ${name}`);
      const first = [];
      for (let i = 0; i < loads; i++) {
        const visitor = await visitorPage(browser);
        await visitor.context.addInitScript(probe, kNew);
        await visitor.page.goto(url);
        first.push(await measure(visitor.page));
        await visitor.close();
      }
      const cached = [];
      const visitor = await visitorPage(browser);
      await visitor.context.addInitScript(probe, kNew);
      await visitor.page.goto(url);
      for (let i = 0; i < loads; i++) {
        await visitor.page.reload();
        cached.push(await measure(visitor.page));
      }
      await visitor.close();
      results[name] = { first, cached };
      if (process.env.VARIO_BENCH_DEBUG) console.error(name, JSON.stringify(first[0]), JSON.stringify(cached[0]));
    }
  } finally {
    await browser.close();
    await vario.stop();
    gb.close();
  }
  const cell = (samples, tagless) => {
    const fcp = median(samples.map((s) => s.fcp));
    if (tagless) return `FCP ${fcp.toFixed(0)}`;
    const changed = median(samples.map((s) => s.changed));
    const delta = median(samples.map((s) => s.changed - s.fcp));
    const painted = samples.filter((s) => s.original).length;
    return `${changed.toFixed(0)} / ${fcp.toFixed(0)} (${delta >= 0 ? '+' : '−'}${Math.abs(delta).toFixed(0)}; original painted in ${painted}/${samples.length})`;
  };
  const names = Object.keys(rows);
  const out = [
    `In Chromium ${browser.version()} on loopback (\`scripts/bench-lib/chromium.mjs\`), ${loads} loads per cell, medians, ms from navigation start; the change is the headline's text:`,
    '',
    `| | ${names.join(' | ')} |`,
    `|---|${names.map(() => '---|').join('')}`,
    `| first visit: change in the DOM / first contentful paint (change − FCP) | ${names.map((n) => cell(results[n].first, n == 'no tag')).join(' | ')} |`,
    `| cached: change in the DOM / first contentful paint (change − FCP) | ${names.map((n) => cell(results[n].cached, n == 'no tag')).join(' | ')} |`,
    `| bytes transferred, first visit / cached | ${names.map((n) => `${median(results[n].first.map((s) => s.bytes))} / ${median(results[n].cached.map((s) => s.bytes))}`).join(' | ')} |`,
  ];
  return out;
}
