// scripts/bench-size: builds the tag in both layouts (split signed with a key made for the run)
// and prints each file's size raw, gzip -9 and brotli quality 11, and the totals.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { makeTempDir, runCli, wasmDir } from '../tests/wasm/helpers/env.mjs';

const campaigns = process.argv[2];
const temp = makeTempDir();
const brotli = (bytes) =>
  brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length;
const n = (v) => v.toLocaleString('en-US');
try {
  const key = join(temp.dir, 'key.pem');
  runCli(['keygen', '--out', key]);
  console.log('| layout | file | bytes | gzip -9 | brotli |\n|---|---|---|---|---|');
  for (const layout of ['inline', 'split']) {
    const out = join(temp.dir, layout);
    runCli(['build', campaigns, '-o', out, '--layout', layout, '--key', key, '--engine-dir', wasmDir]);
    const total = [0, 0, 0];
    for (const name of readdirSync(out).filter((f) => f != 'manifest.json').sort((a, b) => (a == 'tag.js' ? -1 : b == 'tag.js' ? 1 : a.localeCompare(b)))) {
      const bytes = readFileSync(join(out, name));
      const sizes = [bytes.length, gzipSync(bytes, { level: 9 }).length, brotli(bytes)];
      sizes.forEach((s, i) => (total[i] += s));
      console.log(`| ${layout} | \`${name.replace(/\.[0-9a-f]{16}\./, '.<hash>.')}\` | ${sizes.map(n).join(' | ')} |`);
    }
    console.log(`| ${layout} | total | ${total.map(n).join(' | ')} |`);
  }
} finally {
  temp.remove();
}
