// End-to-end tests of the dashboard on the demo data, checked against the CLI's JSON report
// of the same data (see app.test.mjs for the set-up and the environment variables).
//
//   cd tests/e2e && node --test dashboard.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';
import { BROWSER_ARGS, cliDemoReport, dist, openApp, dataValue, screenshot } from './helpers.mjs';

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

/** The text of a download, and its suggested name. */
async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent('download', WAIT), click()]);
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(await dl.path()) };
}

const SCHEMES = [
  'lifecycle', 'value', 'loyalty', 'member', 'traditional', 'need', 'habit',
  'vehicle_age', 'vehicle_use', 'region', 'age_cohort', 'occupation',
];
const testid = (s) => s.replaceAll('_', '-');

test('the headline figures equal the CLI report', { timeout: 20 * 60_000 }, async () => {
  const app = await openDemo();
  const { page } = app;
  const p = expected.pareto.customers;
  assert.equal(await dataValue(page, 'top20-share'), p.top20_share.toFixed(4));
  assert.equal(await dataValue(page, 'customers-for-80'), String(p.count_for_80pct));
  const lc = expected.segments.lifecycle.counts;
  assert.equal(await dataValue(page, 'lifecycle-active'), String(lc.active ?? 0));
  assert.equal(await dataValue(page, 'lifecycle-at-risk'), String(lc.at_risk ?? 0));
  assert.equal(await dataValue(page, 'lifecycle-lost'), String(lc.lost ?? 0));
  assert.equal(await dataValue(page, 'lifecycle-new'), String(lc.new ?? 0));
  await app.done();
});

test('every analysis panel shows an SVG chart, every scheme a view', { timeout: 120_000 }, async () => {
  const app = await openDemo();
  const { page } = app;
  const charts = ['pareto', 'abc', 'funnel', 'rfm', 'rfm-named', 'trends', 'mileage', 'cohort'];
  for (const s of SCHEMES) {
    const seg = expected.segments[s];
    const panel = page.locator(`[data-testid=panel-${testid(s)}]`);
    assert.equal(await panel.getAttribute('data-available'), String(seg.available), s);
    if (seg.available) charts.push(testid(s));
    else assert.ok((await panel.locator('[data-testid=unlock]').textContent()).length > 3, s);
  }
  for (const c of charts) {
    const svg = page.locator(`[data-testid=chart-${c}] svg.dl-chart`);
    assert.equal(await svg.count(), 1, `chart-${c} has one SVG`);
    assert.ok((await svg.locator('rect, polygon, path, polyline, circle').count()) > 2, `chart-${c} draws`);
  }
  // The Pareto chart marks the 80 % crossing at the CLI's rank.
  const crossing = page.locator('[data-testid=chart-pareto] .dl-crossing-point');
  assert.equal(await crossing.count(), 1);
  // The RFM heat map has bins × bins cells.
  const bins = expected.rfm.heatmap.length;
  assert.equal(await page.locator('[data-testid=chart-rfm] .dl-cell').count(), bins * bins);
  // Trends: all customers plus one series per lifecycle class, then per value class.
  const series = () => page.locator('[data-testid=chart-trends] g.dl-series').count();
  assert.equal(await series(), 1 + Object.keys(expected.trends.by_lifecycle).length);
  await page.locator('[data-testid=trends-by-value]').click();
  await page.locator('[data-testid=trends-visits]').click();
  await page.locator('[data-testid=chart-trends] .dl-axis-title', { hasText: '到店次数' }).waitFor(WAIT);
  assert.equal(await series(), 1 + Object.keys(expected.trends.by_value).length);
  // A scheme switches to a donut.
  await page.locator('[data-testid=panel-lifecycle] [data-testid=show-donut]').click();
  await page.locator('[data-testid=chart-lifecycle] .dl-slice').first().waitFor(WAIT);
  await screenshot(page, 'dashboard-zh', true);
  await app.done();
});

