// Samples the resident memory (VmRSS from /proc) of the processes started by this one (the
// browser's process tree; Linux only).
// A dedicated Web Worker runs as a thread of its page's renderer process, so the renderer's
// RSS covers the page's main thread and the parsing worker, wasm memory included.

import fs from 'node:fs';

function read(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** All descendants of `root` (pids), found through the parent pid in /proc/<pid>/stat. */
function descendants(root) {
  const parent = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    if (!stat) continue;
    // The command name (2nd field) is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parent.set(Number(name), Number(fields[1]));
  }
  const out = [];
  const want = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (!want.has(pid) && want.has(ppid)) {
        want.add(pid);
        out.push(pid);
        grew = true;
      }
    }
  }
  return out;
}

function rssBytes(pid) {
  const status = read(`/proc/${pid}/status`);
  const m = status && /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}

function kind(pid) {
  const cmd = read(`/proc/${pid}/cmdline`);
  if (!cmd) return 'gone';
  const m = /--type=([a-z-]+)/.exec(cmd);
  return m ? m[1] : 'browser';
}

/**
 * Starts sampling every `intervalMs`. `stop()` returns
 * { samples, peakRendererBytes, peakRendererPid, peakTotalBytes, firstRendererBytes }:
 * the largest RSS any renderer process reached, and the largest sum over the whole tree
 * below `rootPid` (browser, renderers, GPU and utility processes) at one sample.
 */
export function sampleMemory(rootPid = process.pid, intervalMs = 100) {
  const kinds = new Map();
  let peakRendererBytes = 0;
  let peakRendererPid = null;
  let peakTotalBytes = 0;
  let samples = 0;
  const firstByPid = new Map();
  let pids = [];
  let lastScan = 0;
  const tick = () => {
    const now = Date.now();
    if (now - lastScan > 1000) {
      pids = descendants(rootPid);
      lastScan = now;
    }
    let total = 0;
    for (const pid of pids) {
      const rss = rssBytes(pid);
      total += rss;
      if (!kinds.has(pid)) kinds.set(pid, kind(pid));
      if (kinds.get(pid) === 'renderer') {
        if (!firstByPid.has(pid)) firstByPid.set(pid, rss);
        if (rss > peakRendererBytes) {
          peakRendererBytes = rss;
          peakRendererPid = pid;
        }
      }
    }
    peakTotalBytes = Math.max(peakTotalBytes, total);
    samples += 1;
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return {
        samples,
        peakRendererBytes,
        peakRendererPid,
        peakTotalBytes,
        firstRendererBytes: peakRendererPid == null ? 0 : firstByPid.get(peakRendererPid),
      };
    },
  };
}
