// The bussola service worker (written to dist/sw.js by vite.config.ts, which fills in the
// shell and the version). After one visit the app works in airplane mode:
//  - the app shell is precached at install; hashed assets are served from the cache;
//  - the page itself is fetched from the network first (so a new release arrives), falling
//    back to the cached copy after 4 s or when offline;
//  - the territory's data (/api/bundle, /api/config) is precached and then served
//    stale-while-revalidate: instantly from the cache, refreshed in the background;
//  - the map library, the context land and the comuni boundaries are cached the first time
//    the map is opened.
/* eslint-disable no-restricted-globals */
const SHELL = __SHELL__;
const VERSION = __VERSION__;
const DATA = ["/api/bundle", "/api/config"];
const SHELL_CACHE = `bussola-shell-${VERSION}`;
const DATA_CACHE = "bussola-data";
const RUNTIME_CACHE = `bussola-runtime-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL_CACHE);
      await shell.addAll(SHELL);
      const data = await caches.open(DATA_CACHE);
      await Promise.all(DATA.map((u) => data.add(u).catch(() => undefined)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([SHELL_CACHE, DATA_CACHE, RUNTIME_CACHE]);
      for (const k of await caches.keys()) if (!keep.has(k)) await caches.delete(k);
      await self.clients.claim();
    })(),
  );
});

function timeout(ms) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms));
}

async function pageFirstFromNetwork(request) {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const fresh = await Promise.race([fetch(request), timeout(4000)]);
    if (fresh.ok) await cache.put("/", fresh.clone());
    return fresh;
  } catch {
    return (await cache.match("/")) ?? Response.error();
  }
}

async function staleWhileRevalidate(request, cacheName, key) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(key ?? request);
  const refresh = fetch(request)
    .then(async (r) => {
      if (r.ok) await cache.put(key ?? request, r.clone());
      return r;
    })
    .catch(() => undefined);
  if (cached) return cached;
  return (await refresh) ?? Response.error();
}

async function cacheFirst(request, cacheName) {
  const cache = await caches.open(cacheName);
  const hit = (await caches.match(request)) ?? (await cache.match(request));
  if (hit) return hit;
  const r = await fetch(request);
  if (r.ok) await cache.put(request, r.clone());
  return r;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(pageFirstFromNetwork(request));
  } else if (DATA.includes(url.pathname)) {
    event.respondWith(staleWhileRevalidate(request, DATA_CACHE, url.pathname));
  } else if (url.pathname.startsWith("/assets/") || SHELL.includes(url.pathname)) {
    event.respondWith(cacheFirst(request, RUNTIME_CACHE));
  } else if (url.pathname === "/api/collections/comuni/items") {
    event.respondWith(staleWhileRevalidate(request, RUNTIME_CACHE));
  }
});
