// The operators' console in real headless Chromium against a private server with the demo data
// (tests/run.sh gives it its own PostGIS database): an operator of a non-trusted organisation
// (made with `bussola user add`) edits a service's hours; the public app and the offline bundle
// keep the old hours until a coordinator of the comune, signed in elsewhere, sees the change in
// the review queue with its diff and approves it; then the public sees the new hours. The
// history shows the diff and restoring the earlier version brings the old hours back. A script
// payload typed into every text field is shown as text and never runs; axe-core finds nothing
// serious on any console screen, in Italian and right to left. Expected words come from the
// console's word list (web/src/console/words.ts), read as text.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { foreignRequests, launch, phone, privateServer } from "./support.mjs";
import { PAYLOAD, accessible, addUser, consoleWords, nothingRan, signedIn } from "./console-support.mjs";

const ORG = "org-diritti-in-rete";
const SPORTELLO = "loc-diritti-in-rete-venezia";
const SERVICE = "svc-diritti-in-rete-venezia-legal-general";
const COMUNE = "027042";
const OPERATOR = `console-op-${process.pid}`;
const COORDINATOR = `console-coord-${process.pid}`;
/** Markup that would run if it were ever parsed as HTML. */
const DEMO = JSON.parse(readFileSync(new URL("../../data/demo/venezia.geojson", import.meta.url), "utf8"));

let server;
let browser;
before(async () => {
  server = await privateServer();
  addUser(OPERATOR, `operator:${ORG}`);
  addUser(COORDINATOR, `coordinator:${COMUNE}`);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  server?.cleanup();
});

/** The hours texts the anonymous bundle gives the service at the sportello. */
async function publicHours() {
  const r = await fetch(`${server.url}/api/bundle`, { headers: { Accept: "application/json" } });
  assert.equal(r.status, 200);
  const b = await r.json();
  const f = b.features.find((x) => String(x.id) === SPORTELLO);
  assert.ok(f, "the sportello is in the public bundle");
  const s = f.properties.services.find((x) => x.id === SERVICE);
  return s.schedule.periods.map((p) => p.hours).join(" | ");
}

/** Every text field of the open form (inputs of text kinds and text areas) given the payload. */
async function typePayloadEverywhere(page, skip = []) {
  const ids = await page
    .locator("#edit-form input:not([type]), #edit-form input[type=text], #edit-form textarea")
    .evaluateAll((els) => els.map((e) => e.id));
  const filled = [];
  for (const id of ids) {
    if (skip.includes(id)) continue;
    await page.locator(`#${id}`).fill(PAYLOAD);
    filled.push(id);
  }
  return filled;
}

