// Privacy, proven: once the page has loaded, reading a file and using every panel makes no
// network request at all, the whole flow works with the browser offline, and the built
// dist/ references no other origin. (Console errors, CSP violations, failed requests and
// 404s fail every test through helpers.mjs.)
//
//   cd tests/e2e && node --test privacy.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';
import { BROWSER_ARGS, dist, openApp, dataValue } from './helpers.mjs';

const REPORT_READY = '[data-testid=report][data-state=ready]';
const WAIT = { timeout: 60_000 };

let server;
let browser;

before(async () => {
  assert.ok(fs.existsSync(path.join(dist, 'index.html')), `${dist}/index.html is missing: build the app first`);
  server = await startServer({ dir: dist });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: BROWSER_ARGS,
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// By hand: 3 customers, 4 visits (customer-days), revenue 100 + 250 + 80 + 40 = 470.00.
const CSV = [
  '客户编号,结算日期,实收金额,维修类别',
  'K1,2024-01-05,100,保养',
  'K2,2024-02-10,250,维修',
  'K1,2024-03-01,80,保养',
  'K3,2024-03-02,40,洗车',
  '',
].join('\r\n');

/** Every panel, button and export the dashboard has, clicked once. */
async function useEveryPanel(page) {
  const panels = await page.locator('[data-testid^=panel-]').count();
  assert.ok(panels >= 10, `expected the dashboard's panels, found ${panels}`);
  // chart toggles and donut views
  for (const id of ['trends-by-value', 'trends-visits']) {
    const el = page.locator(`[data-testid=${id}]`);
    if (await el.count()) await el.first().click();
  }
  const donuts = page.locator('[data-testid=show-donut]');
  for (let i = 0; i < (await donuts.count()); i++) await donuts.nth(i).click();
  // every call list
  for (const name of ['sms', 'phone', 'callback', 'first_service', 'win_back']) {
    const tab = page.locator(`[data-testid=list-tab-${name}]`);
    if ((await tab.count()) && (await tab.isEnabled())) await tab.click();
  }
  // One export of each kind (Chromium holds back a long burst of downloads from one page).
  const kinds = ['setup-export', 'chart-pareto-export', 'chart-lifecycle-png2', 'list-export', 'list-export-xlsx'];
  let n = 0;
  for (const id of kinds) {
    const el = page.locator(`[data-testid=${id}]`).first();
    if (!(await el.isVisible()) || !(await el.isEnabled())) continue;
    n++;
    const what = await el.getAttribute('data-testid');
    const [dl] = await Promise.all([
      page.waitForEvent('download', WAIT).catch((e) => {
        throw new Error(`no download from ${what}: ${e.message}`);
      }),
      el.click(),
    ]);
    assert.ok((await fs.promises.stat(await dl.path())).size > 0, 'a download has content');
    if (process.env.DEBUG_EXPORTS) console.log(`downloaded from ${what}: ${dl.suggestedFilename()}`);
  }
  // a drill-down with a search, then closed
  await page.locator('[data-testid=drill-open][data-scheme=lifecycle][data-code=lost]').click();
  await page.locator('[data-testid=drill]').waitFor(WAIT);
  await page.locator('[data-testid=drill-search]').fill('1');
  // a customer's history from the drill-down, then closed
  await page.locator('[data-testid=drill-table] [data-testid=history-open]').first().click();
  await page.locator('[data-testid=history-table]').waitFor(WAIT);
  await page.locator('[data-testid=history-close]').click();
  await page.locator('[data-testid=drill-close]').click();
  await page.locator('[data-testid=drill]').waitFor({ state: 'detached', ...WAIT });
  // the language, both ways
  await page.locator('[data-testid=lang-toggle]').click();
  await page.locator('[data-testid=lang-toggle]').click();
  return n;
}

test('after load, a file, the demo and every panel make zero network requests, offline', { timeout: 20 * 60_000 }, async () => {
  const app = await openApp(browser, server);
  const { page } = app;
  const context = page.context();
  // Let the page finish loading everything it loads by itself: the worker, and the offline
  // copy the service worker makes on the first visit (done once it is active).
  await page.evaluate(() =>
    Promise.race([
      navigator.serviceWorker.ready.then(() => true),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no active service worker')), 60_000)),
    ]),
  );
  await page.waitForLoadState('networkidle');

  const requests = [];
  context.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
  const servedBefore = server.log.length;
  await context.setOffline(true);

  // A file through the file input.
  await page
    .locator('[data-testid=file-input]')
    .setInputFiles({ name: 'records.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  await page.locator(REPORT_READY).waitFor(WAIT);
  assert.equal(await dataValue(page, 'total-customers'), '3');
  assert.equal(await dataValue(page, 'total-visits'), '4');
  assert.equal(await dataValue(page, 'total-revenue'), '470.00');

  // The demo, and every panel of its dashboard.
  await page.locator('[data-testid=load-demo]').click();
  await page.locator('[data-testid=dashboard]').waitFor(WAIT);
  await page.locator(REPORT_READY).waitFor(WAIT);
  const exports = await useEveryPanel(page);
  assert.ok(exports >= 2, `expected CSV/SVG exports to click, found ${exports}`);

  // Downloads are blob: URLs made in the page; nothing else may be fetched.
  const network = requests.filter((r) => !/ (blob|data):/.test(r));
  assert.deepEqual(network, [], 'no network request after load');
  assert.deepEqual(server.log.slice(servedBefore), [], 'the server saw no request after load');
  await context.setOffline(false);
  await app.done();
});

test('the built dist/ references no other origin', () => {
  const files = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(dist);
  const text = files.filter((f) => /\.(html|js|mjs|css|json|webmanifest|svg|txt)$/.test(f));
  assert.ok(text.some((f) => f.endsWith('index.html')), 'index.html is in dist');
  assert.ok(text.filter((f) => f.endsWith('.js')).length >= 2, 'the app and worker scripts are in dist');
  // XML namespaces name a vocabulary, they are never fetched.
  const namespaces = new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink', 'http://www.w3.org/1999/xhtml']);
  const offending = [];
  for (const f of text) {
    const src = fs.readFileSync(f, 'utf8');
    for (const m of src.matchAll(/(?:https?:|wss?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'`)<>]*/gi)) {
      const url = m[0];
      if (!/^(https?|wss?):/i.test(url)) {
        // a protocol-relative reference: only in attributes or url()
        const before = src.slice(Math.max(0, m.index - 6), m.index);
        if (!/(=["']?|url\(["']?)$/.test(before)) continue;
      }
      if (namespaces.has(url.replace(/[.,;]+$/, ''))) continue;
      // A link in a comment of generated glue code is documentation, never fetched.
      const lineStart = src.lastIndexOf('\n', m.index) + 1;
      const line = src.slice(lineStart, m.index).trim();
      if (/\.m?js$/.test(f) && /^(\/\/|\/\*|\*)/.test(line)) continue;
      offending.push(`${path.relative(dist, f)}: ${url}`);
    }
  }
  assert.deepEqual(offending, [], 'no reference to another origin in dist/');
  // The CSP allows nothing from elsewhere.
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/);
  assert.ok(csp, 'index.html has a CSP');
  const policy = Object.fromEntries(csp[1].split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(policy['default-src'], ["'none'"]);
  assert.deepEqual(policy['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
  for (const [k, v] of Object.entries(policy)) {
    for (const source of v) {
      assert.ok(!/^(https?:|\*|wss?:)/.test(source) && !/\./.test(source), `${k} allows ${source}`);
    }
  }
  assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>\s*\S/.test(html), 'no inline script in index.html');
});
