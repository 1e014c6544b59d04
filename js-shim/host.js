// The browser half of the host contract (wasm/host_imports.hpp): each function does one
// browser primitive and decides nothing. None of them throws into the engine; a failing
// primitive answers "absent", "refused" or "not sent" instead.

// The anti-flicker rules: one constructable stylesheet with a rule per selector, so that it
// needs no inline style (strict style-src) and one selector the browser rejects cannot unhide
// the others. reveal(i) lifts rule i, reveal(-1) all of them; all are lifted after
// revealAfterMs whatever happens.
export function hide(selectors, revealAfterMs) {
  let sheet;
  const rules = [];
  try {
    sheet = new CSSStyleSheet();
    selectors.forEach((s, i) => {
      try {
        rules[i] = sheet.cssRules[sheet.insertRule(s + '{visibility:hidden!important}', sheet.cssRules.length)];
      } catch {
        // a selector this browser rejects hides nothing
      }
    });
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } catch {
    // No constructable stylesheets: nothing is hidden, changes may flicker.
  }
  const reveal = (rule = -1) => {
    try {
      if (rule >= 0) rules[rule]?.style.removeProperty('visibility');
      else if (sheet) {
        document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s != sheet);
        sheet = null;
      }
    } catch {
      // nothing to reveal
    }
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

// Vario never runs script, whatever a campaigns file says: `vario check` refuses it, and here
// it is made inert. Inline styles would be blocked by a strict CSP, so they go too.
const scriptUrl = /^[\s\0-\x1f]*(javascript|vbscript|data)[\s\0-\x1f]*:/i;
const urlAttributes = /^(href|src|action|formaction|xlink:href|poster|background|srcdoc)$/i;
const unsafeAttribute = (name, value) => /^on/i.test(name) || /^(style|srcdoc)$/i.test(name) || (urlAttributes.test(name) && scriptUrl.test(value));

// HTML goes through one Trusted Types policy, "vario", where the page enforces them; a page
// that does not allow that policy gets no HTML from Vario.
let policy;
const trustedHtml = (html) => {
  if (!window.trustedTypes) return html;
  policy ||= trustedTypes.createPolicy('vario', { createHTML: (s) => s });
  return policy.createHTML(html);
};

// Marks a framework leaves on the elements it has taken over: React on its root container
// (hydrateRoot) and on each element it hydrated, Vue on the container once mounted.
const owned = (el, re) => Object.getOwnPropertyNames(el).some((k) => re.test(k));

// page: the lifecycle side of the tag (page.js): watches, guards, the timer, reveal.
export function browserHost(page) {
  const sheets = new Map();
  let lastSheet = 0;
  return {
    queryAll(selector) {
      try {
        return [...document.querySelectorAll(selector)];
      } catch {
        return null; // SyntaxError: the engine treats the selector as rejected
      }
    },
    children: (node) => [...node.childNodes],
    parent: (node) => node.parentNode,
    next: (node) => node.nextSibling,
    contains: (a, b) => a.contains(b),
    text: (node) => node.textContent,
    attr: (node, name) => node.getAttribute?.(name) ?? null,
    attrNames: (node) => node.getAttributeNames?.() ?? [],
    style: (node, property) => [node.style?.getPropertyValue(property) ?? '', node.style?.getPropertyPriority(property) == 'important'],
    hydrated: (node) =>
      owned(node, /^(__reactFiber\$|__vue_app__)/) ||
      (owned(node, /^__reactContainer\$/) && [...node.children].every((c) => owned(c, /^__reactFiber\$/))),

    setText(node, text) {
      node.textContent = text;
    },
    parseHtml(html) {
      try {
        const template = document.createElement('template');
        template.innerHTML = trustedHtml(html);
        const content = template.content;
        content.querySelectorAll('script,style,iframe,object,embed,base,meta,link').forEach((el) => el.remove());
        content.querySelectorAll('*').forEach((el) => {
          for (const { name, value } of [...el.attributes]) if (unsafeAttribute(name, value)) el.removeAttribute(name);
        });
        return [...content.childNodes];
      } catch {
        return null; // Trusted Types refused the policy: no HTML
      }
    },
    insert(reference, position, node) {
      try {
        if (position < 2 && !reference.parentNode) return false;
        reference[['before', 'after', 'prepend', 'append'][position]](node);
        return true;
      } catch {
        return false; // HierarchyRequestError: into itself
      }
    },
    detach: (node) => node.remove(),
    setAttr(node, name, value) {
      if (unsafeAttribute(name, value)) return false;
      try {
        node.setAttribute(name, value);
        return true;
      } catch {
        return false; // an invalid name, or a Trusted Types sink
      }
    },
    removeAttr: (node, name) => node.removeAttribute(name),
    setStyle(node, property, value, important) {
      const style = node.style;
      if (!style) return false;
      if (!value) return style.removeProperty(property), true;
      style.setProperty(property, value, important ? 'important' : '');
      return style.getPropertyValue(property) != '';
    },
    cssAdd(css) {
      try {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
        sheets.set(++lastSheet, sheet);
        return lastSheet;
      } catch {
        return 0;
      }
    },
    cssRemove(id) {
      const sheet = sheets.get(id);
      sheets.delete(id);
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s != sheet);
    },

    watch: page.watch,
    unwatch: page.unwatch,
    guard: page.guard,
    reveal: page.reveal,
    timer: page.timer,
    navigate: (url) => location.replace(url),

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
