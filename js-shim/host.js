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

// The URI-decoded value of the first cookie called name, or undefined.
export function cookie(name) {
  let value;
  try {
    value = document.cookie.split('; ').find((c) => c.startsWith(name + '='))?.slice(name.length + 1);
    return value && decodeURIComponent(value);
  } catch {
    return value; // cookies disabled (sandboxed frame): none; not URI-encoded ("100%"): as it is
  }
}

// root's value at a dotted path ("user.plan"), or undefined where a step is missing.
const at = (root, path) => path.split('.').reduce((value, key) => value?.[key], root);

// Compiled patterns by "flags/source" (no key can be an Object.prototype name): the engine asks
// the same few again for every campaign.
const regexes = {};

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

    // RegExp.prototype.test, the ECMAScript semantics the campaigns were written for.
    regexTest(pattern, flags, subject) {
      try {
        const regex = (regexes[flags + '/' + pattern] ||= new RegExp(pattern, flags));
        regex.lastIndex = 0; // with g or y, test() would resume where the last match ended
        return regex.test(subject);
      } catch {
        return null; // SyntaxError: the engine treats the pattern as rejected
      }
    },

    // A value the page holds, as JSON text. Functions, undefined, cycles and throwing getters are
    // absent (null): the page owns these objects and nothing here may break it.
    pageValue(source, key) {
      try {
        let value;
        if (source == 0) {
          value = cookie(key);
        } else if (source == 1) {
          // The data layer is a log of pushes: the latest one that set the path is current.
          const layer = window.dataLayer || [];
          for (let i = layer.length; value === undefined && i--; ) value = at(layer[i], key);
        } else if (source == 2) {
          value = at(window, key);
        }
        // undefined for undefined, functions and symbols; throws on cycles and BigInts.
        return JSON.stringify(value) ?? null;
      } catch {
        return null;
      }
    },

    // First-party cookies, values URI-encoded.
    storageRead: (key) => cookie(key) ?? null,
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
