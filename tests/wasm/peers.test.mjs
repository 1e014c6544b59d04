// The engine decides as the SDKs teams migrate from do, on a small version of scripts/bench's
// workload (Mongo-style audiences with $eq $in $regex $gt $and $or, 2-3 variations, 80%
// traffic): with FNV-1a v2 every assignment equals GrowthBook's (its browser bundle), with
// MurmurHash3 every audience result and assignment equals Optimizely's on the same audiences.
// The page path (Engine::start, as the tag calls it) and decide agree as well.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { growthbook, optimizely, varioDecide, varioPage } from '../../scripts/bench-lib/contenders.mjs';
import { growthbookExperiments, optimizelyDatafile, workload } from '../../scripts/bench-lib/workload.mjs';
import { buildCampaignsBinOf, readWasm } from './helpers/env.mjs';

const kCampaigns = 20;
const kVisitors = 300;
const fnv = workload({ campaigns: kCampaigns, visitors: kVisitors, seed: 5 });
const murmur = workload({ campaigns: kCampaigns, visitors: kVisitors, seed: 5, hash: 'murmur3' });

let fnvBin;
let murmurBin;
before(() => {
  fnvBin = buildCampaignsBinOf(fnv.doc);
  murmurBin = buildCampaignsBinOf(murmur.doc);
});

// The variation index each campaign gave the visitor, -1 for none.
const indexes = (doc, decisionsJson) =>
  JSON.parse(decisionsJson).decisions.map((d, i) =>
    d.applied ? doc.campaigns[i].variations.findIndex((v) => v.id == d.variation) : -1);

test('with FNV-1a v2 every assignment equals GrowthBook runInlineExperiment, on the page path and in decide', async (t) => {
  const peer = await growthbook(growthbookExperiments(fnv.doc));
  const decide = await varioDecide(readWasm(), fnvBin);
  const page = await varioPage(readWasm(), fnvBin);
  let assigned = 0;
  for (const visitor of fnv.visitors) {
    const theirs = peer.visit(visitor);
    const decided = indexes(fnv.doc, decide.visit(visitor));
    assert.deepEqual(decided, theirs, `decide, visitor ${visitor.id}`);
    assert.deepEqual(indexes(fnv.doc, page.visit(visitor)), theirs, `page path, visitor ${visitor.id}`);
    assigned += decided.filter((i) => i >= 0).length;
  }
  t.diagnostic(`${assigned} of ${kCampaigns * kVisitors} pairs in a variation`);
  // Both outcomes are exercised: some visitors in, most out (audiences and traffic).
  assert.ok(assigned > 100 && assigned < kCampaigns * kVisitors / 2, `${assigned} assigned`);
});

test('with MurmurHash3 every audience result and assignment equals Optimizely getVariation', async () => {
  const peer = await optimizely(optimizelyDatafile(murmur.doc));
  const decide = await varioDecide(readWasm(), murmurBin);
  for (const visitor of murmur.visitors) {
    const mine = JSON.parse(decide.visit(visitor)).decisions.map((d) => d.variation ?? null);
    assert.deepEqual(mine, peer.visit(visitor), `visitor ${visitor.id}`);
  }
});
