// End-to-end tests of the rules panel and the saved setup, on the demo data, checked against
// the CLI's JSON report with the same rules (see app.test.mjs for the environment variables).
//
//   cd tests/e2e && node --test setup.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';
import { BROWSER_ARGS, cliDemoReport, dist, openApp, dataValue } from './helpers.mjs';

const REPORT_READY = '[data-testid=report][data-state=ready]';
const WAIT = { timeout: 60_000 };
const KEY = 'dealerlens.setup';
const AT_RISK = 'rule-lifecycle-at-risk-days';
const RULES = { lifecycle: { at_risk_days: 120 } };
const KEYWORDS = { need: { keywords: { accident: ['保养'] } } };

let server;
let browser;
let byDefault;
let changed;
let withKeywords;

before(async () => {
  assert.ok(fs.existsSync(`${dist}/index.html`), `${dist}/index.html is missing: build the app first`);
  byDefault = cliDemoReport();
  changed = cliDemoReport(RULES);
  withKeywords = cliDemoReport(KEYWORDS);
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

/** The lifecycle headline figures the CLI reports. */
function lifecycle(report) {
  const lc = report.segments.lifecycle.counts;
  return {
    new: String(lc.new ?? 0),
    active: String(lc.active ?? 0),
    at_risk: String(lc.at_risk ?? 0),
    lost: String(lc.lost ?? 0),
  };
}

/** The lifecycle headline figures on the page. */
async function shown(page) {
  return {
    new: await dataValue(page, 'lifecycle-new'),
    active: await dataValue(page, 'lifecycle-active'),
    at_risk: await dataValue(page, 'lifecycle-at-risk'),
    lost: await dataValue(page, 'lifecycle-lost'),
  };
}

/** Waits until the at-risk headline shows `value` on a ready report. */
async function waitAtRisk(page, value) {
  await page.waitForFunction(
    (v) => {
      const el = document.querySelector('[data-testid=report][data-state=ready] [data-testid=lifecycle-at-risk]');
      return el && el.dataset.value === v;
    },
    value,
    WAIT,
  );
}

async function loadDemo(page) {
  await page.locator('[data-testid=load-demo]').click();
  await page.locator(REPORT_READY).waitFor(WAIT);
}

async function openRules(page) {
  await page.locator('[data-testid=rules-toggle]').click();
  await page.locator(`[data-testid=${AT_RISK}]`).waitFor({ state: 'visible', ...WAIT });
}

/** The text of a download. */
async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent('download', WAIT), click()]);
  return { name: dl.suggestedFilename(), text: fs.readFileSync(await dl.path(), 'utf8') };
}

