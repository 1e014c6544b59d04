// The engine living for the whole page, in Chromium, on pages served by `vario serve` under its
// strict CSP: every change applied and reverted, late elements, a page that fights back,
// single-page navigation, Trusted Types, campaign HTML that tries to run script, and what a
// visitor sees frame by frame.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeTempDir, sourceDir, wasmDir } from '../wasm/helpers/env.mjs';
import { launchBrowser, startServer, tagSettled, visitorPage } from './helpers/harness.mjs';
import { afterHold, flickerProbe, framesOf } from './helpers/flicker_probe.mjs';

const site = join(sourceDir, 'tests/browser/fixtures/lifecycle');

let server;
let browser;
before(async () => {
  [server, browser] = await Promise.all([startServer({ site, campaigns: join(site, 'campaigns.json') }), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// The page as served, with the tag blocked: the reference every revert must get back to.
async function original(path, selector) {
  const reference = await visitorPage(browser);
  try {
    await reference.page.route('**/vario/tag.js', (route) => route.abort());
    await reference.page.goto(server.url(path));
    return await reference.page.$eval(selector, (el) => el.outerHTML);
  } finally {
    await reference.close();
  }
}

const statsWhen = (check, what) => server.statsWhen(check, what);

const clean = async (visitor) => {
  assert.deepEqual(visitor.pageErrors, []);
  assert.deepEqual(await visitor.cspViolations(), []);
  assert.deepEqual(visitor.consoleProblems, []);
};

test('every change applies to the page and a navigation away reverts each one exactly', async () => {
  const before = await original('/changes.html', '#changes');
  const visitor = await visitorPage(browser);
  try {
    const { page } = visitor;
    await page.goto(server.url('/changes.html'));
    await tagSettled(page);
    const seen = await page.evaluate(() => {
      const $ = (s) => document.querySelector(s);
      const insert = $('#t-insert');
      return {
        text: $('#t-text').innerHTML,
        html: $('#t-html').innerHTML,
        title: $('#t-attr').getAttribute('title'),
        variant: $('#t-attr').dataset.variant,
        removed: $('#t-rmattr').hasAttribute('title'),
        kept: $('#t-rmattr').dataset.keep,
        added: $('#t-addclass').className,
        dropped: $('#t-rmclass').className,
        color: getComputedStyle($('#t-style')).color,
        priority: $('#t-style').style.getPropertyPriority('color'),
        before: insert.previousElementSibling.textContent,
        after: insert.nextElementSibling.textContent,
        inside: [...insert.children].map((c) => c.textContent),
        moved: $('#t-move').parentElement.id + ':' + ($('#t-move-target').lastElementChild == $('#t-move')),
        gone: $('#t-remove') == null,
        hidden: getComputedStyle($('#t-hide')).display,
        outline: getComputedStyle($('#t-css')).outlineColor,
      };
    });
    assert.deepEqual(seen, {
      text: 'Changed text',
      html: '<p class="new">Changed <strong>HTML</strong></p>',
      title: 'changed title',
      variant: 'b',
      removed: false,
      kept: 'yes',
      added: 'a b c d',
      dropped: 'keep',
      color: 'rgb(200, 0, 0)',
      priority: 'important',
      before: 'before',
      after: 'after',
      inside: ['prepend 1', 'prepend 2', 'Inside', 'append'],
      moved: 't-move-target:true',
      gone: true,
      hidden: 'none',
      outline: 'rgb(0, 128, 0)',
    });
    const unrelated = await page.$eval('#unrelated', (el) => el.outerHTML);
    assert.equal(unrelated, '<p id="unrelated">Nothing changes here</p>');

    // A single-page navigation to a page the campaign does not target undoes all of it.
    await page.evaluate(() => history.pushState({}, '', '/elsewhere'));
    await page.waitForFunction((html) => document.querySelector('#changes').outerHTML == html, before, { timeout: 5000, polling: 20 });
    assert.equal(await page.$eval('#changes', (el) => el.outerHTML), before);
    assert.equal(await page.$eval('#t-css', (el) => getComputedStyle(el).outlineStyle), 'none', 'the campaign stylesheet is gone');

    // And coming back applies it again, with one impression for the page's life.
    await page.evaluate(() => history.pushState({}, '', '/changes.html'));
    await page.waitForFunction(() => document.querySelector('#t-text').textContent == 'Changed text', null, { timeout: 5000 });
    await statsWhen((s) => s.impressions['every-change']?.on == 1, 'one impression of every-change');
    await clean(visitor);
  } finally {
    await visitor.close();
  }
});

test('an element the page renders 300 ms late is changed as it appears, and the original is never painted', async () => {
  const visitor = await visitorPage(browser);
  try {
    const { page } = visitor;
    await flickerProbe(page, { watched: ['#late', '#headline'], unrelated: ['#unrelated'] });
    await page.goto(server.url('/late.html'));
    await page.waitForSelector('#late');
    await page.waitForFunction(() => document.querySelector('#late').textContent == 'Changed late text', null, { timeout: 5000 });
    await page.waitForTimeout(100);
    const frames = await framesOf(page);
    assert.ok(frames.some((f) => f['#late']), 'frames were recorded while #late was on the page');
    for (const f of frames) {
      if (f['#late']?.visible) assert.equal(f['#late'].text, 'Changed late text', 'the late original was never painted');
      if (f['#headline']?.visible) assert.equal(f['#headline'].text, 'Changed headline', 'the headline original was never painted');
    }
    for (const f of afterHold(frames)) assert.notEqual(f['#unrelated']?.visible, false, 'an unrelated element was never hidden');
    await clean(visitor);
  } finally {
    await visitor.close();
  }
});

test('a page that rewrites a changed element every 50 ms wins after a bounded number of re-applications, reported once', async () => {
  const visitor = await visitorPage(browser);
  try {
    const { page } = visitor;
    await page.goto(server.url('/rewrite.html'));
    await page.waitForFunction(() => window.__rewritesDone, null, { timeout: 10_000 });
    const { text, foreign } = await page.evaluate(() => ({
      text: document.querySelector('#fight').textContent,
      foreign: window.__foreignWrites,
    }));
    assert.match(text, /^Page version \d+$/, 'the page keeps its version');
    // The first application and at most five re-applications: bounded, whatever the page does.
    assert.ok(foreign >= 2 && foreign <= 6, `Vario wrote the element ${foreign} times`);
    await statsWhen((s) => s.health.rerender_loop == 1, 'one rerender_loop health event');
    assert.deepEqual(visitor.pageErrors, []);
  } finally {
    await visitor.close();
  }
});

test('a single-page app navigating with pushState gets each route’s campaign and loses the other’s, one impression each', async () => {
  const visitor = await visitorPage(browser);
  try {
    const { page } = visitor;
    await page.goto(server.url('/spa.html'));
    await page.waitForFunction(() => document.querySelector('#spa-title').textContent == 'Welcome back', null, { timeout: 5000 });

    await page.click('#go-about');
    await page.waitForSelector('#spa-note', { timeout: 5000 });
    assert.deepEqual(await page.$eval('#spa-title', (el) => [el.textContent, el.className]), ['About us', 'about']);

    await page.click('#go-home');
    await page.waitForFunction(() => document.querySelector('#spa-title').textContent == 'Welcome back', null, { timeout: 5000 });
    assert.equal(await page.$('#spa-note'), null, 'the about route’s banner is gone');
    assert.equal(await page.$eval('#spa-title', (el) => el.className), '');

    await page.goBack();
    await page.waitForSelector('#spa-note', { timeout: 5000 });
    const stats = await statsWhen((s) => s.impressions['spa-home']?.on && s.impressions['spa-about']?.on, 'impressions of both routes');
    await page.waitForTimeout(200);
    assert.deepEqual([stats.impressions['spa-home'], stats.impressions['spa-about']], [{ on: 1 }, { on: 1 }]);
    await clean(visitor);
  } finally {
    await visitor.close();
  }
});

test('HTML changes work with Trusted Types enforced through the one "vario" policy, with no CSP violation', async () => {
  const visitor = await visitorPage(browser);
  try {
    const { page } = visitor;
    await page.route('**/trusted.html', async (route) => {
      const response = await route.fetch();
      const csp = response.headers()['content-security-policy'];
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': `${csp}; require-trusted-types-for 'script'; trusted-types vario` } });
    });
    await page.goto(server.url('/trusted.html'));
    await tagSettled(page);
    await page.waitForFunction(() => document.querySelector('#tt-html').textContent == 'Set HTML', null, { timeout: 5000 });
    assert.equal(await page.$eval('#tt-html', (el) => el.innerHTML), '<p>Set <em>HTML</em></p>');
    assert.equal(await page.$eval('#tt-insert', (el) => el.lastElementChild.textContent), 'Inserted HTML');
    await clean(visitor);
  } finally {
    await visitor.close();
  }
});

test('campaign HTML that carries a script, an onerror handler or a javascript: URL never runs, even on a page without a CSP', async () => {
  // `vario check` refuses such a file; the test tool builds it anyway, to prove the tag's own
  // defence. The page is served without its CSP, which would otherwise block inline handlers.
  const temp = makeTempDir();
  const visitor = await visitorPage(browser);
  try {
    const campaigns = {
      version: 1, account: 'lifecycle', collector: '/v1/events', consent: { required: false },
      campaigns: [{
        id: 'hostile', type: 'patch', purpose: 'technical',
        pages: { include: [{ match: 'exact', value: '/hostile.html' }] },
        variations: [{ id: 'on', weight: 1, changes: [
          { action: 'set_html', selector: '#h-html', value: '<img id="h-img" src="/nope.png" onerror="window.__pwned=\'img\'"><script>window.__pwned="script"</script><p>kept</p>' },
          { action: 'insert_html', selector: '#h-insert', position: 'append', value: '<a id="h-js" href="javascript:window.__pwned=\'link\'">js</a><svg><script>window.__pwned="svg"</script></svg><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>' },
          { action: 'set_attribute', selector: '#h-link', name: 'onclick', value: "window.__pwned='onclick'" },
          { action: 'set_attribute', selector: '#h-link', name: 'href', value: 'javascript:window.__pwned="href"' },
        ] }],
      }],
    };
    const json = join(temp.dir, 'hostile.json');
    writeFileSync(json, JSON.stringify(campaigns));
    const sri = execFileSync(process.env.VARIO_UNCHECKED_TAG || join(sourceDir, 'build/native/unchecked_tag'), [json, temp.dir, wasmDir], { encoding: 'utf8' }).trim();
    const { page } = visitor;
    // An inline build: the one file holds the engine and the unchecked campaigns.
    await page.route('**/vario/tag.js', (route) => route.fulfill({ body: readFileSync(join(temp.dir, 'tag.js')), contentType: 'text/javascript' }));
    await page.route('**/hostile.html', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['content-security-policy'];
      const body = (await response.text()).replace(/integrity="[^"]*"/, `integrity="${sri}"`);
      await route.fulfill({ response, headers, body });
    });
    await page.goto(server.url('/hostile.html'));
    await page.waitForSelector('#h-img', { timeout: 5000 });
    await page.waitForTimeout(300); // the image fails to load: an onerror would have run by now
    await page.click('#h-link');
    await page.click('#h-js').catch(() => {});
    await page.waitForTimeout(100);
    const state = await page.evaluate(() => ({
      pwned: window.__pwned,
      scripts: document.querySelectorAll('main script').length,
      handler: document.querySelector('#h-img').getAttribute('onerror'),
      kept: document.querySelector('#h-html p')?.textContent,
      link: document.querySelector('#h-link').getAttribute('href'),
      onclick: document.querySelector('#h-link').getAttribute('onclick'),
      js: document.querySelector('#h-js')?.getAttribute('href') ?? null,
      iframe: document.querySelectorAll('main iframe').length,
    }));
    assert.deepEqual(state, { pwned: undefined, scripts: 0, handler: null, kept: 'kept', link: '/hostile.html', onclick: null, js: null, iframe: 0 });
    assert.deepEqual(visitor.pageErrors, []);
  } finally {
    await visitor.close();
    temp.remove();
  }
});

test('a variation visitor never sees the original headline painted, and nothing else is ever hidden', async () => {
  for (const load of ['first visit', 'cached']) {
    const visitor = await visitorPage(browser);
    try {
      const { page } = visitor;
      await flickerProbe(page, { watched: ['#headline'], unrelated: ['#unrelated', '#lead'] });
      if (load == 'cached') await page.goto(server.url('/headline.html'));
      await page.goto(server.url('/headline.html'));
      await page.waitForFunction(() => document.querySelector('#headline').textContent.startsWith('A perfect'), null, { timeout: 5000 });
      await page.waitForTimeout(100);
      const frames = await framesOf(page);
      assert.ok(frames.length > 0, `${load}: frames were recorded`);
      for (const f of frames)
        if (f['#headline']?.visible) assert.equal(f['#headline'].text, 'A perfect pour-over in four minutes', `${load}: the original was painted`);
      for (const f of afterHold(frames)) {
        assert.notEqual(f['#unrelated']?.visible, false, `${load}: an unrelated element was hidden`);
        assert.notEqual(f['#lead']?.visible, false, `${load}: an unrelated element was hidden`);
      }
      await clean(visitor);
    } finally {
      await visitor.close();
    }
  }
});
