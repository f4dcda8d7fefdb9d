// End-to-end tests of the built app (dist/, from `trunk build --release --public-url ./`),
// served under /dealerlens/ as GitHub Pages does, in Debian's Chromium driven by
// playwright-core. Every test fails on any console error, page error, failed request or 404
// (a Content-Security-Policy violation is a console error).
//
//   cd tests/e2e && npm ci && node --test
//
// Environment: CHROMIUM (browser path, default /usr/bin/chromium); DIST (default ../../dist);
// DEALERLENS_CLI (a built dealerlens-cli; default `cargo run --release --bin dealerlens-cli`);
// DEMO_REPORT_JSON (the CLI's JSON report of the zh demo, instead of running the CLI);
// SCREENSHOTS (a directory: screenshots of the screens are saved there).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';
import * as h from './helpers.mjs';
import { cliDemoReport, dataValue, dist, screenshot, text } from './helpers.mjs';

const REPORT_READY = '[data-testid=report][data-state=ready]';
const WAIT = { timeout: 60_000 };

let server;
let browser;

before(async () => {
  assert.ok(
    fs.existsSync(path.join(dist, 'index.html')),
    `${dist}/index.html is missing: run \`trunk build --release --public-url ./\` first`,
  );
  server = await startServer({ dir: dist });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: h.BROWSER_ARGS,
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the app in a fresh context (see helpers.mjs). */
function openApp(opts) {
  return h.openApp(browser, server, opts);
}

/** Puts a file into the page as a `File` and drops it on the drop zone. */
async function dropFile(page, name, bytes) {
  const dataTransfer = await page.evaluateHandle(
    ({ name, b64 }) => {
      const bin = atob(b64);
      const arr = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) arr[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([arr], name, { type: 'text/csv' }));
      return dt;
    },
    { name, b64: Buffer.from(bytes).toString('base64') },
  );
  await page.locator('[data-testid=drop-zone]').dispatchEvent('dragover', { dataTransfer });
  await page.locator('[data-testid=drop-zone]').dispatchEvent('drop', { dataTransfer });
}

async function chooseFile(page, name, bytes, mimeType = 'text/csv') {
  await page
    .locator('[data-testid=file-input]')
    .setInputFiles({ name, mimeType, buffer: Buffer.from(bytes) });
}

// A small export as a repair shop writes it. By hand:
//   data rows below the header: 7 (rows 2–8 of the sheet)
//   used 5: C001 ¥1,280.00 (2024-03-05), C002 350.50 (2024年3月6日), C001 200 (2024-04-10),
//           C003 1,000.00 (2024/05/01), C002 -50.00 refund on 2024-03-06 (the same day)
//   skipped 2: one blank row (row 5), one 合计 row (row 8)
//   customers 3; visits (customer-days) C001 2 + C002 1 + C003 1 = 4
//   revenue 1280.00 + 350.50 + 200.00 + 1000.00 − 50.00 = 2780.50
const SMALL_CSV = [
  '客户编号,客户名称,结算日期,实收金额,维修类别',
  'C001,张三,2024-03-05,"¥1,280.00",保养',
  'C002,李四,2024年3月6日,350.5,维修',
  'C001,张三,2024-04-10,200,保养',
  ',,,,',
  'C003,王五,2024/05/01,"1,000.00",钣喷',
  'C002,李四,2024-03-06,-50,退款',
  '合计,,,"2,780.50",',
  '',
].join('\r\n');

async function expectSmallCsvReport(page) {
  await page.locator(REPORT_READY).waitFor(WAIT);
  assert.equal(await dataValue(page, 'total-customers'), '3');
  assert.equal(await dataValue(page, 'total-visits'), '4');
  assert.equal(await dataValue(page, 'total-revenue'), '2780.50');
  assert.equal(await text(page, 'total-revenue'), '¥2,780.50');
  assert.equal(await text(page, 'rows-read'), '7');
  assert.equal(await text(page, 'rows-used'), '5');
  assert.equal(await text(page, 'rows-skipped'), '2');
  const reasons = await page.locator('[data-testid=skipped] tr[data-reason]').evaluateAll((trs) =>
    trs.map((tr) => [tr.dataset.reason, tr.children[1].textContent.trim(), tr.children[2].textContent.trim()]),
  );
  assert.deepEqual(reasons, [
    ['blank_row', '1', '5'],
    ['totals_row', '1', '8'],
  ]);
  // Top customers: C001 (1,480.00), C003 (1,000.00), C002 (300.50).
  const ids = await page.locator('[data-testid=top-customers] tbody tr td.id').allTextContents();
  assert.deepEqual(ids, ['C001', 'C003', 'C002']);
}

test('(a) the demo in the page gives the same totals as the CLI on the demo xlsx', { timeout: 20 * 60_000 }, async () => {
  const expected = cliDemoReport();
  const app = await openApp();
  const { page } = app;
  await page.locator('[data-testid=load-demo]').click();
  await page.locator(REPORT_READY).waitFor(WAIT);
  assert.equal(await dataValue(page, 'total-customers'), String(expected.totals.customers));
  assert.equal(await dataValue(page, 'total-visits'), String(expected.totals.visits));
  assert.equal(await dataValue(page, 'total-revenue'), expected.totals.revenue.toFixed(2));
  assert.ok(expected.totals.customers > 100, 'the demo has many customers');
  // The revenue is shown as ¥1,234,567.89.
  assert.match(await text(page, 'total-revenue'), /^¥\d{1,3}(,\d{3})*\.\d{2}$/);
  assert.equal(await page.locator('[data-testid=top-customers] tbody tr').count(), 20);
  await screenshot(page, 'report-zh');

  // (f) the performance marks of this load exist, in order.
  const marks = await page.evaluate(() =>
    ['dl:file-selected', 'dl:parsed', 'dl:report-ready'].map(
      (n) => performance.getEntriesByName(n, 'mark').map((m) => m.startTime),
    ),
  );
  for (const m of marks) assert.equal(m.length, 1, `one of each mark: ${JSON.stringify(marks)}`);
  assert.ok(marks[0][0] <= marks[1][0] && marks[1][0] <= marks[2][0], `in order: ${JSON.stringify(marks)}`);

  // The language toggle re-renders the report in English with the same numbers.
  await page.locator('[data-testid=lang-toggle]').click();
  await page.locator('html[lang=en]').waitFor(WAIT);
  await page.locator(REPORT_READY).waitFor(WAIT);
  assert.equal(await dataValue(page, 'total-customers'), String(expected.totals.customers));
  await screenshot(page, 'report-en');
  await app.done();
});

test('(b) a small CSV chosen with the file input: totals computed by hand', { timeout: 120_000 }, async () => {
  const app = await openApp();
  await chooseFile(app.page, '小表.csv', SMALL_CSV);
  await expectSmallCsvReport(app.page);
  assert.equal(await text(app.page, 'encoding'), 'utf-8');
  await app.done();
});

test('(c) the same CSV dropped on the drop zone', { timeout: 120_000 }, async () => {
  const app = await openApp({ locale: 'en-US' });
  assert.equal(await app.page.locator('html').getAttribute('lang'), 'en');
  await dropFile(app.page, 'small.csv', SMALL_CSV);
  await expectSmallCsvReport(app.page);
  await app.done();
});

test('(d) a CSV without a recognisable date column stops at the mapping screen', { timeout: 120_000 }, async () => {
  // "到店" is no date header the engine knows: the date must be chosen by hand (column C, index 2).
  // By hand: 3 rows, customers A1 (100 + 20.50) and B2 (300); revenue 420.50; visits 3.
  const csv = [
    '客户编号,客户名称,到店,实收金额',
    'A1,赵六,2024-01-02,100',
    'A1,赵六,2024-02-03,20.50',
    'B2,钱七,2024-02-04,300',
    '',
  ].join('\n');
  const app = await openApp();
  const { page } = app;
  await chooseFile(page, 'no-date.csv', csv);
  await page.locator('[data-testid=mapping]').waitFor(WAIT);
  assert.equal(await page.locator('[data-testid=apply-mapping]').isDisabled(), true);
  assert.equal(await page.locator('[data-testid=preview-table] tbody tr').count(), 3);
  await screenshot(page, 'mapping-zh');
  await page.locator('[data-testid=map-date]').selectOption('2');
  assert.equal(await page.locator('[data-testid=apply-mapping]').isDisabled(), false);
  await page.locator('[data-testid=apply-mapping]').click();
  await page.locator(REPORT_READY).waitFor(WAIT);
  assert.equal(await dataValue(page, 'total-customers'), '2');
  assert.equal(await dataValue(page, 'total-visits'), '3');
  assert.equal(await dataValue(page, 'total-revenue'), '420.50');
  // The marks of a load that went through the mapping screen are in order too.
  const marks = await page.evaluate(() =>
    ['dl:file-selected', 'dl:parsed', 'dl:report-ready'].map(
      (n) => performance.getEntriesByName(n, 'mark')[0]?.startTime,
    ),
  );
  assert.ok(marks.every((m) => typeof m === 'number'), JSON.stringify(marks));
  assert.ok(marks[0] <= marks[1] && marks[1] <= marks[2], JSON.stringify(marks));

  // "Change mapping" from the report opens the mapping screen with the mapping used.
  await page.locator('[data-testid=change-mapping]').click();
  await page.locator('[data-testid=mapping]').waitFor(WAIT);
  assert.equal(await page.locator('[data-testid=map-date]').inputValue(), '2');
  await app.done();
});

test('(d2) a mapping changed after the report re-runs on the other column', { timeout: 120_000 }, async () => {
  // "备用金额" is no header the engine knows, so it is left unmapped at first.
  // By hand: with 实收金额 revenue 100 + 20.50 + 300 = 420.50; with 备用金额 30 + 10 + 45.25 = 85.25;
  // customers A1, B2; visits 3 either way.
  const csv = [
    '客户编号,客户名称,结算日期,实收金额,备用金额',
    'A1,赵六,2024-01-02,100,30',
    'A1,赵六,2024-02-03,20.50,10',
    'B2,钱七,2024-02-04,300,45.25',
    '',
  ].join('\n');
  const app = await openApp();
  const { page } = app;
  await chooseFile(page, 'two-amounts.csv', csv);
  await page.locator(REPORT_READY).waitFor(WAIT);
  assert.equal(await dataValue(page, 'total-revenue'), '420.50');
  await page.locator('[data-testid=change-mapping]').click();
  await page.locator('[data-testid=mapping]').waitFor(WAIT);
  assert.equal(await page.locator('[data-testid=preview-table] tbody tr').count(), 3);
  assert.equal(await page.locator('[data-testid=map-amount]').inputValue(), '3');
  await page.locator('[data-testid=map-amount]').selectOption('4');
  await page.locator('[data-testid=apply-mapping]').click();
  await page.locator(`${REPORT_READY} [data-testid=mapping-summary]`, { hasText: '备用金额' }).waitFor(WAIT);
  assert.equal(await dataValue(page, 'total-customers'), '2');
  assert.equal(await dataValue(page, 'total-visits'), '3');
  assert.equal(await dataValue(page, 'total-revenue'), '85.25');
  // And back.
  await page.locator('[data-testid=change-mapping]').click();
  await page.locator('[data-testid=map-amount]').selectOption('3');
  await page.locator('[data-testid=apply-mapping]').click();
  await page.locator(`${REPORT_READY} [data-testid=mapping-summary]`, { hasText: '实收金额' }).waitFor(WAIT);
  assert.equal(await dataValue(page, 'total-revenue'), '420.50');
  await app.done();
});

test('(e) random bytes show an error, and the next good file still works', { timeout: 120_000 }, async () => {
  // Deterministic "random" bytes (a linear congruential generator), including NULs.
  const junk = Buffer.alloc(4096);
  let x = 12345;
  for (let i = 0; i < junk.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    junk[i] = x >>> 24;
  }
  const app = await openApp();
  const { page } = app;
  await chooseFile(page, 'junk.xlsx', junk, 'application/octet-stream');
  await page.locator('[data-testid=error]').waitFor(WAIT);
  assert.ok((await text(page, 'error-message')).length > 5);
  await screenshot(page, 'error-zh');
  await chooseFile(page, '小表.csv', SMALL_CSV);
  await expectSmallCsvReport(page);
  assert.equal(await page.locator('[data-testid=error]').count(), 0);
  await app.done();
});

test('(g) the demo downloads as an xlsx file', { timeout: 120_000 }, async () => {
  const app = await openApp({ locale: 'en-US' });
  const { page } = app;
  const [download] = await Promise.all([
    page.waitForEvent('download', WAIT),
    page.locator('[data-testid=download-demo]').click(),
  ]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  const file = await download.path();
  const bytes = fs.readFileSync(file);
  assert.ok(bytes.length > 10_000, `xlsx size ${bytes.length}`);
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
  await app.done();
});

test('(h) a worker that dies shows an error, and the next file gets a fresh worker', { timeout: 120_000 }, async () => {
  // The worker starts with the page. Hold its wasm until a file is chosen, then serve a
  // broken one: the worker dies while a request waits for it, as after a crash.
  let served = 0;
  let hold;
  const held = new Promise((resolve) => (hold = resolve));
  const app = await openApp({
    serviceWorkers: 'block',
    beforeGoto: (page) =>
      page.route('**/worker_bg.wasm*', (route) => (served++ === 0 ? hold(route) : route.continue())),
  });
  const { page } = app;
  await chooseFile(page, '小表.csv', SMALL_CSV);
  const first = await held;
  await first.fulfill({ status: 200, contentType: 'application/wasm', body: Buffer.from('not wasm') });
  await page.locator('[data-testid=error][data-kind=worker_died]').waitFor(WAIT);
  assert.match(await text(page, 'error-message'), /此文件无法读取/);
  // The dying worker's own complaints are expected; nothing else is.
  app.problems.splice(0, app.problems.length);
  await chooseFile(page, '小表.csv', SMALL_CSV);
  await expectSmallCsvReport(page);
  assert.equal(served, 2, 'a fresh worker was started');
  await app.done();
});

test('(i) a long file shows how far parsing has got', { timeout: 180_000 }, async () => {
  // 120,000 data rows of CSV: the worker reports every 10,000 rows while parsing.
  const lines = ['客户编号,结算日期,结算金额'];
  for (let i = 0; i < 120_000; i++) lines.push(`C${i % 5000},2024-0${1 + (i % 9)}-1${i % 10},${100 + (i % 7)}`);
  const csv = lines.join('\n');
  const app = await openApp();
  const { page } = app;
  // Record every determinate value the progress bar shows during the parsing stage.
  await page.evaluate(() => {
    window.__parsing = [];
    new MutationObserver(() => {
      const panel = document.querySelector('[data-testid=progress][data-stage=parsing]');
      const bar = panel?.querySelector('progress[value]');
      if (bar) window.__parsing.push([Number(bar.getAttribute('value')), Number(bar.getAttribute('max'))]);
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await chooseFile(page, 'long.csv', csv);
  await page.locator('[data-testid=report][data-state=ready]').waitFor({ timeout: 120_000 });
  assert.equal(await dataValue(page, 'total-customers'), '5000');
  const seen = await page.evaluate(() => window.__parsing);
  const bytes = Buffer.byteLength(csv);
  assert.ok(seen.length >= 1, 'the bar showed parsing progress');
  assert.ok(seen.every(([v, max]) => max === bytes && v > 0 && v < max), JSON.stringify(seen.slice(0, 5)));
  assert.ok(seen.every(([v], i) => i === 0 || seen[i - 1][0] <= v), 'never goes back');
  await app.done();
});
