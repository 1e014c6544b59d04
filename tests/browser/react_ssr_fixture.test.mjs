// The React 18 fixture (fixtures/react-ssr/) as a baseline: served by `vario serve` with the tag
// injected and the strict CSP, its server-rendered page hydrates cleanly in Chromium, in React's
// production and development builds. The demo campaigns target /product pages only, so the tag
// runs here and changes nothing; a test of Vario's changes on this page builds on this one.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { makeTempDir } from '../wasm/helpers/env.mjs';
import { launchBrowser, startServer, tagSettled, visitorPage } from './helpers/harness.mjs';
import { buildReactSite, reactBuilds } from './helpers/react-ssr.mjs';
import { product } from './fixtures/react-ssr/product.js';

const kServerTitle = `<h1 id="title">${product.name}</h1>`;

let temp;
let server;
let browser;
before(async () => {
  temp = makeTempDir();
  await buildReactSite(temp.dir);
  [server, browser] = await Promise.all([startServer({ site: temp.dir }), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
  temp?.remove();
});

// A visitor whose page remembers the server's #title and <main> as parsed, before any script
// of the page ran ('interactive' comes before deferred scripts), to tell hydration (React adopts
// these nodes) from a client render (React replaces them).
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

// Resolves once React owns the headline: it sets its fiber on every node it hydrated or created.
const reactOwnsTitle = (page) =>
  page.waitForFunction(
    () => Object.keys(document.getElementById('title') ?? {}).some((k) => k.startsWith('__reactFiber$')),
    null,
    { timeout: 5_000, polling: 20 },
  );

// Whether the page still shows the very nodes the server sent.
const serverNodesKept = (page) =>
  page.evaluate(() => document.getElementById('title') === window.__server?.title &&
    document.querySelector('#root > main') === window.__server?.main);

const text = async (page, selector) => (await page.textContent(selector)).trim();

for (const [mode, { page: path }] of Object.entries(reactBuilds)) {
  test(`the ${mode} page arrives server-rendered, with the headline in its HTML and the tag injected`, async () => {
    const response = await fetch(server.url(path));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self' 'wasm-unsafe-eval'/);
    const html = await response.text();
    assert.ok(html.includes(`<div id="root"><main>${kServerTitle}`), 'the server markup is inside #root');
    assert.match(html, /<script src="\/vario\/tag\.js"/, 'vario serve injected the tag');
  });

  test(`the ${mode} page hydrates the server's markup and re-renders on clicks, without any React error or warning`, async () => {
    const visitor = await reactVisitor();
    try {
      const { page } = visitor;
      // The tag must have run for "no error" to say anything about it: it fetches its engine
      // and the campaigns before it decides anything.
      const fetched = [];
      page.on('response', (r) => r.ok() && fetched.push(new URL(r.url()).pathname));
      await page.goto(server.url(path));
      await Promise.all([reactOwnsTitle(page), tagSettled(page)]);
      assert.ok(await serverNodesKept(page), 'React adopted the server nodes rather than rendering new ones');
      assert.ok([/^\/vario\/vario\.[0-9a-f]{16}\.wasm$/, /^\/vario\/campaigns\.bin$/].every((p) => fetched.some((f) => p.test(f))), `the tag ran: ${fetched}`);

      await page.click('#add');
      await page.click('#add');
      await page.waitForFunction(() => document.getElementById('cart').textContent == 'In cart: 2', null, { timeout: 5_000 });

      await page.click('#refresh');
      await page.waitForFunction(() => document.getElementById('refreshes').textContent == 'Refreshed: 1', null, { timeout: 5_000 });
      assert.equal(await text(page, '#title'), product.name, 'a re-render with the same text keeps the headline');

      await page.click('#rename');
      await page.waitForFunction((t) => document.getElementById('title').textContent == t, product.renamed, { timeout: 5_000 });
      await page.click('#rename');
      await page.waitForFunction((t) => document.getElementById('title').textContent == t, product.name, { timeout: 5_000 });
      assert.deepEqual(
        await page.$$eval('#features li', (items) => items.map((li) => li.textContent)),
        product.features,
      );
      assert.ok(await serverNodesKept(page), 'the re-renders updated the server nodes in place');

      // Recoverable errors are reported at commit; give a late one time to show up.
      await sleep(200);
      assert.deepEqual(visitor.consoleProblems, []);
      assert.deepEqual(visitor.pageErrors, []);
      assert.deepEqual(await visitor.cspViolations(), []);
    } finally {
      await visitor.close();
    }
  });

  // The negative control: without it, "no error" above could mean "errors not seen".
  test(`a ${mode} page whose server markup was altered before hydration shows React's mismatch error on the console`, async (t) => {
    const visitor = await reactVisitor();
    try {
      const { page } = visitor;
      await page.route(`**${path}`, async (route) => {
        const response = await route.fetch();
        const body = (await response.text()).replace(kServerTitle, '<h1 id="title">Not what React renders</h1>');
        await route.fulfill({ response, body });
      });
      await page.goto(server.url(path));
      await reactOwnsTitle(page);
      const deadline = Date.now() + 5_000;
      while (!visitor.consoleProblems.some((m) => m.startsWith('error: [react] recoverable error')) && Date.now() < deadline)
        await sleep(20);
      assert.ok(visitor.consoleProblems.some((m) => m.startsWith('error: [react] recoverable error')),
        `onRecoverableError reported the mismatch: ${JSON.stringify(visitor.consoleProblems)}`);
      t.diagnostic(visitor.consoleProblems.map((m) => m.slice(0, 160)).join('\n'));
      if (mode == 'development')
        assert.ok(visitor.consoleProblems.some((m) => /did not match/.test(m)),
          `React's development warning names the mismatch: ${JSON.stringify(visitor.consoleProblems)}`);
      assert.equal(await text(page, '#title'), product.name, 'React rendered its own headline over the altered one');
      assert.equal(await serverNodesKept(page), false, 'React replaced the server nodes');
      assert.deepEqual(visitor.pageErrors, []);
      assert.deepEqual(await visitor.cspViolations(), []);
    } finally {
      await visitor.close();
    }
  });
}
