// Browser end-to-end benchmark of the built app against SheetJS and the native CLI.
// Not a test: it asserts nothing and prints figures. Run it through `make -C bench` (which
// builds dist/, the CLI and the inputs first), or directly once those exist:
//
//   node bench/run.mjs [--files narrow,mid,csv,big] [--no-sheetjs] [--no-cli] [--renders N]
//                      [--sheetjs-timeout SECONDS] [--sheetjs-dense]
//
// What it measures (see docs/BENCHMARKS.md for the definitions):
//   - first visit: bytes served (gzip) before any file is chosen, by part (page, worker,
//     rest), and the time to the first render of the upload screen, in fresh contexts;
//   - per input file, in one page: the app's time from `dl:file-selected` to
//     `dl:report-ready`, the peak RSS of the renderer process (page + worker), the peak JS
//     heap and the wasm memory of the page and of the worker (DevTools protocol, jsmem.mjs),
//     the longest main-thread task; then, in the same page, SheetJS reading the same bytes
//     (XLSX.read + sheet_to_json; a GBK CSV is decoded with TextDecoder first) and a plain-JS per-customer aggregation; then the native
//     CLI (`dealerlens-cli analyze FILE --format json`) on the same file.
//
// Environment: CHROMIUM (default /usr/bin/chromium), DIST (default ../dist),
// DEALERLENS_CLI (default ../target/release/dealerlens-cli).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
import { sampleMemory } from './procmem.mjs';
import { watchJsMemory } from './jsmem.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const DIST = path.resolve(process.env.DIST || path.join(repo, 'dist'));
const CLI = path.resolve(process.env.DEALERLENS_CLI || path.join(repo, 'target/release/dealerlens-cli'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const DATA = path.join(here, 'data');
const RESULTS = path.join(here, 'results');
const SHEETJS = path.join(here, 'node_modules/xlsx/dist/xlsx.full.min.js');

const FILES = {
  narrow: { name: 'service_541909_8col.xlsx', label: 'xlsx, 541,909 rows × 8 columns', csv: false },
  mid: { name: 'service_541909.xlsx', label: 'xlsx, 541,909 rows × 20 columns', csv: false },
  csv: { name: 'service_541909_gbk.csv', label: 'GBK CSV, 541,909 rows × 20 columns', csv: true },
  big: { name: 'service_1048575.xlsx', label: 'xlsx, 1,048,576 rows × 20 columns (Excel limit)', csv: false },
};

const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const READY = '[data-testid=report][data-state=ready]';
const RUN_TIMEOUT = 30 * 60_000;
const HEAP_INTERVAL_MS = 250;

// ---------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : dflt;
};
const fileKeys = option('--files', 'narrow,mid,csv,big').split(',').filter(Boolean);
const withSheetjs = !flag('--no-sheetjs');
const withCli = !flag('--no-cli');
const renders = Number(option('--renders', 3));
const sheetjsTimeout = Number(option('--sheetjs-timeout', 600));
const sheetjsDense = flag('--sheetjs-dense');

for (const k of fileKeys) {
  if (!FILES[k]) throw new Error(`unknown file key ${k} (${Object.keys(FILES).join(', ')})`);
  const p = path.join(DATA, FILES[k].name);
  if (!fs.existsSync(p)) {
    throw new Error(`${p} is missing: run \`cargo run --release --example gen_bench_inputs\` (or make -C bench)`);
  }
}
if (!fs.existsSync(path.join(DIST, 'index.html'))) {
  throw new Error(`${DIST}/index.html is missing: run \`trunk build --release --offline --public-url ./\``);
}
if (withCli && !fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`cargo build --release --bin dealerlens-cli\``);
if (withSheetjs && !fs.existsSync(SHEETJS)) throw new Error(`${SHEETJS} is missing: run \`npm ci\` in bench/`);

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const mb = (bytes) => (bytes / 1e6).toFixed(0);
const kb = (bytes) => (bytes / 1024).toFixed(1);
const secs = (ms) => (ms == null ? '—' : (ms / 1000).toFixed(2));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
const say = (msg) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
/** "page heap / worker heap / page wasm / worker wasm" in MB. */
const jsMemoryParts = (j) => [j.pageHeapPeakBytes, j.workerHeapPeakBytes, j.pageWasmBytes, j.workerWasmBytes].map(mb).join(' / ');

// Runs in the page before its own scripts: records long tasks and when the upload screen
// appears.
function pageInit() {
  const b = (window.__bench = { longtasks: [], appReadyAt: null });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {
    b.longtaskError = String(e);
  }
  const mo = new MutationObserver(() => {
    if (b.appReadyAt == null && document.querySelector('[data-testid=load-demo]')) {
      b.appReadyAt = performance.now();
      mo.disconnect();
    }
  });
  mo.observe(document, { childList: true, subtree: true });
}

/** Which part of the app a served path belongs to. */
function partOf(urlPath) {
  const p = urlPath.split('?')[0].replace(/^\/dealerlens\//, '');
  if (p === 'worker-boot.js' || p === 'worker.js' || p === 'worker_bg.wasm') return 'worker';
  if (p === '' || p === 'index.html' || p === 'boot.js' || /^dealerlens-.*\.(js|wasm)$/.test(p) || p.endsWith('.css')) {
    return 'page';
  }
  return 'rest';
}

// ---------------------------------------------------------------------------------------------
// First visit: transfer and first render
// ---------------------------------------------------------------------------------------------

async function firstVisit(browser, server) {
  const out = { runs: [] };
  for (let i = 0; i < renders; i++) {
    // A fresh context has an empty HTTP cache and no service worker.
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const page = await ctx.newPage();
    await page.addInitScript(pageInit);
    const from = server.log.length;
    const loadavg = load();
    await page.goto(server.url);
    await page.locator('[data-testid=load-demo]').waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    await sleep(2000);
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return {
        appReadyAt: window.__bench.appReadyAt,
        fcp: fcp ? fcp.startTime : null,
        domContentLoaded: nav ? nav.domContentLoadedEventEnd : null,
        load: nav ? nav.loadEventEnd : null,
        resources: performance.getEntriesByType('resource').map((r) => ({
          name: r.name,
          transferSize: r.transferSize,
          encodedBodySize: r.encodedBodySize,
          decodedBodySize: r.decodedBodySize,
        })),
      };
    });
    const requests = server.log.slice(from).map((e) => ({ ...e, part: partOf(e.path) }));
    const bytes = { page: 0, worker: 0, rest: 0 };
    for (const r of requests) bytes[r.part] += r.bytes;
    out.runs.push({ loadavg, ...timing, requests, bytes });
    await ctx.close();
  }
  // Sizes of the files themselves.
  const files = fs
    .readdirSync(DIST, { recursive: true })
    .filter((f) => fs.statSync(path.join(DIST, f)).isFile())
    .map((f) => ({ file: f, part: partOf(`/dealerlens/${f}`), ...server.sizes(f) }));
  out.files = files;
  out.appReadyMs = median(out.runs.map((r) => r.appReadyAt));
  out.fcpMs = median(out.runs.map((r) => r.fcp));
  return out;
}

