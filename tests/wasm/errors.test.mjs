// Every engine failure reaches JavaScript as one VarioError carrying the envelope's code and
// message, thrown by the loader's single unpack helper.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { VarioError } from '../../js-shim/loader.js';
import { buildCampaignsBin } from './helpers/env.mjs';
import { engineFor, fakeHost } from './helpers/fake_host.mjs';

const kInvalidArgument = 1;
const kBadConfig = 2;
const kNotLoaded = 3;

const visitor = JSON.stringify({ id: '0123456789abcdef0123456789abcdef', url: 'https://shop.example/product.html', attributes: {} });

// assert.throws with a check of the code and a non-empty message.
const throwsVarioError = (fn, code) =>
  assert.throws(fn, (error) => {
    assert.ok(error instanceof VarioError && error instanceof Error, `not a VarioError: ${error}`);
    assert.equal(error.code, code, error.message);
    assert.ok(error.message.length > 0, 'the error has a message');
    return true;
  });

let campaignsBin;
before(() => {
  campaignsBin = buildCampaignsBin();
});

test('deciding before any campaigns are loaded fails with code 3 (not loaded)', async () => {
  const engine = await engineFor(fakeHost());
  throwsVarioError(() => engine.decide(visitor), kNotLoaded);
  throwsVarioError(() => engine.start(JSON.stringify({ url: 'https://shop.example/', referrer: '' })), kNotLoaded);
});

test('malformed visitor JSON fails with code 1 (invalid argument) and a message', async () => {
  const engine = await engineFor(fakeHost(), campaignsBin);
  for (const bad of ['{"id": "abc", "url": ', 'not json', '', '[]']) {
    throwsVarioError(() => engine.decide(bad), kInvalidArgument);
  }
  // A misspelt field is refused, as `vario decide` refuses it.
  const misspelt = JSON.stringify({ ...JSON.parse(visitor), assigments: {} });
  assert.throws(() => engine.decide(misspelt), {
    message: "visitor: /assigments is not a visitor field; did you mean 'assignments'?",
  });
  // The engine is still usable after an error.
  assert.match(engine.decide(visitor), /"decisions"/);
});

test('a malformed page context fails with code 1 (invalid argument)', async () => {
  const engine = await engineFor(fakeHost(), campaignsBin);
  throwsVarioError(() => engine.start('{"referrer": ""}'), kInvalidArgument);
  throwsVarioError(() => engine.start('{'), kInvalidArgument);
});

test('corrupt campaigns bytes fail with code 2 (bad config)', async () => {
  const engine = await engineFor(fakeHost());
  const flipped = Uint8Array.from(campaignsBin);
  for (let i = 0; i < flipped.length; i += 7) flipped[i] ^= 0x5a;
  for (const bytes of [new Uint8Array(0), Uint8Array.of(1, 2, 3), campaignsBin.subarray(0, campaignsBin.length >> 1), flipped]) {
    throwsVarioError(() => engine.load(bytes), kBadConfig);
  }
  throwsVarioError(() => engine.decide(visitor), kNotLoaded);
});