test('a threshold change re-runs the analyses: counts equal the CLI with the same rules', { timeout: 20 * 60_000 }, async () => {
  const want = lifecycle(changed);
  const base = lifecycle(byDefault);
  assert.notEqual(want.at_risk, base.at_risk, 'the rule change must move the at-risk count');

  const app = await openApp(browser, server);
  const { page } = app;
  await loadDemo(page);
  assert.deepEqual(await shown(page), base);
  await openRules(page);
  const input = page.locator(`[data-testid=${AT_RISK}]`);
  assert.equal(await input.inputValue(), '180');

  // An open drill-down of the at-risk customers, and an observer on some panels: a re-run
  // keeps the report on screen and redraws only the panels whose part of the Report changed.
  await page.locator('[data-testid=drill-open][data-scheme=lifecycle][data-code=at_risk]').click();
  await page.locator('[data-testid=drill][data-code=at_risk][aria-busy=false]').waitFor(WAIT);
  assert.equal(Number(await dataValue(page, 'drill-count')), Number(base.at_risk));
  const PANELS = ['panel-pareto', 'panel-mileage', 'panel-cohort', 'panel-funnel', 'panel-lifecycle'];
  await page.evaluate((ids) => {
    window.__touched = {};
    for (const id of ids) {
      window.__touched[id] = 0;
      new MutationObserver((m) => { window.__touched[id] += m.length; })
        .observe(document.querySelector(`[data-testid=${id}]`), { subtree: true, childList: true, attributes: true, characterData: true });
    }
  }, PANELS);
  await input.fill('120');
  await waitAtRisk(page, want.at_risk);
  assert.deepEqual(await shown(page), want);
  const touched = await page.evaluate(() => Object.fromEntries(Object.entries(window.__touched).map(([id, n]) => [id, n > 0])));
  assert.deepEqual(touched, { 'panel-pareto': false, 'panel-mileage': false, 'panel-cohort': false, 'panel-funnel': true, 'panel-lifecycle': true });
  assert.equal(
    await page.locator('[data-testid=panel-lifecycle] [data-testid=drill-open][data-code=at_risk]').getAttribute('data-count'),
    String(want.at_risk),
  );
  // The drill-down stayed open and shows the new at-risk customers.
  await page.waitForFunction(
    (n) => {
      const d = document.querySelector('[data-testid=drill][data-code=at_risk][aria-busy=false] [data-testid=drill-count]');
      return d && Number(d.dataset.value) === n;
    },
    Number(want.at_risk),
    WAIT,
  );
  await page.locator('[data-testid=drill-close]').click();
  // The re-run's timeline (read by the benchmark): sent, then rendered, once each.
  await page.waitForFunction(() => performance.getEntriesByName('dl:rerun-ready', 'mark').length === 1);
  const [sent, ready] = await page.evaluate(() => ['dl:rerun-sent', 'dl:rerun-ready'].map((n) => performance.getEntriesByName(n, 'mark')));
  assert.equal(sent.length, 1);
  assert.ok(ready[0].startTime > sent[0].startTime, 'rendered after it was sent');
  // Totals do not move; the panel stays open and shows the new counts.
  assert.equal(await dataValue(page, 'total-customers'), String(byDefault.totals.customers));
  assert.ok(await page.locator('[data-testid=rules-panel]').evaluate((d) => d.open));
  assert.match(await page.locator('[data-testid=rules-live]').textContent(), new RegExp(`准流失客户 ${Number(want.at_risk).toLocaleString('en-US')}`));
  assert.equal(await input.inputValue(), '120');

  // Invalid input: shown next to the field, not sent.
  for (const bad of ['', '-5', 'abc', '12.5', 'NaN']) {
    await input.fill(bad);
    const error = page.locator(`[data-testid=${AT_RISK}-error]`);
    assert.ok((await error.textContent()).trim().length > 0, `error for ${JSON.stringify(bad)}`);
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
  }
  await page.waitForTimeout(800);
  assert.deepEqual(await shown(page), want, 'invalid input changes nothing');
  const stored = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), KEY));
  assert.equal(stored.rules.lifecycle.at_risk_days, 120);

  // Reset restores the defaults and the counts.
  await page.locator('[data-testid=rules-reset]').click();
  await waitAtRisk(page, base.at_risk);
  assert.deepEqual(await shown(page), base);
  assert.equal(await input.inputValue(), '180');
  assert.equal((await page.locator(`[data-testid=${AT_RISK}-error]`).textContent()).trim(), '');
  await app.done();
});

test('reload restores the setup: language and rules apply to the next analysis', { timeout: 20 * 60_000 }, async () => {
  const want = lifecycle(changed);
  const app = await openApp(browser, server);
  const { page } = app;
  await page.locator('[data-testid=lang-toggle]').click();
  await page.locator('html[lang=en]').waitFor(WAIT);
  await loadDemo(page);
  await openRules(page);
  await page.locator(`[data-testid=${AT_RISK}]`).fill('120');
  await waitAtRisk(page, want.at_risk);

  await page.reload();
  await page.locator('[data-testid=load-demo]').waitFor(WAIT);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await loadDemo(page);
  assert.deepEqual(await shown(page), want, 'the saved rules apply to the first analysis');
  await openRules(page);
  assert.equal(await page.locator(`[data-testid=${AT_RISK}]`).inputValue(), '120');
  assert.match(await page.locator('[data-testid=rules-toggle]').textContent(), /Rules and thresholds/);
  await app.done();
});

