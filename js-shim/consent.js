// The consent the page expresses, forwarded to the engine as signals (docs/consent.md,
// runtime/include/vario/consent_sources.hpp). Nothing is decided here: the engine decodes TC
// strings, maps every source onto its capabilities and applies the precedence.
//   - IAB TCF v2.2: __tcfapi('addEventListener', 2, …) in this window, or in a parent through
//     the __tcfapiLocator postMessage protocol;
//   - Google Consent Mode v2: gtag('consent', 'default' | 'update', {…}) commands in dataLayer;
//   - the page's own vario.push(["consent", …]) (tag.js hands those over).

// forward(signal): called with each signal as it happens, from now on.
export function consentSources(forward) {
  const tcf = (data) =>
    data &&
    forward({ source: 'tcf', event: data.eventStatus, tcString: data.tcString, gdprApplies: data.gdprApplies });

  let listening;
  const listen = () => {
    if (listening) return;
    try {
      if (typeof window.__tcfapi == 'function') {
        listening = true;
        window.__tcfapi('addEventListener', 2, (data, success) => success && tcf(data));
        return;
      }
      // In a frame, the CMP of a parent answers through postMessage (TCF v2.2, "Using the
      // __tcfapiLocator").
      for (let w = window; w != w.parent; ) {
        w = w.parent;
        if (!w.frames.__tcfapiLocator) continue;
        listening = true;
        const callId = 'vario' + Math.random();
        addEventListener('message', (event) => {
          let message = event.data;
          try {
            if (typeof message == 'string') message = JSON.parse(message);
          } catch {
            return;
          }
          const answer = message?.__tcfapiReturn;
          if (answer?.callId == callId && answer.success) tcf(answer.returnValue);
        });
        // No `parameter`: the IAB's CmpApi refuses a null one (only an absent one or a vendor
        // id list is valid for addEventListener).
        w.postMessage({ __tcfapiCall: { command: 'addEventListener', version: 2, callId } }, '*');
        return;
      }
    } catch {
      // a CMP that throws, or a parent of another origin without a locator: no TCF source
    }
  };

  // Consent Mode commands arrive as `arguments` objects pushed by gtag(). Entries are read
  // once each, by index, whatever replaced dataLayer.push (Google Tag Manager does).
  let seen = 0;
  const scan = () => {
    try {
      const layer = window.dataLayer;
      if (!Array.isArray(layer)) return;
      // Counted before it is forwarded: forwarding may call into the engine, which scans again.
      while (seen < layer.length) {
        const entry = layer[seen++];
        if (entry?.[0] == 'consent' && (entry[1] == 'default' || entry[1] == 'update') && entry[2])
          forward({ source: 'gcm', command: entry[1], params: JSON.parse(JSON.stringify(entry[2])) });
      }
    } catch {
      // a data layer that cannot be read or copied: no Consent Mode source
    }
  };

  // The CMP stub may be defined after this tag (it should come first), and a parent's stub adds
  // its locator frame only once its own body exists: look again for a second, then give up
  // (the engine's wait decides without it).
  listen();
  scan();
  let tries = 0;
  const retry = setInterval(() => (listen(), listening || ++tries > 20) && clearInterval(retry), 50);
  document.addEventListener('DOMContentLoaded', () => (listen(), scan()), { once: true });
  return { scan, listen };
}