describe("the console", () => {
  test("review before publication, end to end: edit, still the old hours, approve, new hours, history, restore", async () => {
    const W = consoleWords();
    const errors = [];
    const oldHours = await publicHours();
    const demoHours = DEMO.features.find((f) => f.id === SPORTELLO).properties.services.find((s) => s.id === SERVICE).schedule.periods[0].hours;
    assert.equal(oldHours, demoHours, "the public bundle starts with the demo data's hours");

    // Anonymous: the console is not served, the sign-in form is.
    const anon = await phone(browser, { locale: "it-IT" });
    const anonPage = await anon.newPage();
    const r = await anonPage.goto(`${server.url}/console/review`);
    assert.ok(r.ok(), "the redirect ends on the sign-in form");
    assert.equal(new URL(anonPage.url()).pathname, "/signin");
    assert.equal(new URL(anonPage.url()).searchParams.get("next"), "/console/review");
    // The public app never loads the console: its page names none of the console's files and
    // its service worker precaches none.
    const consolePage = await (await fetch(`${server.url}/console`, { redirect: "manual" })).status;
    assert.equal(consolePage, 303, "the console page is not sent without a session");
    const sw = await (await fetch(`${server.url}/sw.js`)).text();
    const shell = JSON.parse(sw.match(/const SHELL = (\[[^\]]*\]);/)[1]);
    assert.ok(shell.length > 3 && !shell.some((f) => /console|pin-map/.test(f)), `the precache list holds no console file: ${shell}`);
    assert.doesNotMatch(await (await fetch(`${server.url}/`)).text(), /console/i, "the public page names no console file");

    // The operator: their entries, with states.
    const op = await signedIn(browser, server.url, OPERATOR, errors);
    const page = op.page;
    const card = page.locator(`li.entry[data-id="${SPORTELLO}"]`);
    await card.waitFor();
    assert.equal((await card.locator(".badge").first().innerText()).trim(), W.it.state_published);
    await accessible(page, "entries");

    // The sportello form: a 422 beside its field, then the payload in every text field.
    await card.getByRole("link", { name: /^Modifica / }).click();
    await page.locator("#edit-form").waitFor();
    await accessible(page, "edit-sportello");
    await page.locator("#f-name-it").fill("");
    await page.locator("#save").click();
    await page.locator("#f-name-it-error").waitFor();
    assert.equal(await page.locator("#f-name-it").getAttribute("aria-invalid"), "true");
    assert.match(await page.locator("#f-name-it").getAttribute("aria-describedby"), /f-name-it-error/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), "error-summary", "the summary takes focus");
    await accessible(page, "edit-sportello-errors");
    const filled = await typePayloadEverywhere(page, ["f-point-0", "f-point-1", "place-q", "f-phones", "f-emails", "f-website", "f-address-postcode"]);
    assert.ok(filled.includes("f-name-it") && filled.includes("f-address-street"), `the payload went into the text fields (${filled})`);
    await page.locator("#save").click();
    await page.locator("#outcome").waitFor();
    assert.match(await page.locator("#outcome").innerText(), new RegExp(W.it.saved_pending.slice(0, 20)));
    await nothingRan(page, "the sportello form");
    // The pin: the gazetteer places it, the map opens with the public map's own layers.
    await page.locator("#place-q").fill(PAYLOAD);
    await page.locator("#place-go").click();
    await nothingRan(page, "the place search");
    await page.locator("#place-q").fill("Mestre");
    await page.locator("#place-go").click();
    await page.locator("#places button").first().click();
    assert.notEqual(await page.locator("#f-point-0").inputValue(), "");
    await page.locator("#show-map").click();
    await page.locator("#pin-map[data-ready=true]").waitFor({ timeout: 30000 });
    await page.locator("#pin").focus();
    const before = await page.locator("#f-point-1").inputValue();
    await page.keyboard.press("ArrowUp");
    assert.ok(Number(await page.locator("#f-point-1").inputValue()) > Number(before), "the arrow keys move the pin north");

    // The service form: the payload in every text field too.
    await page.goto(`${server.url}/console/edit/services/${SERVICE}`);
    await page.locator("#edit-form").waitFor();
    await accessible(page, "edit-service");
    await typePayloadEverywhere(page, ["f-languages", "f-phone", "f-email", "f-url"]);
    await page.locator("#save").click();
    await page.locator("#outcome").waitFor();
    await nothingRan(page, "the service form");

    // The hours: Friday 10:00–12:00 added; the preview shows it before saving.
    await page.goto(`${server.url}/console`);
    const offer = page.locator(`li.entry[data-id="${SPORTELLO}"] li.offer`).first();
    await offer.waitFor();
    await offer.getByRole("link", { name: new RegExp(`^${W.it.edit_hours_named.split("{")[0]}`) }).click();
    await page.locator("#hours-editor").waitFor();
    await accessible(page, "hours");
    // With the keyboard only: the button adds a range and puts the cursor in it.
    await page.locator("#p0-d4-add").focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "p0-d4-i0-start");
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("10:00");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "p0-d4-i0-end", "Tab goes from opening to closing");
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("12:00");
    const fridayRow = page.locator("#preview-week tr", { hasText: /venerdì/i });
    await assert.doesNotReject(fridayRow.filter({ hasText: /10[:.]00/ }).waitFor(), "the preview shows Friday's new hours");
    await page.locator("#p0-d4-i0-end").fill("09:00");
    await page.locator("#save").click();
    await page.locator("#p0-d4-i0-end-error").waitFor();
    await page.locator("#p0-d4-i0-start").fill(PAYLOAD);
    await page.locator("#save").click();
    await page.locator("#p0-d4-i0-start-error").waitFor();
    await nothingRan(page, "the hours editor");
    await page.locator("#p0-d4-i0-start").fill("10:00");
    await page.locator("#p0-d4-i0-end").fill("12:00");
    await page.locator("#save").click();
    await page.locator("#outcome").waitFor();
    assert.match(await page.locator("#outcome").innerText(), new RegExp(W.it.saved_pending.slice(0, 20)));

    // Pending: the public bundle and the public app keep the old hours.
    assert.equal(await publicHours(), oldHours, "the bundle keeps the published hours while the change waits");
    await anonPage.goto(`${server.url}/#lang=it&id=${SPORTELLO}`);
    const hoursTable = anonPage.locator("table.hours").first();
    await hoursTable.waitFor();
    assert.doesNotMatch(await hoursTable.innerText(), /10[:.]00/, "the public app shows the old hours");
    await page.goto(`${server.url}/console`);
    await page.locator(`li.entry[data-id="${SPORTELLO}"] li.offer .badge`).first().waitFor();
    assert.equal((await page.locator(`li.entry[data-id="${SPORTELLO}"] li.offer .badge`).first().innerText()).trim(), W.it.state_pending);

    // The coordinator: the queue, the diff, approve the hours, reject the payload edits.
    const co = await signedIn(browser, server.url, COORDINATOR, errors);
    const cp = co.page;
    await cp.locator("#nav-review").click();
    await cp.locator("#queue").waitFor();
    await accessible(cp, "review-queue");
    await nothingRan(cp, "the queue");
    const hoursRow = cp.locator(`#queue tr[data-record$="/${SPORTELLO}~${SERVICE}"], #queue tr[data-record^="service_at_location/"]`).first();
    await hoursRow.getByRole("link").click();
    await cp.locator("#diff").waitFor();
    await accessible(cp, "review-change");
    const diff = cp.locator('#diff tr[data-field^="/schedule"]').first();
    assert.match(await diff.locator(".old").innerText(), new RegExp(oldHours.split(" ")[0]));
    assert.match(await diff.locator(".new").innerText(), /Fr 10:00-12:00/);
    await cp.locator("#approve").click();
    await cp.locator("#decision").waitFor();
    assert.equal((await cp.locator("#decision").innerText()).split("\n")[0].trim().startsWith(W.it.approved), true);
    for (const kind of ["location", "service"]) {
      await cp.goto(`${server.url}/console/review`);
      await cp.locator("#queue").waitFor();
      const row = cp.locator(`#queue tr[data-record^="${kind}/"]`).first();
      assert.equal(await row.locator("td").first().innerText(), PAYLOAD, `the proposed ${kind} name is shown as text`);
      await row.getByRole("link").click();
      await cp.locator("#diff").waitFor();
      assert.ok((await cp.locator("#diff .new").allInnerTexts()).some((t) => t.includes(PAYLOAD)), "the payload is in the diff, as text");
      await nothingRan(cp, `the ${kind} change`);
      await cp.locator("#reject").click();
      await cp.locator("#reject-reason-error").waitFor();
      await cp.locator("#reject-reason").fill(PAYLOAD);
      await cp.locator("#reject").click();
      await cp.locator("#decision").waitFor();
    }

    // Published: the public sees the new hours.
    assert.match(await publicHours(), /Fr 10:00-12:00/, "the bundle has the approved hours");
    // A new visitor (the first one's worker may answer from its copy until it revalidates).
    const anon2 = await phone(browser, { locale: "it-IT" });
    const fresh = await anon2.newPage();
    await fresh.goto(`${server.url}/#lang=it&id=${SPORTELLO}`);
    await fresh.locator("table.hours").first().waitFor();
    assert.match(await fresh.locator("table.hours").first().innerText(), /10[:.]00/, "the public app shows the new hours");
    await anon2.close();

    // The operator sees the rejection's reason, as text.
    await page.goto(`${server.url}/console`);
    const rejected = page.locator(`li.entry[data-id="${SPORTELLO}"] .entry-head .badge`);
    await rejected.waitFor();
    assert.equal((await rejected.innerText()).trim(), W.it.state_rejected.replace("{reason}", PAYLOAD));
    await nothingRan(page, "the entries");

    // History: the approved version's diff, and restore the one before it.
    await cp.goto(`${server.url}/console/history/offers/${encodeURIComponent(`${SPORTELLO}~${SERVICE}`)}`);
    await cp.locator("#versions").waitFor();
    await accessible(cp, "history");
    const newest = cp.locator("li.version").first();
    assert.match(await newest.locator('tr[data-field^="/schedule"] .new').first().innerText(), /Fr 10:00-12:00/);
    const previous = cp.locator("li.version").nth(1);
    await previous.locator("input").fill(PAYLOAD);
    await previous.getByRole("button").click();
    await cp.locator("#history-notice").waitFor();
    assert.equal(await publicHours(), oldHours, "restoring brings the old hours back to the public");
    await cp.locator(`li.version[data-version]`).first().waitFor();
    assert.match(await cp.locator("#versions").innerText(), new RegExp(PAYLOAD.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")), "the restore's reason is shown as text");
    await nothingRan(cp, "the history");

    // The stale list.
    await cp.locator("#nav-stale").click();
    await cp.getByRole("heading", { level: 1, name: W.it.stale_list_title }).waitFor();
    await accessible(cp, "stale");
    // The list is what GET /api/stale says (one entry per field, grouped by record, oldest first).
    const entries = await cp.evaluate(async () => (await (await fetch("/api/stale")).json()).entries);
    const expected = [...new Set(entries.map((e) => e.id))];
    if (expected.length === 0) {
      assert.equal(await cp.locator("main p", { hasText: W.it.stale_none }).count(), 1, "an empty stale list says so");
    } else {
      const shown = await cp.locator("#stale li.entry").evaluateAll((els) => els.map((e) => e.getAttribute("data-id")));
      assert.deepEqual(shown, expected, "the stale list shows the API's records, oldest first");
      const first = cp.locator("#stale li.entry").first();
      await first.getByRole("button", { name: new RegExp(W.it.still_correct) }).click();
      await first.locator("[role=status]").waitFor();
      assert.match(await first.innerText(), new RegExp(W.it.verified_done.split("{")[0]));
      const after = await cp.evaluate(async () => (await (await fetch("/api/stale")).json()).entries);
      assert.ok(!after.some((e) => e.id === expected[0]), "the confirmed record leaves the stale list");
    }

    // English.
    await cp.locator("#console-lang").selectOption("en");
    await cp.getByRole("heading", { level: 1, name: W.en.stale_list_title }).waitFor();
    assert.equal(await cp.locator("html").getAttribute("lang"), "en");

    assert.deepEqual(errors, [], "no script errors, no dialogs");
    assert.deepEqual(foreignRequests(), [], "no request left 127.0.0.1");
    await op.ctx.close();
    await co.ctx.close();
    await anon.close();
  });
});