test('drill-down lists the customers of a segment, as counted in the Report', { timeout: 120_000 }, async () => {
  const app = await openDemo();
  const { page } = app;
  const drillCount = async () => Number(await dataValue(page, 'drill-count'));
  // The worker answers a drill-down page; until then the previous page stays, marked busy.
  const settled = () => page.locator('[data-testid=drill][aria-busy=false]').waitFor(WAIT);

  // A class button (keyboard path): lifecycle "lost".
  const lost = expected.segments.lifecycle.counts.lost;
  assert.ok(lost > 0);
  await page.locator('[data-testid=drill-open][data-scheme=lifecycle][data-code=lost]').click();
  await page.locator('[data-testid=drill][data-scheme=lifecycle][data-code=lost]').waitFor(WAIT);
  assert.equal(await drillCount(), lost);
  assert.equal(await page.locator('[data-testid=drill-table] tbody tr').count(), Math.min(lost, 200));
  // The search box has the focus; searching for one listed customer's id finds it.
  const firstId = (await page.locator('[data-testid=drill-table] tbody tr td.id').first().textContent()).trim();
  await page.keyboard.type(firstId);
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid=drill-count]')?.dataset.value) < 50,
    null,
    WAIT,
  );
  await settled();
  const ids = await page.locator('[data-testid=drill-table] tbody tr td.id').allTextContents();
  assert.ok(ids.map((s) => s.trim()).includes(firstId), `${firstId} in ${ids}`);
  // Its segment export holds the matches.
  const csv = await download(page, () => page.locator('[data-testid=drill-export]').click());
  assert.match(csv.name, /\.csv$/);
  const lines = csv.bytes.toString('utf8').split('\r\n').filter(Boolean);
  assert.equal(lines.length, ids.length + 1);
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=drill]').waitFor({ state: 'detached', ...WAIT });
  // The focus is back on the button that opened it.
  assert.deepEqual(
    await page.evaluate(() => [document.activeElement?.dataset.scheme, document.activeElement?.dataset.code]),
    ['lifecycle', 'lost'],
  );
  // Escape works wherever the focus is, and only while the drill-down is open.
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=drill][data-code=lost]').waitFor(WAIT);
  await page.locator('[data-testid=drill-count]').click();
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=drill]').waitFor({ state: 'detached', ...WAIT });
  await page.locator('[data-testid=lang-toggle]').focus();
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'lang-toggle');
  await page.locator('[data-testid=drill-open][data-scheme=lifecycle][data-code=lost]').focus();
  // Keyboard: Enter on the focused button opens it again; a header sorts the table.
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=drill][data-code=lost]').waitFor(WAIT);
  await page.locator('[data-testid=drill-table] th button', { hasText: '到店次数' }).click();
  await settled();
  const visits = (await page.locator('[data-testid=drill-table] tbody tr td:nth-child(3)').allTextContents())
    .map((t) => Number(t.replaceAll(',', '')));
  assert.ok(visits.length > 10 && visits.every((v, i) => i === 0 || visits[i - 1] >= v), `sorted: ${visits.slice(0, 10)}`);
  assert.equal(await drillCount(), lost);
  await page.locator('[data-testid=drill-close]').click();

  // A click on a bar of the value chart.
  const valueClasses = await page
    .locator('[data-testid=panel-value] [data-testid=drill-open]')
    .evaluateAll((bs) => bs.map((b) => b.dataset.code));
  await page.locator('[data-testid=chart-value] .dl-bar[data-index="0"]').click();
  await page.locator(`[data-testid=drill][data-scheme=value][data-code=${valueClasses[0]}]`).waitFor(WAIT);
  assert.equal(await drillCount(), expected.segments.value.counts[valueClasses[0]]);
  await page.locator('[data-testid=drill-close]').click();

  // A click on the top-left cell of the R × F heat map: R = bins, F = 1.
  const bins = expected.rfm.heatmap.length;
  await page.locator('[data-testid=chart-rfm] .dl-cell[data-row="0"][data-col="0"]').click();
  await page.locator(`[data-testid=drill][data-scheme=rfm_rf][data-code="${bins}-1"]`).waitFor(WAIT);
  assert.equal(await drillCount(), expected.rfm.heatmap[bins - 1][0].count);
  await page.locator('[data-testid=drill-close]').click();
  // The same from the keyboard: a focused cell (R = bins − 1, F = 3) and Enter.
  await page.locator('[data-testid=chart-rfm] .dl-cell[data-row="1"][data-col="2"]').focus();
  await page.keyboard.press('Enter');
  await page.locator(`[data-testid=drill][data-scheme=rfm_rf][data-code="${bins - 1}-3"]`).waitFor(WAIT);
  assert.equal(await drillCount(), expected.rfm.heatmap[bins - 2][2].count);
  await page.locator('[data-testid=drill-close]').click();

  // Every class button of every scheme announces the Report's count.
  for (const s of SCHEMES.filter((s) => expected.segments[s].available)) {
    const shown = await page
      .locator(`[data-testid=panel-${testid(s)}] [data-testid=drill-open]`)
      .evaluateAll((bs) => Object.fromEntries(bs.map((b) => [b.dataset.code, Number(b.dataset.count)])));
    const want = Object.fromEntries(Object.entries(expected.segments[s].counts).filter(([, n]) => n > 0));
    assert.deepEqual(shown, want, s);
  }
  await app.done();
});

