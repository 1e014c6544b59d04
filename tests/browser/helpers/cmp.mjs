// Builds the consent fixture (fixtures/cmp/) into a site folder for `vario serve`: pages with a
// real TCF CMP API (the IAB's stub and @iabtechlabtcf/cmpapi), a frame that reaches it only
// through the __tcfapiLocator protocol, and a page that sets Google Consent Mode v2 in its
// dataLayer. Every script is a same-origin file (the served CSP refuses inline script); esbuild
// bundles the CMP at test time; nothing is fetched. How a test drives each page is described in
// the fixture's scripts: fixtures/cmp/cmp.js (the CMP), frame.js, consent-mode.js.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtureDir = fileURLToPath(new URL('../fixtures/cmp/', import.meta.url));
const require = createRequire(import.meta.url);

// Where the fixture's scripts are served.
export const cmpScripts = {
  // The IAB's published stub (@iabtechlabtcf/stub), byte for byte: __tcfapi that queues calls
  // and answers ping, the __tcfapiLocator frame, and the postMessage listener for frames.
  stub: '/cmp/stub.js',
  // A stub of these tests written from the TCF specification (fixtures/cmp/spec-stub.js, as it
  // is): the same, except that it keeps a calling frame's window for every answer, where the
  // published stub lets go of it once __tcfapi returns (so frames miss every later event).
  specStub: '/cmp/spec-stub.js',
  // The CMP (fixtures/cmp/cmp.js with @iabtechlabtcf/cmpapi, bundled), loaded async as CMPs are.
  cmp: '/cmp/cmp.js',
  // The framed page's client of the locator protocol (fixtures/cmp/frame.js, bundled).
  frame: '/cmp/frame.js',
  // The site's own Consent Mode v2 set-up (fixtures/cmp/consent-mode.js, as it is).
  consentMode: '/cmp/consent-mode.js',
};

// The pages buildCmpSite writes, with the scripts each loads in its <head> (after the tag,
// which `vario serve` injects first: see tagAfterConsentScripts) and its body.
export const cmpPages = {
  // The stub, then the CMP: what a TCF site has.
  cmp: { path: '/cmp.html', scripts: ['stub', 'cmp'], body: '<main><h1 id="title">A page with a CMP</h1></main>' },
  // The same, framing /cmp-frame-inner.html (same origin).
  frame: {
    path: '/cmp-frame.html',
    scripts: ['stub', 'cmp'],
    body: '<main><h1 id="title">A page with a CMP and a frame</h1>' +
      '<iframe id="frame" title="framed content" src="/cmp-frame-inner.html"></iframe></main>',
  },
  // The same with the frame sandboxed (allow-scripts only): an opaque origin, which cannot
  // touch its parent (or cookies) at all, so postMessage is its only way out.
  sandboxedFrame: {
    path: '/cmp-frame-sandboxed.html',
    scripts: ['stub', 'cmp'],
    body: '<main><h1 id="title">A page with a CMP and a sandboxed frame</h1>' +
      '<iframe id="frame" title="framed content" sandbox="allow-scripts" src="/cmp-frame-inner.html"></iframe></main>',
  },
  // The frame page with the specification's stub instead of the IAB's.
  frameSpecStub: {
    path: '/cmp-frame-spec-stub.html',
    scripts: ['specStub', 'cmp'],
    body: '<main><h1 id="title">A page with a CMP (on a stub after the TCF specification) and a frame</h1>' +
      '<iframe id="frame" title="framed content" src="/cmp-frame-inner.html"></iframe></main>',
  },
  // The framed page: no CMP, no stub, no __tcfapi; window.__frame speaks the locator protocol.
  frameInner: { path: '/cmp-frame-inner.html', scripts: ['frame'], body: '<p id="inner">Framed content</p>' },
  // Google Consent Mode v2 commands in the dataLayer, no TCF.
  consentMode: { path: '/consent-mode.html', scripts: ['consentMode'], body: '<main><h1 id="title">A page with Consent Mode</h1></main>' },
  // No consent signal of any kind.
  none: { path: '/no-consent.html', scripts: [], body: '<main><h1 id="title">A page with no consent signal</h1></main>' },
};

const scriptTag = (name) => {
  if (name.startsWith('/')) return `<script src="${name}"></script>`;
  const src = cmpScripts[name];
  if (!src) throw new Error(`buildCmpSite: no fixture script ${name} (${Object.keys(cmpScripts).join(', ')}, or a /path)`);
  return name == 'cmp' ? `<script src="${src}" async></script>` : `<script src="${src}"></script>`;
};

const pageHtml = ({ title, scripts, body }) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="icon" href="data:,">
${scripts.map(scriptTag).join('\n')}
</head>
<body>
${body}
</body>
</html>
`;

const bundle = (entry, outfile) =>
  build({ entryPoints: [join(fixtureDir, entry)], outfile, bundle: true, format: 'iife', platform: 'browser',
    target: 'es2020', logLevel: 'warning', legalComments: 'none' });

// Writes the fixture into outDir (which must exist): the scripts under /cmp/ and the pages of
// cmpPages, plus the test's own `pages`, {name: {path, scripts, body, title?}} with scripts
// named as in cmpScripts (or a '/path' of a file the test writes into outDir itself); a name of
// cmpPages replaces that page. Returns {pages: {name: path}, scripts: cmpScripts}.
export async function buildCmpSite(outDir, { pages = {} } = {}) {
  const all = { ...cmpPages, ...pages };
  mkdirSync(join(outDir, 'cmp'), { recursive: true });
  copyFileSync(require.resolve('@iabtechlabtcf/stub'), join(outDir, cmpScripts.stub));
  copyFileSync(join(fixtureDir, 'spec-stub.js'), join(outDir, cmpScripts.specStub));
  copyFileSync(join(fixtureDir, 'consent-mode.js'), join(outDir, cmpScripts.consentMode));
  await Promise.all([bundle('cmp.js', join(outDir, cmpScripts.cmp)), bundle('frame.js', join(outDir, cmpScripts.frame))]);
  const paths = {};
  for (const [name, page] of Object.entries(all)) {
    const file = join(outDir, page.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, pageHtml({ title: page.title ?? name, ...page }));
    paths[name] = page.path;
  }
  return { pages: paths, scripts: cmpScripts };
}

// A page path with URL parameters for the fixture (values are stringified; undefined and null
// are left out): withQuery('/cmp.html', {ui: 0, tc: s, tcDelay: 300}).
export function withQuery(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null) query.set(key, typeof value == 'object' ? JSON.stringify(value) : String(value));
  const s = query.toString();
  return s ? `${path}?${s}` : path;
}

// `vario serve` injects the tag first in <head> (right after <meta charset>), so on these pages the tag runs
// before the stub. On many sites the CMP stub comes first; this routes the page's HTML pages
// through a rewrite that moves the tag to the end of <head>, after the consent scripts. Call it
// before page.goto. The response (status, headers, CSP included) is otherwise the server's.
export async function tagAfterConsentScripts(page) {
  await page.route((url) => url.pathname.endsWith('.html'), async (route) => {
    const response = await route.fetch();
    const html = await response.text();
    const tag = html.match(/<script src="\/vario\/tag\.js"[^>]*><\/script>/)?.[0];
    if (!tag) throw new Error(`no injected tag in ${route.request().url()}`);
    const body = html.replace(tag, '').replace('</head>', () => `${tag}\n</head>`);
    await route.fulfill({ response, body });
  });
}
