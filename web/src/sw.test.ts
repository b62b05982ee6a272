// The service worker's rules on what it keeps for whom, run on its own source (src/sw.js) over
// an in-memory Cache Storage and a scripted network.
import { beforeEach, describe, expect, test } from "vitest";
import worker from "./sw.js?raw";

const ORIGIN = "https://bussola.test";
const abs = (u: string) => new URL(u, ORIGIN).href;

class FakeCache {
  entries = new Map<string, Response>();
  private key(k: RequestInfo) {
    return abs(typeof k === "string" ? k : k.url);
  }
  async match(k: RequestInfo) {
    return this.entries.get(this.key(k))?.clone();
  }
  async put(k: RequestInfo, r: Response) {
    this.entries.set(this.key(k), r);
  }
  async delete(k: RequestInfo) {
    return this.entries.delete(this.key(k));
  }
  async keys() {
    return [...this.entries.keys()].map((u) => new Request(u));
  }
  async addAll(urls: string[]) {
    for (const u of urls) await this.put(u, new Response(`shell ${u}`));
  }
}

class FakeStorage {
  caches = new Map<string, FakeCache>();
  async open(name: string) {
    if (!this.caches.has(name)) this.caches.set(name, new FakeCache());
    return this.caches.get(name)!;
  }
  async has(name: string) {
    return this.caches.has(name);
  }
  async delete(name: string) {
    return this.caches.delete(name);
  }
  async keys() {
    return [...this.caches.keys()];
  }
  async match(k: RequestInfo, o?: { cacheName?: string }) {
    for (const [name, c] of this.caches) {
      if (o?.cacheName && o.cacheName !== name) continue;
      const hit = await c.match(k);
      if (hit) return hit;
    }
    return undefined;
  }
  /** Every cached body, as "cache url: text". */
  async dump() {
    const out: string[] = [];
    for (const [name, c] of this.caches) for (const [u, r] of c.entries) out.push(`${name} ${u}: ${await r.clone().text()}`);
    return out;
  }
}

type Handler = (e: unknown) => void;
let storage: FakeStorage;
let handlers: Record<string, Handler>;
/** What the network answers next, by path; a function may wait before answering. */
let network: Record<string, () => Promise<Response>>;
let online: boolean;

const bundle = (who: string | null) => () =>
  Promise.resolve(
    new Response(JSON.stringify({ who }), {
      headers: { "Cache-Control": who ? "private, max-age=300" : "public, max-age=300", Vary: "Cookie, Authorization" },
    }),
  );

function load() {
  const source = worker
    .replace("__SHELL__", JSON.stringify(["/", "/assets/index.js"]))
    .replace("__VERSION__", JSON.stringify("test"));
  handlers = {};
  const self = {
    location: new URL(ORIGIN),
    addEventListener: (type: string, h: Handler) => (handlers[type] = h),
    skipWaiting: async () => undefined,
    clients: { claim: async () => undefined },
  };
  const fetch = async (r: RequestInfo) => {
    if (!online) throw new TypeError("Failed to fetch");
    const path = new URL(typeof r === "string" ? abs(r) : r.url).pathname;
    const answer = network[path];
    if (!answer) return new Response("not found", { status: 404 });
    return answer();
  };
  new Function("self", "caches", "fetch", source)(self, storage, fetch);
}

/** Dispatches an event the worker waits on; resolves with what it answered, if anything. */
async function dispatch(type: string, init: Record<string, unknown>): Promise<Response | undefined> {
  let answer: Promise<Response> | undefined;
  let wait: Promise<unknown> = Promise.resolve();
  handlers[type]({
    ...init,
    respondWith: (p: Promise<Response>) => (answer = p),
    waitUntil: (p: Promise<unknown>) => (wait = p),
  });
  await wait;
  return answer && (await answer);
}

const get = (path: string, mode = "cors") =>
  dispatch("fetch", { request: mode === "navigate" ? { url: abs(path), method: "GET", mode } : new Request(abs(path)) });

async function tell(viewer: string | null): Promise<boolean> {
  let changed: boolean | undefined;
  await dispatch("message", { data: { type: "viewer", viewer, display: viewer && `${viewer} (display)` }, ports: [{ postMessage: (m: { changed: boolean }) => (changed = m.changed) }] });
  return changed!;
}

async function text(r: Response | undefined) {
  return r ? JSON.parse(await r.text()) : undefined;
}

beforeEach(async () => {
  storage = new FakeStorage();
  network = { "/api/bundle": bundle(null), "/api/config": () => Promise.resolve(new Response("{}")), "/": () => Promise.resolve(new Response("page")) };
  online = true;
  load();
  await dispatch("install", {});
});

