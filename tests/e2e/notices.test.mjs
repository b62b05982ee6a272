// Temporary information and freshness on a sportello's sheet, in real headless Chromium: a
// "full until …" notice on one of its services and "checked N days ago", in Italian and in
// Arabic (right to left), axe clean. The bundle is the real server's, with one fictional
// saturation notice added on its way to the page (dated from today, so the test never ages);
// the service worker is blocked so that the page's own request is the one rewritten.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { BASE, api, launch, phone, seriousViolations, shot, strings } from "./support.mjs";

const S = strings();

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A day on the Rome calendar, `offset` days from today. */
function romeDay(offset = 0, from = new Date()) {
  const d = new Date(from.getTime() + offset * 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Rome", year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
}

const days = (a, b) => Math.round((Date.parse(`${b}T12:00:00Z`) - Date.parse(`${a}T12:00:00Z`)) / 86_400_000);

/** The oldest confirmation of the sportello's critical fields, written here from the bundle. */
function oldestCheck(p) {
  const dates = [p.verified?.address ?? p.last_verified_at];
  if ((p.phones ?? []).length) dates.push(p.verified?.phone ?? p.last_verified_at);
  for (const s of p.services) for (const f of ["hours", "languages", "cost", "appointment"]) dates.push(s.verified?.[f] ?? s.last_verified_at);
  assert.ok(dates.every(Boolean), "every critical field of the chosen sportello has a date in the demo data");
  return dates.map((t) => romeDay(0, new Date(t))).sort()[0];
}

const fill = (template, vars) => template.replace(/\{(\w+)\}/g, (_, k) => String(vars[k]));

describe("notices and freshness on a sportello", () => {
  for (const lang of ["it", "ar"]) {
    test(`${lang}: "full until …" and "checked N days ago" are shown`, async () => {
      const bundle = await api("/api/bundle");
      const feature = bundle.features.find((f) => f.properties.services?.length);
      assert.ok(feature, "the demo bundle has a sportello with services");
      const service = feature.properties.services[0];
      const until = romeDay(60);
      const ctx = await phone(browser, { locale: lang === "it" ? "it-IT" : "ar", serviceWorkers: "block" });
      await ctx.route("**/api/bundle", async (route) => {
        const r = await route.fetch();
        const body = await r.json();
        const f = body.features.find((x) => x.id === feature.id);
        f.properties.services[0].notices = [
          { kind: "saturation", places: "full", from: romeDay(-1), until, message: { it: "Corso pieno (avviso fittizio di prova)" } },
        ];
        await route.fulfill({ response: r, json: body });
      });
      const page = await ctx.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`${BASE}/#lang=${lang}&id=${encodeURIComponent(feature.id)}`);
      await page.locator("h1").waitFor();
      assert.equal(await page.locator("html").getAttribute("dir"), lang === "ar" ? "rtl" : "ltr");

      const date = new Intl.DateTimeFormat(lang, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
        new Date(`${until}T12:00:00Z`),
      );
      const notice = page.locator(`section.service[aria-labelledby="svc-${service.id}"] li.notice-item[data-places="full"]`);
      assert.equal(await notice.count(), 1, "the saturation notice is on its service");
      assert.equal((await notice.locator("strong").innerText()).trim(), fill(S[lang].places_full_until, { date }));
      assert.equal(await notice.locator('[lang="it"]').count(), lang === "it" ? 0 : 1, "the Italian message is marked");

      const n = days(oldestCheck(feature.properties), romeDay(0));
      const when = new Intl.RelativeTimeFormat(lang, { numeric: "auto" }).format(-n, "day");
      assert.equal((await page.locator("#checked").innerText()).trim(), fill(S[lang].checked_ago, { when }));

      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `the sheet fits 360 px (${width} px)`);
      assert.deepEqual(await seriousViolations(page), [], "axe-core finds no serious or critical violation");
      await shot(page, `${lang}-notice-detail`);
      assert.deepEqual(errors, []);
      await ctx.close();
    });
  }
});
