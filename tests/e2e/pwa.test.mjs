// The app as an offline web app: the release dist/, served under /dealerlens/ as GitHub Pages
// serves it, is loaded once; the service worker caches the build; with the server stopped and
// the browser offline a reload still opens the app, and the demo and a file are analysed.
// Then a changed deployment is served on the same address: the user is told an update is
// ready, accepting it switches to the new version, whose cache replaces the old one.
// Any console error, page error, failed request or 404 fails the test (as in helpers.mjs).
//
//   cd tests/e2e && node --test pwa.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, DEFAULT_BASE } from './serve.mjs';
import { BROWSER_ARGS, dataValue, dist, screenshot } from './helpers.mjs';

const REPORT_READY = '[data-testid=report][data-state=ready]';
const WAIT = { timeout: 60_000 };

// By hand: customers A1 and A2; visits (customer-days) A1 2 + A2 1 = 3;
// revenue 300 + 120.50 + 80 = 500.50.
const CSV = ['客户编号,结算日期,实收金额', 'A1,2024-05-01,300', 'A2,2024-05-03,120.50', 'A1,2024-06-01,80', ''].join('\r\n');

/** The version and file list stamped into a build's sw.js by the Trunk hook. */
function stamped(dir) {
  const src = fs.readFileSync(path.join(dir, 'sw.js'), 'utf8');
  const version = src.match(/^const VERSION = '([^']*)';/m)?.[1];
  const assets = src.match(/^const ASSETS = \[(.*)\];/m)?.[1];
  assert.ok(version && assets !== undefined, 'sw.js carries VERSION and ASSETS');
  return { src, version, assets: [...assets.matchAll(/'([^']+)'/g)].map((m) => m[1]) };
}

const cacheName = (version) => `dealerlens:${DEFAULT_BASE}:${version}`;

let browser;
let tmp;

before(async () => {
  assert.ok(fs.existsSync(path.join(dist, 'index.html')), `${dist}/index.html is missing: build the app first`);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: BROWSER_ARGS,
  });
});

