// Signing in and out of the bussola web app, in real headless Chromium against a private server
// with the demo data (tests/run.sh gives it its own PostGIS database): a viewer of Venezia
// (made with the `bussola user add` command) sees the restricted reception layer on the map;
// an anonymous page never asks for it; after signing out the layer is gone and nothing the
// service worker keeps holds a reception centre, and the app still opens offline. Expected
// words come from the app's string tables, read as text.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { persistentPhone, privateServer, seriousViolations, sent, shot, strings } from "./support.mjs";

const USER = `venezia-viewer-${process.pid}`;
const PASSWORD = "laguna-viewer-0427-demo";
const DISPLAY = "Vera Viewer";
/** The demo's reception centres in Venezia (comune 027042), which a viewer of it must see. */
const VENEZIA_CAS = ["loc-cas-demo-mestre", "loc-cas-demo-marghera"];
const RECEPTION = "/api/collections/reception/items";
const PRIVATE_CACHE = "bussola-private";

/** The signed-in words (web/src/account.ts), language → key → text. */
function accountWords() {
  const src = readFileSync(new URL("../../web/src/account.ts", import.meta.url), "utf8");
  const out = {};
  for (const m of src.matchAll(/^ {2}(\w+): \{\n([\s\S]*?)^ {2}\},/gm)) {
    out[m[1]] = Object.fromEntries([...m[2].matchAll(/^ {4}(\w+): "((?:[^"\\]|\\.)*)",$/gm)].map((x) => [x[1], JSON.parse(`"${x[2]}"`)]));
  }
  assert.deepEqual(Object.keys(out).sort(), ["ar", "bn", "en", "fr", "it", "uk", "ur", "zh"], "account.ts has words for every UI language");
  return out;
}

/** Adds the viewer with the command line, against the private server's database. */
function addViewer() {
  const r = spawnSync(
    process.env.BUSSOLA_BIN,
    ["user", "add", USER, "--role", "viewer:027042", "--display-name", DISPLAY, "--password-stdin"],
    {
      input: PASSWORD + "\n",
      env: { ...process.env, BUSSOLA_DATABASE_URL: process.env.BUSSOLA_OFFLINE_DATABASE_URL, BUSSOLA_LOG: "warn" },
      encoding: "utf8",
    },
  );
  assert.equal(r.status, 0, `bussola user add: ${r.stderr}`);
}

/** Every cached response (cache name, key) whose body mentions `needle`, read in the page. */
async function cachedWith(page, needle) {
  return page.evaluate(async (needle) => {
    const hits = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const r = await cache.match(request);
        if (r && (await r.clone().text()).includes(needle)) hits.push(`${name} ${request.url}`);
      }
    }
    return hits;
  }, needle);
}

async function controlled(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
    }
  });
}

/** The header fits the phone's width at 200 % text (WCAG 1.4.4), with no sideways scrolling. */
async function headerFitsAt200(page, what) {
  await page.evaluate(() => (document.documentElement.style.fontSize = "200%"));
  const { scroll, left, right } = await page.evaluate(() => {
    const bar = document.querySelector("header.bar");
    const boxes = [...bar.querySelectorAll("a, button, #who")].filter((e) => e.offsetParent).map((e) => e.getBoundingClientRect());
    return {
      scroll: bar.scrollWidth - bar.clientWidth,
      left: Math.min(...boxes.map((b) => b.left)),
      right: Math.max(...boxes.map((b) => b.right)),
    };
  });
  await page.evaluate(() => (document.documentElement.style.fontSize = ""));
  assert.equal(scroll, 0, `${what}: the header does not scroll sideways at 200 % text`);
  assert.ok(left >= 0 && right <= 360, `${what}: every header control within the 360 px screen at 200 % text (${left}–${right} px)`);
}

/** Requests for the reception layer since `from` (by the page; the worker passes them on). */
const receptionRequests = (from, worker = false) =>
  sent.slice(from).filter((r) => new URL(r.url).pathname === RECEPTION && (worker || !r.worker));

