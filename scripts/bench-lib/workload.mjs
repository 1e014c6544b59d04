// The benchmark's workload (scripts/bench, issue 10), generated from a seed so that every run and
// every contender sees the same campaigns and visitors: N campaigns with Mongo-style audiences
// ($eq $in $regex $gt $and $or) over attributes the site pushes, 2-3 variations, 80% traffic, and
// M visitors. The same workload is written three ways: a Vario campaigns file, GrowthBook inline
// experiments, and an Optimizely datafile whose audiences select the same visitors.
import { seededRandom } from '../../tests/wasm/helpers/fake_host.mjs';

export const kUserAgents = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 12; SM-A515F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
];
const kCountries = ['DE', 'FR', 'US', 'GB', 'IT', 'ES', 'NL', 'SE'];
const kPlans = ['free', 'pro', 'team', 'enterprise'];
const kPages = ['/', '/product.html', '/products/kettle', '/cart.html', '/blog/pour-over', '/checkout/payment'];
const kNames = ['ada', 'ben', 'cleo', 'dan', 'eva', 'finn', 'gus', 'hana', 'ivo', 'jo', 'kai', 'lena', 'mo', 'nils', 'ola', 'pia', 'rui', 'sam', 'tom', 'uma'];
const kDomains = ['example.com', 'example.org', 'mail.example', 'shop.example', 'corp.example'];
export const kEmails = kNames.flatMap((n) => kDomains.map((d) => `${n}@${d}`));

// Regular expressions as sites write them, each over an attribute with a finite set of values
// (so that an Optimizely audience, which has no regex match, can say the same by listing them).
const kRegexes = [
  ['userAgent', 'iPhone|iPad'],
  ['userAgent', 'Android [0-9]+'],
  ['userAgent', 'Chrome/12[0-9]'],
  ['userAgent', 'Firefox/'],
  ['userAgent', '^Mozilla/5\\.0 \\(Windows'],
  ['userAgent', 'Mac OS X 1[0-9]_'],
  ['userAgent', 'Edg/'],
  ['userAgent', 'Mobile'],
  ['userAgent', 'Safari/[0-9.]+$'],
  ['email', '@example\\.(com|org)$'],
  ['email', '^[a-h]'],
  ['page', '^/product'],
  ['page', 'checkout|cart'],
];
export const kDomainsOf = { userAgent: kUserAgents, email: kEmails, page: kPages };

// A seeded workload. hash: "fnv1a_v2" (GrowthBook's scheme) or "murmur3" (Optimizely's).
export function workload({ campaigns = 100, visitors = 10000, seed = 1, hash = 'fnv1a_v2' } = {}) {
  const random = seededRandom(seed);
  const below = (n) => random() % n;
  const pick = (list) => list[below(list.length)];
  const pickSome = (list, n) => {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = below(i + 1);
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, n);
  };
  const regexLeaf = () => {
    const [attribute, pattern] = pick(kRegexes);
    return { [attribute]: { $regex: pattern } };
  };
  const leaf = () => {
    switch (below(6)) {
      case 0: return { country: pick(kCountries) };
      case 1: return { country: { $eq: pick(kCountries) } };
      case 2: return { plan: { $in: pickSome(kPlans, 2 + below(2)) } };
      case 3: return { country: { $in: pickSome(kCountries, 2 + below(4)) } };
      case 4: return { age: { $gt: 16 + below(40) } };
      default: return { sessions: { $gt: below(12) } };
    }
  };
  const part = () => {
    switch (below(4)) {
      case 0: return { $or: [regexLeaf(), leaf()] };
      case 1: return { $and: [leaf(), leaf()] };
      case 2: return { $or: [leaf(), leaf()] };
      default: return leaf();
    }
  };
  const audience = () => {
    const parts = [regexLeaf(), ...Array.from({ length: 1 + below(2) }, part)];
    const keys = parts.flatMap(Object.keys);
    // One object when the keys differ (every member must hold), else an explicit $and.
    return new Set(keys).size == keys.length ? Object.assign({}, ...parts) : { $and: parts };
  };

  const list = Array.from({ length: campaigns }, (_, i) => {
    const id = `c${String(i).padStart(3, '0')}`;
    const n = 2 + below(2);
    const weights = n == 2 ? [0.5, 0.5] : pick([[0.34, 0.33, 0.33], [0.2, 0.4, 0.4], [0.5, 0.25, 0.25]]);
    return {
      id,
      type: 'ab_test',
      purpose: 'technical',
      pages: { include: [{ match: 'prefix', value: '/' }] },
      audience: audience(),
      traffic: 0.8,
      hash,
      variations: weights.map((weight, v) => ({
        id: `${id}-v${v}`,
        weight,
        changes: v == 0 ? [] : [{ action: 'set_text', selector: `#${id}`, value: `${id} variation ${v}` }],
      })),
    };
  });
  const doc = { version: 1, account: 'bench', consent: { required: false }, campaigns: list };

  const hex = () => random().toString(16).padStart(8, '0');
  const people = Array.from({ length: visitors }, () => {
    const id = hex() + hex() + hex() + hex();
    const page = pick(kPages);
    const userAgent = pick(kUserAgents);
    return {
      id,
      url: 'https://shop.example' + page,
      userAgent,
      attributes: {
        id,
        country: pick(kCountries),
        plan: pick(kPlans),
        age: 16 + below(60),
        sessions: below(20),
        userAgent,
        email: pick(kEmails),
        page,
      },
    };
  });
  return { doc, visitors: people };
}

