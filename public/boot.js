// Starts the app. Trunk would inject an inline <script type="module"> for this, which a
// strict Content-Security-Policy forbids; Trunk.toml's pattern_script emits instead
//   <script type="module" id="dl-boot" src="boot.js" data-js="…" data-wasm="…">
// naming the content-hashed wasm-bindgen glue and wasm of this build.
const el = document.getElementById('dl-boot');
const base = document.baseURI;
let startError = null;
try {
  const { default: init } = await import(new URL(el.dataset.js, base).href);
  await init({ module_or_path: new URL(el.dataset.wasm, base) });
} catch (err) {
  const msg = document.getElementById('dl-loading');
  if (msg) {
    msg.textContent = 'DealerLens 无法启动，请使用新版 Chrome、Edge、Firefox 或 Safari。 · DealerLens could not start: please use a current browser.';
    msg.classList.add('boot-error');
  }
  startError = err;
}

// Offline support: sw.js (next to this file) caches the build on the first visit. When a new
// deployment has been installed in the background, a banner says so; the new version takes
// over only when the user agrees, and the page then reloads into it. Registered even when the
// app failed to start, so that a fixed deployment can still be offered.
if ('serviceWorker' in navigator) {
  registerServiceWorker().catch(() => {
    // No service worker (private mode, file://, storage refused): the app works online.
  });
}
if (startError) throw startError;

async function registerServiceWorker() {
  const sw = navigator.serviceWorker;
  let controlled = Boolean(sw.controller);
  let accepted = false;
  sw.addEventListener('controllerchange', () => {
    if (!controlled) {
      // This page was not controlled before: nothing of an older version to replace.
      controlled = true;
      return;
    }
    if (accepted) window.location.reload();
    // Another tab accepted the update: this page's files still work, offer a reload.
    else offerUpdate(null);
  });

  const reg = await sw.register(new URL('sw.js', base), { updateViaCache: 'none' });

  function offerUpdate(waiting) {
    if (document.getElementById('dl-update')) return;
    const bar = document.createElement('div');
    bar.id = 'dl-update';
    bar.className = 'update-banner';
    bar.setAttribute('role', 'status');
    bar.dataset.testid = 'update-banner';
    const msg = document.createElement('span');
    msg.className = 'update-msg';
    msg.textContent = 'DealerLens 新版本已就绪。 · A new version of DealerLens is ready.';
    const ok = document.createElement('button');
    ok.type = 'button';
    ok.className = 'update-accept';
    ok.dataset.testid = 'update-accept';
    ok.textContent = '立即更新 · Update now';
    ok.addEventListener('click', () => {
      ok.disabled = true;
      accepted = true;
      const next = waiting || reg.waiting;
      if (next) next.postMessage({ type: 'skip-waiting' });
      else window.location.reload();
    });
    const later = document.createElement('button');
    later.type = 'button';
    later.className = 'update-later';
    later.dataset.testid = 'update-later';
    later.textContent = '稍后 · Later';
    later.addEventListener('click', () => bar.remove());
    bar.append(msg, ok, later);
    document.body.append(bar);
  }

  // A worker that finished installing while another one controls this page is an update.
  const watch = (worker) => {
    if (!worker) return;
    const check = () => {
      if (worker.state === 'installed' && sw.controller) offerUpdate(worker);
    };
    worker.addEventListener('statechange', check);
    check();
  };
  if (reg.waiting && sw.controller) offerUpdate(reg.waiting);
  watch(reg.installing);
  reg.addEventListener('updatefound', () => watch(reg.installing));
}
