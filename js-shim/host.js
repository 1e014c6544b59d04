// The browser half of the host contract (wasm/host_imports.hpp): each function does one
// browser primitive and decides nothing. None of them throws into the engine; a failing
// primitive answers "absent" or "not sent" instead.

// Hides the given selectors until the returned reveal() is called, or until revealAfterMs
// passes, whichever comes first. The rule lives in a constructable stylesheet, so it needs no
// inline style and works under a strict style-src. Each selector gets its own rule so that one
// the browser rejects cannot unhide the others.
export function hide(selectors, revealAfterMs) {
  let sheet;
  try {
    if (selectors.length) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(selectors.map((s) => s + '{visibility:hidden!important}').join(''));
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    }
  } catch {
    // No constructable stylesheets: nothing is hidden, changes may flicker.
  }
  const reveal = () => {
    if (sheet) document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s != sheet);
    sheet = null;
  };
  setTimeout(reveal, revealAfterMs);
  return reveal;
}

function setCookie(key, value, maxAgeSeconds) {
  try {
    document.cookie = `${key}=${value}; Max-Age=${Math.floor(maxAgeSeconds)}; Path=/; SameSite=Lax${
      location.protocol == 'https:' ? '; Secure' : ''}`;
  } catch {
    // cookies disabled (sandboxed frame): the write is lost, as if the visitor cleared them
  }
}

const levels = ['debug', 'info', 'warn', 'error'];

export function browserHost(reveal) {
  return {
    queryAll(selector) {
      try {
        return [...document.querySelectorAll(selector)];
      } catch {
        return null; // SyntaxError: the engine treats the selector as rejected
      }
    },
    text: (node) => node.textContent,
    setText(node, text) {
      node.textContent = text;
    },
    reveal,

    // First-party cookies, values URI-encoded.
    storageRead(key) {
      try {
        const cookie = document.cookie.split('; ').find((c) => c.startsWith(key + '='));
        return cookie ? decodeURIComponent(cookie.slice(key.length + 1)) : null;
      } catch {
        return null; // cookies disabled, or a value we did not write
      }
    },
    storageWrite: (key, value, maxAgeSeconds) => setCookie(key, encodeURIComponent(value), maxAgeSeconds),
    storageErase: (key) => setCookie(key, '', 0),

    // A text/plain beacon (no CORS preflight); fetch keepalive when the beacon queue refuses it.
    send(url, body) {
      try {
        if (navigator.sendBeacon(url, body)) return true;
      } catch {
        // fall through to fetch
      }
      try {
        fetch(url, { method: 'POST', body, keepalive: true, credentials: 'omit' }).catch(() => {});
        return true;
      } catch {
        return false;
      }
    },

    now: () => Date.now(),
    randomFill(bytes) {
      for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
    },
    log: (level, message) => console[levels[level] || 'log']('[vario] ' + message),
  };
}
