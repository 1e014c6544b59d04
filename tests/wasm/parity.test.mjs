// The browser's engine (vario.wasm through js-shim/loader.js) and the native one (`vario decide`)
// give the same decisions, byte for byte, for the same visitors.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildCampaignsBin, campaignsPath, makeTempDir, readCampaignsJson, runCli } from './helpers/env.mjs';
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