after(async () => {
  await browser?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('the build stamps its version and exactly its files into sw.js', () => {
  const { version, assets } = stamped(dist);
  assert.match(version, /^[0-9a-f]{16}$/, 'a build version, not the development placeholder');
  const workerVersion = fs
    .readFileSync(path.join(dist, 'index.html'), 'utf8')
    .match(/name="dl-worker-version" content="([0-9a-f]{16})"/)?.[1];
  assert.ok(workerVersion, 'index.html carries the worker version');
  const files = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(path.relative(dist, p).split(path.sep).join('/'));
    }
  };
  walk(dist);
  const expected = files
    .filter((f) => f !== 'sw.js' && !path.posix.basename(f).startsWith('.'))
    .map((f) => (['worker-boot.js', 'worker.js', 'worker_bg.wasm'].includes(f) ? `${f}?v=${workerVersion}` : f))
    .sort();
  assert.deepEqual([...assets].sort(), expected, 'sw.js precaches every built file and nothing else');
  for (const f of ['index.html', 'boot.js', 'manifest.webmanifest', 'icons/icon-192.png', 'icons/icon-512.png']) {
    assert.ok(assets.includes(f), `${f} is precached`);
  }
  assert.ok(assets.some((f) => /^dealerlens-[0-9a-f]+_bg\.wasm$/.test(f)), 'the app wasm is precached');
  assert.ok(assets.includes(`worker_bg.wasm?v=${workerVersion}`), 'the worker wasm is precached');

  const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'manifest.webmanifest'), 'utf8'));
  assert.equal(manifest.start_url, './');
  assert.equal(manifest.scope, './');
  for (const size of ['192x192', '512x512']) {
    const icon = manifest.icons.find((i) => i.sizes === size && i.type === 'image/png');
    assert.ok(icon, `a ${size} PNG icon`);
    const png = fs.readFileSync(path.join(dist, icon.src));
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.equal(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`, size, `${icon.src} is ${size}`);
  }
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  assert.match(html, /manifest-src 'self'/, 'the CSP allows our own manifest');
  assert.match(html, /<link rel="manifest" href="manifest.webmanifest">/);
});

test('offline after the first visit, then a new deployment is offered and replaces the old one', { timeout: 20 * 60_000 }, async () => {
  const first = stamped(dist);
  let server = await startServer({ dir: dist });
  const servers = [server];
  const { port } = server;

  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const problems = [];
  const onConsole = (where) => (msg) => {
    if (msg.type() === 'error') problems.push(`${where} console error: ${msg.text()}`);
  };
  page.on('console', onConsole('page'));
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('worker', (w) => w.on('console', onConsole('worker')));
  page.on('requestfailed', (req) => {
    // As in helpers.mjs: aborted means cancelled by the page itself (here the reload into the
    // new version can cut off the old page's worker still fetching its wasm); a missing file
    // is a 404 (checked at the end), a network error another code.
    if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
  });
  const cacheKeys = () => page.evaluate(() => caches.keys());

  try {
    // 1. The first visit: the service worker installs, caches the build and becomes active
    // (it controls the pages loaded from then on).
    await page.goto(server.url);
    await page.locator('[data-testid=load-demo]').waitFor(WAIT);
    const active = await page.evaluate(() =>
      Promise.race([
        navigator.serviceWorker.ready.then(() => true),
        new Promise((resolve) => setTimeout(() => resolve(false), 60_000)),
      ]),
    );
    assert.ok(active, 'the service worker is active after the first visit');
    assert.deepEqual(await cacheKeys(), [cacheName(first.version)]);
    const cached = await page.evaluate(
      async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search),
      cacheName(first.version),
    );
    assert.deepEqual(
      cached.sort(),
      first.assets.map((a) => DEFAULT_BASE + a).sort(),
      'the cache holds every file of the build',
    );

    // 2. No network at all: the server is stopped, the browser offline, and its HTTP cache
    // emptied (fresh entries would otherwise stand in for files the service worker missed).
    await server.close();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await cdp.detach();
    await context.setOffline(true);
    await page.reload();
    await page.locator('[data-testid=load-demo]').waitFor(WAIT);
    assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), 'the service worker controls the page');

    await page
      .locator('[data-testid=file-input]')
      .setInputFiles({ name: 'records.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.locator(REPORT_READY).waitFor(WAIT);
    assert.equal(await dataValue(page, 'total-customers'), '2');
    assert.equal(await dataValue(page, 'total-visits'), '3');
    assert.equal(await dataValue(page, 'total-revenue'), '500.50');

    await page.locator('[data-testid=load-demo]').click();
    await page.waitForFunction(
      () => {
        const el = document.querySelector('[data-testid=total-customers]');
        return el && Number(el.getAttribute('data-value')) > 2;
      },
      null,
      WAIT,
    );
    await page.locator(REPORT_READY).waitFor(WAIT);
    await page.locator('[data-testid=dashboard]').waitFor(WAIT);
    await screenshot(page, 'pwa-offline-demo');

    // 3. Back online, a new deployment at the same address: another version stamped into
    // sw.js, and a visible marker in its page.
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dealerlens-pwa-'));
    const next = path.join(tmp, 'dist');
    fs.cpSync(dist, next, { recursive: true });
    const nextVersion = first.version.slice(0, 8) + 'feedbeef';
    fs.writeFileSync(
      path.join(next, 'sw.js'),
      first.src.replace(`const VERSION = '${first.version}';`, `const VERSION = '${nextVersion}';`),
    );
    const indexPath = path.join(next, 'index.html');
    const html = fs.readFileSync(indexPath, 'utf8');
    assert.ok(html.includes('<title>'));
    fs.writeFileSync(indexPath, html.replace('<title>', '<meta name="dl-test-build" content="next">\n  <title>'));
    assert.equal(stamped(next).version, nextVersion);

    await context.setOffline(false);
    server = await startServer({ dir: next, port });
    servers.push(server);
    await page.reload();
    await page.locator('[data-testid=load-demo]').waitFor(WAIT);

    // The old version still runs, and says a new one is ready.
    const banner = page.locator('[data-testid=update-banner]');
    await banner.waitFor(WAIT);
    const said = await banner.textContent();
    assert.match(said, /新版本已就绪/);
    assert.match(said, /new version .*is ready/i);
    assert.equal(await page.locator('meta[name=dl-test-build]').count(), 0, 'the old page until the user agrees');
    const keys = await cacheKeys();
    assert.ok(keys.includes(cacheName(first.version)) && keys.includes(cacheName(nextVersion)), `both caches while waiting: ${keys}`);
    await screenshot(page, 'pwa-update-ready');

    // Accepting it: the new worker takes over, the page reloads into the new version and the
    // old cache is gone.
    await Promise.all([page.waitForEvent('load', WAIT), page.locator('[data-testid=update-accept]').click()]);
    await page.locator('[data-testid=load-demo]').waitFor(WAIT);
    assert.equal(await page.locator('meta[name=dl-test-build]').getAttribute('content'), 'next');
    assert.equal(await banner.count(), 0, 'no banner once updated');
    await page.waitForFunction((name) => caches.keys().then((k) => k.length === 1 && k[0] === name), cacheName(nextVersion), WAIT);
    const running = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const ch = new MessageChannel();
          ch.port1.onmessage = (e) => resolve(e.data.version);
          navigator.serviceWorker.controller.postMessage({ type: 'version' }, [ch.port2]);
        }),
    );
    assert.equal(running, nextVersion, 'the new service worker controls the page');

    // The new version works.
    await page.locator('[data-testid=load-demo]').click();
    await page.locator(REPORT_READY).waitFor(WAIT);
  } catch (err) {
    // What went wrong in the page is usually the cause: show it with the failure.
    if (problems.length) err.message += `\nproblems in the page:\n${problems.join('\n')}`;
    throw err;
  } finally {
    await context.close();
    for (const s of servers) await s.close().catch(() => {});
  }
  assert.deepEqual(servers.flatMap((s) => s.notFound), [], 'no request may be answered 404');
  assert.deepEqual(problems, [], 'no console error, page error or failed request');
});
