// The bussola web app in real headless Chromium against the real server (tests/run.sh starts
// it on PostGIS). Expected results come from the server's API, the demo GeoJSON, the bundle
// or Intl (for plurals), never from the app's own code.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  BASE,
  api,
  foreignRequests,
  fragment,
  launch,
  persistentPhone,
  phone,
  privateServer,
  requested,
  seriousViolations,
  shot,
} from "./support.mjs";

/** The demo dataset the servers load, read from the repository. */
const DEMO = JSON.parse(readFileSync(new URL("../../data/demo/venezia.geojson", import.meta.url), "utf8"));
const demoSportello = (id) => DEMO.features.find((f) => f.id === id);

/**
 * The count's templates per language and CLDR category, read from the app's string table
 * (web/src/strings.ts) as text, so that the test checks which template the app picks.
 */
function countTemplates() {
  const src = readFileSync(new URL("../../web/src/strings.ts", import.meta.url), "utf8");
  const out = {};
  for (const m of src.matchAll(/^const (\w+): Strings = \{([\s\S]*?)^\};/gm)) {
    const block = m[2].match(/\bresults: \{([\s\S]*?)\},\n/);
    assert.ok(block, `strings.ts: no results plural for ${m[1]}`);
    out[m[1]] = Object.fromEntries([...block[1].matchAll(/(\w+): "([^"]*)"/g)].map((x) => [x[1], x[2]]));
    assert.ok(out[m[1]].other, `strings.ts: ${m[1]} has no "other" form`);
  }
  assert.deepEqual(Object.keys(out).sort(), ["ar", "bn", "en", "fr", "it", "uk", "ur", "zh"]);
  return out;
}

/** Great-circle metres by the atan2 (spherical Vincenty) formula; the app uses the haversine. */
function metres(lon1, lat1, lon2, lat2) {
  const r = Math.PI / 180;
  const [p1, p2, dl] = [lat1 * r, lat2 * r, (lon2 - lon1) * r];
  const y = Math.hypot(Math.cos(p2) * Math.sin(dl), Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl));
  const x = Math.sin(p1) * Math.sin(p2) + Math.cos(p1) * Math.cos(p2) * Math.cos(dl);
  return 6371008.8 * Math.atan2(y, x);
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A legal-aid sportello of the demo data and a point about 400 m north-east of it. */
async function knownPoint() {
  const fc = await api("/api/collections/sportelli/items?category=legal-aid&limit=100");
  assert.ok(fc.features.length >= 2, "the demo data has several legal-aid sportelli");
  const f = [...fc.features].sort((a, b) => (a.id < b.id ? -1 : 1))[0];
  const [lon, lat] = f.geometry.coordinates;
  return { longitude: lon + 0.004, latitude: lat + 0.003 };
}

/** Ids of the nearest legal-aid sportelli to the app's own (rounded) position, from the API. */
async function expectedNearest(url, category) {
  const near = fragment(url).get("near");
  assert.match(near ?? "", /^-?\d+(\.\d{1,3})?,-?\d+(\.\d{1,3})?$/, "the URL carries a position rounded to 3 decimals");
  const fc = await api(`/api/collections/sportelli/items?near=${near}&category=${category}&limit=5`);
  return fc.features.map((f) => f.id);
}

async function cardIds(page) {
  return page.locator("li.card").evaluateAll((els) => els.map((e) => e.getAttribute("data-id")));
}

async function assertAccessible(page, screen) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `${screen} fits 360 px without sideways scrolling (${width} px)`);
  const v = await seriousViolations(page);
  assert.deepEqual(v, [], `axe-core finds serious or critical violations on ${screen}`);
}

