// Writes the README's screenshots of the dashboard (Chinese and English) to docs/screenshots/
// from the built dist/: `cd tests/e2e && node screenshots.mjs`. Not a test.

import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';
import { BROWSER_ARGS, dist, openApp, repo } from './helpers.mjs';

const out = path.join(repo, 'docs/screenshots');
const WAIT = { timeout: 120_000 };

const server = await startServer({ dir: dist });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: BROWSER_ARGS,
});
try {
  for (const [lang, locale] of [['zh', 'zh-CN'], ['en', 'en-US']]) {
    const app = await openApp(browser, server, { locale });
    const { page } = app;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.locator('[data-testid=load-demo]').click();
    await page.locator('[data-testid=report][data-state=ready]').waitFor(WAIT);
    await page.locator('[data-testid=headline]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(out, `dashboard-${lang}.png`) });
    const panels = page.locator('[data-testid=panel-pareto]');
    await panels.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, -16));
    await page.screenshot({ path: path.join(out, `charts-${lang}.png`) });
    await app.done();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`screenshots written to ${out}`);