let server;
before(async () => {
  server = await privateServer();
  addViewer();
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

describe("signing in and out", () => {
  test("a viewer sees the reception layer; signed out, it is gone, from the caches too, and the app opens offline", async () => {
    const S = strings();
    const W = accountWords();
    const ctx = await persistentPhone({ locale: "it-IT" });
    const errors = [];
    try {
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      page.on("pageerror", (e) => errors.push(String(e)));
      const from = sent.length;
      const app = `${server.url}/#lang=it&need=health&near=12.236,45.482&view=map`;

      // Anonymous: a sign-in link, the map without the layer, no request for it.
      await page.goto(app);
      await page.locator("#map[data-ready=true]").waitFor({ timeout: 30000 });
      const signin = page.locator("#signin");
      await signin.waitFor();
      assert.equal((await signin.innerText()).trim(), S.it.sign_in);
      assert.equal(await signin.getAttribute("href"), "/signin?next=%2F&lang=it", "the sign-in link carries the path, never the fragment");
      await controlled(page);
      assert.doesNotMatch(await page.locator("#map").getAttribute("data-layers"), /reception/);
      assert.equal(await page.locator("#reception-key, #reception-list").count(), 0, "no legend entry or list for anonymous people");
      await headerFitsAt200(page, "the anonymous header (it)");
      await page.locator("#lang-btn").click();
      await page.getByRole("button", { name: "العربية" }).click();
      await page.locator("#signin").waitFor();
      assert.equal((await page.locator("#signin").innerText()).trim(), S.ar.sign_in);
      const [brand, account] = [await page.locator("#brand").boundingBox(), await page.locator("#account").boundingBox()];
      assert.ok(brand.x > account.x, "right to left, the brand is at the right, the account controls to its left");
      await headerFitsAt200(page, "the anonymous header (ar)");
      await page.locator("#lang-btn").click();
      await page.getByRole("button", { name: "Italiano" }).click();
      await page.locator("#map[data-ready=true]").waitFor({ timeout: 30000 });

      // The sign-in page, checked in Italian and in Arabic.
      const form = await ctx.newPage();
      for (const lang of ["it", "ar"]) {
        await form.goto(`${server.url}/signin?next=%2F&lang=${lang}`);
        assert.equal(await form.locator("html").getAttribute("lang"), lang);
        assert.equal(await form.locator("html").getAttribute("dir"), lang === "ar" ? "rtl" : "ltr");
        assert.deepEqual(await seriousViolations(form), [], `axe-core finds serious or critical violations on the sign-in page (${lang})`);
        assert.ok((await form.evaluate(() => document.documentElement.scrollWidth)) <= 360, `the sign-in page fits 360 px (${lang})`);
        await shot(form, `${lang}-signin`);
      }
      await form.close();
      assert.deepEqual(receptionRequests(from, true), [], "an anonymous page never asks for the reception layer, nor does the worker");
      assert.deepEqual(await cachedWith(page, "cas-demo"), [], "nothing cached names a reception centre");

      // Sign in through the link and the form: back on the same screen, now as the viewer.
      await page.locator("#signin").click();
      await page.waitForURL(/\/signin\?/);
      await page.locator("#username").fill(USER);
      await page.locator("#password").fill(PASSWORD);
      await page.locator("button[type=submit]").click();
      await page.waitForURL((u) => u.pathname === "/" && u.hash.includes("view=map"));
      const who = page.locator("#who");
      await who.waitFor();
      assert.match(await who.innerText(), new RegExp(DISPLAY));
      assert.equal((await page.locator("#signout").innerText()).trim(), W.it.sign_out);
      await page.locator("#map[data-layers~=reception]").waitFor({ timeout: 30000 });
      const drawn = (await page.locator("#map").getAttribute("data-reception")).split(" ");
      for (const id of VENEZIA_CAS) assert.ok(drawn.includes(id), `the reception layer draws ${id} (it has ${drawn.join(", ")})`);
      const layers = (await page.locator("#map").getAttribute("data-layers")).split(" ");
      assert.ok(layers.indexOf("reception") > layers.indexOf("results"), "the layer is its own, drawn above the results");
      assert.match(await page.locator("#map-legend").innerText(), new RegExp(W.it.reception.replace(/[()]/g, "\\$&")));
      assert.equal(await page.locator("#reception-list li").count(), drawn.length, "each centre is listed under the map");
      const cards = await page.locator("li.card").evaluateAll((els) => els.map((e) => e.getAttribute("data-id")));
      assert.ok(!cards.some((id) => id.includes("cas-demo")), "no reception centre among the sportelli");
      assert.equal(receptionRequests(from).length, 1, "the layer is fetched once");
      assert.deepEqual(await seriousViolations(page), [], "axe-core on the signed-in map view");
      await shot(page, "it-signed-in-map");
      await headerFitsAt200(page, "the signed-in header (it)");
      // What the worker keeps: the viewer's bundle apart from the public one, nothing
      // restricted in any shared cache.
      await page.waitForFunction(
        async ([cache, key]) => !!(await (await caches.open(cache)).match(key)),
        [PRIVATE_CACHE, `/__bussola/${encodeURIComponent(USER)}/api/bundle`],
      );
      const kept = await cachedWith(page, "cas-demo");
      assert.ok(kept.length > 0, "the worker keeps the viewer's reception layer for offline use");
      assert.deepEqual(
        kept.filter((hit) => !hit.startsWith(PRIVATE_CACHE + " ")),
        [],
        "restricted data is only in the viewer's own cache",
      );

      // Offline while still signed in: the viewer's name and layer, from their own copies.
      await ctx.setOffline(true);
      await page.reload();
      await page.locator("#who").waitFor();
      await page.locator("#map[data-layers~=reception]").waitFor({ timeout: 30000 });
      const offlineDrawn = (await page.locator("#map").getAttribute("data-reception")).split(" ");
      for (const id of VENEZIA_CAS) assert.ok(offlineDrawn.includes(id), `offline, the layer still draws ${id}`);
      await ctx.setOffline(false);
      await page.reload();
      await page.locator("#signout").waitFor();
      await page.locator("#map[data-layers~=reception]").waitFor({ timeout: 30000 });

      // Sign out with the keyboard: the layer is gone, and every private copy with it.
      const before = sent.length;
      let focused = false;
      await page.locator("#brand").focus();
      for (let i = 0; i < 10 && !focused; i++) {
        await page.keyboard.press("Tab");
        focused = await page.evaluate(() => document.activeElement?.id === "signout");
      }
      assert.ok(focused, "the sign-out button is reached with Tab");
      await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
      await page.locator("#signin").waitFor();
      await page.locator("#map[data-ready=true]").waitFor({ timeout: 30000 });
      assert.equal(await page.locator("#who, #signout, #reception-key, #reception-list").count(), 0);
      assert.doesNotMatch(await page.locator("#map").getAttribute("data-layers"), /reception/);
      assert.ok(page.url().includes("view=map"), "the app reloads on the same screen");
      assert.equal(await page.evaluate((c) => caches.has(c), PRIVATE_CACHE), false, "the private cache is deleted");
      assert.deepEqual(await cachedWith(page, "cas-demo"), [], "no cached response holds a reception centre");
      const me = await page.evaluate(async () => (await fetch("/api/me")).json());
      assert.equal(me.signed_in, false, "the server has ended the session");
      assert.deepEqual(receptionRequests(before, true), [], "signed out, the layer is not asked for again");

      // Offline afterwards: the anonymous app from the worker's cache.
      await page.waitForFunction(async () => !!(await caches.match("/api/bundle", { cacheName: "bussola-data" })));
      await server.stop();
      await ctx.setOffline(true);
      await page.goto(`${server.url}/#lang=it&need=health&near=12.236,45.482`);
      await page.locator("li.card").first().waitFor();
      assert.match(await page.locator("#offline-notice").innerText(), /offline/i);
      assert.equal(await page.locator("#who, #signout, #reception-key").count(), 0, "offline, nothing of the viewer is shown");
      await shot(page, "it-signed-out-offline");
      assert.deepEqual(errors, [], "no script errors");
    } finally {
      await ctx.close();
    }
  });
});
