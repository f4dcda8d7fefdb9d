// Shared pieces of the end-to-end tests: paths, browser flags, the CLI's report of the demo,
// and opening the app in a fresh browser context that records every problem.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage });
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
