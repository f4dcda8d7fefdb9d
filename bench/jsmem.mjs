// JS heap and wasm memory of a page and of its dedicated workers, read through the Chrome
// DevTools Protocol (no change to the app).
//
// - JS heap: `Runtime.getHeapUsage` (usedSize: the live objects of the V8 heap; ArrayBuffer
//   contents, wasm memories included, are outside it) sampled every `intervalMs` on the page
//   and on each worker. A request is sent only when the previous answer from the same target
//   has arrived, so a target that cannot answer shows as a gap between its samples.
// - wasm: the byte length of every `WebAssembly.Memory` of the target, found with
//   `Runtime.queryObjects` on `WebAssembly.Memory.prototype`. The Memory objects are looked
//   up when sampling starts (the lookup walks the heap and collects garbage first, so it is
//   not repeated during the load); their sizes are then read with each heap sample, and once
//   more, with a fresh lookup, when sampling stops. A wasm memory never shrinks: its last
//   size is its peak.
//
// Workers: the page's CDP session auto-attaches to the page's workers without flattened
// sessions (Playwright's CDP sessions cannot address a flattened child session), and talks
// to each through `Target.sendMessageToTarget` / `Target.receivedMessageFromTarget`. A worker
// started later (the app replaces a worker that died) is attached and sampled as well.

const MEMORY_GROUP = 'bench-wasm';
const FINAL_GROUP = 'bench-wasm-final';
const SIZES = 'function () { return this.map((m) => m.buffer.byteLength); }';
const COMMAND_TIMEOUT = 60_000;

const now = () => performance.now();

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Attaches to `page` (a Playwright Page) and its workers. Returns
 * `{ start(), markReady(), stop(), close() }`: `start()` looks up the wasm memories and starts
 * sampling, `markReady()` notes the end of the load (peaks are also kept up to that moment),
 * `stop()` stops sampling, reads the wasm sizes a last time and returns the figures
 * (see `summary` below), `close()` detaches.
 */