// The visitor as `vario decide` and the wasm's decide read it.
export const visitorJson = (v) =>
  JSON.stringify({ id: v.id, url: v.url, consent: 'granted', userAgent: v.userAgent, language: 'en-US', attributes: v.attributes });

// The page context the tag gives Engine::start (js-shim/tag.js).
export const pageContextJson = (v) =>
  JSON.stringify({
    url: v.url,
    referrer: '',
    userAgent: v.userAgent,
    webdriver: false,
    language: 'en-US',
    screen: { width: 1280, height: 800 },
    timeZone: 'Europe/Berlin',
    attributes: v.attributes,
    parsing: false,
  });

// GrowthBook's inline experiments for the same campaigns (runInlineExperiment).
export const growthbookExperiments = (doc) =>
  doc.campaigns.map((c) => ({
    key: c.id,
    variations: c.variations.map((v) => v.id),
    weights: c.variations.map((v) => v.weight),
    coverage: c.traffic,
    condition: c.audience,
    hashVersion: 2,
  }));

// An Optimizely condition with the same answer as a GrowthBook one, on the workload's values.
// Optimizely has no regex match: a $regex becomes the list of the attribute's values it matches
// (found with JavaScript's RegExp, the reference).
function optimizelyCondition(condition) {
  const attribute = (name, value) => ({ type: 'custom_attribute', name, match: 'exact', value });
  const valueCondition = (name, v) => {
    if (typeof v != 'object' || v === null) return attribute(name, v);
    const parts = Object.entries(v).map(([op, arg]) => {
      switch (op) {
        case '$eq': return attribute(name, arg);
        case '$in': return ['or', ...arg.map((a) => attribute(name, a))];
        case '$gt': return { type: 'custom_attribute', name, match: 'gt', value: arg };
        case '$regex': {
          const re = new RegExp(arg);
          return ['or', ...kDomainsOf[name].filter((d) => re.test(d)).map((d) => attribute(name, d))];
        }
        default: throw new Error(`no Optimizely translation for ${op}`);
      }
    });
    return parts.length == 1 ? parts[0] : ['and', ...parts];
  };
  const entries = Object.entries(condition).map(([key, v]) => {
    if (key == '$and' || key == '$or') return [key.slice(1), ...v.map(optimizelyCondition)];
    return valueCondition(key, v);
  });
  return entries.length == 1 ? entries[0] : ['and', ...entries];
}

// An Optimizely datafile (version 4) of the workload: one experiment per campaign, keyed and
// bucketed by the campaign id, its variations on consecutive ranges as Vario's murmur3 scheme
// lays them out (traffic * weight each, rounded to whole buckets).
export function optimizelyDatafile(doc) {
  const audiences = [];
  const experiments = doc.campaigns.map((c) => {
    audiences.push({ id: `a-${c.id}`, name: `a-${c.id}`, conditions: ['and', optimizelyCondition(c.audience)] });
    let cumulative = 0;
    const trafficAllocation = c.variations.map((v, i) => {
      cumulative += v.weight;
      const end = i + 1 == c.variations.length ? c.traffic * 10000 : c.traffic * cumulative * 10000;
      return { entityId: v.id, endOfRange: Math.round(end) };
    });
    return {
      id: c.id,
      key: c.id,
      layerId: `layer-${c.id}`,
      status: 'Running',
      audienceIds: [`a-${c.id}`],
      audienceConditions: ['or', `a-${c.id}`],
      variations: c.variations.map((v) => ({ id: v.id, key: v.id, featureEnabled: true, variables: [] })),
      trafficAllocation,
      forcedVariations: {},
    };
  });
  const names = ['id', 'country', 'plan', 'age', 'sessions', 'userAgent', 'email', 'page'];
  return {
    version: '4',
    revision: '1',
    projectId: 'bench',
    accountId: 'bench',
    anonymizeIP: true,
    botFiltering: false,
    attributes: names.map((key) => ({ id: `attr-${key}`, key })),
    audiences: [],
    typedAudiences: audiences,
    experiments,
    groups: [],
    featureFlags: [],
    rollouts: [],
    events: [],
    integrations: [],
  };
}
