// One cold start, in a fresh Node process (scripts/bench runs this ≥ 10 times per contender):
// from nothing to the decisions for the first visitor of every campaign. Prints {ms} as JSON.
//   node cold.mjs vario <vario.wasm> <campaigns.bin> <visitor.json>
//   node cold.mjs growthbook <experiments.json> <visitor.json>
//   node cold.mjs optimizely <datafile.json> <visitor.json>
// For Vario: compile + instantiate the module, load the campaigns, start the page (the tag's
// path). For the peers: import the bundle, construct, evaluate every experiment. The files are
// read before the clock starts: fetching them is the network's part.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [kind, ...files] = process.argv.slice(2);
const visitor = JSON.parse(readFileSync(files.at(-1), 'utf8'));
let ms;
if (kind == 'vario') {
  const wasm = readFileSync(files[0]);
  const bin = readFileSync(files[1]);
  const { varioPage } = await import('./contenders.mjs');
  const t0 = performance.now();
  const page = await varioPage(await WebAssembly.compile(wasm), bin);
  page.visit(visitor);
  ms = performance.now() - t0;
} else {
  const text = readFileSync(files[0], 'utf8');
  const contenders = await import('./contenders.mjs');
  const t0 = performance.now();
  const data = JSON.parse(text);
  const peer = kind == 'growthbook' ? await contenders.growthbook(data) : await contenders.optimizely(data);
  peer.visit(visitor);
  ms = performance.now() - t0;
}
console.log(JSON.stringify({ ms }));