// ---------------------------------------------------------------------------------------------
// One input file in the app, then SheetJS in the same page
// ---------------------------------------------------------------------------------------------

// Runs in the page: SheetJS reads the bytes, then a per-customer aggregation in plain JS.
async function sheetjsInPage({ url, csv, dense }) {
  const t0 = performance.now();
  const buf = await (await fetch(url)).arrayBuffer();
  const t1 = performance.now();
  // SheetJS applies `codepage` to CSV only for binary strings and Node buffers, not arrays:
  // a GBK CSV is decoded by the browser first, as a page using SheetJS would do.
  // `WTF: true` makes SheetJS throw what went wrong instead of returning an empty sheet.
  // `dense: true` stores rows as arrays instead of one property per cell.
  const wb = csv
    ? XLSX.read(new TextDecoder('gbk').decode(buf), { type: 'string', WTF: true, dense })
    : XLSX.read(new Uint8Array(buf), { type: 'array', WTF: true, dense });
  const t2 = performance.now();
  const ws = wb.Sheets[wb.SheetNames[0]];
  const rows = XLSX.utils.sheet_to_json(ws);
  const t3 = performance.now();
  // Excel serial day of a date value (a number already, a Date, or ISO text).
  const day = (v) => {
    if (typeof v === 'number') return v;
    if (v instanceof Date) return v.getTime() / 86400000 + 25569;
    const t = Date.parse(String(v));
    return Number.isNaN(t) ? -Infinity : t / 86400000 + 25569;
  };
  const money = (v) => (typeof v === 'number' ? v : Number(String(v).replace(/[¥,\s]/g, '')) || 0);
  const customers = new Map();
  let revenue = 0;
  for (const r of rows) {
    const id = r['客户编号'];
    if (id == null) continue;
    const amount = money(r['实收金额']);
    const d = day(r['结算日期']);
    let c = customers.get(id);
    if (!c) {
      c = { visits: 0, revenue: 0, last: -Infinity };
      customers.set(id, c);
    }
    c.visits += 1;
    c.revenue += amount;
    if (d > c.last) c.last = d;
    revenue += amount;
  }
  const t4 = performance.now();
  return {
    fetchMs: t1 - t0,
    readMs: t2 - t1,
    toJsonMs: t3 - t2,
    aggregateMs: t4 - t3,
    totalMs: t4 - t1,
    rows: rows.length,
    customers: customers.size,
    revenue: Math.round(revenue * 100) / 100,
  };
}

