// The page's side of the lifecycle: one MutationObserver, the history hooks, the one timer, and
// the engine's watch/guard lists. It forwards facts to the engine and decides nothing: which
// elements matter is what the engine asked to watch and guard.
//
// What the engine writes to the page is never reported back to it: after every call into the
// engine the observer's queue is emptied, after what was queued before the call was forwarded.

// reveal: the anti-flicker rules' reveal(rule); before: what to look at before each call into
// the engine (the data layer). Returns the host's lifecycle commands and connect(engine), which
// starts forwarding.
export function pageObserver(reveal, before = () => {}) {
  const watches = new Map(); // id -> selector
  const guarded = new Set(); // nodes
  let engine;
  let observer;
  let timer;
  let url = location.href;
  let failed;

  // Calls into the engine; an engine failure ends Vario on this page with the page shown as it
  // is, and nothing thrown into the page.
  const call = (f) => {
    if (!engine || failed) return;
    try {
      before();
      forward(observer.takeRecords());
      f();
      observer.takeRecords();
    } catch (error) {
      failed = true;
      observer.disconnect();
      clearTimeout(timer);
      reveal();
      console.warn('[vario] ' + (error?.message || error));
    }
  };

  const within = (node, selector) => {
    try {
      return node.matches(selector) || !!node.querySelector(selector);
    } catch {
      return false;
    }
  };

  // The filter the native test host mirrors (MemoryDom::take_facts, tests/support/memory_dom.hpp
  // says it in full): watch ids whose selector matches an element added, or one whose attributes
  // changed, or one inside it; guarded nodes that were the target of an attribute change, an
  // ancestor-or-self of a childList/characterData target, or inside a node removed or added.
  const forward = (records) => {
    if (location.href != url) {
      url = location.href;
      engine.urlChanged(url);
    }
    if (!records.length) return;
    const appeared = new Set();
    const mutated = new Set();
    for (const r of records) {
      const attributes = r.type == 'attributes';
      for (const n of attributes ? [r.target] : r.addedNodes)
        if (n.nodeType == 1 && n.isConnected)
          for (const [id, selector] of watches) if (!appeared.has(id) && within(n, selector)) appeared.add(id);
      if (!guarded.size) continue;
      for (const n of [...r.addedNodes, ...r.removedNodes]) for (const g of guarded) if (n.contains(g)) mutated.add(g);
      if (attributes) {
        if (guarded.has(r.target)) mutated.add(r.target);
      } else {
        for (let n = r.target; n; n = n.parentNode) if (guarded.has(n)) mutated.add(n);
      }
    }
    if (appeared.size) engine.appeared([...appeared].sort((a, b) => a - b));
    if (mutated.size) engine.mutated([...mutated]);
  };

  // Navigation the page makes itself: decided again once the site's own call has returned.
  const navigated = () => queueMicrotask(() => location.href != url && call(() => forward([])));
  for (const name of ['pushState', 'replaceState']) {
    const original = history[name];
    history[name] = function (...args) {
      const result = original.apply(this, args);
      navigated();
      return result;
    };
  }
  addEventListener('popstate', navigated);
  addEventListener('hashchange', navigated);

  return {
    commands: {
      watch: (id, selector) => void watches.set(id, selector),
      unwatch: (id) => void watches.delete(id),
      guard: (node, on) => void (on ? guarded.add(node) : guarded.delete(node)),
      reveal,
      timer(delayMs) {
        clearTimeout(timer);
        if (delayMs >= 0) timer = setTimeout(() => call(() => engine.timer()), delayMs);
      },
    },
    connect(connected) {
      engine = connected;
      url = location.href;
      observer = new MutationObserver((records) => call(() => forward(records)));
      observer.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
      if (document.readyState == 'loading')
        document.addEventListener('DOMContentLoaded', () => call(() => engine.parsed()), { once: true });
      const hidden = () => call(() => engine.hidden());
      addEventListener('pagehide', hidden);
      document.addEventListener('visibilitychange', () => document.visibilityState == 'hidden' && hidden());
    },
    call,
    failed: () => failed,
  };
}
