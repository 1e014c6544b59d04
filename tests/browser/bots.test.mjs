// Bots and automated browsers get the original page and count for nothing, unless the campaigns
// say "bots": "include". The automated browser here is Chromium exactly as Playwright launches
// it: navigator.webdriver is true and the user agent says HeadlessChrome.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { makeTempDir } from '../wasm/helpers/env.mjs';
import { launchBrowser, readCampaignsJson, startServer, tagSettled, visitorPage } from './helpers/harness.mjs';

const kCampaign = 'product-headline';
const kOriginalTitle = 'Aurora Pour-Over Brewer';

let temp;
let demo; // the demo shop as published: bots excluded by default
let including; // the same campaigns with "bots": "include"
let automation;
let titles;
before(async () => {
  temp = makeTempDir();
  const campaigns = readCampaignsJson();
  assert.equal(campaigns.bots, undefined, 'the demo campaigns keep the default');
  const path = join(temp.dir, 'campaigns.json');
  writeFileSync(path, JSON.stringify({ ...campaigns, bots: 'include' }));
  titles = campaigns.campaigns
    .find((c) => c.id == kCampaign)
    .variations.map((v) => v.changes.find((c) => c.selector == '#product-title')?.value ?? kOriginalTitle);
  [demo, including, automation] = await Promise.all([startServer(), startServer({ campaigns: path }), launchBrowser({ automation: true })]);
});
after(async () => {
  await automation?.close();
  await Promise.all([demo?.stop(), including?.stop()]);
  temp?.remove();
});

// Visits the product page twice (the second view would find a stored assignment); returns what
// the automated visitor saw and stored.
async function automatedVisit(server) {
  const visitor = await visitorPage(automation);
  try {
    const shown = [];
    for (let i = 0; i < 2; i++) {
      await visitor.page.goto(server.url('/product.html'));
      await tagSettled(visitor.page);
      shown.push((await visitor.page.textContent('#product-title')).trim());
    }
    const automated = await visitor.page.evaluate(() => [navigator.webdriver, navigator.userAgent]);
    assert.equal(automated[0], true, 'navigator.webdriver');
    assert.match(automated[1], /HeadlessChrome/);
    assert.deepEqual(visitor.pageErrors, []);
    return { shown, cookies: await visitor.context.cookies() };
  } finally {
    await visitor.close();
  }
}

test('by default an automated browser sees the original page, stores nothing and sends nothing', async () => {
  const before = await demo.stats();
  const { shown, cookies } = await automatedVisit(demo);
  assert.deepEqual(shown, [kOriginalTitle, kOriginalTitle]);
  assert.deepEqual(cookies.filter((c) => c.name.startsWith('vario')), [], 'nothing stored');
  await sleep(500); // time for an event that should not have been sent to arrive
  const after = await demo.stats();
  assert.equal(after.events, before.events, `no events: ${JSON.stringify(after)}`);
});

test('with "bots": "include" an automated browser is allocated like any visitor', async () => {
  const { shown, cookies } = await automatedVisit(including);
  assert.ok(titles.includes(shown[0]), `"${shown[0]}" is one of the variations' headlines`);
  assert.equal(shown[1], shown[0], 'and keeps it');
  assert.ok(cookies.some((c) => decodeURIComponent(c.value).includes(`${kCampaign}=`)), 'the assignment is stored');
});