describe("the service worker", () => {
  test("anonymous: the public bundle is kept; a signed-in browser's private one never enters the shared cache", async () => {
    expect(await storage.dump()).toContain(`bussola-data ${abs("/api/bundle")}: {"who":null}`);
    network["/api/bundle"] = bundle("vera");
    // Served from the cache at once (the worker does not yet know anyone signed in) …
    expect(await text(await get("/api/bundle"))).toEqual({ who: null });
    await new Promise((r) => setTimeout(r, 0));
    // … and the private refresh is not stored.
    expect((await storage.dump()).join("\n")).not.toContain("vera");
  });

  test("installing in a signed-in browser precaches no private bundle", async () => {
    storage = new FakeStorage();
    network["/api/bundle"] = bundle("vera");
    load();
    await dispatch("install", {});
    expect((await storage.dump()).join("\n")).not.toContain("vera");
  });

  test("a viewer's bundle comes from the network first and is kept apart, under their name, for offline use", async () => {
    expect(await tell("vera")).toBe(true);
    expect(await tell("vera")).toBe(false);
    network["/api/bundle"] = bundle("vera");
    expect(await text(await get("/api/bundle"))).toEqual({ who: "vera" });
    const kept = await storage.open("bussola-private");
    expect(await text(await kept.match("/__bussola/vera/api/bundle"))).toEqual({ who: "vera" });
    expect(await text(await (await storage.open("bussola-data")).match("/api/bundle"))).toEqual({ who: null });
    online = false;
    expect(await text(await get("/api/bundle"))).toEqual({ who: "vera" });
  });

  test("signing out, or another viewer, drops every private copy; a fetch begun before does not bring it back", async () => {
    await tell("vera");
    network["/api/bundle"] = bundle("vera");
    await get("/api/bundle");
    expect(await storage.has("bussola-private")).toBe(true);
    expect(await tell("ugo")).toBe(true);
    expect((await storage.dump()).join("\n")).not.toContain('"vera"');

    let release: () => void = () => undefined;
    network["/api/bundle"] = () => new Promise((r) => (release = () => r(bundle("ugo")())));
    const slow = get("/api/bundle");
    await new Promise((r) => setTimeout(r, 0));
    expect(await tell(null)).toBe(true);
    release();
    await slow;
    expect(await storage.has("bussola-private")).toBe(false);
    expect((await storage.dump()).join("\n")).not.toContain("ugo");
  });

  test("a public answer where a viewer's was expected (the session ended) drops the private copies", async () => {
    await tell("vera");
    network["/api/bundle"] = bundle("vera");
    await get("/api/bundle");
    network["/api/bundle"] = bundle(null);
    expect(await text(await get("/api/bundle"))).toEqual({ who: null });
    expect(await storage.has("bussola-private")).toBe(false);
    online = false;
    expect(await text(await get("/api/bundle"))).toEqual({ who: null });
  });

  test("the reception layer: kept for its viewer, with the name to show offline; never kept for anyone else", async () => {
    const layer = "/api/collections/reception/items?limit=1000";
    network["/api/collections/reception/items"] = bundle("vera");
    // Nobody signed in, as far as the worker knows: straight from the network, nothing kept.
    expect(await text(await get(layer))).toEqual({ who: "vera" });
    expect((await storage.dump()).join("\n")).not.toContain("vera");
    await tell("vera");
    expect(await text(await get(layer))).toEqual({ who: "vera" });
    const kept = await storage.open("bussola-private");
    expect(await text(await kept.match(`/__bussola/vera${layer}`))).toEqual({ who: "vera" });
    const marker = (await kept.match("/__bussola/viewer"))!;
    expect(await marker.text()).toBe("vera");
    expect(decodeURIComponent(marker.headers.get("X-Display-Name")!)).toBe("vera (display)");
    online = false;
    expect(await text(await get(layer))).toEqual({ who: "vera" });
    online = true;
    await tell(null);
    expect(await storage.has("bussola-private")).toBe(false);
    online = false;
    await expect(get(layer)).rejects.toThrow("Failed to fetch");
  });

  test("only the app's own page is answered from the cache; the sign-in page goes to the network, unstored", async () => {
    expect(await get("/signin?next=%2F", "navigate")).toBeUndefined();
    expect(await get("/api/collections", "navigate")).toBeUndefined();
    expect(await (await get("/", "navigate"))!.text()).toBe("page");
    online = false;
    expect(await (await get("/", "navigate"))!.text()).toBe("page");
  });
});