test('a corrupt or unknown-version stored setup is reported and replaced; the app works', { timeout: 20 * 60_000 }, async () => {
  const app = await openApp(browser, server);
  const { page } = app;
  for (const [stored, pattern] of [
    ['{"version":1,"rules":', /损坏/],
    ['{"version":99,"rules":{}}', /版本/],
    ['{"version":1,"rules":{"lifecycle":{"at_risk_days":-3}}}', /损坏/],
  ]) {
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY, stored]);
    await page.reload();
    await page.locator('[data-testid=setup-notice]').waitFor(WAIT);
    assert.match(await page.locator('[data-testid=setup-notice]').textContent(), pattern, stored);
    const now = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), KEY));
    assert.equal(now.version, 1, 'replaced by the defaults');
    assert.equal(now.rules.lifecycle.at_risk_days, 180);
  }
  await page.locator('[data-testid=setup-notice-dismiss]').click();
  assert.equal(await page.locator('[data-testid=setup-notice]').count(), 0);
  await loadDemo(page);
  assert.deepEqual(await shown(page), lifecycle(byDefault));
  await page.reload();
  await page.locator('[data-testid=load-demo]').waitFor(WAIT);
  assert.equal(await page.locator('[data-testid=setup-notice]').count(), 0, 'no notice once replaced');
  await app.done();
});

test('the setup exports as JSON (no data rows) and imports back', { timeout: 20 * 60_000 }, async () => {
  const want = lifecycle(changed);
  const base = lifecycle(byDefault);
  const app = await openApp(browser, server);
  const { page } = app;
  await loadDemo(page);
  await openRules(page);
  await page.locator(`[data-testid=${AT_RISK}]`).fill('120');
  await waitAtRisk(page, want.at_risk);

  const file = await download(page, () => page.locator('[data-testid=setup-export]').click());
  assert.match(file.name, /\.json$/);
  const setup = JSON.parse(file.text);
  assert.deepEqual(Object.keys(setup).sort(), ['lang', 'mapping_by_header', 'rules', 'version']);
  assert.equal(setup.version, 1);
  assert.equal(setup.lang, 'zh');
  assert.equal(setup.rules.lifecycle.at_risk_days, 120);
  for (const c of byDefault.customers.slice(0, 20)) {
    assert.ok(!file.text.includes(c.id), `no customer id (${c.id}) in the setup`);
  }

  await page.locator('[data-testid=rules-reset]').click();
  await waitAtRisk(page, base.at_risk);

  const input = page.locator('[data-testid=setup-import]');
  await input.setInputFiles({ name: 'setup.json', mimeType: 'application/json', buffer: Buffer.from(file.text) });
  await waitAtRisk(page, want.at_risk);
  assert.deepEqual(await shown(page), want);
  assert.equal(await page.locator(`[data-testid=${AT_RISK}]`).inputValue(), '120');
  assert.match(await page.locator('[data-testid=setup-notice]').textContent(), /已导入/);

  // A file that is not a setup is refused and changes nothing.
  await input.setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"version":1,"rows":[[1,2]]}') });
  await page.locator('[data-testid=setup-notice]', { hasText: '无法导入' }).waitFor(WAIT);
  await page.waitForTimeout(500);
  assert.deepEqual(await shown(page), want);
  assert.equal(await page.locator(`[data-testid=${AT_RISK}]`).inputValue(), '120');
  await app.done();
});

