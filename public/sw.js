// DealerLens service worker: after the first visit the app opens and works without a network.
//
// It precaches exactly the files of one build, listed with that build's version by the Trunk
// post_build hook (Trunk.toml), in a cache of its own. A new deployment changes this file, so
// the browser installs the new worker next to the old one; the page then tells the user that
// an update is ready, and on their word the new worker takes over and deletes the old cache.
// Nothing is ever fetched from another origin.

// Stamped at build time (see Trunk.toml); the development values cache nothing.
const VERSION = 'dev';
const ASSETS = [];

const SCOPE = new URL(self.registration.scope).pathname;
// Several deployments may share an origin (GitHub Pages project sites): name caches by scope.
const PREFIX = `dealerlens:${SCOPE}:`;
const CACHE = PREFIX + VERSION;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `no-cache` revalidates with the server: never cache a stale index.html from the HTTP
      // cache under a new version.
      await cache.addAll(ASSETS.map((a) => new Request(a, { cache: 'no-cache' })));
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const keys = await caches.keys();
      await Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k)));
      // No clients.claim(): the page of the first visit keeps loading from the network (its
      // worker is already running); every later load, online or not, comes from the cache.
      // An update needs no claim either: pages of the old worker pass to the new one.
    })(),
  );
});

self.addEventListener('message', (event) => {
  const type = event.data && event.data.type;
  if (type === 'skip-waiting') self.skipWaiting();
  else if (type === 'version' && event.ports[0]) event.ports[0].postMessage({ version: VERSION, cache: CACHE });
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || ASSETS.length === 0) return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE)) return;
  event.respondWith(respond(req, url));
});

async function respond(req, url) {
  const cache = await caches.open(CACHE);
  let hit;
  if (req.mode === 'navigate') {
    // The app is one page: its directory URL, with or without a query, is index.html.
    const page = url.pathname.endsWith('/') ? new URL('index.html', url) : url;
    hit = await cache.match(page.pathname, { ignoreSearch: true });
  } else {
    // Worker files carry their version in the query: match it exactly.
    hit = await cache.match(req);
  }
  return hit || fetch(req);
}