test('call lists: counts, and a CSV export with BOM, header and one row per customer', { timeout: 120_000 }, async () => {
  const app = await openDemo();
  const { page } = app;
  for (const name of ['sms', 'phone', 'callback', 'first_service', 'win_back']) {
    const tab = page.locator(`[data-testid=list-tab-${name}]`);
    assert.equal(await tab.getAttribute('data-count'), String(expected.lists[name].length), name);
  }
  await page.locator('[data-testid=list-tab-win_back]').click();
  await page.locator('[data-testid=list-body][data-list=win_back]').waitFor(WAIT);
  const n = expected.lists.win_back.length;
  assert.ok(n > 0);
  // The table shows the first 200 entries the worker sent; the export holds all n.
  assert.equal(await page.locator('[data-testid=list-table] tbody tr').count(), Math.min(n, 200));
  const csv = await download(page, () => page.locator('[data-testid=list-export]').click());
  assert.match(csv.name, /\.csv$/);
  assert.deepEqual([...csv.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const lines = csv.bytes.toString('utf8').slice(1).split('\r\n');
  assert.equal(lines.at(-1), '', 'ends with CRLF');
  assert.equal(
    lines[0],
    '客户,名称,电话,车牌,到期日,距到期（天）,原因,依据,事件日期,最近到店,未到店（天）,最近里程,日均里程',
  );
  assert.equal(lines.length - 2, n, 'one row per customer');
  const first = expected.lists.win_back[0];
  assert.ok(lines[1].startsWith(`${first.id},`), lines[1]);
  assert.ok(lines[1].includes(`,${first.due},${first.days_to_due},`), lines[1]);
  await app.done();
});

test('a chart exports as SVG; the dashboard switches to English', { timeout: 120_000 }, async () => {
  const app = await openDemo();
  const { page } = app;
  const svg = await download(page, () => page.locator('[data-testid=chart-pareto-export]').click());
  assert.match(svg.name, /\.svg$/);
  const text = svg.bytes.toString('utf8');
  assert.ok(text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), text.slice(0, 80));
  assert.ok(text.includes('dl-crossing-point') && text.trimEnd().endsWith('</svg>'));

  await page.locator('[data-testid=lang-toggle]').click();
  await page.locator('html[lang=en]').waitFor(WAIT);
  await page.locator(REPORT_READY).waitFor(WAIT);
  assert.match(await page.locator('[data-testid=panel-lists] h3').textContent(), /Call lists/);
  assert.match(await page.locator('[data-testid=chart-pareto] .dl-title').textContent(), /Pareto/);
  await page.locator('[data-testid=list-tab-win_back]').click();
  const csv = await download(page, () => page.locator('[data-testid=list-export]').click());
  assert.ok(csv.bytes.toString('utf8').startsWith('\ufeffCustomer,Name,Phone,Plate,Due,'));
  await screenshot(page, 'dashboard-en', true);
  await app.done();
});

test('a small file: schemes without their columns say which column would unlock them', { timeout: 120_000 }, async () => {
  // Customer, name, date, amount only. By hand: 3 customers; C001 2 visits, C002 and C003 one each.
  const csv = [
    '客户编号,客户名称,结算日期,实收金额',
    'C001,张三,2024-03-05,1280',
    'C002,李四,2024-03-06,350.5',
    'C001,张三,2024-04-10,200',
    'C003,王五,2024-05-01,1000',
    '',
  ].join('\r\n');
  const app = await openApp(browser, server);
  const { page } = app;
  await page.locator('[data-testid=file-input]').setInputFiles({ name: 'small.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.locator(REPORT_READY).waitFor(WAIT);
  const unlock = async (scheme) => {
    const panel = page.locator(`[data-testid=panel-${scheme}]`);
    assert.equal(await panel.getAttribute('data-available'), 'false', scheme);
    return (await panel.locator('[data-testid=unlock]').textContent()).trim();
  };
  assert.match(await unlock('vehicle-age'), /购车日期/);
  assert.match(await unlock('vehicle-use'), /车辆用途/);
  assert.match(await unlock('vehicle-use'), /里程/);
  assert.match(await unlock('mileage'), /里程/);
  // Always-available schemes still draw, and a drill-down lists the three customers.
  assert.equal(await page.locator('[data-testid=chart-lifecycle] svg').count(), 1);
  const total = await page
    .locator('[data-testid=panel-member] [data-testid=drill-open]')
    .evaluateAll((bs) => bs.reduce((n, b) => n + Number(b.dataset.count), 0));
  assert.equal(total, 3);
  assert.equal(await dataValue(page, 'customers-for-80'), '2');
  await app.done();
});
