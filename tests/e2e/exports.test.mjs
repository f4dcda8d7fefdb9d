// End-to-end tests of the exports (xlsx lists and segments, PNG charts), a customer's
// history, the segment migration panel and the printed report, on the demo data, checked
// against the CLI's JSON report of the same data and against the demo xlsx itself.
//
//   cd tests/e2e && node --test exports.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';
import { BROWSER_ARGS, cliDemoReport, dist, openApp, dataValue, readXlsx, pngSize } from './helpers.mjs';

const REPORT_READY = '[data-testid=report][data-state=ready]';
const WAIT = { timeout: 60_000 };

let server;
let browser;
let expected;

before(async () => {
  assert.ok(fs.existsSync(`${dist}/index.html`), `${dist}/index.html is missing: build the app first`);
  expected = cliDemoReport();
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

async function openDemo(locale = 'zh-CN') {
  const app = await openApp(browser, server, { locale });
  await app.page.locator('[data-testid=load-demo]').click();
  await app.page.locator(REPORT_READY).waitFor(WAIT);
  return app;
}

/** The bytes of a download, and its suggested name. */
async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent('download', WAIT), click()]);
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(await dl.path()) };
}

/** Excel's serial number of a `YYYY-MM-DD` date (days since 1899-12-30). */
const serial = (iso) => {
  const [y, m, d] = iso.split('-').map(Number);
  return (Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000;
};

test('a call list and a segment export as xlsx with every row of the Report', { timeout: 180_000 }, async () => {
  const app = await openDemo();
  const { page } = app;

  // The phone list: one row per entry, in the Report's order, dates as date serials.
  await page.locator('[data-testid=list-tab-phone]').click();
  await page.locator('[data-testid=list-body][data-list=phone]').waitFor(WAIT);
  const phone = expected.lists.phone;
  assert.ok(phone.length > 0);
  const list = await download(page, () => page.locator('[data-testid=list-export-xlsx]').click());
  assert.match(list.name, /^电话提醒-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const sheet = readXlsx(list.bytes);
  assert.equal(sheet.sheetName, '电话提醒');
  assert.deepEqual(sheet.rows[0], [
    '客户', '名称', '电话', '车牌', '到期日', '距到期（天）', '原因', '依据', '事件日期', '最近到店',
    '未到店（天）', '最近里程', '日均里程',
  ]);
  assert.equal(sheet.rows.length, phone.length + 1, 'one row per entry');
  phone.forEach((item, i) => {
    const row = sheet.rows[i + 1];
    assert.equal(row[0], item.id, `row ${i + 2} id`);
    assert.equal(row[4], serial(item.due), `row ${i + 2} due`);
    assert.equal(row[5], item.days_to_due, `row ${i + 2} days to due`);
    assert.equal(row[9], serial(item.last_visit), `row ${i + 2} last visit`);
  });
  // The button is usable again once the file is saved.
  await page.locator('[data-testid=list-export-xlsx]:not([disabled])').waitFor(WAIT);

  // A segment: lifecycle "lost", all of its customers, revenue as yuan.
  const lost = expected.customers.filter((c) => c.segments.lifecycle === 'lost');
  assert.ok(lost.length > 0);
  await page.locator('[data-testid=drill-open][data-scheme=lifecycle][data-code=lost]').click();
  await page.locator('[data-testid=drill][data-code=lost]').waitFor(WAIT);
  const seg = await download(page, () => page.locator('[data-testid=drill-export-xlsx]').click());
  assert.match(seg.name, /\.xlsx$/);
  const segRows = readXlsx(seg.bytes).rows;
  assert.equal(segRows[0][0], '客户');
  assert.equal(segRows.length, lost.length + 1);
  const byId = new Map(lost.map((c) => [c.id, c]));
  for (const row of segRows.slice(1)) {
    const c = byId.get(row[0]);
    assert.ok(c, `${row[0]} is lost in the Report`);
    assert.equal(row[2], '流失客户');
    assert.equal(row[3], c.visits);
    assert.equal(Math.round(row[6] * 100), Math.round(c.revenue * 100), `${c.id} revenue`);
  }
  assert.equal(new Set(segRows.slice(1).map((r) => r[0])).size, lost.length, 'each customer once');
  // Sorted as on screen: revenue, highest first.
  const revenue = segRows.slice(1).map((r) => r[6]);
  assert.ok(revenue.every((v, i) => i === 0 || revenue[i - 1] >= v));
  await app.done();
});

test('charts export as PNG at 2× and 3× their size', { timeout: 120_000 }, async () => {
  const app = await openDemo();
  const { page } = app;
  for (const [chart, scale] of [['chart-pareto', 2], ['chart-lifecycle', 3]]) {
    const svg = page.locator(`[data-testid=${chart}] svg`).first();
    const width = Number(await svg.getAttribute('width'));
    const height = Number(await svg.getAttribute('height'));
    assert.ok(width > 100 && height > 100, `${chart} ${width}×${height}`);
    const png = await download(page, () => page.locator(`[data-testid=${chart}-png${scale}]`).click());
    assert.match(png.name, new RegExp(`@${scale}x\\.png$`));
    assert.deepEqual(pngSize(png.bytes), { width: width * scale, height: height * scale }, chart);
    // A real picture, not an empty canvas: far more bytes than a blank image compresses to.
    assert.ok(png.bytes.length > 20_000, `${chart}: ${png.bytes.length} bytes`);
  }
  await app.done();
});

test("a customer id opens the customer's history, as many rows as the demo file has", { timeout: 180_000 }, async () => {
  // The demo's only skipped row is its totals row (no customer id).
  assert.deepEqual(expected.input.skipped, { totals_row: 1 });
  const app = await openDemo();
  const { page } = app;
  // The demo file as an xlsx: its rows per customer are the independent count.
  const demo = await download(page, () => page.locator('[data-testid=download-demo]').click());
  const rows = readXlsx(demo.bytes).rows;
  const header = rows.findIndex((r) => r.includes('客户编号'));
  const idCol = rows[header].indexOf('客户编号');

  // From a drill-down row: the top customer of lifecycle "active".
  await page.locator('[data-testid=drill-open][data-scheme=lifecycle][data-code=active]').click();
  await page.locator('[data-testid=drill][data-code=active]').waitFor(WAIT);
  const first = page.locator('[data-testid=drill-table] [data-testid=history-open]').first();
  const id = await first.getAttribute('data-id');
  await first.click();
  await page.locator(`[data-testid=history][data-id="${id}"] [data-testid=history-table]`).waitFor(WAIT);
  const c = expected.customers.find((x) => x.id === id);
  const inFile = rows.slice(header + 1).filter((r) => r[idCol] === id).length;
  assert.ok(inFile > 0);
  assert.equal(Number(await dataValue(page, 'history-rows')), inFile, 'rows of the demo file');
  assert.equal(Number(await dataValue(page, 'history-visits')), c.visits);
  const fen = Math.round(c.revenue * 100);
  assert.equal(Number(await dataValue(page, 'history-revenue')), fen);
  assert.equal(await page.locator('[data-testid=history-table] tbody tr').count(), inFile);
  const amounts = await page
    .locator('[data-testid=history-table] tbody td[data-value]')
    .evaluateAll((tds) => tds.map((td) => Number(td.dataset.value)));
  assert.equal(amounts.reduce((a, b) => a + b, 0), fen, 'the rows add up to the revenue');
  // Newest first.
  const dates = await page.locator('[data-testid=history-table] tbody td.date').allTextContents();
  assert.ok(dates.every((d, i) => i === 0 || dates[i - 1] >= d), `${dates}`);
  // Escape closes the history only; the drill-down stays.
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=history]').waitFor({ state: 'detached', ...WAIT });
  assert.equal(await page.locator('[data-testid=drill][data-code=active]').count(), 1);
  await page.locator('[data-testid=drill-close]').click();

  // From a call list row, by keyboard.
  await page.locator('[data-testid=list-tab-win_back]').click();
  const item = expected.lists.win_back[0];
  const button = page.locator(`[data-testid=list-table] [data-testid=history-open][data-id="${item.id}"]`);
  await button.focus();
  await page.keyboard.press('Enter');
  await page.locator(`[data-testid=history][data-id="${item.id}"] [data-testid=history-table]`).waitFor(WAIT);
  const d = expected.customers.find((x) => x.id === item.id);
  assert.equal(Number(await dataValue(page, 'history-visits')), d.visits);
  await page.locator('[data-testid=history-close]').click();
  await page.locator('[data-testid=history]').waitFor({ state: 'detached', ...WAIT });
  await app.done();
});

test('the migration panel and the printed report', { timeout: 180_000 }, async () => {
  const app = await openDemo();
  const { page } = app;
  const m = expected.migration;
  assert.equal(Number(await dataValue(page, 'migration-stayed')), m.stayed);
  assert.equal(Number(await dataValue(page, 'migration-moved')), m.moved_count);
  assert.equal(Number(await dataValue(page, 'migration-new')), m.new_count);
  // Every cell of the Report's matrix, and nothing else.
  const cells = await page
    .locator('[data-testid=migration-table] td[data-from]')
    .evaluateAll((tds) => tds.map((td) => [td.dataset.from, td.dataset.to, Number(td.dataset.value)]));
  const shown = {};
  for (const [from, to, n] of cells) {
    if (n > 0) (shown[from] ??= {})[to] = n;
  }
  assert.deepEqual(shown, m.matrix);
  const total = cells.reduce((a, [, , n]) => a + n, 0);
  assert.equal(total, expected.customers.length, 'every customer once');

  // Print: the controls go, the headline figures and charts stay, and it prints.
  await page.emulateMedia({ media: 'print' });
  const visible = (sel) => page.locator(sel).first().isVisible();
  assert.equal(await visible('[data-testid=print]'), false);
  assert.equal(await visible('[data-testid=chart-pareto-export]'), false);
  assert.equal(await visible('[data-testid=list-export]'), false);
  assert.equal(await visible('[data-testid=total-customers]'), true);
  assert.equal(await visible('[data-testid=chart-pareto] svg'), true);
  assert.equal(await visible('[data-testid=migration-table]'), true);
  const pdf = await page.pdf({ format: 'A4' });
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 2, `${pages} pages`);
  await page.emulateMedia({ media: 'screen' });
  assert.equal(await visible('[data-testid=print]'), true);
  await app.done();
});