test('a mapping chosen by hand applies to the next file with the same headers, also after reload', { timeout: 20 * 60_000 }, async () => {
  // "到店" is no date header the engine knows: the first file needs the mapping screen.
  const head = '客户编号,客户名称,到店,实收金额';
  const first = [head, 'A1,赵六,2024-01-02,100', 'A1,赵六,2024-02-03,20.50', 'B2,钱七,2024-02-04,300', ''].join('\n');
  // Same headers, other rows. By hand: customers C3 and D4 and E5, 4 visits, revenue 1000.
  const second = [head, 'C3,孙八,2024-03-01,250', 'D4,周九,2024-03-02,250', 'C3,孙八,2024-04-01,250', 'E5,吴十,2024-04-02,250', ''].join('\n');
  const choose = (page, name, csv) =>
    page.locator('[data-testid=file-input]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });

  const app = await openApp(browser, server);
  const { page } = app;
  await choose(page, 'first.csv', first);
  await page.locator('[data-testid=mapping]').waitFor(WAIT);
  await page.locator('[data-testid=map-date]').selectOption('2');
  await page.locator('[data-testid=apply-mapping]').click();
  await page.locator(REPORT_READY).waitFor(WAIT);
  const stored = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), KEY));
  assert.equal(stored.mapping_by_header.date, '到店');

  const reportOf = (name) =>
    page.locator(`${REPORT_READY} [data-testid=file-name]`, { hasText: name }).waitFor(WAIT);
  const expectSecond = async () => {
    await reportOf('second.csv');
    assert.equal(await dataValue(page, 'total-customers'), '3');
    assert.equal(await dataValue(page, 'total-visits'), '4');
    assert.equal(await dataValue(page, 'total-revenue'), '1000.00');
    assert.match(await page.locator('[data-testid=mapping-summary]').textContent(), /到店/);
  };
  await choose(page, 'second.csv', second);
  await expectSecond();

  await page.reload();
  await page.locator('[data-testid=load-demo]').waitFor(WAIT);
  await choose(page, 'second.csv', second);
  await expectSecond();

  // A file without those headers is detected as usual.
  const other = ['客户编号,客户名称,结算日期,实收金额', 'X1,郑一,2024-05-01,80', ''].join('\n');
  await choose(page, 'other.csv', other);
  await reportOf('other.csv');
  assert.equal(await dataValue(page, 'total-customers'), '1');
  assert.match(await page.locator('[data-testid=mapping-summary]').textContent(), /结算日期/);
  await app.done();
});

test('need keywords typed as lines re-run the need analysis as the CLI does', { timeout: 20 * 60_000 }, async () => {
  const counts = (report) =>
    Object.fromEntries(Object.entries(report.segments.need.counts).filter(([, n]) => n > 0));
  const want = counts(withKeywords);
  assert.notDeepEqual(want, counts(byDefault), 'the keywords must move the need counts');
  const app = await openApp(browser, server);
  const { page } = app;
  await loadDemo(page);
  await openRules(page);
  const shownNeeds = () =>
    page
      .locator('[data-testid=report][data-state=ready] [data-testid=panel-need] [data-testid=drill-open]')
      .evaluateAll((bs) => Object.fromEntries(bs.map((b) => [b.dataset.code, Number(b.dataset.count)])));
  assert.deepEqual(await shownNeeds(), counts(byDefault));

  const area = page.locator('[data-testid=rule-need-keywords]');
  await area.fill('wash = 洗车');
  assert.match(await page.locator('[data-testid=rule-need-keywords-error]').textContent(), /wash/);
  await area.fill('accident = 保养');
  assert.equal((await page.locator('[data-testid=rule-need-keywords-error]').textContent()).trim(), '');
  await page.waitForFunction(
    (w) => {
      const bs = [...document.querySelectorAll('[data-testid=report][data-state=ready] [data-testid=panel-need] [data-testid=drill-open]')];
      return bs.length > 0 && bs.every((b) => w[b.dataset.code] === Number(b.dataset.count));
    },
    want,
    WAIT,
  );
  assert.deepEqual(await shownNeeds(), want);
  const stored = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), KEY));
  assert.deepEqual(stored.rules.need.keywords, { accident: ['保养'] });

  // Series tickets: a malformed line is refused with its line number.
  await page.locator('[data-testid=rule-series-ticket]').fill('凯美瑞 = 2000, 600\n雷凌 = 1500');
  assert.match(await page.locator('[data-testid=rule-series-ticket-error]').textContent(), /第 2 行/);

  await page.locator('[data-testid=rules-reset]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=rule-need-keywords]').value === '', null, WAIT);
  assert.equal((await page.locator('[data-testid=rule-series-ticket-error]').textContent()).trim(), '');
  await app.done();
});
