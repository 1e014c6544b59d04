// The browser's engine (vario.wasm through js-shim/loader.js) and the native one (`vario decide`)
// give the same decisions, byte for byte, for the same visitors.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildCampaignsBin, campaignsPath, makeTempDir, readCampaignsJson, runCli, sourceDir } from './helpers/env.mjs';
import { engineFor, fakeHost, seededRandom } from './helpers/fake_host.mjs';

const kVisitors = 1000;
// Weighted towards product pages so that the split check has a few hundred of them.
const kPaths = [
  '/product.html',
  '/product.html',
  '/product.html',
  '/product.html?ref=x',
  '/products/aurora-pour-over.html',
  '/cart.html',
  '/',
  '/about/product.html',
];

function visitorLines(seed) {
  const random = seededRandom(seed);
  const hex = () => random().toString(16).padStart(8, '0');
  return Array.from({ length: kVisitors }, () => {
    const id = hex() + hex() + hex() + hex();
    const url = 'https://shop.example' + kPaths[random() % kPaths.length];
    return JSON.stringify({ id, url, attributes: {} });
  });
}

let temp;
let engine;
before(async () => {
  temp = makeTempDir();
  engine = await engineFor(fakeHost(), buildCampaignsBin());
});
after(() => temp?.remove());

test('native and wasm agree bit for bit on 1,000 generated visitors', () => {
  const lines = visitorLines(20240601);
  const file = join(temp.dir, 'visitors.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  const native = runCli(['decide', campaignsPath, '--visitors', file]).split('\n');
  assert.equal(native.pop(), '', 'native output ends with a newline');
  assert.equal(native.length, lines.length, 'one native line per visitor');

  let mismatches = 0;
  for (let i = 0; i < lines.length; i++) {
    const wasm = engine.decide(lines[i]);
    if (wasm !== native[i] && mismatches++ < 3) {
      assert.equal(wasm, native[i], `visitor ${i + 1}: ${lines[i]}`);
    }
  }
  assert.equal(mismatches, 0);
});

test('the demo campaign splits product-page visitors about 50/50 and leaves other pages alone', (t) => {
  const campaign = readCampaignsJson().campaigns.find((c) => c.id == 'product-headline');
  const counts = Object.fromEntries(campaign.variations.map((v) => [v.id, 0]));
  let productViews = 0;
  for (const line of visitorLines(20240601)) {
    const { url } = JSON.parse(line);
    const decision = JSON.parse(engine.decide(line)).decisions.find((d) => d.campaign == campaign.id);
    const onProduct = new URL(url).pathname.startsWith('/product');
    assert.equal(decision?.applied ?? false, onProduct, `applied on ${url}`);
    if (!onProduct) continue;
    productViews++;
    counts[decision.variation]++;
  }
  t.diagnostic(`${productViews} product page views: ${JSON.stringify(counts)}`);
  assert.ok(productViews > 400, `${productViews} product page views`);
  const totalWeight = campaign.variations.reduce((sum, v) => sum + v.weight, 0);
  for (const { id, weight } of campaign.variations) {
    const share = counts[id] / productViews;
    assert.ok(
      Math.abs(share - weight / totalWeight) <= 0.05,
      `${id}: ${counts[id]} of ${productViews} (${(share * 100).toFixed(1)}%, weight ${weight})`,
    );
  }
});

// Audiences (every family of operator, regular expressions answered by RegExp in wasm and by
// std::regex natively), GrowthBook hash schemes, groups, holdouts, schedules and consent.
const targetingPath = join(sourceDir, 'tests/wasm/fixtures/targeting.json');
const kUserAgents = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
];

function targetingVisitors(seed) {
  const random = seededRandom(seed);
  const pick = (list) => list[random() % list.length];
  const hex = () => random().toString(16).padStart(8, '0');
  return Array.from({ length: kVisitors }, (_, i) => {
    const attributes = {
      plan: pick(['free', 'pro', 'team', 'PRO']),
      age: pick([12, 18, 30, 64, 65, '40', null]),
      tags: pick([[], ['vip'], ['new', 'vip'], ['new']]),
      email: pick(['a@example.com', 'b@EXAMPLE.COM', 'c@example.org']),
      appVersion: pick(['2.2.9', '2.3.0', '2.10.1', 'v2.3.0-beta', '3']),
      userId: pick(['u1', 'u2', 'u7', 'u99', `user-${i}`]),
      country: pick(['DE', 'FR', 'US', 'IT']),
      segment: pick(['high-value', 'low']),
    };
    if (random() % 7 == 0) delete attributes.age;
    return JSON.stringify({
      id: hex() + hex() + hex() + hex(),
      url: 'https://shop.example' + pick(['/product.html', '/cart.html?utm=sale', '/cart.html', '/index.html', '/products/x']),
      consent: pick(['granted', 'denied', 'pending']),
      userAgent: pick(kUserAgents),
      now: 1767225600000 + (random() % 200) * 86400000,
      attributes,
    });
  });
}

test('native and wasm agree bit for bit on audiences, hash schemes, groups and holdouts', async (t) => {
  const wasm = await engineFor(fakeHost(), buildCampaignsBin(targetingPath));
  const lines = targetingVisitors(7);
  const file = join(temp.dir, 'targeting-visitors.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  const native = runCli(['decide', targetingPath, '--visitors', file]).split('\n');
  native.pop();
  assert.equal(native.length, lines.length);
  const reasons = {};
  let mismatches = 0;
  for (let i = 0; i < lines.length; i++) {
    const decided = wasm.decide(lines[i]);
    if (decided !== native[i] && mismatches++ < 3) assert.equal(decided, native[i], `visitor ${i + 1}: ${lines[i]}`);
    for (const d of JSON.parse(decided).decisions) {
      const key = `${d.campaign}: ${d.applied ? 'applied' : d.reason.replace(/ \(.*$/, '').replace(/\d+/g, 'N')}`;
      reasons[key] = (reasons[key] || 0) + 1;
    }
  }
  assert.equal(mismatches, 0);
  // Every campaign both applies to some visitors and not to others, so each path was exercised.
  for (const id of ['pro-upsell', 'gb-v1', 'gb-v2', 'checkout-other', 'dmp']) {
    assert.ok(reasons[`${id}: applied`] > 0, `${id} applied to nobody: ${JSON.stringify(reasons)}`);
  }
  t.diagnostic(JSON.stringify(reasons));
});
