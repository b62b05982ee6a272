// The public's feedback and the announced notices on a sportello's sheet, in real headless
// Chromium against a private server with the demo data: "the desk was closed when I went" is
// tapped, the thanks is announced, the report reaches the organisation's operator through
// `GET /api/feedback` (an API token made with `bussola token create`), and a second tap says it
// was already sent; the request carries the sportello and the answer only. A closure beginning
// in 5 days (added to the bundle on its way to the page, dated from today so the test never
// ages) is announced on the sheet and on the card, in Italian and in Arabic (right to left),
// axe clean, within 360 px.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { launch, phone, privateServer, seriousViolations, shot, strings } from "./support.mjs";

const S = strings();
const ORG = "org-voci-mondo";
const SPORTELLO = "loc-voci-mondo-noale";
const OPERATOR = `feedback-op-${process.pid}`;

function bussola(args, input) {
  const r = spawnSync(process.env.BUSSOLA_BIN, args, {
    input,
    env: { ...process.env, BUSSOLA_DATABASE_URL: process.env.BUSSOLA_OFFLINE_DATABASE_URL, BUSSOLA_LOG: "warn" },
    encoding: "utf8",
  });
  assert.equal(r.status, 0, `bussola ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** A day on the Rome calendar, `offset` days from today. */
function romeDay(offset = 0) {
  const d = new Date(Date.now() + offset * 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Rome", year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
}

const fill = (template, vars) => template.replace(/\{(\w+)\}/g, (_, k) => String(vars[k]));

let server;
let browser;
let token;
before(async () => {
  server = await privateServer();
  bussola(["user", "add", OPERATOR, "--role", `operator:${ORG}`, "--password-stdin"], "voci-feedback-0427-demo\n");
  token = bussola(["token", "create", OPERATOR, "--role", `operator:${ORG}`, "--name", "e2e feedback"]).match(/bsl_[A-Za-z0-9_-]+/)?.[0];
  assert.ok(token, "bussola token create printed the token");
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  server?.cleanup();
});

async function feedbackOnTheSportello() {
  const r = await fetch(`${server.url}/api/feedback?location=${SPORTELLO}`, {
    headers: { Accept: "application/json", Authorization: `Bearer ${token}` },
  });
  assert.equal(r.status, 200);
  return (await r.json()).feedback;
}

describe("feedback from a sportello's sheet", () => {
  test('"the desk was closed" reaches the operator; a second tap says already sent', async () => {
    assert.deepEqual(await feedbackOnTheSportello(), [], "no report yet");
    const ctx = await phone(browser, { locale: "it-IT" });
    const posted = [];
    ctx.on("request", (r) => {
      if (r.method() === "POST") posted.push({ url: r.url(), body: r.postData(), cookie: r.headers().cookie ?? null });
    });
    const page = await ctx.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${server.url}/#lang=it&id=${SPORTELLO}`);
    await page.locator("#fb-closed").waitFor();
    assert.equal((await page.locator("#fb-title").innerText()).trim(), S.it.fb_question);
    const box = await page.locator("#fb-closed").boundingBox();
    assert.ok(box.height >= 44 && box.width >= 44, `a 44 px target (${box.width}×${box.height})`);

    await page.locator("#fb-closed").focus();
    await page.keyboard.press("Enter");
    const status = page.locator("#fb-status");
    await page.waitForFunction(() => document.getElementById("fb-status")?.textContent !== "");
    assert.equal(await status.getAttribute("role"), "status", "announced to screen readers");
    assert.equal((await status.innerText()).trim(), S.it.fb_thanks);
    assert.deepEqual(
      posted.map((p) => [new URL(p.url).pathname, JSON.parse(p.body), p.cookie]),
      [["/api/feedback", { location_id: SPORTELLO, kind: "closed" }, null]],
      "the sportello and the answer, nothing else",
    );
    const got = await feedbackOnTheSportello();
    assert.equal(got.length, 1, JSON.stringify(got));
    assert.equal(got[0].kind, "closed");
    assert.equal(got[0].organization_id, ORG);

    await page.locator("#fb-right").click();
    await page.waitForFunction((t) => document.getElementById("fb-status")?.textContent === t, S.it.fb_already);
    assert.equal(posted.length, 1, "the second tap sends nothing");
    assert.equal((await feedbackOnTheSportello()).length, 1);

    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `the sheet fits 360 px (${width} px)`);
    assert.deepEqual(await seriousViolations(page), [], "axe-core finds no serious or critical violation");
    await shot(page, "it-feedback");
    assert.deepEqual(errors, []);
    await ctx.close();
  });
});

