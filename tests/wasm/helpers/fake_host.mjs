// An in-memory host for the loader: a tiny DOM of elements, a cookie jar, a send log, a fixed
// clock and seeded randomness, so that a page run in Node is repeatable and fully observable.
import { instantiateEngine } from '../../../js-shim/loader.js';
import { readWasm } from './env.mjs';

// mulberry32: a small seeded generator of u32s; the same seed gives the same sequence.
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

// Matches compound selectors such as `h1`, `#id`, `.a.b`, `h1#id.c` and comma lists of them.
// Anything else is "rejected" (null), as a browser rejects an invalid selector.
function compileSelector(selector) {
  const parts = selector.split(',').map((s) => s.trim());
  const compound = /^([a-z][a-z0-9-]*)?((?:[#.][A-Za-z_][\w-]*)*)$/;
  if (!parts.every((p) => p && compound.test(p))) return null;
  return (el) =>
    parts.some((p) => {
      const [, tag, rest] = p.match(compound);
      if (tag && tag != el.tag) return false;
      return (rest.match(/[#.][\w-]+/g) || []).every((s) =>
        s[0] == '#' ? el.id == s.slice(1) : (el.classes || []).includes(s.slice(1)),
      );
    });
}

const kPageValueSources = ['cookie', 'data_layer', 'page_variable'];

// elements: [{tag, id, classes, text}] (mutated by setText); cookies: a Map shared between page
// runs to stand for the browser's cookie jar; page: what pageValue finds, by source and key, e.g.
// {cookie: {plan: 'pro'}, data_layer: {'cart.total': 12}, page_variable: {'shop.tier': 'gold'}}.
export function fakeHost({ elements = [], cookies = new Map(), page = {}, seed = 1, now = 1_767_225_600_000 } = {}) {
  const random = seededRandom(seed);
  const host = {
    elements,
    cookies,
    page,
    reveals: 0,
    regexTests: [], // [pattern, flags, subject, answer]
    pageValues: [], // [source name, key, answer]
    writes: [], // [key, value, maxAgeSeconds]
    erases: [],
    sends: [], // {url, body}
    logs: [], // [level, message]
    queryAll(selector) {
      const matches = compileSelector(selector);
      return matches && elements.filter(matches);
    },
    text: (el) => el.text,
    setText(el, text) {
      el.text = text;
    },
    // A flat page: elements have no children, parents or siblings here, and nothing is parsed
    // or styled. The page lifecycle's DOM is tested natively (tests/support/memory_dom) and in
    // Chromium.
    children: () => [],
    parent: () => null,
    next: () => null,
    contains: (a, b) => a == b,
    attr: () => null,
    attrNames: () => [],
    style: () => ['', false],
    hydrated: () => true,
    parseHtml: () => null,
    insert: () => false,
    detach() {},
    setAttr: () => false,
    removeAttr() {},
    setStyle: () => false,
    cssAdd: () => 0,
    cssRemove() {},
    watches: new Map(),
    watch: (id, selector) => void host.watches.set(id, selector),
    unwatch: (id) => void host.watches.delete(id),
    guard() {},
    navigations: [],
    navigate: (url) => void host.navigations.push(url),
    timer() {},
    reveal() {
      host.reveals++;
    },
    // Node's RegExp is the browser's (V8); null for what it rejects, as the tag answers.
    regexTest(pattern, flags, subject) {
      let answer = null;
      try {
        answer = new RegExp(pattern, flags).test(subject);
      } catch {
        // rejected
      }
      host.regexTests.push([pattern, flags, subject, answer]);
      return answer;
    },
    pageValue(source, key) {
      const name = kPageValueSources[source];
      const answer = JSON.stringify(page[name]?.[key]) ?? null;
      host.pageValues.push([name, key, answer]);
      return answer;
    },
    storageRead: (key) => (cookies.has(key) ? cookies.get(key) : null),
    storageWrite(key, value, maxAgeSeconds) {
      host.writes.push([key, value, maxAgeSeconds]);
      cookies.set(key, value);
    },
    storageErase(key) {
      host.erases.push(key);
      cookies.delete(key);
    },
    send(url, body) {
      host.sends.push({ url, body });
      return true;
    },
    now: () => now,
    randomFill(bytes) {
      for (let i = 0; i < bytes.length; i++) bytes[i] = random() & 0xff;
    },
    log(level, message) {
      host.logs.push([level, message]);
    },
  };
  return host;
}

// The demo product page as the fake DOM sees it.
export const productPage = () => [
  { tag: 'h1', id: 'product-title', text: 'Aurora Pour-Over Brewer' },
  { tag: 'p', classes: ['price'], text: '€49' },
];

// A fresh engine on host, with campaigns (bytes) loaded when given.
export async function engineFor(host, campaigns) {
  const engine = await instantiateEngine(readWasm(), host);
  if (campaigns) engine.load(campaigns);
  return engine;
}