export async function watchJsMemory(page, { intervalMs = 250 } = {}) {
  const cdp = await page.context().newCDPSession(page);
  const targets = new Map(); // key → target
  let timer = null;
  let startedAt = null;
  let readyAt = null;
  let nextId = 1;
  const pending = new Map(); // `${sessionId}/${id}` → { resolve, reject }
  const problems = [];

  function newTarget(key, kind, url, send) {
    const t = {
      key,
      kind,
      url,
      send,
      attachedAt: now(),
      detachedAt: null,
      live: true,
      busy: false, // a heap request is out
      wasmBusy: false,
      handle: null, // objectId of the array of the target's WebAssembly.Memory objects
      heap: [], // [time, usedSize, totalSize, backingStorageSize?, embedderHeapUsedSize?]
      wasm: [], // [time, total bytes]
      wasmBefore: null,
      wasmFinal: null,
      wasmCount: null,
      maxLatencyMs: 0,
      errors: 0,
    };
    targets.set(key, t);
    return t;
  }

  newTarget('page', 'page', page.url(), (method, params) => cdp.send(method, params));

  function workerSend(sessionId) {
    return (method, params = {}) => {
      const id = nextId++;
      const key = `${sessionId}/${id}`;
      return new Promise((resolve, reject) => {
        pending.set(key, { resolve, reject });
        cdp
          .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) })
          .catch((e) => {
            pending.delete(key);
            reject(e);
          });
      });
    };
  }

  cdp.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => {
    if (targetInfo.type !== 'worker') {
      // Not ours to watch (e.g. a service worker, blocked anyway): let it run.
      cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
      return;
    }
    const t = newTarget(sessionId, 'worker', targetInfo.url, workerSend(sessionId));
    t.targetId = targetInfo.targetId;
  });
  cdp.on('Target.detachedFromTarget', ({ sessionId }) => {
    const t = targets.get(sessionId);
    if (t) {
      t.live = false;
      t.detachedAt = now();
    }
    for (const [key, p] of pending) {
      if (key.startsWith(`${sessionId}/`)) {
        pending.delete(key);
        p.reject(new Error('target detached'));
      }
    }
  });
  cdp.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => {
    const msg = JSON.parse(message);
    if (msg.id == null) return; // an event
    const key = `${sessionId}/${msg.id}`;
    const p = pending.get(key);
    if (!p) return;
    pending.delete(key);
    if (msg.error) p.reject(new Error(`${msg.error.message} (${msg.error.code})`));
    else p.resolve(msg.result);
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });

  /** Looks up the target's WebAssembly.Memory objects; returns the array's objectId. */
  async function lookUpMemories(t, objectGroup) {
    const proto = await t.send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype', objectGroup });
    const { objects } = await t.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId, objectGroup });
    return objects.objectId;
  }

  async function memorySizes(t, objectId) {
    const r = await t.send('Runtime.callFunctionOn', { objectId, functionDeclaration: SIZES, returnByValue: true });
    return r.result.value;
  }

  function sampleHeap(t) {
    if (t.busy || !t.live) return;
    t.busy = true;
    const sent = now();
    t.send('Runtime.getHeapUsage').then(
      (r) => {
        const at = now();
        t.heap.push([at, r.usedSize, r.totalSize, r.backingStorageSize ?? null, r.embedderHeapUsedSize ?? null]);
        t.maxLatencyMs = Math.max(t.maxLatencyMs, at - sent);
        t.busy = false;
      },
      (e) => {
        t.errors += 1;
        if (problems.length < 10) problems.push(`${t.kind} ${t.key}: getHeapUsage: ${e.message}`);
        t.busy = false;
      },
    );
  }

  function sampleWasm(t) {
    if (t.wasmBusy || !t.live || !t.handle) return;
    t.wasmBusy = true;
    memorySizes(t, t.handle).then(
      (sizes) => {
        t.wasm.push([now(), sizes.reduce((a, b) => a + b, 0)]);
        t.wasmBusy = false;
      },
      () => {
        t.errors += 1;
        t.wasmBusy = false;
      },
    );
  }

  const tick = () => {
    for (const t of targets.values()) {
      sampleHeap(t);
      sampleWasm(t);
    }
  };

  async function start() {
    for (const t of targets.values()) {
      if (!t.live) continue;
      try {
        t.handle = await withTimeout(lookUpMemories(t, MEMORY_GROUP), COMMAND_TIMEOUT, `${t.kind} wasm lookup`);
        const sizes = await memorySizes(t, t.handle);
        t.wasmBefore = sizes.reduce((a, b) => a + b, 0);
      } catch (e) {
        problems.push(`${t.kind} ${t.key}: wasm lookup before the load: ${e.message}`);
      }
    }
    startedAt = now();
    tick();
    timer = setInterval(tick, intervalMs);
  }

  function markReady() {
    if (readyAt == null) readyAt = now();
  }

  async function stop() {
    const stoppedAt = now();
    clearInterval(timer);
    // A last wasm reading with a fresh lookup (a memory created during the load included).
    for (const t of targets.values()) {
      if (!t.live) continue;
      try {
        const id = await withTimeout(lookUpMemories(t, FINAL_GROUP), COMMAND_TIMEOUT, `${t.kind} wasm lookup`);
        const sizes = await withTimeout(memorySizes(t, id), COMMAND_TIMEOUT, `${t.kind} wasm sizes`);
        t.wasmFinal = sizes.reduce((a, b) => a + b, 0);
        t.wasmCount = sizes.length;
        t.wasm.push([now(), t.wasmFinal]);
      } catch (e) {
        problems.push(`${t.kind} ${t.key}: wasm lookup after the load: ${e.message}`);
      }
      await t.send('Runtime.releaseObjectGroup', { objectGroup: FINAL_GROUP }).catch(() => {});
      await t.send('Runtime.releaseObjectGroup', { objectGroup: MEMORY_GROUP }).catch(() => {});
      t.handle = null;
    }
    return summary(stoppedAt);
  }

  // Figures of one target over [from, to].
  function figures(t, from, to) {
    const heap = t.heap.filter(([at]) => at >= from && at <= to);
    const times = [Math.max(from, t.attachedAt), ...heap.map(([at]) => at), Math.min(to, t.detachedAt ?? to)];
    let maxGapMs = 0;
    for (let i = 1; i < times.length; i++) maxGapMs = Math.max(maxGapMs, times[i] - times[i - 1]);
    const peak = (i) => heap.reduce((m, s) => (s[i] != null && s[i] > m ? s[i] : m), 0);
    return {
      samples: heap.length,
      heapPeakBytes: peak(1),
      heapTotalPeakBytes: peak(2),
      // Outside the V8 heap and not counted in the figures above: ArrayBuffer contents
      // (except wasm memories) and external strings, and Blink's heap (DOM objects).
      backingStoragePeakBytes: heap.some((s) => s[3] != null) ? peak(3) : null,
      embedderHeapPeakBytes: heap.some((s) => s[4] != null) ? peak(4) : null,
      maxGapMs: Math.round(maxGapMs),
    };
  }

  function summary(stoppedAt) {
    const until = readyAt ?? stoppedAt;
    const list = [...targets.values()].filter((t) => t.detachedAt == null || t.detachedAt >= startedAt);
    const perTarget = list.map((t) => {
      const all = figures(t, startedAt, stoppedAt);
      const toReady = figures(t, startedAt, until);
      const wasmPeak = Math.max(0, t.wasmBefore ?? 0, ...t.wasm.map(([, b]) => b));
      return {
        kind: t.kind,
        url: t.url,
        attachedMs: Math.round(t.attachedAt - startedAt),
        detachedMs: t.detachedAt == null ? null : Math.round(t.detachedAt - startedAt),
        ...all,
        heapPeakToReadyBytes: toReady.heapPeakBytes,
        maxLatencyMs: Math.round(t.maxLatencyMs),
        errors: t.errors,
        wasmBeforeBytes: t.wasmBefore,
        wasmFinalBytes: t.wasmFinal,
        wasmMemories: t.wasmCount,
        wasmPeakBytes: wasmPeak,
      };
    });
    const of = (kind) => perTarget.filter((t) => t.kind === kind);
    const max = (xs, f) => xs.reduce((m, x) => Math.max(m, f(x) ?? 0), 0);
    const page_ = of('page');
    const workers = of('worker');
    const out = {
      intervalMs,
      windowMs: Math.round(stoppedAt - startedAt),
      readyMs: readyAt == null ? null : Math.round(readyAt - startedAt),
      pageHeapPeakBytes: max(page_, (t) => t.heapPeakBytes),
      workerHeapPeakBytes: max(workers, (t) => t.heapPeakBytes),
      pageWasmBytes: max(page_, (t) => t.wasmPeakBytes),
      workerWasmBytes: max(workers, (t) => t.wasmPeakBytes),
      pageSamples: page_.reduce((s, t) => s + t.samples, 0),
      workerSamples: workers.reduce((s, t) => s + t.samples, 0),
      pageMaxGapMs: max(page_, (t) => t.maxGapMs),
      workerMaxGapMs: max(workers, (t) => t.maxGapMs),
      workers: workers.length,
      pageBackingStoragePeakBytes: max(page_, (t) => t.backingStoragePeakBytes),
      workerBackingStoragePeakBytes: max(workers, (t) => t.backingStoragePeakBytes),
      pageEmbedderHeapPeakBytes: max(page_, (t) => t.embedderHeapPeakBytes),
      targets: perTarget,
      problems,
    };
    out.sumBytes = out.pageHeapPeakBytes + out.workerHeapPeakBytes + out.pageWasmBytes + out.workerWasmBytes;
    out.sumToReadyBytes =
      max(page_, (t) => t.heapPeakToReadyBytes) + max(workers, (t) => t.heapPeakToReadyBytes) + out.pageWasmBytes + out.workerWasmBytes;
    // The largest total of the latest readings of every live target, at each heap sample:
    // a lower bound of the simultaneous peak (the sum above is an upper bound).
    out.sampledTotalPeakBytes = sampledTotalPeak(startedAt, stoppedAt);
    return out;
  }

  function sampledTotalPeak(from, to) {
    const events = [];
    for (const t of targets.values()) {
      for (const [at, used] of t.heap) events.push([at, t.key, 'heap', used]);
      for (const [at, bytes] of t.wasm) events.push([at, t.key, 'wasm', bytes]);
      if (t.wasmBefore != null) events.push([from, t.key, 'wasm', t.wasmBefore]);
      if (t.detachedAt != null) events.push([t.detachedAt, t.key, 'gone', 0]);
    }
    events.sort((a, b) => a[0] - b[0]);
    const latest = new Map();
    let peak = 0;
    for (const [at, key, what, v] of events) {
      if (at > to) break;
      const cur = latest.get(key) ?? { heap: 0, wasm: 0 };
      if (what === 'gone') latest.delete(key);
      else latest.set(key, { ...cur, [what]: v });
      if (at < from) continue;
      let total = 0;
      for (const x of latest.values()) total += x.heap + x.wasm;
      peak = Math.max(peak, total);
    }
    return peak;
  }

  async function close() {
    clearInterval(timer);
    await cdp.send('Target.setAutoAttach', { autoAttach: false, waitForDebuggerOnStart: false, flatten: false }).catch(() => {});
    for (const t of targets.values()) {
      if (t.kind === 'worker' && t.live) await cdp.send('Target.detachFromTarget', { sessionId: t.key }).catch(() => {});
    }
    await cdp.detach().catch(() => {});
  }

  return { start, markReady, stop, close };
}
