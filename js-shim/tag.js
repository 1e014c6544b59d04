// The tag's entry point, bundled to an IIFE. It hides what the campaigns will change, fetches
// the engine and the campaigns (each checked against the integrity hash baked into this file),
// and lets the engine run the page. Whatever fails, the page is revealed as it was and nothing
// is thrown into it.
import { instantiateEngine } from './loader.js';
import { browserHost, hide } from './host.js';

// `vario build` replaces this string literal, quotes included, with the build settings:
// {"v":1,"account":…,"engine":{"src","integrity"},"config":{"src","integrity"},
//  "hide":[selectors],"revealAfterMs":N}
const build = '@VARIO_BUILD@';

const base = document.currentScript?.src || location.href;
window.vario = window.vario || [];

const reveal = hide(build.hide, build.revealAfterMs);

const get = async ({ src, integrity }) => {
  const response = await fetch(new URL(src, base), { integrity, credentials: 'omit' });
  if (!response.ok) throw new Error(`${src}: HTTP ${response.status}`);
  return response;
};

(async () => {
  try {
    const [engine, config] = await Promise.all([
      get(build.engine).then((response) => instantiateEngine(response, browserHost(reveal))),
      get(build.config).then((response) => response.arrayBuffer()),
    ]);
    if (document.readyState == 'loading') {
      await new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));
    }
    engine.load(config);
    engine.run(JSON.stringify({ url: location.href, referrer: document.referrer }));
  } catch (error) {
    console.warn('[vario] ' + (error?.message || error));
  } finally {
    reveal();
  }
})().catch(() => {});
