// Where the page's main thread spends a load (not part of the tests). Loads one input from
// bench/data into the release dist/ in headless Chromium with a CPU profile (0.2 ms
// sampling) from setting the file until the report is on screen, then prints each burst of
// main-thread work over 20 ms (runs of samples with no idle gap over 3 ms: one or more
// tasks back to back) with its self time by kind: the page's wasm, "(program)" (the
// browser's own style, layout, paint and parsing of inserted markup), garbage collection
// and the JS functions called. The last burst is reading the report message and
// rendering it.
//
//   node bench/load-profile.mjs [file in bench/data]   (default service_541909_8col.xlsx)
//
// Environment: CHROMIUM (default /usr/bin/chromium), DIST (default ../dist).

import { openApp } from './profile-page.mjs';

const { file, ctx, page, close } = await openApp();
const cdp = await ctx.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
await page.locator('[data-testid=file-input]').setInputFiles(file);
await page.locator('[data-testid=report][data-state=ready]').first().waitFor({ timeout: 300000 });
await page.waitForTimeout(500);
const { profile } = await cdp.send('Profiler.stop');
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
let ts = profile.startTime;
const samples = [];
for (let i = 0; i < profile.samples.length; i++) {
  ts += profile.timeDeltas[i];
  const cf = byId.get(profile.samples[i]).callFrame;
  const key = `${cf.functionName || '(anon)'} ${cf.url.split('/').pop()}`;
  samples.push([ts, key, (profile.timeDeltas[i + 1] ?? 0) / 1000]);
}
// bursts of non-idle samples
const bursts = []; let cur = null;
for (const [t, k, d] of samples) {
  const idle = k.startsWith('(idle)');
  if (idle) { if (cur && t - cur.last > 3000) { bursts.push(cur); cur = null; } continue; }
  if (!cur) cur = { start: t, last: t, ms: 0, by: new Map() };
  cur.last = t; cur.ms += d;
  const c = /wasm/.test(k) ? 'wasm' : k.startsWith('(') ? k.split(' ')[0] : 'js:' + k.split(' ')[0];
  cur.by.set(c, (cur.by.get(c) || 0) + d);
}
if (cur) bursts.push(cur);
for (const b of bursts.filter((b) => b.ms > 20)) {
  const top = [...b.by].sort((a, c) => c[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
  console.log(`burst at +${((b.start - profile.startTime) / 1000).toFixed(0)} ms, span ${((b.last - b.start) / 1000).toFixed(0)} ms, busy ${b.ms.toFixed(0)} ms: ${top}`);
}
await close();
