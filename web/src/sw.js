// The bussola service worker (written to dist/sw.js by vite.config.ts, which fills in the
// shell and the version). After one visit the app works in airplane mode:
//  - the app shell is precached at install; hashed assets are served from the cache;
//  - the page itself is fetched from the network first (so a new release arrives), falling
//    back to the cached copy after 4 s or when offline;
//  - the territory's data (/api/bundle, /api/config) is precached and then served
//    stale-while-revalidate: instantly from the cache, refreshed in the background;
//  - the map library, the context land and the comuni boundaries are cached the first time
//    the map is opened;
//  - only the app's own page is answered from the cache: other pages (the sign-in form, the
//    API's HTML) always come from the network and are never stored.
// What the server answers for a signed-in viewer (Cache-Control: private or no-store) never
// enters the caches above. The page tells the worker who is signed in (a "viewer" message
// after GET /api/me); that viewer's bundle is then fetched network first (the server says who
// is asking, not this cache) and kept in a cache of its own, PRIVATE_CACHE, marked with the
// viewer's name, for offline use, with the reception layer their map draws. Another viewer, signing out, or a public answer where a
// private one was expected (the session ended) deletes that cache at once.
/* eslint-disable no-restricted-globals */
const SHELL = __SHELL__;
const VERSION = __VERSION__;
const DATA = ["/api/bundle", "/api/config"];
const SHELL_CACHE = `bussola-shell-${VERSION}`;
const DATA_CACHE = "bussola-data";
const RUNTIME_CACHE = `bussola-runtime-${VERSION}`;
const PRIVATE_CACHE = "bussola-private";
/** The entry of PRIVATE_CACHE naming whose copies it holds. */
const VIEWER_KEY = "/__bussola/viewer";
/** Counts the times private copies were dropped: a fetch begun before must not store its answer. */
let generation = 0;

/** Whether a response may be kept for anyone using this phone. */
function isPublic(r) {
  return !/\b(private|no-store)\b/i.test(r.headers.get("Cache-Control") ?? "");
}

/** Stores a response in a cache everyone shares, unless it is not public. */
async function putPublic(cacheName, key, r) {
  if (r.ok && isPublic(r)) await (await caches.open(cacheName)).put(key, r);
}

/** The signed-in viewer whose private copies are kept, or null. */
async function viewer() {
  if (!(await caches.has(PRIVATE_CACHE))) return null;
  const r = await (await caches.open(PRIVATE_CACHE)).match(VIEWER_KEY);
  return r ? r.text() : null;
}

/** The request again, revalidated with the server: the browser's HTTP cache does not know who is asking. */
const revalidated = (request) => (request.cache === "default" ? new Request(request, { cache: "no-cache" }) : request);

/** Drops every private copy (signing out, another viewer, an ended session). */
async function forget() {
  generation++;
  await caches.delete(PRIVATE_CACHE);
}

/**
 * Keeps private copies for `name` from now on (null: for nobody), with the name to show for them
 * offline. Resolves with whether that changed.
 */
async function setViewer(name, display) {
  const before = await viewer();
  if (before === name) return false;
  await forget();
  if (name) {
    const marker = new Response(name, { headers: { "X-Display-Name": encodeURIComponent(display || name) } });
    await (await caches.open(PRIVATE_CACHE)).put(VIEWER_KEY, marker);
  }
  return true;
}

/** Where a viewer's copy of `path` (with its query) is kept in PRIVATE_CACHE. */
const privateKey = (path, who) => `/__bussola/${encodeURIComponent(who)}${path}`;
/** The restricted layer the map draws for a viewer; never requested for anonymous people. */
const RECEPTION = "/api/collections/reception/items";

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL_CACHE);
      await shell.addAll(SHELL);
      // Only public answers are precached: a signed-in browser's bundle is that viewer's.
      await Promise.all(
        DATA.map((u) =>
          fetch(u)
            .then((r) => putPublic(DATA_CACHE, u, r))
            .catch(() => undefined),
        ),
      );
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([SHELL_CACHE, DATA_CACHE, RUNTIME_CACHE, PRIVATE_CACHE]);
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
    if (fresh.ok && isPublic(fresh)) await cache.put("/", fresh.clone());
    return fresh;
  } catch {
    return (await cache.match("/")) ?? Response.error();
  }
}

async function staleWhileRevalidate(request, cacheName, key) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(key ?? request);
  const refresh = fetch(revalidated(request))
    .then(async (r) => {
      if (r.ok && isPublic(r)) await cache.put(key ?? request, r.clone());
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
  if (r.ok && isPublic(r)) await cache.put(request, r.clone());
  return r;
}

/**
 * A signed-in viewer's data: from the network first, stored under the viewer's name; their
 * stored copy only when the network fails. A public answer means the session has ended: the
 * private copies go, the answer is kept as the public one.
 */
async function viewerFirstFromNetwork(request, path, who) {
  const started = generation;
  const key = privateKey(path, who);
  try {
    const fresh = await Promise.race([fetch(revalidated(request)), timeout(4000)]);
    if (fresh.ok && isPublic(fresh)) {
      await forget();
      if (DATA.includes(path)) await putPublic(DATA_CACHE, path, fresh.clone());
    } else if (fresh.ok && started === generation && (await viewer()) === who) {
      const own = await caches.open(PRIVATE_CACHE);
      if (started === generation) await own.put(key, fresh.clone());
    }
    return fresh;
  } catch {
    const own = (await caches.has(PRIVATE_CACHE)) ? await (await caches.open(PRIVATE_CACHE)).match(key) : undefined;
    return own ?? (await caches.match(path, { cacheName: DATA_CACHE })) ?? Response.error();
  }
}

/** The bundle is what differs by viewer; the configuration is the same for everyone. */
async function data(request, path) {
  const who = path === "/api/bundle" ? await viewer() : null;
  if (who) return viewerFirstFromNetwork(request, path, who);
  return staleWhileRevalidate(request, DATA_CACHE, path);
}

self.addEventListener("message", (event) => {
  const m = event.data;
  if (!m || m.type !== "viewer") return;
  const reply = event.ports[0];
  event.waitUntil(
    setViewer(typeof m.viewer === "string" && m.viewer ? m.viewer : null, String(m.display ?? "")).then(
      (changed) => reply?.postMessage({ changed }),
      () => reply?.postMessage({ changed: false }),
    ),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (url.pathname === "/" || url.pathname === "/index.html") event.respondWith(pageFirstFromNetwork(request));
  } else if (DATA.includes(url.pathname)) {
    event.respondWith(data(request, url.pathname));
  } else if (url.pathname === RECEPTION) {
    // A viewer's layer, kept with their bundle for offline use; anyone else's request goes to
    // the network untouched.
    event.respondWith(
      viewer().then((who) => (who ? viewerFirstFromNetwork(request, url.pathname + url.search, who) : fetch(request))),
    );
  } else if (url.pathname.startsWith("/assets/") || SHELL.includes(url.pathname)) {
    event.respondWith(cacheFirst(request, RUNTIME_CACHE));
  } else if (url.pathname === "/api/collections/comuni/items") {
    event.respondWith(staleWhileRevalidate(request, RUNTIME_CACHE));
  }
});
