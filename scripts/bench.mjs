// scripts/bench: Vario against the JavaScript SDKs, side by side in one run (issue 10), and the
// table it writes into docs/performance.md. See scripts/bench for the options.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { cli, sourceDir, wasmDir } from '../tests/wasm/helpers/env.mjs';
import * as contenders from './bench-lib/contenders.mjs';
import { growthbookExperiments, optimizelyDatafile, workload } from './bench-lib/workload.mjs';
import { chromium } from './bench-lib/chromium.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const kCampaigns = option('--campaigns', 100);
const kVisitors = option('--visitors', 10000);
const kRounds = option('--rounds', 9);
const kWarmup = 2;
const kChunk = option('--chunk', 1000);
const kColdRuns = option('--cold', 11);
const kLoads = option('--loads', 21);
const write = !flag('--no-write');

const temp = mkdtempSync(join(tmpdir(), 'vario-bench-'));
const log = (...m) => console.error('bench:', ...m);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const thousands = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function build(doc, name) {
  const dir = join(temp, name);
  const path = join(temp, `${name}.json`);
  writeFileSync(path, JSON.stringify(doc));
  execFileSync(cli, ['build', path, '-o', dir, '--engine-dir', wasmDir], { stdio: 'ignore' });
  return { path, dir, bin: readFileSync(join(dir, 'campaigns.bin')) };
}

