// scripts/bench-tag: for each layout, `vario serve` on the lifecycle fixture (its headline page
// has one campaign that changes the headline for every visitor), signed with one key for the
// run as a site would deploy it (so the split loader is cacheable). First visit: N fresh browser
// contexts. Repeat visit: one context that has seen the page once, then navigates to it N times.
// A first pair of rows has the tag blocked: the page as it paints without Vario.
// Times are read from the page (ms from navigation start): the tag starting (vario:tag), the
// engine done with the elements present (vario:applied: the decision is made and applied), the
// first contentful paint. Bytes are everything the page view received on the wire, headers
// included (Network.loadingFinished's encodedDataLength), and the part of it that is the tag's.
import { join } from 'node:path';
import { makeTempDir, runCli, sourceDir } from '../tests/wasm/helpers/env.mjs';
import { launchBrowser, startServer, visitorPage } from '../tests/browser/helpers/harness.mjs';

const loads = Number(process.argv[2] || 21);
const site = join(sourceDir, 'tests/browser/fixtures/lifecycle');
const temp = makeTempDir();
const key = join(temp.dir, 'key.pem');
runCli(['keygen', '--out', key]);
const browser = await launchBrowser();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function view(visitor, url) {
  const cdp = await visitor.context.newCDPSession(visitor.page);
  await cdp.send('Network.enable');
  const paths = new Map();
  let bytes = 0;
  let tagBytes = 0;
  cdp.on('Network.requestWillBeSent', (e) => paths.set(e.requestId, new URL(e.request.url).pathname));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    if (paths.get(e.requestId)?.startsWith('/vario/')) tagBytes += e.encodedDataLength;
  });
  await visitor.page.goto(url);
  const marks = await visitor.page.evaluate(async (tagged) => {
    const when = (name) => performance.getEntriesByName(name)[0]?.startTime;
    for (let i = 0; i < 100 && ((tagged && when('vario:applied') === undefined) || when('first-contentful-paint') === undefined); i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    return { tag: when('vario:tag'), applied: when('vario:applied'), fcp: when('first-contentful-paint') };
  }, !visitor.untagged);
  await cdp.detach();
  if (marks.applied === undefined && !visitor.untagged) throw new Error(`${url}: the tag never applied its changes`);
  return { ...marks, bytes, tagBytes };
}

// A visitor whose browser never gets the tag: the page as it is without Vario.
async function untaggedVisitor() {
  const visitor = await visitorPage(browser);
  await visitor.page.route('**/vario/tag.js', (route) => route.abort());
  visitor.untagged = true;
  return visitor;
}

const rows = [];
try {
  for (const layout of ['none', 'inline', 'split']) {
    const server = await startServer({ site, campaigns: join(site, 'campaigns.json'), layout: layout == 'none' ? 'inline' : layout, key });
    const newVisitor = () => (layout == 'none' ? untaggedVisitor() : visitorPage(browser));
    try {
      const url = server.url('/headline.html');
      const warmUp = await newVisitor(); // the browser's and the server's first page, not counted
      await view(warmUp, url);
      await warmUp.close();
      const first = [];
      for (let i = 0; i < loads; i++) {
        const visitor = await newVisitor();
        first.push(await view(visitor, url));
        await visitor.close();
      }
      const repeat = [];
      const visitor = await newVisitor();
      await view(visitor, url);
      for (let i = 0; i < loads; i++) repeat.push(await view(visitor, url));
      await visitor.close();
      rows.push([layout, 'first visit', first], [layout, 'repeat visit', repeat]);
    } finally {
      await server.stop();
    }
  }
  const ms = (samples, f) => median(samples.map(f)).toFixed(1);
  console.log(`Chromium ${browser.version()}, loopback, ${loads} loads each, medians; times in ms from navigation start:\n`);
  console.log('| layout | view | decision applied | tag start → applied | first contentful paint | bytes on the wire | of which the tag |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [layout, name, samples] of rows)
    console.log(`| ${layout == 'none' ? 'no tag' : layout} | ${name} | ${layout == 'none' ? '–' : ms(samples, (s) => s.applied)} | ${layout == 'none' ? '–' : ms(samples, (s) => s.applied - s.tag)} | ${ms(samples, (s) => s.fcp)} | ${median(samples.map((s) => s.bytes)).toLocaleString('en-US')} | ${median(samples.map((s) => s.tagBytes)).toLocaleString('en-US')} |`);
} finally {
  await browser.close();
  temp.remove();
}
