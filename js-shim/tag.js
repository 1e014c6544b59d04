// The tag's entry point, bundled to an IIFE. It hides what the campaigns will change, fetches
// the engine and the campaigns (each checked against the integrity hash baked into this file),
// starts the engine on the page with what it reads of the environment, and from then on tells
// it what the page does. Whatever fails, the page is revealed as it is and nothing is thrown
// into it.
import { instantiateEngine } from './loader.js';
import { browserHost, cookie, hide } from './host.js';
import { consentSources } from './consent.js';
import { pageObserver } from './page.js';

// `vario build` replaces this string literal, quotes included, with the build settings:
// {"v":1,"account":…,"engine":{"src","integrity"},"config":{"src","integrity"},
//  "hide":[selectors],"revealAfterMs":N,"previewKey"?: base64 SPKI of the preview key}
const build = '@VARIO_BUILD@';

// User Timing marks a site can read (and scripts/bench-page does): the tag starting, and the
// engine done with the page as it was when it started.
const mark = (name) => {
  try {
    performance.mark(name);
  } catch {
    // no User Timing: nothing to mark
  }
};
mark('vario:tag');

const base = document.currentScript?.src || location.href;

const reveal = hide(build.hide, build.revealAfterMs);

// Consent signals (consent.js, and the page's own calls) wait here until the engine starts,
// then go to it as they come.
const signals = [];
let signal = (s) => signals.push(s);

// window.vario is the site's command queue, an array it may push to before this tag loads.
// Attributes pushed up to the start are merged in push order; later pushes are recorded the
// same way, for a start to come.
const attributes = {};
// Each push is copied as JSON when it is made: a value that cannot be (a cycle, a BigInt, a DOM
// node) drops that one push instead of failing the whole run later.
const record = (command) => {
  try {
    const copy = JSON.parse(JSON.stringify(command[1]));
    if (command[0] == 'attributes') Object.assign(attributes, copy);
    if (command[0] == 'consent') signal({ source: 'page', consent: copy });
  } catch {
    // not a command, or not JSON: ignored, as the site's own push must never fail
  }
};
try {
  const queue = (window.vario = window.vario || []);
  queue.forEach(record);
  queue.push = (...commands) => {
    commands.forEach(record);
    return [].push.apply(queue, commands);
  };
} catch {
  // window.vario is something else: no pushed attributes
}

// A preview link's token (URL parameter, else the cookie the engine keeps it in), passed on
// only once its signature verifies against the build's preview key. It runs alongside the
// downloads, so it never delays a page, and a page without a token waits for nothing.
const bytes = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const base64 = (s) => bytes(atob(s.replace(/-/g, '+').replace(/_/g, '/')));
const preview = (async () => {
  const token = new URLSearchParams(location.search).get('vario_preview') || cookie('vario_preview');
  if (!/^[\w-]+\.[\w-]+$/.test(token)) return;
  const [payload, signature] = token.split('.');
  const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const key = await crypto.subtle.importKey('spki', base64(build.previewKey), ecdsa, false, ['verify']);
  if (await crypto.subtle.verify(ecdsa, key, base64(signature), bytes(payload))) return token;
})().catch(() => {});

const get = async ({ src, integrity }) => {
  const response = await fetch(new URL(src, base), { integrity, credentials: 'omit' });
  if (!response.ok) throw new Error(`${src}: HTTP ${response.status}`);
  return response;
};

const page = pageObserver(reveal, () => sources.scan());
const sources = consentSources((s) => signal(s));
try {
  // Consent Mode updates reach the engine as the site pushes them.
  const layer = window.dataLayer;
  if (Array.isArray(layer)) {
    const push = layer.push;
    layer.push = function (...entries) {
      const result = push.apply(this, entries);
      sources.scan();
      return result;
    };
  }
} catch {
  // a data layer that cannot be hooked: it is still read at every fact
}

(async () => {
  try {
    const [engine, config, token] = await Promise.all([
      get(build.engine).then((response) => instantiateEngine(response, browserHost(page.commands))),
      get(build.config).then((response) => response.arrayBuffer()),
      preview,
    ]);
    let timeZone;
    try {
      timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch {
      // no Intl: the engine sees no time zone
    }
    engine.load(config);
    page.connect(engine);
    page.call(() =>
      engine.start(
        JSON.stringify({
          url: location.href,
          referrer: document.referrer,
          userAgent: navigator.userAgent,
          webdriver: navigator.webdriver === true,
          language: navigator.language,
          screen: { width: screen.width, height: screen.height },
          timeZone,
          attributes,
          preview: token,
          parsing: document.readyState == 'loading',
          consentSignals: signals,
        }),
      ),
    );
    signal = (s) => page.call(() => engine.consent(JSON.stringify(s)));
    mark('vario:applied');
  } catch (error) {
    console.warn('[vario] ' + (error?.message || error));
    reveal();
  }
})().catch(() => {});
