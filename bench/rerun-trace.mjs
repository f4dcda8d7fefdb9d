// The main thread's tasks during a re-run after a rule change (not part of the tests).
// Loads one input from bench/data into the release dist/ in headless Chromium, sets the
// at-risk threshold (120 days, or $V), records a DevTools timeline from the change to
// `dl:rerun-ready`, and prints the tasks over 1 ms on the page's main thread (start after
// `dl:rerun-sent` and duration, in ms) with the re-run's performance marks.
//
//   node bench/rerun-trace.mjs [file in bench/data]   (default service_541909_8col.xlsx)
//
// Environment: CHROMIUM (default /usr/bin/chromium), DIST (default ../dist), V.

import { openApp } from './profile-page.mjs';

const { file, ctx, page, close } = await openApp();
await page.locator('[data-testid=file-input]').setInputFiles(file);
await page.locator('[data-testid=report][data-state=ready]').first().waitFor({ timeout: 300000 });
await page.waitForTimeout(3000);
const cdp = await ctx.newCDPSession(page);
await page.locator('[data-testid=rules-toggle]').click();
await page.waitForTimeout(1000);
const input = page.locator('[data-testid=rule-lifecycle-at-risk-days]');
const events = [];
cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
await cdp.send('Tracing.start', {
  categories: 'devtools.timeline,blink.user_timing,disabled-by-default-devtools.timeline',
  transferMode: 'ReportEvents',
});
await input.fill(process.env.V || '120');
await page.waitForFunction(() => performance.getEntriesByName('dl:rerun-ready', 'mark').length === 1, null, { timeout: 120000 });
await page.waitForTimeout(500);
await cdp.send('Tracing.end');
await done;
const mark = (name) => events.find((e) => e.name === name && e.cat.includes('user_timing'));
const sent = mark('dl:rerun-sent');
const ready = mark('dl:rerun-ready');
if (!sent || !ready) {
  console.error('the re-run marks are missing from the trace');
  process.exit(1);
}
const ms = (us) => (us / 1000).toFixed(1);
console.log(`re-run ${ms(ready.ts - sent.ts)} ms (dl:rerun-sent → dl:rerun-ready)`);
const tasks = events
  .filter((e) => e.pid === sent.pid && e.tid === sent.tid && e.ph === 'X' && (e.dur || 0) >= 1000)
  .filter((e) => e.ts >= sent.ts - 1000 && e.ts <= ready.ts)
  .sort((a, b) => a.ts - b.ts);
for (const e of tasks) {
  console.log(`${ms(e.ts - sent.ts).padStart(8)} ${ms(e.dur).padStart(7)}  ${e.name}`);
}
for (const e of events.filter((x) => x.cat.includes('user_timing') && x.ts >= sent.ts && x.ts <= ready.ts)) {
  console.log(`mark ${ms(e.ts - sent.ts).padStart(8)}  ${e.name}${e.ph === 'b' ? ' (begin)' : e.ph === 'e' ? ' (end)' : ''}`);
}
await close();
