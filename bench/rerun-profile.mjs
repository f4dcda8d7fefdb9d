// Where the page's time goes during a re-run after a rule change (not part of the tests).
// Loads one input from bench/data into the release dist/ in headless Chromium, sets the
// at-risk threshold to 120 days, and records a CPU profile (0.1 ms sampling) from the change
// to `dl:rerun-ready`. Prints the re-run time and self time by kind: the page's wasm, its JS
// (including the DOM calls it makes), "(program)" (the browser's own work: style, layout,
// paint, parsing inserted markup), garbage collection and idle; then the top functions.
//
//   node bench/rerun-profile.mjs [file in bench/data]   (default service_541909_8col.xlsx)
//
// Environment: CHROMIUM (default /usr/bin/chromium), DIST (default ../dist).

import { openApp } from './profile-page.mjs';

const { file, ctx, page, close } = await openApp();
await page.locator('[data-testid=file-input]').setInputFiles(file);
await page.locator('[data-testid=report][data-state=ready]').first().waitFor({ timeout: 300000 }).catch(() => {});
await page.waitForTimeout(3000);
const cdp = await ctx.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await page.locator('[data-testid=rules-toggle]').click();
const input = page.locator('[data-testid=rule-lifecycle-at-risk-days]');
await cdp.send('Profiler.start');
await input.fill('120');
await page.waitForFunction(() => performance.getEntriesByName('dl:rerun-ready', 'mark').length === 1, null, { timeout: 120000 });
const { profile } = await cdp.send('Profiler.stop');
const t = await page.evaluate(() => { const at = (n) => performance.getEntriesByName(n, 'mark')[0]?.startTime; return { sent: at('dl:rerun-sent'), ready: at('dl:rerun-ready') }; });
// self time per node, only samples between sent and ready
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
let ts = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  ts += profile.timeDeltas[i];
  const n = byId.get(profile.samples[i]);
  const cf = n.callFrame;
  const key = `${cf.functionName || '(anon)'} ${cf.url.split('/').pop()}`;
  self.set(key, (self.get(key) || 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log(`re-run ${(t.ready - t.sent).toFixed(0)} ms (dl:rerun-sent → dl:rerun-ready); profile ${total.toFixed(0)} ms (from the change, with the rules panel's 300 ms pause)`);
const cat = new Map();
for (const [k, v] of self) { const c = k.includes('.wasm') || k.startsWith('$') || /wasm-function/.test(k) ? 'wasm' : k.startsWith('(') ? k.split(' ')[0] : 'js'; cat.set(c, (cat.get(c) || 0) + v); }
console.log([...cat].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}: ${v.toFixed(1)}`).join('\n'));
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, v]) => `${v.toFixed(1)}\t${k}`).join('\n'));
await close();
