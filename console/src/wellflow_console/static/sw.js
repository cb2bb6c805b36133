// WellFlow's service worker: keeps the console's app shell (this build's files) so the pumper's route opens
// with no signal. The gateway fills in VERSION (a hash of every file) and ASSETS when it serves this file, so
// a new release replaces the cache. API calls are never cached here: the pages keep what they need offline
// (the route, and readings waiting to send) in IndexedDB.
const VERSION = "__VERSION__";
const ASSETS = __ASSETS__;
const CACHE = `wellflow-shell-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(ASSETS))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("wellflow-shell-") && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/health") || url.pathname === "/sw.js") return;
  if (request.mode === "navigate") {
    // The console is one document: any navigation is answered at once by this release's "/" (no round trip on
    // a slow connection; a new release comes with a new worker, which the browser checks for on its own).
    event.respondWith(caches.match("/", { cacheName: CACHE }).then((hit) => hit || fetch(request)));
    return;
  }
  event.respondWith(
    caches.match(request, { cacheName: CACHE, ignoreSearch: true }).then((hit) => hit || fetch(request)),
  );
});
