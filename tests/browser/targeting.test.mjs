// Audiences and regex page rules in Chromium: what the site pushes, its data layer and its
// cookies decide which personalizations a visitor sees (fixtures/targeting.json on the demo shop).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startServer, tagSettled, visitorPage } from './helpers/harness.mjs';

const kCampaigns = fileURLToPath(new URL('fixtures/targeting.json', import.meta.url));
const campaigns = JSON.parse(readFileSync(kCampaigns, 'utf8')).campaigns;

// The text each campaign sets, and the element it sets it on.
const change = (id) => campaigns.find((c) => c.id == id).variations[0].changes[0];

let server;
let browser;
before(async () => {
  [server, browser] = await Promise.all([startServer({ campaigns: kCampaigns }), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// One page view by a new visitor; `page` runs before any of the page's scripts, as the site's
// own code in <head> would. Returns campaign id -> whether the visitor sees its change.
async function visit(path, { page, cookies = [] } = {}) {
  const visitor = await visitorPage(browser);
  try {
    if (page) await visitor.context.addInitScript(page);
    if (cookies.length) await visitor.context.addCookies(cookies.map((c) => ({ ...c, url: server.origin })));
    await visitor.page.goto(server.url(path));
    await tagSettled(visitor.page);
    const seen = {};
    for (const { id } of campaigns) {
      const { selector, value } = change(id);
      const text = await visitor.page.$$eval(selector, (els) => els.map((el) => el.textContent.trim()));
      seen[id] = text.length > 0 && text.every((t) => t == value);
    }
    assert.deepEqual(visitor.pageErrors, []);
    assert.deepEqual(await visitor.cspViolations(), []);
    assert.deepEqual(visitor.varioMessages.filter((m) => !m.startsWith('debug') && !m.startsWith('info')), []);
    return { seen };
  } finally {
    await visitor.close();
  }
}

test('a campaign on an attribute the site pushed before the tag applies, and not without the push', async () => {
  const pro = await visit('/product.html', {
    page: () => {
      window.vario = window.vario || [];
      window.vario.push(['attributes', { plan: 'basic', country: 'DE' }]);
      window.vario.push(['attributes', { plan: 'pro' }]); // later pushes win
    },
  });
  assert.equal(pro.seen['pro-plan'], true, JSON.stringify(pro.seen));
  assert.equal(pro.seen['big-cart'], false, 'no data layer: the data layer campaign stays out');

  // A push that is not JSON (here a cycle) is dropped on its own; the others still count.
  const cyclic = await visit('/product.html', {
    page: () => {
      const loop = { plan: 'basic' };
      loop.self = loop;
      window.vario = [['attributes', { plan: 'pro' }], ['attributes', loop]];
    },
  });
  assert.equal(cyclic.seen['pro-plan'], true, JSON.stringify(cyclic.seen));

  const basic = await visit('/product.html', { page: () => (window.vario = [['attributes', { plan: 'basic' }]]) });
  assert.equal(basic.seen['pro-plan'], false, JSON.stringify(basic.seen));

  const none = await visit('/product.html');
  assert.equal(none.seen['pro-plan'], false, JSON.stringify(none.seen));
});

test('the site can keep pushing to window.vario after the tag ran, without an error', async () => {
  const visitor = await visitorPage(browser);
  try {
    await visitor.context.addInitScript(() => (window.vario = [['attributes', { plan: 'pro' }]]));
    await visitor.page.goto(server.url('/product.html'));
    await tagSettled(visitor.page);
    const queued = await visitor.page.evaluate(() => [
      window.vario.push(['attributes', { plan: 'basic' }], ['track', 'signup']),
      window.vario.push(null),
      window.vario.length,
      Array.isArray(window.vario),
    ]);
    assert.deepEqual(queued, [3, 4, 4, true], 'push returns the new length and records every command');
    assert.equal(await visitor.page.textContent('#product-title'), change('pro-plan').value, 'the run used the first push');
    assert.deepEqual(visitor.pageErrors, []);
  } finally {
    await visitor.close();
  }
});

test('a campaign on a data layer value follows the most recent data layer entry that has it', async () => {
  const big = await visit('/product.html', {
    page: () => (window.dataLayer = [{ ecommerce: { value: 20 } }, { event: 'add_to_cart', ecommerce: { value: 64 } }, { event: 'scroll' }]),
  });
  assert.equal(big.seen['big-cart'], true, JSON.stringify(big.seen));
  assert.equal(big.seen['pro-plan'], false);

  const small = await visit('/product.html', {
    page: () => (window.dataLayer = [{ ecommerce: { value: 64 } }, { event: 'remove_from_cart', ecommerce: { value: 20 } }]),
  });
  assert.equal(small.seen['big-cart'], false, JSON.stringify(small.seen));
});

test('a campaign on a cookie applies to visitors who have it, with its value', async () => {
  const lover = await visit('/product.html', { cookies: [{ name: 'segment', value: 'coffee-lover' }] });
  assert.equal(lover.seen['coffee-lover'], true, JSON.stringify(lover.seen));

  const other = await visit('/product.html', { cookies: [{ name: 'segment', value: 'tea-lover' }] });
  assert.equal(other.seen['coffee-lover'], false, JSON.stringify(other.seen));
  const none = await visit('/product.html');
  assert.equal(none.seen['coffee-lover'], false, JSON.stringify(none.seen));
});

test('a regex page rule selects the pages it matches, by the browser\'s RegExp', async () => {
  for (const [path, expected] of [['/product.html', true], ['/cart.html', true], ['/index.html', false], ['/', false]]) {
    const { seen } = await visit(path);
    assert.equal(seen['regex-pages'], expected, `${path}: ${JSON.stringify(seen)}`);
  }
});
