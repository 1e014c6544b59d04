// The contenders of scripts/bench, each ready to evaluate one visitor against every campaign of
// the workload: Vario's wasm through the page path (Engine::start, as the tag calls it) and
// through decide, GrowthBook's prebuilt browser bundle and Optimizely's SDK. Shared by the
// in-process timing (bench.mjs) and the cold-start child (cold.mjs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { instantiateEngine } from '../../js-shim/loader.js';
import { fakeHost } from '../../tests/wasm/helpers/fake_host.mjs';
import { sourceDir } from '../../tests/wasm/helpers/env.mjs';
import { pageContextJson, visitorJson } from './workload.mjs';

export const growthbookBundle = join(sourceDir, 'node_modules/@growthbook/growthbook/dist/bundles/esm.min.js');
export const growthbookScriptTag = join(sourceDir, 'node_modules/@growthbook/growthbook/dist/bundles/auto.min.js');
export const optimizelyBundle = join(sourceDir, 'node_modules/@optimizely/optimizely-sdk/dist/index.node.es.min.mjs');
export const optimizelyBrowserBundle = join(sourceDir, 'node_modules/@optimizely/optimizely-sdk/dist/index.browser.es.min.js');
export const packageVersion = (name) =>
  JSON.parse(readFileSync(join(sourceDir, 'node_modules', name, 'package.json'), 'utf8')).version;

// The host the page path runs on: fake_host's DOM-less page, with the tag's own regex cache
// (js-shim/host.js), and a cookie jar that holds only this visitor's id, so each start is a
// first page view of a known visitor (the id is the one GrowthBook hashes).
export function pageHost() {
  const host = fakeHost();
  const regexes = {};
  host.regexTest = (pattern, flags, subject) => {
    try {
      const regex = (regexes[flags + '/' + pattern] ||= new RegExp(pattern, flags));
      regex.lastIndex = 0;
      return regex.test(subject);
    } catch {
      return null;
    }
  };
  host.regexQuestions = 0;
  const test = host.regexTest;
  host.countRegex = () => {
    host.regexTest = (...args) => (host.regexQuestions++, test(...args));
  };
  host.send = () => true;
  host.storageWrite = (key, value) => void host.cookies.set(key, value);
  host.log = () => {};
  host.visit = (visitor) => {
    host.cookies.clear();
    host.cookies.set('vario_id', visitor.id);
  };
  return host;
}

// The loader keeps the module's exports to itself; the benchmark reads the linear memory's size
// by catching the instance as it is made.
async function instantiateWatched(wasm, host) {
  const instantiate = WebAssembly.instantiate;
  let memory;
  WebAssembly.instantiate = async (...a) => {
    const result = await instantiate(...a);
    memory = (result.instance ?? result).exports.memory;
    return result;
  };
  try {
    return { engine: await instantiateEngine(wasm, host), memory };
  } finally {
    WebAssembly.instantiate = instantiate;
  }
}

// Vario through the page path: returns visit(visitor) -> decisions JSON.
export async function varioPage(wasm, campaignsBin) {
  const host = pageHost();
  const { engine, memory } = await instantiateWatched(wasm, host);
  engine.load(campaignsBin);
  return {
    host,
    engine,
    memory,
    visit(visitor) {
      host.visit(visitor);
      return engine.start(pageContextJson(visitor));
    },
  };
}

// Vario through decide (vario_decide, what `vario decide` runs): explains every campaign.
export async function varioDecide(wasm, campaignsBin) {
  const host = pageHost();
  const engine = await instantiateEngine(wasm, host);
  engine.load(campaignsBin);
  return { host, engine, visit: (visitor) => engine.decide(visitorJson(visitor)) };
}

// GrowthBook: its prebuilt ES bundle. `api` chooses the idiom:
//   "client": one GrowthBookClient, runInlineExperiment(experiment, {attributes}) per visitor;
//   "instance": a new GrowthBook({attributes}) per visitor, then run(experiment).
// Returns visit(visitor) -> [variation index or -1 per experiment].
export async function growthbook(experiments, api = 'client') {
  const gb = await import(pathToFileURL(growthbookBundle));
  const trackingCallback = () => {};
  const results = (run) => experiments.map((e) => {
    const r = run(e);
    return r.inExperiment ? r.variationId : -1;
  });
  if (api == 'instance') {
    return {
      visit(visitor) {
        const instance = new gb.GrowthBook({ attributes: visitor.attributes, trackingCallback });
        const out = results((e) => instance.run(e));
        instance.destroy();
        return out;
      },
    };
  }
  const client = new gb.GrowthBookClient({ trackingCallback });
  await client.init({ payload: { features: {} } });
  return { visit: (visitor) => results((e) => client.runInlineExperiment(e, { attributes: visitor.attributes })) };
}

// Optimizely: a client on the translated datafile; getVariation per experiment (no events).
// Returns visit(visitor) -> [variation key or null per experiment].
export async function optimizely(datafile) {
  const sdk = await import(pathToFileURL(optimizelyBundle));
  const client = sdk.createInstance({
    projectConfigManager: sdk.createStaticProjectConfigManager({ datafile: JSON.stringify(datafile) }),
  });
  await client.onReady();
  const keys = datafile.experiments.map((e) => e.key);
  return { client, visit: (visitor) => keys.map((k) => client.getVariation(k, visitor.id, visitor.attributes)) };
}
