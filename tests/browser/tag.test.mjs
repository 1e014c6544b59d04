// The built tag on the demo shop, served by `vario serve` with its strict CSP, in Chromium.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, readCampaignsJson, startServer, tagSettled, visitorPage, whenVisible } from './helpers/harness.mjs';

const kOriginalTitle = 'Aurora Pour-Over Brewer';

let server;
let browser;
let titles; // variation id -> the headline it shows
before(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  const campaign = readCampaignsJson().campaigns.find((c) => c.id == 'product-headline');
  titles = new Map(
    campaign.variations.map((v) => [v.id, v.changes.find((c) => c.selector == '#product-title')?.value ?? kOriginalTitle]),
  );
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// Waits for the tag to be done with the page; returns the headline the visitor sees.
async function headline(page) {
  const { text } = await whenVisible(page, 'h1');
  await tagSettled(page);
  return text.trim();
}

test('a fresh visitor sees one variation of the headline, visible, without errors, and keeps it on reload', async (t) => {
  const seen = new Set();
  let visitors = 0;
  // New visitors until both variations have shown up (two is the least, ten the most).
  for (let i = 0; i < 10 && seen.size < titles.size; i++) {
    const visitor = await visitorPage(browser);
    visitors++;
    try {
      await visitor.page.goto(server.url('/product.html'));
      const shown = await headline(visitor.page);
      assert.ok([...titles.values()].includes(shown), `"${shown}" is one of the variations' headlines`);
      seen.add(shown);

      const cookies = await visitor.context.cookies();
      const assignment = cookies.find((c) => decodeURIComponent(c.value).includes('product-headline='));
      assert.ok(assignment, `an assignment cookie: ${JSON.stringify(cookies)}`);
      assert.equal(assignment.sameSite, 'Lax');
      assert.equal(assignment.path, '/');

      // The first visitor reloads twice; later ones, there only to meet the other variation, once.
      for (let reload = 0; reload < (i == 0 ? 2 : 1); reload++) {
        await visitor.page.reload();
        assert.equal(await headline(visitor.page), shown, 'the same headline after a reload');
      }
      assert.deepEqual(visitor.pageErrors, []);
      assert.deepEqual(await visitor.cspViolations(), []);
      assert.deepEqual(visitor.varioMessages.filter((m) => !m.startsWith('debug') && !m.startsWith('info')), []);
    } finally {
      await visitor.close();
    }
  }
  t.diagnostic(`${visitors} fresh visitors saw: ${[...seen].join(' | ')}`);
  assert.equal(seen.size, titles.size, `both headlines shown to ten fresh visitors: ${[...seen].join(' | ')}`);
});

test('the headline is hidden while the engine loads, then revealed', async () => {
  const visitor = await visitorPage(browser);
  try {
    // Hold the engine back so the hidden phase is long enough to observe (the campaigns, which
    // say what to hide, arrive).
    let release;
    const held = new Promise((resolve) => (release = resolve));
    await visitor.page.route('**/vario/vario.*.wasm', async (route) => {
      await held;
      await route.continue();
    });
    await visitor.page.goto(server.url('/product.html'), { waitUntil: 'domcontentloaded' });
    // Until the signed campaigns have verified the whole page is held; then only what they change.
    await whenVisible(visitor.page, '.price');
    const hidden = await visitor.page.$eval('#product-title', (el) => getComputedStyle(el).visibility);
    release();
    assert.equal(hidden, 'hidden', 'the headline is hidden before the engine ran');
    const { text } = await whenVisible(visitor.page, '#product-title');
    assert.ok([...titles.values()].includes(text.trim()));
    assert.deepEqual(visitor.pageErrors, []);
  } finally {
    await visitor.close();
  }
});

test('a page where only the footer patch applies shows its main content unhidden and unchanged', async () => {
  // The page as served, with the tag blocked, is the reference.
  const reference = await visitorPage(browser);
  await reference.page.route('**/vario/tag.js', (route) => route.abort());
  await reference.page.goto(server.url('/index.html'));
  const original = await reference.page.$eval('main', (el) => el.outerHTML);
  await reference.close();

  const visitor = await visitorPage(browser);
  try {
    await visitor.page.goto(server.url('/index.html'), { waitUntil: 'domcontentloaded' });
    assert.equal(await visitor.page.$eval('h1', (el) => getComputedStyle(el).visibility), 'visible');
    await tagSettled(visitor.page);
    assert.equal(await visitor.page.$eval('main', (el) => el.outerHTML), original);
    assert.equal(await visitor.page.$eval('h1', (el) => getComputedStyle(el).visibility), 'visible');
    assert.deepEqual(visitor.pageErrors, []);
    assert.deepEqual(await visitor.cspViolations(), []);
  } finally {
    await visitor.close();
  }
});

test('the tag works with Trusted Types enforced and no policy allowed', async () => {
  const visitor = await visitorPage(browser);
  try {
    await visitor.page.route('**/product.html', async (route) => {
      const response = await route.fetch();
      const csp = response.headers()['content-security-policy'];
      assert.match(csp ?? '', /script-src 'self' 'wasm-unsafe-eval'/, 'the demo server sends its strict CSP');
      const headers = { ...response.headers(), 'content-security-policy': `${csp}; require-trusted-types-for 'script'; trusted-types 'none'` };
      await route.fulfill({ response, headers });
    });
    await visitor.page.goto(server.url('/product.html'));
    const shown = await headline(visitor.page);
    assert.ok([...titles.values()].includes(shown), `"${shown}" is one of the variations' headlines`);
    assert.ok((await visitor.context.cookies()).some((c) => decodeURIComponent(c.value).includes('product-headline=')), 'the assignment is stored');
    assert.deepEqual(visitor.pageErrors, []);
    assert.deepEqual(await visitor.cspViolations(), []);
    assert.deepEqual(visitor.varioMessages, []);
  } finally {
    await visitor.close();
  }
});
