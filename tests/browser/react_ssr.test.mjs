// Vario's changes on a React 18 page rendered on the server and hydrated in the browser
// (fixtures/react-ssr/), in React's production and development builds: the changes survive
// hydration and re-renders, React reports no error or warning, it keeps the server's nodes, and
// the visitor never sees the original headline painted.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeTempDir } from '../wasm/helpers/env.mjs';
import { afterHold, flickerProbe, framesOf } from './helpers/flicker_probe.mjs';
import { launchBrowser, startServer, tagSettled, visitorPage } from './helpers/harness.mjs';
import { buildReactSite, reactBuilds } from './helpers/react-ssr.mjs';
import { product } from './fixtures/react-ssr/product.js';

const kHeadline = 'The brewer that never clogs';

let temp;
let server;
let browser;
before(async () => {
  temp = makeTempDir();
  await buildReactSite(temp.dir);
  const campaigns = join(temp.dir, 'campaigns.json');
  writeFileSync(campaigns, JSON.stringify({
    version: 1, account: 'react-shop', collector: '/v1/events', consent: { required: false },
    hydration_roots: ['#root'],
    campaigns: [{
      id: 'react-headline', type: 'ab_test', purpose: 'technical',
      pages: { include: Object.values(reactBuilds).map(({ page }) => ({ match: 'exact', value: page })) },
      variations: [{ id: 'b', weight: 1, changes: [
        { action: 'set_text', selector: '#title', value: kHeadline },
        { action: 'add_class', selector: '#add', value: 'vario-cta' },
        { action: 'insert_html', selector: '#description', position: 'after', value: '<p id="vario-note">Free returns for 60 days.</p>' },
      ] }],
    }],
  }));
  [server, browser] = await Promise.all([startServer({ site: temp.dir, campaigns }), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
  temp?.remove();
});

// The page remembers the server's #title and <main> as parsed, before its own scripts ran, so
// that the test can tell React adopting them (hydration) from replacing them (a client render).
async function reactVisitor() {
  const visitor = await visitorPage(browser);
  await visitor.context.addInitScript(() => {
    document.addEventListener('readystatechange', () => {
      if (document.readyState == 'interactive')
        window.__server = { title: document.getElementById('title'), main: document.querySelector('#root > main') };
    });
  });
  return visitor;
}

const changed = (page) =>
  page.evaluate(() => ({
    title: document.getElementById('title').textContent,
    cta: document.getElementById('add').classList.contains('vario-cta'),
    note: document.getElementById('vario-note')?.textContent ?? null,
    serverNodes: document.getElementById('title') === window.__server?.title && document.querySelector('#root > main') === window.__server?.main,
    reactOwns: Object.keys(document.getElementById('title')).some((k) => k.startsWith('__reactFiber$')),
  }));

const expected = { title: kHeadline, cta: true, note: 'Free returns for 60 days.', serverNodes: true, reactOwns: true };

for (const [mode, { page: path }] of Object.entries(reactBuilds)) {
  test(`on the ${mode} React page the changes survive hydration and re-renders, with no React error or warning`, async () => {
    const visitor = await reactVisitor();
    try {
      const { page } = visitor;
      await flickerProbe(page, { watched: ['#title'], unrelated: ['#cart', '#features'] });
      await page.goto(server.url(path));
      await page.waitForFunction((h) => document.getElementById('title')?.textContent == h, kHeadline, { timeout: 5000 });
      await tagSettled(page);
      assert.deepEqual(await changed(page), expected, 'after hydration');

      await page.click('#add');
      await page.click('#add');
      await page.waitForFunction(() => document.getElementById('cart').textContent == 'In cart: 2');
      await page.click('#refresh');
      await page.waitForFunction(() => document.getElementById('refreshes').textContent == 'Refreshed: 1');
      assert.deepEqual(await changed(page), expected, 'after re-renders that keep the headline');

      // React rewrites the headline's text: the change comes back.
      await page.click('#rename');
      await page.waitForTimeout(100);
      assert.deepEqual(await changed(page), expected, 'after a re-render that rewrote the headline');

      const frames = await framesOf(page);
      for (const f of frames)
        if (f['#title']?.visible) assert.equal(f['#title'].text, kHeadline, 'the original headline was painted');
      for (const f of afterHold(frames))
        for (const s of ['#cart', '#features']) assert.notEqual(f[s]?.visible, false, `${s} was hidden`);
      assert.ok(!frames.some((f) => f['#title']?.text == product.name && f['#title'].visible));
      assert.deepEqual(visitor.consoleProblems, [], 'no React error or warning');
      assert.deepEqual(visitor.pageErrors, []);
      assert.deepEqual(await visitor.cspViolations(), []);
    } finally {
      await visitor.close();
    }
  });
}
