// Signed preview links in Chromium: a link signed with the campaigns' preview key shows the
// variation it forces, on every page of the visit, and nothing else can (fixtures/preview.json,
// whose one campaign has no traffic, with a key made for this run).
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../wasm/helpers/env.mjs';
import { launchBrowser, startServer, tagSettled, visitorPage } from './helpers/harness.mjs';

const kFixture = fileURLToPath(new URL('fixtures/preview.json', import.meta.url));
const kCampaign = 'new-headline';
const kPreviewed = 'Previewed headline';

const ecKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const { privateKey, publicKey } = ecKey();

// TOKEN = base64url(payload JSON) "." base64url(ECDSA P-256 SHA-256 signature, r||s).
function previewToken(payload, key = privateKey) {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return body + '.' + sign('sha256', Buffer.from(body), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
}
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
const forced = (variation = 'bold', exp = inAnHour()) => ({ v: 1, forced: { [kCampaign]: variation }, exp });

let temp;
let server;
let browser;
before(async () => {
  temp = makeTempDir();
  const campaigns = JSON.parse(readFileSync(kFixture, 'utf8'));
  campaigns.preview = { public_key: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') };
  const path = join(temp.dir, 'campaigns.json');
  writeFileSync(path, JSON.stringify(campaigns, null, 2));
  [server, browser] = await Promise.all([startServer({ campaigns: path }), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
  temp?.remove();
});

// The first-level headline once the tag is done with the page.
async function headline(page, path) {
  if (path) await page.goto(server.url(path));
  await tagSettled(page);
  return (await page.textContent('h1')).trim();
}

test('a signed preview link shows the forced variation, and keeps showing it on the next page', async () => {
  const initial = await server.stats();
  const visitor = await visitorPage(browser);
  try {
    const original = await headline(visitor.page, '/product.html');
    assert.notEqual(original, kPreviewed, 'without the link, nobody sees the campaign (traffic 0)');

    const link = `/product.html?vario_preview=${previewToken(forced())}`;
    assert.equal(await headline(visitor.page, link), kPreviewed, 'the link forces the variation');

    // Onwards through the site's own navigation, without the parameter.
    await visitor.page.click('.site-nav a[href="cart.html"]');
    await visitor.page.waitForURL(/\/cart\.html$/);
    assert.equal(await headline(visitor.page), kPreviewed, 'the next page is previewed too');

    const cookies = await visitor.context.cookies();
    assert.ok(cookies.some((c) => c.name == 'vario_preview'), `the token is kept in a cookie: ${JSON.stringify(cookies)}`);
    assert.ok(!cookies.some((c) => decodeURIComponent(c.value).includes(`${kCampaign}=`)), 'no assignment is stored');
    assert.deepEqual(visitor.pageErrors, []);
    assert.deepEqual(await visitor.cspViolations(), []);
  } finally {
    await visitor.close();
  }
  await sleep(500); // time for an event that should not have been sent to arrive
  const stats = await server.stats();
  assert.deepEqual(stats.impressions?.[kCampaign] ?? {}, initial.impressions?.[kCampaign] ?? {}, 'preview pages send no impression');
});

test('a preview link that is not signed with the campaigns\' key, altered or expired shows the original', async () => {
  const exp = inAnHour();
  const token = previewToken(forced('bold', exp));
  const [, signature] = token.split('.');
  const links = {
    'signed with another key': previewToken(forced(), ecKey().privateKey),
    'altered after signing': `${Buffer.from(JSON.stringify(forced('bold', exp + 3600))).toString('base64url')}.${signature}`,
    'with a truncated signature': token.slice(0, -4),
    'not a token': 'hello',
    expired: previewToken(forced('bold', Math.floor(Date.now() / 1000) - 60)),
  };
  for (const [what, link] of Object.entries(links)) {
    const visitor = await visitorPage(browser);
    try {
      const shown = await headline(visitor.page, `/product.html?vario_preview=${encodeURIComponent(link)}`);
      assert.notEqual(shown, kPreviewed, `a link ${what}`);
      assert.ok(!(await visitor.context.cookies()).some((c) => c.name == 'vario_preview'), `a link ${what} is not kept`);
      assert.deepEqual(visitor.pageErrors, [], what);
    } finally {
      await visitor.close();
    }
  }
});
