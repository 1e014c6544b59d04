// Where the tests find the build: ctest passes VARIO_SOURCE_DIR, VARIO_CLI and VARIO_WASM_DIR;
// by hand (`node --test tests/wasm/`) they default to the repository's own build tree.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const sourceDir = resolve(
  process.env.VARIO_SOURCE_DIR || join(dirname(fileURLToPath(import.meta.url)), '../../..'),
);
export const cli = process.env.VARIO_CLI || join(sourceDir, 'build/native/vario');
export const wasmDir = process.env.VARIO_WASM_DIR || join(sourceDir, 'build/wasm');
export const shopDir = join(sourceDir, 'examples/shop');
export const campaignsPath = join(shopDir, 'campaigns.json');

// Fails with the command that makes the missing file, rather than with ENOENT.
export function requireFile(path, howToMake) {
  if (!existsSync(path)) throw new Error(`${path} does not exist: ${howToMake}`);
  return path;
}

export const requireCli = () => requireFile(cli, 'cmake --preset native && cmake --build --preset native');

export function readWasm() {
  const path = join(wasmDir, 'vario.wasm');
  return readFileSync(requireFile(path, 'cmake --preset wasm && cmake --build --preset wasm'));
}

export const readCampaignsJson = () => JSON.parse(readFileSync(requireFile(campaignsPath, 'the demo shop is missing'), 'utf8'));

export function makeTempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'vario-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// The compiled campaigns inside a split layout's signed campaigns.bin ("VSC1", u32 header
// length, header, campaigns, 64-byte signature), unverified: the tests read their own builds.
// js-shim/fetch_verified.js's openSignedCampaigns is the reader that verifies.
export const campaignsOfSigned = (file) => file.subarray(8 + file.readUInt32LE(4), file.length - 64);

// Runs the real `vario build` on a campaigns file (the demo's by default) into a temporary
// directory, with a key made for the occasion, and returns the compiled campaigns it wrote. The
// engine is the one in VARIO_WASM_DIR, as for every test here. The directory is removed before
// returning.
export function buildCampaignsBin(path = campaignsPath) {
  const temp = makeTempDir();
  try {
    const key = join(temp.dir, 'key.pem');
    runCli(['keygen', '--out', key]);
    runCli(['build', path, '-o', join(temp.dir, 'out'), '--key', key, '--engine-dir', wasmDir]);
    return campaignsOfSigned(readFileSync(join(temp.dir, 'out', 'campaigns.bin')));
  } finally {
    temp.remove();
  }
}

// The same for a campaigns document given as an object, written to a temporary file first.
export function buildCampaignsBinOf(campaigns) {
  const temp = makeTempDir();
  try {
    const path = join(temp.dir, 'campaigns.json');
    writeFileSync(path, JSON.stringify(campaigns));
    return buildCampaignsBin(path);
  } finally {
    temp.remove();
  }
}

// Runs the CLI and returns its stdout; a non-zero exit fails with the CLI's stderr.
export function runCli(args) {
  const path = requireCli();
  try {
    return execFileSync(path, args, { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`vario ${args.join(' ')} failed (${error.status ?? error.code}):\n${error.stderr ?? ''}`);
  }
}
