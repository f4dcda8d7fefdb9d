// Set-up shared by the profiling scripts (rerun-profile.mjs, load-profile.mjs): serves the
// release dist/ and bench/data, opens the app in headless Chromium (service worker blocked)
// and waits for the upload screen. The input is argv[2], a file in bench/data (default
// service_541909_8col.xlsx).
//
// Environment: CHROMIUM (default /usr/bin/chromium), DIST (default ../dist).

import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

export async function openApp() {
  const here = path.dirname(new URL(import.meta.url).pathname);
  const dist = process.env.DIST || path.join(here, '..', 'dist');
  const file = path.join(here, 'data', process.argv[2] || 'service_541909_8col.xlsx');
  const server = await startServer({ dist, sheetjs: path.join(here, 'node_modules/xlsx/dist/xlsx.full.min.js'), dataDir: path.join(here, 'data') });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, serviceWorkers: 'block' });
  const page = await ctx.newPage();
  await page.goto(server.url);
  await page.locator('[data-testid=load-demo]').waitFor({ timeout: 60000 });
  const close = async () => { await browser.close(); await server.close(); };
  return { file, ctx, page, close };
}