describe("a closure is announced before it begins", () => {
  for (const lang of ["it", "ar"]) {
    test(`${lang}: on the sheet and on the card, with its dates`, async () => {
      const from = romeDay(5);
      const until = romeDay(12);
      const ctx = await phone(browser, { locale: lang === "it" ? "it-IT" : "ar", serviceWorkers: "block" });
      let feature;
      await ctx.route("**/api/bundle", async (route) => {
        const r = await route.fetch();
        const body = await r.json();
        feature = body.features.find((x) => x.id === SPORTELLO);
        feature.properties.notices = [
          { kind: "closed", from, until, message: { it: "Chiuso per inventario (avviso fittizio di prova)" } },
        ];
        await route.fulfill({ response: r, json: body });
      });
      const page = await ctx.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`${server.url}/#lang=${lang}&id=${SPORTELLO}`);
      await page.locator("h1").waitFor();
      assert.equal(await page.locator("html").getAttribute("dir"), lang === "ar" ? "rtl" : "ltr");
      const item = page.locator("#sportello-upcoming li.notice-item.upcoming[data-kind=closed]");
      assert.equal(await item.count(), 1, "the closure is announced");
      const range = await page.evaluate(
        ([l, a, b]) =>
          new Intl.DateTimeFormat(l, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).formatRange(
            new Date(`${a}T12:00:00Z`),
            new Date(`${b}T12:00:00Z`),
          ),
        [lang, from, until],
      );
      assert.equal((await item.locator(".soon").innerText()).trim(), S[lang].soon);
      assert.equal((await item.locator("strong").innerText()).trim(), S[lang].notice_closed);
      assert.equal((await item.locator(".when").innerText()).trim(), range.trim());
      assert.equal(await item.locator('[lang="it"]').count(), lang === "it" ? 0 : 1, "the Italian message is marked");
      assert.equal(await page.locator("#sportello-notices").count(), 0, "not in force yet");
      assert.deepEqual(await seriousViolations(page), [], "axe-core on the sheet");
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `the sheet fits 360 px (${width} px)`);
      await shot(page, `${lang}-upcoming-detail`);

      // The card in the list of results near it carries the short badge.
      const need = feature.properties.services[0].categories[0];
      const [lon, lat] = feature.geometry.coordinates.map((x) => x.toFixed(3));
      await page.goto(`${server.url}/#lang=${lang}&need=${need}&near=${lon},${lat}`);
      const badge = page.locator(`li.card[data-id="${SPORTELLO}"] .badge.soon`);
      await badge.waitFor();
      const short = await page.evaluate(
        ([l, a]) => new Intl.DateTimeFormat(l, { day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(`${a}T12:00:00Z`)),
        [lang, from],
      );
      const expected = `${S[lang].notice_closed} · ${fill(S[lang].from_date, { date: short })}`;
      const text = (await badge.innerText()).trim();
      assert.ok(text === expected || (lang === "it" && text === expected.replace(/dal (8|11) /, "dall'$1 ")), `${text} / ${expected}`);
      assert.deepEqual(await seriousViolations(page), [], "axe-core on the list");
      await shot(page, `${lang}-upcoming-card`);
      assert.deepEqual(errors, []);
      await ctx.close();
    });
  }
});