describe("the bussola web app", () => {
  test("Italian: language, need, position, nearest legal aid first, filters, details, map", async () => {
    const point = await knownPoint();
    const ctx = await phone(browser, { locale: "it-IT", geolocation: point, permissions: ["geolocation"] });
    const page = await ctx.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));

    await page.goto(BASE + "/");
    // First visit: the language picker.
    await page.getByRole("button", { name: "Italiano" }).waitFor();
    assert.equal(await page.locator("html").getAttribute("lang"), "it");
    await assertAccessible(page, "the language screen (it)");
    await shot(page, "it-1-language");
    await page.getByRole("button", { name: "Italiano" }).click();

    // The need grid: one tile per taxonomy category, each labelled in Italian.
    const taxonomy = await api("/api/taxonomy");
    await page.locator("a.need").first().waitFor();
    assert.equal(await page.locator("a.need").count(), taxonomy.categories.length);
    const legal = taxonomy.categories.find((c) => c.id === "legal-aid");
    assert.equal((await page.locator('a.need[data-need="legal-aid"]').innerText()).trim(), legal.name.it);
    const demo = await page.locator("#demo-notice").innerText();
    assert.match(demo, /dimostrativ/i, "the demo banner says the data is demo data");
    await assertAccessible(page, "the need grid (it)");
    await shot(page, "it-2-needs");

    // Legal aid near the known point, by the phone's position.
    await page.locator('a.need[data-need="legal-aid"]').click();
    await page.getByRole("button", { name: "Usa la mia posizione" }).click();
    await page.waitForURL(/near=/);
    await page.locator("li.card").first().waitFor();
    const expected = await expectedNearest(page.url(), "legal-aid");
    const got = await cardIds(page);
    assert.deepEqual(got.slice(0, expected.length), expected, "the list starts with the API's nearest sportelli, in order");
    assert.match(await page.locator("li.card").first().locator(".distance").innerText(), /\d\s?(m|km)$/);
    assert.match(await page.locator("li.card").first().locator(".badge").innerText(), /Aperto ora|Apre|Chiuso/);
    assert.match(await page.locator("#where").innerText(), /vicino a te/);
    await assertAccessible(page, "the results (it)");
    await shot(page, "it-3-results");

    // Filters are part of the URL and narrow the list.
    const before = got.length;
    await page.locator("details.filters summary").click();
    await page.getByLabel("Gratuito").check();
    await page.waitForURL(/free=1/);
    const free = await cardIds(page);
    const wantFree = await api("/api/collections/sportelli/items?category=legal-aid&free=true&limit=1000");
    assert.ok(wantFree.features.length > 0, "the demo data has free legal aid");
    assert.ok(wantFree.features.length < before, "the filter leaves out some sportelli");
    assert.deepEqual([...free].sort(), wantFree.features.map((f) => f.id).sort(), "exactly the sportelli with free legal aid");
    await page.getByLabel("Gratuito").uncheck();
    await page.waitForURL((u) => !u.hash.includes("free=1"));

    // The detail sheet of the nearest.
    const first = expected[0];
    const feature = await api(`/api/collections/sportelli/items/${first}?lang=it`);
    await page.locator("li.card").first().locator("h2 a").click();
    await page.waitForURL(new RegExp(`id=${first}`));
    assert.equal((await page.locator("h1").innerText()).trim(), feature.properties.name);
    assert.equal(await page.locator('a[href^="geo:"]').count(), 1, "a geo: link for the phone's map app");
    assert.equal(await page.locator('a[href^="https://www.openstreetmap.org/"]').count(), 1);
    assert.ok((await page.locator("table.hours").count()) >= 1);
    assert.equal(await page.locator("table.hours").first().locator("tr").count(), 7, "a week of hours");
    assert.match(await page.locator("table.hours").first().locator("tr").first().innerText(), /Oggi/);
    assert.equal(await page.getByRole("button", { name: "Condividi" }).count(), 1);
    await assertAccessible(page, "the detail sheet (it)");
    await shot(page, "it-4-detail");
    const detailUrl = page.url();

    // Back to the list, then a typed place from the gazetteer.
    await page.goBack();
    await page.locator("li.card").first().waitFor();
    await page.locator("#place").fill("Chioggia");
    await page.locator("#place").press("Enter");
    await page.waitForURL(/place=Chioggia/);
    await page.locator("li.card").first().waitFor();
    const chioggia = await expectedNearest(page.url(), "legal-aid");
    assert.deepEqual((await cardIds(page)).slice(0, chioggia.length), chioggia);
    assert.match(await page.locator("#where").innerText(), /Chioggia/);

    // An unknown place is a clear error, not an empty list.
    await page.locator("#place").fill("Xyzzyville");
    await page.locator("#place").press("Enter");
    assert.match(await page.locator("#place-error").innerText(), /Nessun luogo/);

    // The map, on demand.
    await page.getByRole("button", { name: "Mappa" }).click();
    await page.waitForURL(/view=map/);
    await page.waitForSelector("#map[data-ready=true], #map .map-error", { timeout: 30000 });
    assert.equal(await page.locator("#map canvas").count(), 1, "MapLibre draws the map");
    assert.ok(await page.locator("#map").isVisible());
    await shot(page, "it-5-map");
    await assertAccessible(page, "the map view (it)");

    // A shared link opens the same screen in a fresh browser.
    const other = await phone(browser, { locale: "en-GB" });
    const p2 = await other.newPage();
    await p2.goto(detailUrl);
    assert.equal((await p2.locator("h1").innerText()).trim(), feature.properties.name);
    assert.equal(await p2.locator("html").getAttribute("lang"), "it", "the link carries the language");
    await other.close();

    assert.deepEqual(errors, [], "no script errors");
    await ctx.close();
  });

  test("Arabic: right-to-left, translated labels, content fallback noted", async () => {
    const ctx = await phone(browser, { locale: "ar" });
    const page = await ctx.newPage();
    await page.goto(BASE + "/");
    await page.getByRole("button", { name: "العربية" }).click();
    await page.locator("a.need").first().waitFor();
    const html = page.locator("html");
    assert.equal(await html.getAttribute("dir"), "rtl");
    assert.equal(await html.getAttribute("lang"), "ar");
    const taxonomy = await api("/api/taxonomy");
    for (const c of taxonomy.categories) {
      assert.equal((await page.locator(`a.need[data-need="${c.id}"]`).innerText()).trim(), c.name.ar);
    }
    assert.equal((await page.locator("h1").innerText()).trim(), "ماذا تحتاج؟");
    // Mirrored: the brand sits at the right edge, the language button at the left.
    const brand = await page.locator("#brand").boundingBox();
    const langBtn = await page.locator("#lang-btn").boundingBox();
    assert.ok(brand.x > langBtn.x, "the header is mirrored");
    await assertAccessible(page, "the need grid (ar)");
    await shot(page, "ar-2-needs");

    // Results in Arabic, typed place.
    await page.locator('a.need[data-need="residence-permits"]').click();
    await page.locator("#place").fill("Mestre");
    await page.locator("#place").press("Enter");
    await page.waitForURL(/place=Mestre/);
    await page.locator("li.card").first().waitFor();
    const count = await page.locator("#count").innerText();
    assert.doesNotMatch(count, /sportell/i, "the count is in Arabic");
    const expected = await expectedNearest(page.url(), "residence-permits");
    assert.deepEqual((await cardIds(page)).slice(0, expected.length), expected);
    // Most names in the demo data exist only in Italian: marked with their language and noted.
    assert.ok((await page.locator("li.card [lang]").count()) > 0);
    assert.match(await page.locator("#fallback-note").innerText(), /الإيطالية/);
    await assertAccessible(page, "the results (ar)");
    await shot(page, "ar-3-results");

    // The map view, in Arabic.
    await page.getByRole("button", { name: "خريطة" }).click();
    await page.waitForURL(/view=map/);
    await page.waitForSelector("#map[data-ready=true], #map .map-error", { timeout: 30000 });
    assert.equal(await page.locator("#map canvas").count(), 1, "MapLibre draws the map");
    await assertAccessible(page, "the map view (ar)");
    await shot(page, "ar-5-map");
    await page.getByRole("button", { name: "قائمة" }).click();
    await page.waitForURL((u) => !u.hash.includes("view=map"));

    // A sportello whose name has no Arabic in the demo data: the fallback is shown and marked.
    const firstId = await page.locator("li.card").first().getAttribute("data-id");
    const name = demoSportello(firstId).properties.name;
    assert.ok(!name.ar && name.it, `${firstId}: the demo data has no Arabic name, only Italian`);
    await page.locator("li.card").first().locator("h2 a").click();
    await page.locator("h1").waitFor();
    const fallback = page.locator("#fallback-note");
    assert.equal(await fallback.count(), 1, "the detail sheet notes the fallback");
    assert.match(await fallback.innerText(), /الإيطالية/);
    assert.equal(await page.locator('h1 [lang="it"]').count(), 1, "the Italian name is marked lang=it");
    assert.equal((await page.locator("h1").innerText()).trim(), name.it);
    assert.equal(await html.getAttribute("dir"), "rtl");
    await assertAccessible(page, "the detail sheet (ar)");
    await shot(page, "ar-4-detail");

    // The language picker, in Arabic.
    await page.locator("#lang-btn").click();
    await page.getByRole("button", { name: "Italiano" }).waitFor();
    await assertAccessible(page, "the language screen (ar)");
    await shot(page, "ar-1-language");
    await ctx.close();
  });

  test("every UI language: its direction, its own words for the count, the CLDR plural form", async () => {
    const ctx = await phone(browser, {});
    const page = await ctx.newPage();
    const templates = countTemplates();
    for (const [lang, dir] of [
      ["it", "ltr"],
      ["ar", "rtl"],
      ["ur", "rtl"],
      ["bn", "ltr"],
      ["uk", "ltr"],
      ["zh", "ltr"],
      ["fr", "ltr"],
      ["en", "ltr"],
    ]) {
      await page.goto(`${BASE}/#lang=${lang}&need=health&near=12.236,45.482`);
      await page.locator("#count").waitFor();
      assert.equal(await page.locator("html").getAttribute("dir"), dir, lang);
      assert.equal(await page.locator("html").getAttribute("lang"), lang);
      const n = await page.locator("li.card").count();
      assert.ok(n > 0, `${lang}: some results`);
      const text = (await page.locator("#count").innerText()).trim();
      const category = new Intl.PluralRules(lang).select(n);
      const template = templates[lang][category] ?? templates[lang].other;
      const expected = template.replace("{n}", new Intl.NumberFormat(lang).format(n));
      assert.equal(text, expected, `${lang}: ${n} is CLDR "${category}"`);
    }
    await ctx.close();
  });

  test("offline: after one visit, search, filters and details work with no server", async () => {
    const server = await privateServer();
    const ctx = await persistentPhone({ locale: "it-IT" });
    try {
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      await page.goto(server.url + "/#lang=it");
      await page.locator("a.need").first().waitFor();
      // Wait until the service worker controls the page and has cached the shell and data.
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        if (!navigator.serviceWorker.controller) {
          await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
        }
      });
      const installable = await installabilityErrors(ctx, page);
      assert.deepEqual(installable, [], "Chromium finds the app installable");

      // What the server answers while it is up, for the point the gazetteer gives Venezia.
      const bundle = await (await fetch(server.url + "/api/bundle")).json();
      const place = bundle.bussola.gazetteer.places.find((p) => p.name === "Venezia");
      const near = `${Math.round(place.lon * 1000) / 1000},${Math.round(place.lat * 1000) / 1000}`;
      const online = await (
        await fetch(`${server.url}/api/collections/sportelli/items?near=${near}&category=italian-language&limit=3`)
      ).json();
      assert.equal(online.features.length, 3);
      await server.stop();
      await ctx.setOffline(true);
      await page.reload();
      await page.locator("a.need").first().waitFor();
      const notice = await page.locator("#offline-notice").innerText();
      assert.match(notice, /offline/i);
      assert.match(notice, /\d/, "the notice gives the data's date");
      await page.locator('a.need[data-need="italian-language"]').click();
      await page.locator("#place").fill("Venezia");
      await page.locator("#place").press("Enter");
      await page.waitForURL(/place=Venezia/);
      await page.locator("li.card").first().waitFor();
      assert.equal(fragment(page.url()).get("near"), near, "the gazetteer's point for Venezia, rounded");
      assert.deepEqual((await cardIds(page)).slice(0, 3), online.features.map((f) => f.id));
      // Filters still work: exactly the bundle's sportelli with a free Italian course, nearest
      // first.
      const [lon, lat] = near.split(",").map(Number);
      const expectOffline = (keep) =>
        bundle.features
          .filter((f) => f.properties.services.some((s) => s.categories.includes("italian-language") && keep(s)))
          .map((f) => [metres(lon, lat, ...f.geometry.coordinates), f.id])
          .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1))
          .map((x) => x[1]);
      const all = expectOffline(() => true);
      const free = expectOffline((s) => s.cost === "free");
      assert.deepEqual(await cardIds(page), all, "offline: every sportello with Italian courses, nearest first");
      assert.ok(free.length > 0 && free.length < all.length, "the filter matters for this need");
      await page.locator("details.filters summary").click();
      await page.getByLabel("Gratuito").check();
      await page.waitForURL(/free=1/);
      await page.waitForFunction((n) => document.querySelectorAll("li.card").length === n, free.length);
      assert.deepEqual(await cardIds(page), free, "offline: exactly the free ones");
      await page.locator("li.card h2 a").first().click();
      await page.locator("table.hours").first().waitFor();
      await shot(page, "it-6-offline-detail");
    } finally {
      await ctx.close();
      await server.stop();
      server.cleanup();
    }
  });

  test("keyboard only: the list works without the map or a pointer", async () => {
    const ctx = await phone(browser, { locale: "it-IT" });
    const page = await ctx.newPage();
    await page.goto(`${BASE}/#lang=it&need=health&near=12.236,45.482`);
    await page.locator("li.card").first().waitFor();
    const first = await page.locator("li.card").first().getAttribute("data-id");
    // Tab until the first card's link has focus, then Enter.
    let found = false;
    for (let i = 0; i < 40 && !found; i++) {
      await page.keyboard.press("Tab");
      found = await page.evaluate((id) => document.activeElement?.closest("li.card")?.getAttribute("data-id") === id, first);
    }
    assert.ok(found, "the first result is reachable with Tab");
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`id=${first}`));
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), "H1", "focus moves to the new screen's heading");
    // Touch targets: every link and button of the screen is at least 44 px high.
    const small = await page.$$eval("main a, main button, header a, header button", (els) =>
      els
        .filter((e) => e.offsetParent !== null && !e.closest("p, dd, td"))
        .map((e) => [e.textContent?.trim(), e.getBoundingClientRect().height])
        .filter(([, hgt]) => hgt < 44),
    );
    assert.deepEqual(small, [], "touch targets of at least 44 px");
    await ctx.close();
  });

  test("no request leaves 127.0.0.1 during the whole session", () => {
    assert.ok(requested.length > 20, "requests were recorded");
    assert.deepEqual(foreignRequests(), []);
  });
});

/** Chromium's own installability check (the one behind "Install app"). */
async function installabilityErrors(ctx, page) {
  const cdp = await ctx.newCDPSession(page);
  const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
  return installabilityErrors.map((e) => e.errorId);
}
