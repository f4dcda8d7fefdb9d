// Starts the parsing worker (an ES module worker created by the page). Trunk does not hash
// worker file names, so the page passes a version (?v=…, a hash of the worker's files
// stamped into index.html at build time) and we load the glue and the wasm with the same
// query: both always come from the same deployment, never one stale from the cache.
const v = new URL(import.meta.url).searchParams.get('v');
const q = v ? `?v=${encodeURIComponent(v)}` : '';
const { default: init } = await import(`./worker.js${q}`);
await init({ module_or_path: new URL(`./worker_bg.wasm${q}`, import.meta.url) });
