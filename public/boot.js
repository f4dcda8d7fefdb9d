// Starts the app. Trunk would inject an inline <script type="module"> for this, which a
// strict Content-Security-Policy forbids; Trunk.toml's pattern_script emits instead
//   <script type="module" id="dl-boot" src="boot.js" data-js="…" data-wasm="…">
// naming the content-hashed wasm-bindgen glue and wasm of this build.
const el = document.getElementById('dl-boot');
const base = document.baseURI;
try {
  const { default: init } = await import(new URL(el.dataset.js, base).href);
  await init({ module_or_path: new URL(el.dataset.wasm, base) });
} catch (err) {
  const msg = document.getElementById('dl-loading');
  if (msg) {
    msg.textContent = 'DealerLens 无法启动，请使用新版 Chrome、Edge、Firefox 或 Safari。 · DealerLens could not start: please use a current browser.';
    msg.classList.add('boot-error');
  }
  throw err;
}