try {
  log(`workload: ${kCampaigns} campaigns x ${kVisitors} visitors`);
  const fnv = workload({ campaigns: kCampaigns, visitors: kVisitors, seed: 1 });
  const murmur = workload({ campaigns: kCampaigns, visitors: kVisitors, seed: 1, hash: 'murmur3' });
  const fnvBuilt = build(fnv.doc, 'fnv');
  const murmurBuilt = build(murmur.doc, 'murmur');
  const wasm = readFileSync(join(wasmDir, 'vario.wasm'));
  const experiments = growthbookExperiments(fnv.doc);
  const datafile = optimizelyDatafile(murmur.doc);

  // ---- evaluation speed, one process, interleaved ----------------------------------------------
  const runners = {
    'vario-page': await contenders.varioPage(wasm, fnvBuilt.bin),
    'vario-decide': await contenders.varioDecide(wasm, fnvBuilt.bin),
    'growthbook-client': await contenders.growthbook(experiments, 'client'),
    'growthbook-instance': await contenders.growthbook(experiments, 'instance'),
    optimizely: await contenders.optimizely(datafile),
  };
  const visitorsOf = (name) => (name == 'optimizely' ? murmur.visitors : fnv.visitors);
  const samples = Object.fromEntries(Object.keys(runners).map((n) => [n, []]));
  const names = Object.keys(runners);
  for (let round = 0; round < kRounds + kWarmup; round++) {
    const from = (round * kChunk) % kVisitors;
    // A different order every round, so no contender always follows the same one.
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      const chunk = visitorsOf(name).slice(from, from + kChunk);
      const runner = runners[name];
      const t0 = process.hrtime.bigint();
      for (const v of chunk) runner.visit(v);
      const ns = Number(process.hrtime.bigint() - t0) / (chunk.length * kCampaigns);
      if (round >= kWarmup) samples[name].push(ns);
    }
    log(`round ${round + 1}/${kRounds + kWarmup}${round < kWarmup ? ' (warm-up)' : ''}`);
  }
  const speed = Object.fromEntries(names.map((n) => [n, median(samples[n])]));
  const gbApi = speed['growthbook-client'] <= speed['growthbook-instance'] ? 'client' : 'instance';
  const gbNs = speed[`growthbook-${gbApi}`];

  // Regex questions the page path asks the host per visitor, against GrowthBook's RegExp tests.
  const page = runners['vario-page'];
  page.host.countRegex();
  for (const v of fnv.visitors.slice(0, 1000)) page.visit(v);
  const regexPerVisitor = page.host.regexQuestions / 1000;
  const memoryBytes = page.memory.buffer.byteLength;

  // ---- correctness on every pair ---------------------------------------------------------------
  log('correctness: every visitor x campaign');
  const decide = runners['vario-decide'];
  const gb = runners[`growthbook-${gbApi}`];
  let gbMismatches = 0;
  let pageMismatches = 0;
  let applied = 0;
  for (const v of fnv.visitors) {
    const decisions = JSON.parse(decide.visit(v)).decisions;
    const onPage = JSON.parse(page.visit(v)).decisions;
    const theirs = gb.visit(v);
    decisions.forEach((d, i) => {
      const mine = d.applied ? fnv.doc.campaigns[i].variations.findIndex((x) => x.id == d.variation) : -1;
      if (d.applied) applied++;
      if (mine != theirs[i]) gbMismatches++;
      if ((onPage[i].variation ?? null) != (d.variation ?? null)) pageMismatches++;
    });
  }
  const murmurDecide = await contenders.varioDecide(wasm, murmurBuilt.bin);
  let optMismatches = 0;
  for (const v of murmur.visitors) {
    const decisions = JSON.parse(murmurDecide.visit(v)).decisions;
    const theirs = runners.optimizely.visit(v);
    decisions.forEach((d, i) => {
      if ((d.variation ?? null) != theirs[i]) optMismatches++;
    });
  }
  const pairs = kVisitors * kCampaigns;

  // ---- cold start: fresh processes -------------------------------------------------------------
  log(`cold start: ${kColdRuns} fresh processes each`);
  const first = join(temp, 'visitor.json');
  writeFileSync(first, JSON.stringify(fnv.visitors[0]));
  const firstMurmur = join(temp, 'visitor-murmur.json');
  writeFileSync(firstMurmur, JSON.stringify(murmur.visitors[0]));
  const experimentsPath = join(temp, 'experiments.json');
  writeFileSync(experimentsPath, JSON.stringify(experiments));
  const datafilePath = join(temp, 'datafile.json');
  writeFileSync(datafilePath, JSON.stringify(datafile));
  const coldArgs = {
    vario: ['vario', join(wasmDir, 'vario.wasm'), join(fnvBuilt.dir, 'campaigns.bin'), first],
    growthbook: ['growthbook', experimentsPath, first],
    optimizely: ['optimizely', datafilePath, firstMurmur],
  };
  const cold = { vario: [], growthbook: [], optimizely: [] };
  for (let i = 0; i < kColdRuns; i++)
    for (const [name, a] of Object.entries(coldArgs)) {
      const out = execFileSync(process.execPath, [join(sourceDir, 'scripts/bench-lib/cold.mjs'), ...a], { encoding: 'utf8' });
      cold[name].push(JSON.parse(out).ms);
    }
  const coldMs = Object.fromEntries(Object.entries(cold).map(([n, v]) => [n, median(v)]));

  // ---- native ----------------------------------------------------------------------------------
  log('native: vario simulate');
  const profiles = join(temp, 'attributes.jsonl');
  writeFileSync(profiles, fnv.visitors.map((v) => JSON.stringify(v.attributes)).join('\n') + '\n');
  const simulated = JSON.parse(
    execFileSync(cli, ['simulate', fnvBuilt.path, '--visitors', String(option('--native-visitors', 20000)), '--attributes', profiles,
      '--url', 'https://shop.example/product.html', '--json'], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] }),
  );
  const nativePerSecond = simulated.evaluations_per_second;

  // ---- sizes -----------------------------------------------------------------------------------
  const sizeOf = (bytes) => ({
    raw: bytes.length,
    gzip: execFileSync('gzip', ['-9c'], { input: bytes, maxBuffer: 64 << 20 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  });
  const tag = readFileSync(join(fnvBuilt.dir, 'tag.js'));
  const sizes = {
    'tag.js': sizeOf(tag),
    'vario.wasm': sizeOf(wasm),
    'tag + engine': sizeOf(Buffer.concat([tag, wasm])),
    'campaigns.bin (this workload)': sizeOf(fnvBuilt.bin),
    'GrowthBook script tag (auto.min.js)': sizeOf(readFileSync(contenders.growthbookScriptTag)),
    'GrowthBook ES bundle (esm.min.js)': sizeOf(readFileSync(contenders.growthbookBundle)),
    'Optimizely browser bundle (index.browser.es.min.js)': sizeOf(readFileSync(contenders.optimizelyBrowserBundle)),
  };
  // Compressed separately, as they are served: the sum of the two files' gzip sizes.
  sizes['tag + engine'] = {
    raw: sizes['tag.js'].raw + sizes['vario.wasm'].raw,
    gzip: sizes['tag.js'].gzip + sizes['vario.wasm'].gzip,
    brotli: sizes['tag.js'].brotli + sizes['vario.wasm'].brotli,
  };

  // ---- Chromium --------------------------------------------------------------------------------
  const browser = flag('--no-browser') ? null : await chromium(kLoads, log);

  // ---- the table -------------------------------------------------------------------------------
  const versions = {
    growthbook: contenders.packageVersion('@growthbook/growthbook'),
    optimizely: contenders.packageVersion('@optimizely/optimizely-sdk'),
  };
  const ratio = (peer, mine) => (peer / mine >= 1 ? `${(peer / mine).toFixed(1)}× faster` : `${(mine / peer).toFixed(1)}× slower`);
  const ns = (n) => thousands(n, n < 100 ? 1 : 0);
  const lines = [];
  lines.push(`Measured by \`scripts/bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus()[0].model}, ${cpus().length} cores` +
    ` (shared; load average ${loadavg()[0].toFixed(1)} at the end), Node ${process.version}, GrowthBook ${versions.growthbook},` +
    ` Optimizely ${versions.optimizely}. Workload: ${kCampaigns} campaigns × ${thousands(kVisitors)} visitors, seed 1` +
    ` (\`scripts/bench-lib/workload.mjs\`). Speed: medians of ${kRounds} interleaved rounds of ${thousands(kChunk)} visitors after ${kWarmup} warm-up rounds.`);
  lines.push('');
  lines.push(`| figure | GrowthBook ${versions.growthbook} | Optimizely ${versions.optimizely} | Vario | Vario vs GrowthBook | Vario vs Optimizely |`);
  lines.push('|---|---|---|---|---|---|');
  const gbName = gbApi == 'client' ? '`GrowthBookClient.runInlineExperiment`' : '`new GrowthBook().run`';
  lines.push(`| ns per campaign evaluation, page path (\`engine.start\`) | ${ns(gbNs)} (${gbName}) | ${ns(speed.optimizely)} (\`getVariation\`) | ${ns(speed['vario-page'])} | ${ratio(gbNs, speed['vario-page'])} | ${ratio(speed.optimizely, speed['vario-page'])} |`);
  lines.push(`| ns per campaign evaluation, \`engine.decide\` (explained) | | | ${ns(speed['vario-decide'])} | ${ratio(gbNs, speed['vario-decide'])} | ${ratio(speed.optimizely, speed['vario-decide'])} |`);
  lines.push(`| cold start, ms (median of ${kColdRuns} fresh processes: load, construct, first visitor, all campaigns) | ${coldMs.growthbook.toFixed(1)} | ${coldMs.optimizely.toFixed(1)} | ${coldMs.vario.toFixed(1)} | ${ratio(coldMs.growthbook, coldMs.vario)} | ${ratio(coldMs.optimizely, coldMs.vario)} |`);
  lines.push(`| native evaluations/s, one core (\`vario simulate\`) | | | ${(nativePerSecond / 1e6).toFixed(2)} M | | |`);
  lines.push(`| regex questions per visitor, page path | | | ${regexPerVisitor.toFixed(1)} | | |`);
  if (memoryBytes) lines.push(`| wasm linear memory after a page, ${kCampaigns} campaigns | | | ${thousands(memoryBytes / 1024)} KiB | | |`);
  for (const [name, s] of Object.entries(sizes))
    lines.push(`| ${name}: raw / gzip -9 / brotli, bytes | | | ${thousands(s.raw)} / ${thousands(s.gzip)} / ${thousands(s.brotli)} | | |`);
  lines.push('');
  lines.push(`Correctness, every one of the ${thousands(pairs)} visitor × campaign pairs: FNV-1a v2 assignments equal to GrowthBook's` +
    ` in ${thousands(pairs - gbMismatches)} (${thousands(applied)} in a variation); the page path's equal to decide's in ${thousands(pairs - pageMismatches)};` +
    ` MurmurHash3 audience results and assignments equal to Optimizely's in ${thousands(pairs - optMismatches)}.`);
  lines.push(`GrowthBook's other idiom: ${ns(speed['growthbook-client'])} ns with \`GrowthBookClient.runInlineExperiment\`,` +
    ` ${ns(speed['growthbook-instance'])} ns with a \`new GrowthBook({attributes}).run\` per visitor.`);
  if (browser) {
    lines.push('');
    lines.push(...browser);
  }
  const table = lines.join('\n');
  console.log(table);
  if (gbMismatches || pageMismatches || optMismatches) {
    console.error(`bench: MISMATCHES: GrowthBook ${gbMismatches}, page path ${pageMismatches}, Optimizely ${optMismatches}`);
    process.exitCode = 1;
  }
  if (write) {
    const docPath = join(sourceDir, 'docs/performance.md');
    const doc = readFileSync(docPath, 'utf8');
    const begin = '<!-- scripts/bench: begin -->';
    const end = '<!-- scripts/bench: end -->';
    const at = doc.indexOf(begin);
    const until = doc.indexOf(end);
    if (at < 0 || until < at) throw new Error(`docs/performance.md lacks the ${begin} ... ${end} markers`);
    writeFileSync(docPath, doc.slice(0, at + begin.length) + '\n' + table + '\n' + doc.slice(until));
    log('wrote docs/performance.md');
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}
