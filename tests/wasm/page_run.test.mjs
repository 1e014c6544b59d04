// A whole page run of vario.wasm through the tag's loader, against the in-memory host: what the
// engine changes, stores and sends, as a browser would see it.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { buildCampaignsBin, buildCampaignsBinOf, readCampaignsJson } from './helpers/env.mjs';
import { engineFor, fakeHost, productPage } from './helpers/fake_host.mjs';

const kProductUrl = 'https://shop.example/product.html';
const kOriginalTitle = 'Aurora Pour-Over Brewer';

let campaignsBin;
let demo;
let campaign;
before(() => {
  campaignsBin = buildCampaignsBin();
  demo = readCampaignsJson();
  campaign = demo.campaigns.find((c) => c.id == 'product-headline');
});

// The headline a variation shows: its set_text value for #product-title, else the original.
const expectedTitle = (variationId) =>
  campaign.variations.find((v) => v.id == variationId).changes.find((c) => c.selector == '#product-title')
    ?.value ?? kOriginalTitle;

async function runPage(host, url = kProductUrl) {
  const engine = await engineFor(host, campaignsBin);
  const result = JSON.parse(engine.start(JSON.stringify({ url, referrer: '' })));
  return { result, decision: result.decisions.find((d) => d.campaign == campaign.id) };
}

test('a product page run shows the variation, reveals, stores the assignment and sends one impression', async () => {
  const seen = new Set();
  // Fresh visitors (seeds) until each variation has been through the checks.
  for (let seed = 1; seed <= 20 && seen.size < campaign.variations.length; seed++) {
    const host = fakeHost({ elements: productPage(), seed });
    const { decision } = await runPage(host);
    const where = `seed ${seed}, ${decision.variation}`;
    seen.add(decision.variation);

    assert.equal(decision.applied, true, JSON.stringify(decision));
    assert.equal(host.elements[0].text, expectedTitle(decision.variation), where);
    assert.equal(host.elements[1].text, '€49', 'elements no campaign targets are untouched');
    assert.ok(host.reveals >= 1, 'reveal was called');

    // Consent is required and absent: the assignment is the only thing stored.
    assert.ok(
      host.writes.some(([, value]) => value.includes(campaign.id) && value.includes(decision.variation)),
      `an assignment cookie is written: ${JSON.stringify(host.writes)}`,
    );
    assert.equal(new Set(host.writes.map(([key]) => key)).size, 1, `only the assignment is stored: ${JSON.stringify(host.writes)}`);
    for (const [, , maxAge] of host.writes) assert.ok(maxAge > 0 && maxAge <= 13 * 31 * 86400, `max age ${maxAge}`);

    assert.equal(host.sends.length, 1, `exactly one send (${where})`);
    const { url, body } = host.sends[0];
    assert.equal(url, new URL(demo.collector ?? '/v1/events', kProductUrl).href);
    const [impression] = JSON.parse(body).events;
    assert.equal(impression.type, 'impression');
    assert.equal(impression.campaign, campaign.id);
    assert.equal(impression.variation, decision.variation);
    assert.match(impression.id, /^[0-9a-f]{32}$/);
    assert.equal(typeof impression.ts, 'number');
    assert.equal(impression.account, 'demo-shop');
    assert.ok(!('visitor' in impression), `no visitor id without consent: ${body}`);
  }
  assert.equal(seen.size, campaign.variations.length, `variations seen: ${[...seen]}`);
});

test('a returning visitor keeps its variation whatever the fresh random ids would have bucketed', async () => {
  const cookies = new Map();
  const first = await runPage(fakeHost({ elements: productPage(), cookies, seed: 1 }));

  const seen = new Set();
  for (let seed = 2; seed < 12; seed++) {
    const host = fakeHost({ elements: productPage(), cookies, seed });
    const { decision } = await runPage(host);
    assert.equal(decision.variation, first.decision.variation, `page view with seed ${seed}`);
    assert.equal(host.elements[0].text, expectedTitle(first.decision.variation));
    // The same seeds without the cookie jar: the stickiness above came from storage alone.
    seen.add((await runPage(fakeHost({ elements: productPage(), seed }))).decision.variation);
  }
  assert.equal(seen.size, campaign.variations.length, 'fresh visitors reach every variation');
});

test('a page no campaign targets is revealed, left unchanged, and sends nothing', async () => {
  // The demo's product test alone: the demo also has a patch for every page.
  const only = buildCampaignsBinOf({ ...demo, campaigns: [campaign] });
  const host = fakeHost({ elements: productPage(), seed: 3 });
  const engine = await engineFor(host, only);
  const result = JSON.parse(engine.start(JSON.stringify({ url: 'https://shop.example/cart.html', referrer: '' })));
  assert.ok(result.decisions.every((d) => !d.applied), JSON.stringify(result));
  assert.equal(host.elements[0].text, kOriginalTitle);
  assert.ok(host.reveals >= 1, 'reveal was called');
  assert.deepEqual(host.sends, []);
});
