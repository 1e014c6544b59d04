// The engine and the campaigns, in the layout `vario build` chose (native-host/tag/build_tag.hpp
// has the formats, docs/deploying.md the why):
//   inline  both are base64 in the build settings: the page's integrity attribute already
//           pinned them with this file;
//   split   both are fetched, and nothing of either is used before it is checked: the engine's
//           SHA-256 against the one in the build settings, before it is compiled (the bytes are
//           read whole and hashed, so the engine is compiled from memory, not streamed); the
//           campaigns file's ECDSA P-256 signature against the account key in the build
//           settings, before its settings or campaigns are read.
// A file that fails its check is refused: an Error with `refused` set to a health event code.

export const bytes = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));
export const base64 = (s) => bytes(atob(s.replace(/-/g, '+').replace(/_/g, '/')));
export const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');

const refused = (code, message) => Object.assign(new Error(message), { refused: code });

const download = async (src, base) => {
  // WebCrypto exists only in secure contexts: on a plain http: page nothing could be checked.
  if (!crypto.subtle) throw new Error(`${src}: not fetched: checking it needs https`);
  const response = await fetch(new URL(src, base), { credentials: 'omit' });
  if (!response.ok) throw new Error(`${src}: HTTP ${response.status}`);
  return response.arrayBuffer();
};

// file: the bytes of a split layout's campaigns.bin: "VSC1", u32 little-endian header length,
// the header (JSON), the compiled campaigns, then a 64-byte P1363 signature of all before it.
// key: {id, spki} from the build settings. Resolves to {settings: the header, campaigns: bytes}
// once the signature verifies; rejects with a refusal otherwise.
export async function openSignedCampaigns(file, key, src) {
  file = new Uint8Array(file);
  const signed = file.subarray(0, file.length - 64);
  const length = file.length > 72 ? new DataView(file.buffer, file.byteOffset).getUint32(4, true) : -1;
  const ok =
    length >= 0 &&
    8 + length <= signed.length &&
    String.fromCharCode(...file.subarray(0, 4)) == 'VSC1' &&
    (await crypto.subtle.verify(
      ecdsa,
      await crypto.subtle.importKey('spki', base64(key.spki), ecdsa, false, ['verify']),
      file.subarray(signed.length),
      signed,
    ));
  if (!ok) throw refused('campaigns_refused', `${src}: refused, not signed by key ${key.id}`);
  return {
    settings: JSON.parse(new TextDecoder().decode(signed.subarray(8, 8 + length))),
    campaigns: signed.slice(8 + length),
  };
}

// Starts the downloads at once. Returns {settings, engine, campaigns}: settings ({hide,
// revealAfterMs, previewKey?}) is the object itself inline and a promise split; engine resolves
// to the engine's bytes, campaigns to the compiled campaigns' bytes.
export function tagFiles(build, base) {
  if (build.engine.base64) {
    const settings = build.campaigns;
    return { settings, engine: Promise.resolve(base64(build.engine.base64)), campaigns: Promise.resolve(base64(settings.base64)) };
  }
  const signed = download(build.campaigns.src, base).then((file) => openSignedCampaigns(file, build.key, build.campaigns.src));
  const engine = download(build.engine.src, base).then(async (wasm) => {
    if (hex(await crypto.subtle.digest('SHA-256', wasm)) != build.engine.sha256)
      throw refused('engine_refused', `${build.engine.src}: refused, its SHA-256 is not the one this tag pins`);
    return wasm;
  });
  // Whoever waits on the settings handles their failure; a page that waits on nothing must still
  // never see an unhandled rejection.
  const settings = signed.then((s) => s.settings);
  settings.catch(() => {});
  return { settings, engine, campaigns: signed.then((s) => s.campaigns) };
}

// The longest the split layout holds the page while its campaigns file arrives (below).
const kHoldMs = 1000;

// The anti-flicker rules, as soon as the settings say what to hide: at once when they are here
// (inline). In the split layout this loader knows nothing of the campaigns, and no browser API
// lets a script hold the first paint until a download ends; so, until the signed campaigns have
// verified, every element is hidden (as a render-blocking stylesheet would hold the paint), at
// most kHoldMs, then the changed elements' rules take over in the same task, so that no frame
// shows an original. Past the hold the page has been shown, and hiding parts of it then would
// only flash them: nothing more is hidden. The bound on the rules still counts from now.
// Returns reveal(rule) at once; revealing everything before the rules are known lifts the hold
// and cancels them.
export function hideWhenKnown(settings, hide) {
  const started = Date.now();
  let reveal;
  let cancelled;
  const install = (s, by = Infinity) => {
    const elapsed = Date.now() - started;
    const left = s.revealAfterMs - elapsed;
    if (!cancelled) reveal = left > 0 && elapsed < by ? hide(s.hide, left) : () => {};
  };
  if (!settings.then) {
    install(settings);
    return (rule) => reveal(rule);
  }
  const hold = hide(['*'], kHoldMs);
  settings.then((s) => install(s, kHoldMs), () => {}).then(hold);
  return (rule = -1) => {
    if (reveal) reveal(rule);
    else if (rule < 0) cancelled = true;
    if (rule < 0) hold();
  };
}

// One health event for a refused file, built here because the engine, which builds every other
// event, is not running. Sent only when the build carries `report`, which it does only when the
// account's campaigns need no consent (docs/events.md, "Refused files"); never with a visitor id.
export function reportRefusal(build, error) {
  if (!build.report || !error?.refused) return;
  try {
    const event = {
      schema: 1,
      type: 'health',
      id: hex(crypto.getRandomValues(new Uint8Array(16))),
      ts: Date.now(),
      account: build.account,
      page: location.pathname.slice(0, 2048),
      code: error.refused,
      message: error.message.slice(0, 512),
    };
    navigator.sendBeacon(new URL(build.report, location.href), JSON.stringify({ events: [event] }));
  } catch {
    // no beacon: the console warning is all there is
  }
}
