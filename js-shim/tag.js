// The tag's entry point, bundled to an IIFE. It hides what the campaigns will change, gets the
// engine and the campaigns (fetch_verified.js: inside this file, or fetched and checked against
// the hash and the key baked into it), starts the engine on the page with what it reads of the
// environment, and from then on tells it what the page does. Whatever fails, the page is
// revealed as it is and nothing is thrown into it.
import { base64, bytes, ecdsa, hideWhenKnown, reportRefusal, tagFiles } from './fetch_verified.js';
import { instantiateEngine } from './loader.js';
import { browserHost, cookie, hide } from './host.js';
import { consentSources } from './consent.js';
import { pageObserver } from './page.js';

// `vario build` replaces this string literal, quotes included, with the build settings
// (native-host/tag/build_tag.cpp): {"v":1,"account":…,"engine":…,"campaigns":…, and in the split
// layout "key":{"id","spki"},"report"?}.
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

// The downloads start first. settings: {hide, revealAfterMs, previewKey?}, or its promise.
const files = tagFiles(build, base);
const reveal = hideWhenKnown(files.settings, hide);

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
const preview = (async () => {
  const token = new URLSearchParams(location.search).get('vario_preview') || cookie('vario_preview');
  if (!/^[\w-]+\.[\w-]+$/.test(token)) return;
  const [payload, signature] = token.split('.');
  const key = await crypto.subtle.importKey('spki', base64((await files.settings).previewKey), ecdsa, false, ['verify']);
  if (await crypto.subtle.verify(ecdsa, key, base64(signature), bytes(payload))) return token;
})().catch(() => {});

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
      files.engine.then((wasm) => instantiateEngine(wasm, browserHost(page.commands))),
      files.campaigns,
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
    reportRefusal(build, error);
  }
})().catch(() => {});
