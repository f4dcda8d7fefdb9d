// Shared pieces of the end-to-end tests: paths, browser flags, the CLI's report of the demo,
// and opening the app in a fresh browser context that records every problem.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../..');
export const dist = path.resolve(process.env.DIST || path.join(repo, 'dist'));
export const shots = process.env.SCREENSHOTS ? path.resolve(process.env.SCREENSHOTS) : null;
if (shots) fs.mkdirSync(shots, { recursive: true });

// Without the background-networking flags Chromium floods the closed network.
export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const WAIT = { timeout: 60_000 };

/**
 * Opens the app in a fresh context and collects everything that must not happen.
 * `beforeGoto(page)` runs before the first navigation (e.g. to route requests);
 * `serviceWorkers: 'block'` keeps the offline service worker out (requests it would make or
 * answer are then all seen by `page.route`).
 * Returns { page, problems, done }: call `done()` at the end of the test.
 */
export async function openApp(browser, server, { locale = 'zh-CN', beforeGoto = null, serviceWorkers = 'allow' } = {}) {
  const context = await browser.newContext({
    locale,
    serviceWorkers,
    viewport: { width: 1366, height: 768 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const problems = [];
  const onConsole = (where) => (msg) => {
    if (msg.type() === 'error') problems.push(`${where} console error: ${msg.text()}`);
  };
  page.on('console', onConsole('page'));
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('worker', (w) => w.on('console', onConsole('worker')));
  page.on('requestfailed', (req) => {
    // Aborted means cancelled by the page itself (a reload, a worker being replaced), not a
    // failed load: a missing file is a 404 (checked in done()), a network error another code.
    if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
  });
  const notFoundBefore = server.notFound.length;
  if (beforeGoto) await beforeGoto(page);
  await page.goto(server.url);
  await page.locator('[data-testid=load-demo]').waitFor(WAIT);
  return {
    page,
    problems,
    async done() {
      await context.close();
      const notFound = server.notFound.slice(notFoundBefore);
      assert.deepEqual(notFound, [], 'no request may be answered 404');
      assert.deepEqual(problems, [], 'no console error, page error or failed request');
    },
  };
}

/** Reads `data-value` of a test id. */
export async function dataValue(page, testid) {
  return page.locator(`[data-testid=${testid}]`).getAttribute('data-value');
}

/** Text of a test id. */
export async function text(page, testid) {
  return (await page.locator(`[data-testid=${testid}]`).textContent()).trim();
}

/** Saves a screenshot when SCREENSHOTS names a directory. */
export async function screenshot(page, name, fullPage = false) {
  if (!shots) return;
  // Panels far below the screen are not painted until scrolled near (content-visibility:
  // auto); a whole-page picture paints them all.
  const paintAll = (value) =>
    page.evaluate((v) => document.querySelectorAll('.dash-panel').forEach((p) => { p.style.contentVisibility = v; }), value);
  if (fullPage) await paintAll('visible');
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage });
  if (fullPage) await paintAll('');
}

/**
 * The CLI's JSON report of the zh demo export (written by the CLI itself as xlsx); with
 * `rules` (an object), analysed with `--rules` set to them.
 */
export function cliDemoReport(rules = null) {
  if (process.env.DEMO_REPORT_JSON && !rules) {
    return JSON.parse(fs.readFileSync(process.env.DEMO_REPORT_JSON, 'utf8'));
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dealerlens-e2e-'));
  const xlsx = path.join(tmp, 'demo.xlsx');
  const cli = (args) => {
    const opts = { cwd: repo, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] };
    return process.env.DEALERLENS_CLI
      ? execFileSync(process.env.DEALERLENS_CLI, args, opts)
      : execFileSync('cargo', ['run', '--quiet', '--release', '--bin', 'dealerlens-cli', '--', ...args], opts);
  };
  try {
    cli(['demo', '--lang', 'zh', '--out', xlsx]);
    const args = ['analyze', xlsx, '--format', 'json'];
    if (rules) {
      const file = path.join(tmp, 'rules.json');
      fs.writeFileSync(file, JSON.stringify(rules));
      args.push('--rules', file);
    }
    return JSON.parse(cli(args));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The files of a zip archive (stored or deflated entries), read through its central
 * directory: name → Buffer.
 */
export function unzip(bytes) {
  const buf = Buffer.from(bytes);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'zip: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = new Map();
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'zip: central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files.set(name, method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

const xmlText = (s) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/**
 * The first sheet of an xlsx file as rows of cells: shared and inline strings as text,
 * numbers as numbers; `styles[i]` is the number format code of cell style i (so that a date
 * cell can be told from a number). Enough for the files the app writes.
 */
export function readXlsx(bytes) {
  const files = unzip(bytes);
  const shared = [];
  const sst = files.get('xl/sharedStrings.xml')?.toString('utf8') ?? '';
  for (const si of sst.matchAll(/<si>([\s\S]*?)<\/si>/g)) {
    shared.push([...si[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => xmlText(t[1])).join(''));
  }
  const workbook = files.get('xl/workbook.xml').toString('utf8');
  const sheetName = xmlText(/<sheet [^>]*name="([^"]*)"/.exec(workbook)[1]);
  const sheet = files.get('xl/worksheets/sheet1.xml').toString('utf8');
  const col = (ref) => [...ref.replace(/\d+$/, '')].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;
  const rows = [];
  const cellStyles = [];
  for (const row of sheet.matchAll(/<row [^>]*>([\s\S]*?)<\/row>/g)) {
    const cells = [];
    const styles = [];
    for (const c of row[1].matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = c[2];
      const type = /t="(\w+)"/.exec(attrs)?.[1];
      const style = Number(/s="(\d+)"/.exec(attrs)?.[1] ?? 0);
      const v = /<v>([\s\S]*?)<\/v>/.exec(c[3] ?? '')?.[1];
      let value = null;
      if (type === 's') value = shared[Number(v)];
      else if (type === 'inlineStr') value = xmlText(/<t[^>]*>([\s\S]*?)<\/t>/.exec(c[3])[1]);
      else if (type === 'str') value = xmlText(v ?? '');
      else if (v !== undefined) value = Number(v);
      cells[col(c[1])] = value;
      styles[col(c[1])] = style;
    }
    rows.push(cells);
    cellStyles.push(styles);
  }
  return { sheetName, rows, cellStyles };
}

/** Width and height of a PNG (from its IHDR chunk), after checking its signature. */
export function pngSize(bytes) {
  const buf = Buffer.from(bytes);
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(buf.toString('latin1', 12, 16), 'IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}
