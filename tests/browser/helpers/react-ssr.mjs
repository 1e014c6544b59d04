// Builds the React 18 fixture (fixtures/react-ssr/) into a site folder for `vario serve`: the
// page rendered on the server with renderToString, and the client bundle that hydrates it.
// esbuild does the JSX and the bundling (no Babel); nothing is fetched.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeTempDir } from '../../wasm/helpers/env.mjs';

const fixtureDir = fileURLToPath(new URL('../fixtures/react-ssr/', import.meta.url));

// The pages buildReactSite writes, by React build: production is minified and reports
// hydration mismatches only through onRecoverableError; development also prints React's own
// warnings ("Warning: Text content did not match ..."), which production leaves out.
export const reactBuilds = {
  production: { page: '/index.html', script: '/app.js' },
  development: { page: '/index.dev.html', script: '/app.dev.js' },
};

const common = { bundle: true, jsx: 'automatic', target: 'es2020', logLevel: 'warning', legalComments: 'none' };
const nodeEnv = (mode) => ({ 'process.env.NODE_ENV': JSON.stringify(mode) });

// The server's markup of the app. The server entry is bundled as CommonJS, because the
// CommonJS inside react-dom/server calls require() for Node built-ins, which an ESM bundle
// cannot; it is loaded from a temporary folder that is removed afterwards.
async function renderOnServer() {
  const temp = makeTempDir();
  try {
    const outfile = join(temp.dir, 'server.cjs');
    await build({ ...common, entryPoints: [join(fixtureDir, 'server.jsx')], platform: 'node', format: 'cjs',
      define: nodeEnv('production'), outfile });
    const { render } = await import(pathToFileURL(outfile).href);
    return render();
  } finally {
    temp.remove();
  }
}

// Writes into outDir (which must exist) index.html + app.js (production React, minified) and
// index.dev.html + app.dev.js (development React). Both pages carry the same server markup and
// load their bundle with a same-origin deferred <script src>: no inline script or style, which
// the served CSP would refuse. Returns { html: the server markup inside #root, builds }.
export async function buildReactSite(outDir) {
  const html = await renderOnServer();
  const template = readFileSync(join(fixtureDir, 'template.html'), 'utf8');
  for (const [mode, { page, script }] of Object.entries(reactBuilds)) {
    await build({ ...common, entryPoints: [join(fixtureDir, 'client.jsx')], platform: 'browser', format: 'iife',
      define: nodeEnv(mode), minify: mode == 'production', outfile: join(outDir, script) });
    // A function replacement, so that "$&" and the like in the markup stay as they are.
    writeFileSync(join(outDir, page), template.replace('%SCRIPT%', () => script).replace('%APP%', () => html));
  }
  return { html, builds: reactBuilds };
}
