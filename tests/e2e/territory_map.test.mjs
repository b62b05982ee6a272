// The map's land and water, and a comune's patron day, in real headless Chromium against the
// real server (issue 14): the regions around the territory are drawn as land under the comuni,
// so a point of Padova's mainland is land-coloured while the Adriatic is water-coloured, and the
// layer is fetched only with the map; a Chioggia sportello's week shows 11 June as its patron
// day, closed. Expected colours are read from web/src/map.ts as text, expected places from the
// map's own bounds turned into pixels here (Web Mercator), expected words from the string table.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { BASE, api, launch, phone, sent, shot, strings } from "./support.mjs";

const S = strings();
const MESTRE = "12.232,45.483";
/** Open sea off Chioggia; the mainland of the province of Padova, west of the territory. */
const ADRIATIC = [12.75, 45.25];
const PADOVA_MAINLAND = [11.75, 45.42];

const COLOURS = Object.fromEntries(
  [...readFileSync(new URL("../../web/src/map.ts", import.meta.url), "utf8").matchAll(/(water|contextLand|territory): "(#[0-9a-f]{6})"/g)].map(
    (m) => [m[1], [1, 3, 5].map((i) => parseInt(m[2].slice(i, i + 2), 16))],
  ),
);

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const mercatorY = (lat) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));

/** A lon/lat's pixel in a box of `width`×`height` showing `bounds` (west,south,east,north). */
function pixelOf([lon, lat], [west, south, east, north], width, height) {
  return [
    Math.round(((lon - west) / (east - west)) * width),
    Math.round(((mercatorY(north) - mercatorY(lat)) / (mercatorY(north) - mercatorY(south))) * height),
  ];
}

const inside = ([lon, lat], [west, south, east, north]) => lon > west && lon < east && lat > south && lat < north;

/** The RGB colours at CSS pixels of a PNG screenshot, decoded by the browser itself. */
async function colours(ctx, png, points) {
  const page = await ctx.newPage();
  const out = await page.evaluate(
    async ({ b64, points }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement("canvas");
      [c.width, c.height] = [img.width, img.height];
      const x = c.getContext("2d");
      x.drawImage(img, 0, 0);
      return points.map(([px, py]) => Array.from(x.getImageData(px, py, 1, 1).data.slice(0, 3)));
    },
    { b64: png.toString("base64"), points },
  );
  await page.close();
  return out;
}

const near = (a, b, tolerance = 12) => a.every((v, i) => Math.abs(v - b[i]) <= tolerance);

describe("the map's land and water", () => {
  test("land around the territory, the Adriatic as water, the layer fetched only with the map", async () => {
    assert.ok(COLOURS.water && COLOURS.contextLand && COLOURS.territory, "map.ts names its colours");
    assert.ok(!near(COLOURS.water, COLOURS.contextLand, 20), "land and water look different");
    const ctx = await phone(browser, { locale: "it-IT" });
    const page = await ctx.newPage();
    const from = sent.length;
    await page.goto(`${BASE}/#lang=it&need=health&near=${MESTRE}`);
    await page.locator("li.card").first().waitFor({ timeout: 30000 });
    const land = () => sent.slice(from).filter((r) => r.url.includes("context-land"));
    assert.deepEqual(land(), [], "the list alone does not fetch the context land");
    await page.goto(`${BASE}/#lang=it&need=health&near=${MESTRE}&view=map`);
    await page.locator("#map[data-ready=true]").waitFor({ timeout: 30000 });
    const layers = (await page.locator("#map").getAttribute("data-layers")).split(" ");
    assert.ok(layers.indexOf("water") < layers.indexOf("context-land"), `${layers}`);
    assert.ok(layers.indexOf("context-land") < layers.indexOf("comuni-fill"), "the comuni are drawn over the land around");
    // The page asks once (the service worker, passing it on, makes its own request too).
    const fetched = land().filter((r) => !r.worker);
    assert.equal(fetched.length, 1, "the context land is fetched once, with the map");
    const asset = await fetch(fetched[0].url);
    assert.equal(asset.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal(asset.headers.get("content-type"), "application/geo+json");
    assert.equal(new URL(fetched[0].url).origin, BASE, "from this server");
    // Zoom out until both places are in view.
    const bounds = async () => (await page.locator("#map").getAttribute("data-bounds")).split(",").map(Number);
    let b = await bounds();
    for (let i = 0; i < 10 && !(inside(ADRIATIC, b) && inside(PADOVA_MAINLAND, b)); i++) {
      await page.locator(".maplibregl-ctrl-zoom-out").click();
      await page.waitForFunction((before) => document.querySelector("#map").dataset.bounds !== before, b.join(","));
      b = await bounds();
    }
    assert.ok(inside(ADRIATIC, b) && inside(PADOVA_MAINLAND, b), `both in view: ${b}`);
    await page.waitForTimeout(500);
    b = await bounds();
    const canvas = page.locator("#map canvas.maplibregl-canvas");
    const box = await canvas.boundingBox();
    const png = await canvas.screenshot({ scale: "css" });
    const [sea, mainland] = await colours(ctx, png, [
      pixelOf(ADRIATIC, b, box.width, box.height),
      pixelOf(PADOVA_MAINLAND, b, box.width, box.height),
    ]);
    assert.ok(near(sea, COLOURS.water), `the Adriatic is water-coloured: ${sea} vs ${COLOURS.water}`);
    assert.ok(near(mainland, COLOURS.contextLand), `Padova's mainland is land-coloured: ${mainland} vs ${COLOURS.contextLand}`);
    await shot(page, "it-5c-map-context-land");
    await ctx.close();
  });
});

describe("a comune's patron day", () => {
  test("a Chioggia sportello's week shows 11 June as its patron day, closed, in it, ar, ur and uk", async () => {
    const bundle = await api("/api/bundle");
    const saints = bundle.bussola.patron_days["027008"];
    assert.ok(bundle.bussola.local_holidays["027008"].includes("2026-06-11"), "the bundle carries Chioggia's day");
    const cpi = bundle.features.find((f) => f.id === "loc-cpi-chioggia");
    assert.equal(cpi.properties.address.comune_istat, "027008");
    for (const lang of ["it", "ar", "ur", "uk"]) {
      const ctx = await phone(browser, { locale: lang });
      const page = await ctx.newPage();
      // Wednesday 10 June 2026, 10:00 in Rome: the week from today holds Thursday the 11th.
      await page.clock.setFixedTime(new Date("2026-06-10T08:00:00Z"));
      await page.goto(`${BASE}/#lang=${lang}&id=loc-cpi-chioggia`);
      const table = page.locator("table.hours").first();
      await table.waitFor({ timeout: 30000 });
      const cells = await table.locator("tbody tr td").allInnerTexts();
      const name = saints[lang] ?? saints.it;
      const reason = S[lang].patron_day.replace("{name}", name);
      assert.ok(cells[1].includes(reason), `${lang}: Thursday says ${reason}: ${cells[1]}`);
      assert.ok(cells[1].startsWith(S[lang].closed_day), `${lang}: closed`);
      assert.ok(!cells[0].includes(reason) && !cells[2].includes(reason), `${lang}: only that day`);
      const marked = await table.locator("tbody tr").nth(1).locator("td [lang]").evaluateAll((els) => els.map((e) => [e.lang, e.textContent]));
      assert.deepEqual(marked, saints[lang] ? [] : [["it", saints.it]], `${lang}: the name in another language is marked`);
      await table.scrollIntoViewIfNeeded();
      await shot(page, `${lang}-4b-detail-patron-day`);
      await ctx.close();
    }
  });
});
