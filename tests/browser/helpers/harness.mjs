// The real `vario serve` on a free port, and one headless Chromium that can reach nothing but
// 127.0.0.1.
//
// Campaigns exclude bots and automated browsers by default, and Playwright's Chromium is both
// (navigator.webdriver is true, its user agent says HeadlessChrome). The tests play a visitor,
// so by default the browser looks like the Chrome a visitor runs: the same engine and version,
// without the automation flag and with Chrome's own user agent. launchBrowser({automation: true})
// gives the browser as Playwright launches it, for the tests of bot exclusion.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { campaignsPath, cli, makeTempDir, requireCli, shopDir, wasmDir } from '../../wasm/helpers/env.mjs';

export { campaignsPath, readCampaignsJson } from '../../wasm/helpers/env.mjs';

const kStartTimeoutMs = 20_000;

// Starts `vario serve` on the demo shop (or the given site folder) with a fresh event store, and
// the demo's campaigns or the given campaigns file, in the given tag layout (the default split
// one, signed with a key made for the run, unless a key file is given). Resolves once it prints
// "Serving http://127.0.0.1:PORT/ (events: PATH)"; fails with its stderr otherwise.
export async function startServer({ campaigns = campaignsPath, site = shopDir, layout, key } = {}) {
  requireCli();
  const temp = makeTempDir();
  const args = ['serve', campaigns, '--site', site, '--port', '0', '--db', join(temp.dir, 'events.db'), '--engine-dir', wasmDir];
  if (layout) args.push('--layout', layout);
  if (key) args.push('--key', key);
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));

  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal || code)));
  const origin = await new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      temp.remove();
      reject(new Error(`vario ${args.join(' ')}: ${why}\n--- stdout:\n${stdout}\n--- stderr:\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`no "Serving" line within ${kStartTimeoutMs / 1000} s`), kStartTimeoutMs);
    child.once('error', (error) => fail(error.message));
    exited.then((status) => fail(`exited (${status}) before serving`));
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      const match = stdout.match(/^Serving (http:\/\/127\.0\.0\.1:\d+)\/ \(events: .*\)$/m);
      if (match) {
        clearTimeout(timer);
        child.removeAllListeners('error');
        resolve(match[1]);
      }
    });
  });

  return {
    origin,
    url: (path) => origin + path,
    // GET /v1/stats: {"account", "impressions": {campaign: {variation: n}}, "events": n}
    async stats() {
      const response = await fetch(origin + '/v1/stats');
      if (!response.ok) throw new Error(`GET /v1/stats: HTTP ${response.status}`);
      return response.json();
    },
    // Polls stats() until check(stats) holds (the tag sends with sendBeacon, asynchronously);
    // fails with `what` and the last stats after five seconds.
    async statsWhen(check, what) {
      let stats;
      for (let i = 0; i < 100; i++) {
        stats = await this.stats();
        if (check(stats)) return stats;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`${what}: ${JSON.stringify(stats)}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killer);
      }
      temp.remove();
    },
  };
}

const automated = new WeakSet();

export async function launchBrowser({ automation = false } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.VARIO_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      ...(automation ? [] : ['--disable-blink-features=AutomationControlled']),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
      // Belt and braces: no host name resolves, so nothing beyond 127.0.0.1 can be reached.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
  if (automation) automated.add(browser);
  return browser;
}

// What Chrome of this browser's version sends on Linux (the reduced user agent: minor version
// digits are zeros), where headless Chromium would say HeadlessChrome.
const chromeUserAgent = (browser) =>
  `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${
    browser.version().split('.')[0]}.0.0.0 Safari/537.36`;

// A page in a fresh context (a new visitor) that records what a site owner would call breakage:
// uncaught page errors, Content-Security-Policy violations, the tag's console messages, and
// every console error or warning whatever its origin (the site's own framework's, say).
// options are Playwright's newContext options.
export async function visitorPage(browser, options = {}) {
  const context = await browser.newContext({
    ...(automated.has(browser) ? {} : { userAgent: chromeUserAgent(browser) }),
    ...options,
  });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`),
    );
  });
  const page = await context.newPage();
  const pageErrors = [];
  const varioMessages = [];
  const consoleProblems = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.text().startsWith('[vario]')) varioMessages.push(`${message.type()}: ${message.text()}`);
    if (message.type() == 'error' || message.type() == 'warning') consoleProblems.push(`${message.type()}: ${message.text()}`);
  });
  return {
    context,
    page,
    pageErrors,
    varioMessages,
    consoleProblems,
    cspViolations: () => page.evaluate(() => window.__cspViolations),
    close: () => context.close(),
  };
}

// Resolves once the element is visible (no `visibility: hidden` rule left), with its text and
// how long after the call that took.
export async function whenVisible(page, selector, timeout = 5_000) {
  const started = Date.now();
  await page.waitForFunction(
    (s) => {
      const el = document.querySelector(s);
      return el && getComputedStyle(el).visibility == 'visible';
    },
    selector,
    { timeout, polling: 20 },
  );
  return { text: await page.textContent(selector), afterMs: Date.now() - started };
}

// Resolves once the tag has finished (or given up): no anti-flicker rule hides anything any more
// (campaign stylesheets, which the tag adopts too, may stay).
export const tagSettled = (page, timeout = 5_000) =>
  page.waitForFunction(
    () => document.adoptedStyleSheets.every((sheet) => [...sheet.cssRules].every((rule) => rule.style?.visibility != 'hidden')),
    null,
    { timeout, polling: 20 },
  );
