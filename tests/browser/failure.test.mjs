// Whatever breaks in the tag's loading, the visitor gets the original page, promptly, and the
// page's own scripts never see an error.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, readCampaignsJson, startServer, visitorPage, whenVisible } from './helpers/harness.mjs';

const kOriginalTitle = 'Aurora Pour-Over Brewer';
// Some slack over the tag's reveal bound for a loaded machine.
const kRevealSlackMs = 1_500;

let server;
let browser;
let revealBoundMs;
before(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  revealBoundMs = readCampaignsJson().anti_flicker_ms ?? 1500;
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// Bytes with one byte flipped: still served with 200, but no longer what the tag pins (the SRI
// hash of tag.js, the engine's SHA-256, the campaigns file's signature).
const tamper = async (route) => {
  const response = await route.fetch();
  const body = Buffer.from(await response.body());
  body[body.length >> 1] ^= 0x01;
  await route.fulfill({ response, body });
};

const failures = [
  { what: 'the engine download is aborted', path: '**/vario/vario.*.wasm', handle: (route) => route.abort() },
  { what: 'the campaigns are missing (404)', path: '**/vario/campaigns.bin', handle: (route) => route.fulfill({ status: 404, body: 'not found' }) },
  { what: 'the campaigns fail their signature check', path: '**/vario/campaigns.bin', handle: tamper },
  { what: 'the engine fails its integrity check', path: '**/vario/vario.*.wasm', handle: tamper },
  { what: 'the tag itself is missing (404)', path: '**/vario/tag.js', handle: (route) => route.fulfill({ status: 404, body: 'not found' }), tagRuns: false },
  { what: 'the tag itself fails its integrity check', path: '**/vario/tag.js', handle: tamper, tagRuns: false },
];

for (const { what, path, handle, tagRuns = true } of failures) {
  test(`when ${what}, the page shows its original headline, visible, without a page error`, async () => {
    const visitor = await visitorPage(browser);
    try {
      await visitor.page.route(path, handle);
      await visitor.page.goto(server.url('/product.html'), { waitUntil: 'domcontentloaded' });
      const { text, afterMs } = await whenVisible(visitor.page, '#product-title', revealBoundMs + kRevealSlackMs);
      assert.equal(text.trim(), kOriginalTitle);
      assert.ok(afterMs <= revealBoundMs + kRevealSlackMs, `visible ${afterMs} ms after DOMContentLoaded`);
      await visitor.page.waitForLoadState('load');
      assert.deepEqual(visitor.pageErrors, []);
      if (tagRuns) {
        // The tag gave up with exactly one warning and took its anti-flicker rule away.
        await visitor.page.waitForFunction(() => document.adoptedStyleSheets.length == 0, null, { timeout: 1_000 });
        assert.equal(visitor.varioMessages.length, 1, visitor.varioMessages.join('\n'));
        assert.match(visitor.varioMessages[0], /^warning: \[vario\] /);
      } else {
        assert.deepEqual(visitor.varioMessages, []);
      }
      assert.equal(await visitor.page.textContent('#product-title'), kOriginalTitle);
    } finally {
      await visitor.close();
    }
  });
}