async function appRun(browser, server, key) {
  const spec = FILES[key];
  const file = path.join(DATA, spec.name);
  const result = { key, file: spec.name, label: spec.label, bytes: fs.statSync(file).size };
  const ctx = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 1366, height: 768 },
    // The offline cache would fetch the build a second time in the background.
    serviceWorkers: 'block',
  });
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`page console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && problems.push(`worker console: ${m.text()}`)));
  let crashed = false;
  const crash = new Promise((resolve) => page.on('crash', () => {
    crashed = true;
    resolve('crash');
  }));
  await page.addInitScript(pageInit);
  await page.goto(server.url);
  await page.locator('[data-testid=load-demo]').waitFor({ timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  await sleep(1500);

  // --- the app ---
  // JS heap and wasm memory of the page and the worker (DevTools protocol). Its start looks
  // up the wasm memories (a heap walk after a garbage collection), before the RSS sampling.
  let jsmem = null;
  try {
    jsmem = await watchJsMemory(page, { intervalMs: HEAP_INTERVAL_MS });
    await jsmem.start();
  } catch (e) {
    problems.push(`JS heap / wasm sampling: ${e.message.split('\n')[0]}`);
  }
  // The browser is a child of this process; its renderers are below it.
  const pid = process.pid;
  result.loadBefore = load();
  const mem = sampleMemory(pid);
  const tSet = await page.evaluate(() => performance.now());
  const wallStart = Date.now();
  say(`${spec.name}: app…`);
  await page.locator('[data-testid=file-input]').setInputFiles(file);
  const outcome = await Promise.race([
    page
      .locator(`${READY}, [data-testid=error], [data-testid=mapping]`)
      .first()
      .waitFor({ timeout: RUN_TIMEOUT })
      .then(async () => {
        if (await page.locator(READY).count()) return 'report';
        if (await page.locator('[data-testid=error]').count()) return 'error';
        return 'mapping';
      }, (e) => `timeout: ${e.message.split('\n')[0]}`),
    crash,
  ]);
  result.wallMs = Date.now() - wallStart;
  result.outcome = outcome;
  jsmem?.markReady();
  if (!crashed) await sleep(3000); // trailing work after the report is on screen
  result.memory = mem.stop();
  if (jsmem) {
    try {
      result.jsMemory = await jsmem.stop();
      for (const p of result.jsMemory.problems) problems.push(`JS heap / wasm sampling: ${p}`);
    } catch (e) {
      problems.push(`JS heap / wasm sampling: ${e.message.split('\n')[0]}`);
    }
    await jsmem.close();
  }
  result.loadAfter = load();
  if (outcome === 'error') {
    result.error = (await page.locator('[data-testid=error]').first().innerText()).trim();
    result.errorKind = await page.locator('[data-testid=error]').first().getAttribute('data-kind');
  }
  if (!crashed) {
    const page_ = await page.evaluate((tSet) => {
      const mark = (n) => performance.getEntriesByName(n, 'mark').map((m) => m.startTime)[0] ?? null;
      const sel = mark('dl:file-selected');
      const parsed = mark('dl:parsed');
      const ready = mark('dl:report-ready');
      const read = performance.getEntriesByName('dl:report-read', 'measure')[0];
      const decoded = mark('dl:report-decoded');
      const tasks = window.__bench.longtasks.filter((t) => t.start + t.duration >= tSet);
      const within = ready == null ? tasks : tasks.filter((t) => t.start <= ready);
      const longest = (ts) => ts.reduce((m, t) => Math.max(m, t.duration), 0);
      const dv = (id) => document.querySelector(`[data-testid=${id}]`)?.getAttribute('data-value') ?? null;
      const tx = (id) => document.querySelector(`[data-testid=${id}]`)?.textContent.trim() ?? null;
      return {
        marks: { selected: sel, parsed, ready },
        selectedToParsedMs: sel != null && parsed != null ? parsed - sel : null,
        selectedToReadyMs: sel != null && ready != null ? ready - sel : null,
        // selected → report message in, reading it, rendering
        split: sel != null && read && decoded != null && ready != null ? [read.startTime - sel, read.duration, ready - decoded] : null,
        longestTaskMs: longest(within),
        longTasks: within.length,
        longTaskSumMs: within.reduce((s, t) => s + t.duration, 0),
        longestTaskWithTailMs: longest(tasks),
        longTasksList: within.map((t) => [Math.round(t.start - (sel ?? tSet)), Math.round(t.duration)]),
        longtaskError: window.__bench.longtaskError ?? null,
        totals: {
          customers: dv('total-customers'),
          visits: dv('total-visits'),
          revenue: dv('total-revenue'),
          rowsRead: tx('rows-read'),
          rowsUsed: tx('rows-used'),
        },
      };
    }, tSet);
    Object.assign(result, page_);
  }
  // --- a re-run after a rule change, in the same page ---
  if (outcome === 'report' && !crashed) {
    try {
      await page.locator('[data-testid=rules-toggle]').click();
      const input = page.locator('[data-testid=rule-lifecycle-at-risk-days]');
      await input.fill(String(Number(await input.inputValue()) === 120 ? 150 : 120));
      await page.waitForFunction(
        () => performance.getEntriesByName('dl:rerun-ready', 'mark').length === 1,
        null,
        { timeout: RUN_TIMEOUT },
      );
      result.rerun = await page.evaluate(() => {
        const at = (n) => performance.getEntriesByName(n, 'mark').map((m) => m.startTime)[0];
        const sent = at('dl:rerun-sent');
        const ready = at('dl:rerun-ready');
        const tasks = window.__bench.longtasks.filter((t) => t.start + t.duration >= sent && t.start <= ready);
        const read = performance.getEntriesByName('dl:report-read', 'measure')[0];
        const decoded = at('dl:report-decoded');
        return {
          ms: ready - sent,
          longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
          longTasks: tasks.length,
          // rules sent → report message in (worker: analyses + JSON + posting), reading the
          // message (JSON → Report), rendering
          split: read && decoded != null ? [read.startTime - sent, read.duration, ready - decoded] : null,
        };
      });
    } catch (e) {
      result.rerun = { error: e.message.split('\n')[0] };
    }
  }
  result.problems = problems.slice(0, 20);
  const jm = result.jsMemory;
  say(`${spec.name}: app ${outcome} in ${secs(result.selectedToReadyMs ?? result.wallMs)} s, renderer peak ${mb(result.memory.peakRendererBytes)} MB, JS heap + wasm ${jm ? `${mb(jm.sumBytes)} MB (${jsMemoryParts(jm)})` : '—'}, longest task ${result.longestTaskMs ?? '—'} ms`);

  // --- SheetJS in the same page ---
  if (withSheetjs && !crashed) {
    say(`${spec.name}: SheetJS…`);
    result.sheetjs = { loadBefore: load() };
    const mem2 = sampleMemory(pid);
    try {
      await page.addScriptTag({ url: `${server.url}__bench/xlsx.full.min.js` });
      let timer;
      const r = await Promise.race([
        page.evaluate(sheetjsInPage, { url: `${server.url}__bench/data/${spec.name}`, csv: spec.csv, dense: sheetjsDense }),
        crash.then(() => {
          throw new Error('the page crashed (renderer process gone)');
        }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`did not finish within ${sheetjsTimeout} s (stopped)`)), sheetjsTimeout * 1000);
        }),
      ]).finally(() => clearTimeout(timer));
      Object.assign(result.sheetjs, r);
      if (!r.rows) result.sheetjs.error = 'returned no rows';
    } catch (e) {
      result.sheetjs.error = e.message.split('\n')[0];
    }
    result.sheetjs.memory = mem2.stop();
    result.sheetjs.loadAfter = load();
    say(`${spec.name}: SheetJS ${result.sheetjs.error ?? `${secs(result.sheetjs.totalMs)} s`}`);
  }
  await ctx.close().catch(() => {});
  return result;
}

// ---------------------------------------------------------------------------------------------
// The native CLI
// ---------------------------------------------------------------------------------------------

function cliRun(key) {
  const spec = FILES[key];
  const file = path.join(DATA, spec.name);
  fs.mkdirSync(RESULTS, { recursive: true });
  const out = path.join(RESULTS, `cli-${key}.json`);
  const fd = fs.openSync(out, 'w');
  const loadBefore = load();
  say(`${spec.name}: CLI…`);
  const t0 = process.hrtime.bigint();
  const p = spawnSync('/usr/bin/time', ['-f', '%e %M', CLI, 'analyze', file, '--format', 'json'], {
    stdio: ['ignore', fd, 'pipe'],
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  fs.closeSync(fd);
  const last = p.stderr.trim().split('\n').pop() ?? '';
  const [, maxRssKb] = last.split(' ').map(Number);
  const r = { ms, maxRssBytes: (maxRssKb || 0) * 1024, status: p.status, loadBefore, loadAfter: load() };
  if (p.status === 0) {
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    r.totals = {
      customers: report.totals?.customers,
      visits: report.totals?.visits,
      revenue: report.totals?.revenue,
      rowsRead: report.input?.rows_read,
      rowsUsed: report.input?.rows_used,
    };
    r.jsonBytes = fs.statSync(out).size;
  } else {
    r.error = p.stderr.trim().split('\n').slice(-3).join(' | ');
  }
  fs.rmSync(out, { force: true });
  say(`${spec.name}: CLI ${secs(ms)} s, max RSS ${mb(r.maxRssBytes)} MB`);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

function table(rows) {
  const head = rows[0];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows.slice(1)) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}

function summarise(meta, visit, runs) {
  const out = [];
  out.push(`Machine: ${meta.cpus} × ${meta.cpuModel}, ${meta.memGiB} GiB; ${meta.chromium}; node ${meta.node}`);
  out.push(`Started ${meta.started}, finished ${meta.finished}; load average at start ${meta.loadStart}, at end ${meta.loadEnd}`);
  out.push('');
  if (visit) {
    const sum = (part) => visit.files.filter((f) => f.part === part).reduce((s, f) => s + f.gzip, 0);
    const sumRaw = (part) => visit.files.filter((f) => f.part === part).reduce((s, f) => s + f.raw, 0);
    const served = visit.runs[0].bytes;
    out.push('First visit (fresh context, nothing cached; the server gzips text and wasm, level 6):');
    out.push('');
    const rows = [['part', 'files', 'raw', 'gzip (file sizes)', 'served before a file is chosen (first run)']];
    for (const part of ['page', 'worker', 'rest']) {
      rows.push([
        part,
        visit.files.filter((f) => f.part === part).map((f) => f.file).join(', '),
        `${kb(sumRaw(part))} KiB`,
        `${kb(sum(part))} KiB`,
        `${kb(served[part])} KiB`,
      ]);
    }
    const total = served.page + served.worker + served.rest;
    rows.push(['total', '', `${kb(sumRaw('page') + sumRaw('worker') + sumRaw('rest'))} KiB`, `${kb(sum('page') + sum('worker') + sum('rest'))} KiB`, `${kb(total)} KiB`]);
    out.push(table(rows));
    out.push('');
    const reqs = visit.runs[0].requests;
    out.push(`Requests of the first visit: ${reqs.length}, of which ${reqs.filter((r) => r.status === 304).length} answered 304 (the service worker's precache revalidating what the page has just loaded).`);
    out.push('');
    out.push(`Upload screen in the DOM after ${visit.runs.map((r) => r.appReadyAt?.toFixed(0)).join(', ')} ms (median ${visit.appReadyMs?.toFixed(0)} ms); first contentful paint ${visit.runs.map((r) => r.fcp?.toFixed(0)).join(', ')} ms.`);
    out.push('');
  }
  const rows = [[
    'input',
    'size',
    'app: selected → report',
    'app: selected → parsed',
    'renderer peak RSS (before)',
    'JS heap + wasm (page heap / worker heap / page wasm / worker wasm)',
    'longest main-thread task (count > 50 ms)',
    'SheetJS read + to_json + aggregate',
    'SheetJS peak RSS',
    'CLI (max RSS)',
    'SheetJS / app',
    'app / CLI',
    're-run after a rule change (longest task)',
  ]];
  for (const r of runs) {
    const appMs = r.outcome === 'report' ? r.selectedToReadyMs : null;
    const s = r.sheetjs;
    const sjMs = s && !s.error ? s.totalMs : null;
    const c = r.cli;
    const cliMs = c && c.status === 0 ? c.ms : null;
    rows.push([
      r.label,
      `${(r.bytes / 1e6).toFixed(1)} MB`,
      appMs != null ? `${secs(appMs)} s` : `**${r.outcome}**${r.error ? `: ${r.error.replace(/\s+/g, ' ').slice(0, 160)}` : ''}`,
      r.selectedToParsedMs != null ? `${secs(r.selectedToParsedMs)} s` : '—',
      `${mb(r.memory.peakRendererBytes)} MB (${mb(r.memory.firstRendererBytes)} MB)`,
      r.jsMemory ? `${mb(r.jsMemory.sumBytes)} MB (${jsMemoryParts(r.jsMemory)})` : '—',
      r.longestTaskMs != null ? `${r.longestTaskMs.toFixed(0)} ms (${r.longTasks})` : '—',
      sjMs != null ? `${secs(sjMs)} s (${secs(s.readMs)} + ${secs(s.toJsonMs)} + ${secs(s.aggregateMs)})` : s ? `**failed**: ${s.error}` : 'not run',
      s ? `${mb(s.memory.peakRendererBytes)} MB` : '—',
      cliMs != null ? `${secs(cliMs)} s (${mb(c.maxRssBytes)} MB)` : c ? `**failed**: ${c.error}` : 'not run',
      appMs != null && sjMs != null ? `${(sjMs / appMs).toFixed(2)}×` : '—',
      appMs != null && cliMs != null ? `${(appMs / cliMs).toFixed(2)}×` : '—',
      r.rerun?.ms != null ? `${r.rerun.ms.toFixed(0)} ms (${r.rerun.longestTaskMs.toFixed(0)} ms)` : r.rerun?.error ? `**failed**: ${r.rerun.error}` : '—',
    ]);
  }
  out.push(table(rows));
  out.push('');
  const ms = (v) => `${v.toFixed(0)} ms`;
  const splits = [['input', 'load: worker → report message / reading it / rendering', 're-run: worker → report message / reading it / rendering']];
  for (const r of runs) {
    splits.push([
      r.label,
      r.split ? r.split.map(ms).join(' / ') : '—',
      r.rerun?.split ? r.rerun.split.map(ms).join(' / ') : '—',
    ]);
  }
  out.push(table(splits));
  out.push('');
  out.push(`JS heap + wasm during the load (file selected → report on screen + 3 s, the RSS window): peak JS heap (Runtime.getHeapUsage usedSize, sampled every ${HEAP_INTERVAL_MS} ms) and size of the WebAssembly.Memory objects after the load, of the page and of the worker; the sum of the four peaks is an upper bound of the simultaneous total, the largest sampled total a lower bound. Outside the V8 heap and the sum: the contents of ArrayBuffers other than wasm memories (backingStorageSize, e.g. the file's bytes) and Blink's heap (embedderHeapUsedSize).`);
  out.push('');
  const jsm = [['input', 'page JS heap', 'worker JS heap', 'page wasm', 'worker wasm', 'sum (up to the report on screen)', 'largest sampled total', 'renderer peak RSS', 'heap samples page / worker (longest gap between worker samples)', 'not in the sum: ArrayBuffer contents page / worker, DOM heap']];
  for (const r of runs) {
    const j = r.jsMemory;
    if (!j) {
      jsm.push([r.label, '—', '—', '—', '—', '—', '—', `${mb(r.memory.peakRendererBytes)} MB`, '—', '—']);
      continue;
    }
    jsm.push([
      r.label,
      `${mb(j.pageHeapPeakBytes)} MB`,
      `${mb(j.workerHeapPeakBytes)} MB`,
      `${mb(j.pageWasmBytes)} MB`,
      `${mb(j.workerWasmBytes)} MB`,
      `**${mb(j.sumBytes)} MB** (${mb(j.sumToReadyBytes)} MB)`,
      `${mb(j.sampledTotalPeakBytes)} MB`,
      `${mb(r.memory.peakRendererBytes)} MB`,
      `${j.pageSamples} / ${j.workerSamples}${j.workers > 1 ? ` (${j.workers} workers)` : ''} (${j.workerMaxGapMs} ms)`,
      `${mb(j.pageBackingStoragePeakBytes)} / ${mb(j.workerBackingStoragePeakBytes)} MB, ${mb(j.pageEmbedderHeapPeakBytes)} MB`,
    ]);
  }
  out.push(table(jsm));
  out.push('');
  out.push(`SheetJS ${meta.sheetjs}: XLSX.read(${sheetjsDense ? '{ dense: true, WTF: true }' : '{ WTF: true }'}) + sheet_to_json + aggregation, on the page's main thread after the app's run.`);
  out.push('');
  const check = [['input', 'app customers / visits / revenue / rows read', 'CLI', 'SheetJS customers / rows / revenue']];
  for (const r of runs) {
    const t = r.totals ?? {};
    const c = r.cli?.totals ?? {};
    const s = r.sheetjs ?? {};
    check.push([
      r.label,
      `${t.customers} / ${t.visits} / ${t.revenue} / ${t.rowsRead}`,
      r.cli?.totals ? `${c.customers} / ${c.visits} / ${c.revenue?.toFixed?.(2) ?? c.revenue} / ${c.rowsRead}` : '—',
      `${s.customers ?? '—'} / ${s.rows ?? '—'} / ${s.revenue?.toFixed?.(2) ?? '—'}`,
    ]);
  }
  out.push(table(check));
  out.push('');
  out.push('Load average (1, 5, 15 min) around each measurement:');
  for (const r of runs) {
    out.push(`- ${r.label}: app ${r.loadBefore} → ${r.loadAfter}; SheetJS ${r.sheetjs?.loadBefore ?? '—'} → ${r.sheetjs?.loadAfter ?? '—'}; CLI ${r.cli?.loadBefore ?? '—'} → ${r.cli?.loadAfter ?? '—'}`);
  }
  for (const r of runs) {
    if (r.problems?.length) out.push(`- ${r.label}: console errors: ${r.problems.join(' | ').slice(0, 600)}`);
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

const chromiumVersion = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout.trim();
const meta = {
  started: new Date().toISOString(),
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? '?',
  memGiB: (os.totalmem() / 2 ** 30).toFixed(0),
  chromium: chromiumVersion,
  node: process.version,
  loadStart: load(),
  sheetjs: JSON.parse(fs.readFileSync(path.join(here, 'node_modules/xlsx/package.json'), 'utf8')).version,
  sheetjsDense,
  dist: DIST,
};

const server = await startServer({ dist: DIST, sheetjs: SHEETJS, dataDir: DATA });
server.warm();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
let visit = null;
const runs = [];
try {
  say('first visit…');
  visit = await firstVisit(browser, server);
  say(`first visit: upload screen after ${visit.appReadyMs?.toFixed(0)} ms`);
  for (const key of fileKeys) {
    const r = await appRun(browser, server, key);
    runs.push(r);
    if (withCli) r.cli = cliRun(key);
  }
} finally {
  await browser.close().catch(() => {});
  await server.close();
}
meta.finished = new Date().toISOString();
meta.loadEnd = load();

const text = summarise(meta, visit, runs);
fs.mkdirSync(RESULTS, { recursive: true });
const stamp = meta.started.replace(/[:.]/g, '-');
fs.writeFileSync(path.join(RESULTS, `bench-${stamp}.json`), JSON.stringify({ meta, visit, runs }, null, 2));
fs.writeFileSync(path.join(RESULTS, `bench-${stamp}.md`), text + '\n');
console.log(text);
say(`results in ${path.relative(process.cwd(), RESULTS)}/bench-${stamp}.{json,md}`);
