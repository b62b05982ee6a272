// The need icons (issue 14, finding 14: health read as "#", housing and reception were nearly
// the same house), in real headless Chromium: every category of the taxonomy has an icon on the
// need screen, and every two of them differ by more than a threshold, pixel by pixel. Each
// icon is drawn as the app styles it (stroke, width, caps) at 48×48 on a blank page and reduced
// to its inked pixels; two icons differ by the share of their inked pixels that only one of
// them inks (1 − intersection / union).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { BASE, api, launch, phone, shot } from "./support.mjs";

/** Below this, two icons are too alike to tell apart at a glance (the old house and reception: 0.47). */
const MIN_DIFFERENCE = 0.55;
const SIZE = 48;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

describe("need icons", () => {
  test("every category's icon differs from every other's", async () => {
    const taxonomy = await api("/api/taxonomy");
    const ctx = await phone(browser, { locale: "it-IT" });
    const page = await ctx.newPage();
    await page.goto(`${BASE}/#lang=it`);
    await page.locator("a.need").first().waitFor({ timeout: 30000 });
    await shot(page, "it-2b-need-icons");
    // Each icon as a standalone SVG with the styles the page gives it.
    const icons = await page.locator("a.need").evaluateAll((links) =>
      links.map((a) => {
        const svg = a.querySelector("svg");
        const css = getComputedStyle(svg);
        const copy = svg.cloneNode(true);
        copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
        for (const p of ["fill", "stroke-width", "stroke-linecap", "stroke-linejoin"]) copy.setAttribute(p, css.getPropertyValue(p));
        copy.setAttribute("stroke", "#000");
        return { need: a.dataset.need, svg: copy.outerHTML };
      }),
    );
    assert.deepEqual(
      icons.map((i) => i.need).sort(),
      taxonomy.categories.map((c) => c.id).sort(),
      "one icon per category of the taxonomy",
    );
    // Drawn on a blank page (the app's CSP allows no data: images, rightly).
    const blank = await ctx.newPage();
    const masks = await blank.evaluate(
      async ({ icons, size }) => {
        const out = {};
        for (const { need, svg } of icons) {
          const img = new Image(size, size);
          img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
          await img.decode();
          const c = document.createElement("canvas");
          c.width = c.height = size;
          const x = c.getContext("2d");
          x.drawImage(img, 0, 0, size, size);
          const data = x.getImageData(0, 0, size, size).data;
          out[need] = Array.from({ length: size * size }, (_, i) => data[4 * i + 3] > 96);
        }
        return out;
      },
      { icons, size: SIZE },
    );
    const needs = Object.keys(masks);
    const tooAlike = [];
    for (let i = 0; i < needs.length; i++) {
      const inked = masks[needs[i]].filter(Boolean).length;
      assert.ok(inked > SIZE * SIZE * 0.05, `${needs[i]} draws something (${inked} pixels)`);
      for (let j = i + 1; j < needs.length; j++) {
        let both = 0;
        let either = 0;
        for (let p = 0; p < SIZE * SIZE; p++) {
          const [a, b] = [masks[needs[i]][p], masks[needs[j]][p]];
          both += a && b ? 1 : 0;
          either += a || b ? 1 : 0;
        }
        const difference = 1 - both / either;
        if (difference < MIN_DIFFERENCE) tooAlike.push(`${needs[i]} / ${needs[j]}: ${difference.toFixed(2)}`);
      }
    }
    assert.deepEqual(tooAlike, [], `icons too alike (difference below ${MIN_DIFFERENCE})`);
    await ctx.close();
  });
});
