// An update campaign end to end in real headless Chromium, against a private server with the
// demo data whose e-mails land as `.eml` files in a fresh directory (BUSSOLA_MAIL_DIR): a
// coordinator opens a campaign for Mira from the console (the server's 422 shown at its field
// first), sees whom it asks and sends it; the e-mail for Voci del Mondo (its Oriago desk is the
// one organisation in Mira with an address) carries a personal link, opened in a fresh
// browser context with no cookies; the form shows that organisation's sportelli only;
// "nothing changed" moves the verified dates to today in the public bundle and the public
// app's "checked …"; the link then gets a 410 page; the console's progress counts the answer.
// axe-core on the campaigns list, the open form, the campaign's page (Italian and right to
// left) and the no-login form; a script payload in the title is shown as text everywhere.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BASE, foreignRequests, launch, phone, privateServer, seriousViolations, shot, strings } from "./support.mjs";
import { PAYLOAD, accessible, addUser, consoleWords, nothingRan, signedIn } from "./console-support.mjs";

const MIRA = "027023";
const ORG = "org-voci-mondo";
const ADDRESS = "voci-mondo-oriago@example.org";
/** Six comuni, so the open form offers its search box. */
const TERRITORY = [MIRA, "027012", "027002", "027004", "027005", "027006"];
const COORDINATOR = `campaign-coord-${process.pid}`;
const TITLE = `Orari estivi ${PAYLOAD}`;
const DEMO = JSON.parse(readFileSync(new URL("../../data/demo/venezia.geojson", import.meta.url), "utf8"));
/** The sportelli the link is about, from the demo data: the organisation's, in Mira. */
const ASKED = DEMO.features
  .filter((f) => f.properties.organization_id === ORG && f.properties.address?.comune_istat === MIRA)
  .map((f) => String(f.id))
  .sort();

const fill = (template, vars) => template.replace(/\{(\w+)\}/g, (_, k) => String(vars[k]));

/** A day on the Rome calendar, `offset` days from today. */
function romeDay(offset = 0, from = new Date()) {
  const d = new Date(from.getTime() + offset * 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Rome", year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
}

/** The oldest confirmation of a sportello's critical fields (as the public app reckons it). */
function oldestCheck(p) {
  const dates = [p.verified?.address ?? p.last_verified_at];
  if ((p.phones ?? []).length) dates.push(p.verified?.phone ?? p.last_verified_at);
  for (const s of p.services) for (const f of ["hours", "languages", "cost", "appointment"]) dates.push(s.verified?.[f] ?? s.last_verified_at);
  assert.ok(dates.every(Boolean), "every critical field has a date");
  return dates.map((t) => romeDay(0, new Date(t))).sort()[0];
}

/** An e-mail as text: its headers and its base64 parts decoded. */
function decoded(raw) {
  const [head, ...parts] = raw.split("Content-Transfer-Encoding: base64");
  let out = head;
  for (const part of parts) {
    const lines = [];
    for (const l of part.replace(/^\s+/, "").split(/\r?\n/)) {
      if (!l.trim() || l.startsWith("--")) break;
      lines.push(l.trim());
    }
    out += Buffer.from(lines.join(""), "base64").toString("utf8") + "\n";
  }
  return out;
}

const mail = mkdtempSync(join(tmpdir(), "bussola-mail-"));
let server;
let browser;
before(async () => {
  // The private server inherits the environment: its e-mails go to this directory.
  process.env.BUSSOLA_MAIL_DIR = mail;
  server = await privateServer();
  addUser(COORDINATOR, `coordinator:${TERRITORY.join(",")}`);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  server?.cleanup();
  rmSync(mail, { recursive: true, force: true });
});

/** Presses a button from the keyboard and waits for its confirmation's "yes" to take the focus. */
async function confirmWithKeyboard(page, id) {
  await page.locator(`#${id}`).focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction((yes) => document.activeElement?.id === yes, `${id}-yes`);
}

describe("update campaigns from the console", () => {
  test("open, send, answer 'nothing changed' from the e-mail's link, see the progress", async () => {
    assert.ok(ASKED.length >= 1, "the demo organisation has a sportello in Mira");
    const W = consoleWords().it;
    assert.ok(W?.nav_campaigns && W.campaign_sent_result, "the campaign words are read");
    const S = strings().it;
    const errors = [];
    const co = await signedIn(browser, server.url, COORDINATOR, errors);
    const page = co.page;

    // The campaigns list, reached from the navigation.
    await page.locator("#nav-campaigns").click();
    await page.waitForURL((u) => u.pathname === "/console/campaigns");
    await page.locator("h1", { hasText: W.campaigns_title }).waitFor();
    await page.locator("#campaigns-none, #campaigns").first().waitFor();
    await accessible(page, "list", "campaign");

    // Open a campaign: Mira found with the search, ticked from the keyboard.
    await page.locator("#campaign-new").click();
    await page.locator("#campaign-form").waitFor();
    assert.equal(await page.locator("#f-comuni-list input[type=checkbox]").count(), TERRITORY.length);
    await page.locator("#f-comuni-search").fill("mir");
    assert.deepEqual(await page.locator("#f-comuni-list input[type=checkbox]").evaluateAll((els) => els.map((e) => e.value)), [MIRA]);
    await page.locator(`#f-comune-${MIRA}`).focus();
    await page.keyboard.press("Space");
    assert.equal(await page.locator(`#f-comune-${MIRA}`).isChecked(), true);
    await page.locator("#f-title").fill(TITLE);
    // A period already over passes the form's own checks; the server's 422 lands at its field.
    await page.locator("#f-from").fill(romeDay(-10));
    await page.locator("#f-until").fill(romeDay(-2));
    await page.locator("#campaign-submit").focus();
    await page.keyboard.press("Enter");
    await page.locator("#f-until-error").waitFor();
    assert.match(await page.locator("#f-until-error").innerText(), /over/);
    assert.equal(await page.locator("#f-until").getAttribute("aria-invalid"), "true");
    assert.equal(await page.locator("#error-summary a").getAttribute("href"), "#f-until");
    await accessible(page, "open-form", "campaign");
    await page.locator("#f-from").fill(romeDay(0));
    await page.locator("#f-until").fill(romeDay(30));
    await page.locator("#campaign-submit").click();
    await page.waitForURL((u) => /^\/console\/campaigns\/cmp-[0-9a-f]+$/.test(u.pathname));
    const id = new URL(page.url()).pathname.split("/").pop();

    // The campaign's page: whom it asks, nothing sent yet.
    await page.locator("#recipients").waitFor();
    assert.equal(await page.locator("#campaign-title").innerText(), TITLE);
    await nothingRan(page, "the campaign's page");
    const row = page.locator(`#recipients tr[data-org="${ORG}"]`);
    assert.equal(await row.locator(".email").innerText(), ADDRESS);
    assert.equal(await row.locator(".state").innerText(), W.recipient_waiting);
    assert.ok((await page.locator('#recipients tr[data-state="no_address"] .email').allInnerTexts()).every((t) => t === W.campaign_no_address));
    assert.equal(await page.locator(`#progress tr[data-comune="${MIRA}"] .answered`).innerText(), "0");
    await accessible(page, "page", "campaign");

    // Send, confirmed from the keyboard; the counts are announced.
    await confirmWithKeyboard(page, "campaign-send");
    await page.keyboard.press("Enter");
    const sent = fill(W.campaign_sent_result, { sent: 1, bounced: 0, failed: 0 });
    await page.locator("#campaign-outcome", { hasText: sent }).waitFor();
    await page.waitForFunction((text) => document.getElementById("live")?.textContent === text, sent);
    await page.locator(`#recipients tr[data-org="${ORG}"][data-state="sent"]`).waitFor();

    // The e-mail and its personal link.
    const files = readdirSync(mail).filter((f) => f.endsWith(".eml"));
    assert.equal(files.length, 1, `one e-mail written: ${files}`);
    const eml = decoded(readFileSync(join(mail, files[0]), "utf8"));
    assert.match(eml, new RegExp(`^To: ${ADDRESS.replace(/\./g, "\\.")}`, "m"));
    assert.ok(eml.includes(TITLE), "the e-mail names the campaign");
    const m = eml.match(new RegExp(`${server.url.replace(/[.:/]/g, "\\$&")}/campaign/([0-9a-f]{64})`));
    assert.ok(m, `a personal link in\n${eml}`);
    const link = m[0];

    // The link in a fresh browser: no cookie, that organisation's sportelli only.
    const before = await fetch(`${server.url}/api/bundle`).then((r) => r.json());
    const feature = (b) => b.features.find((f) => String(f.id) === ASKED[0]);
    assert.ok(oldestCheck(feature(before).properties) < romeDay(0), "the demo dates are older than today");
    const anon = await phone(browser, { viewport: { width: 1024, height: 800 }, isMobile: false, hasTouch: false, locale: "it-IT" });
    assert.deepEqual(await anon.cookies(), []);
    const form = await anon.newPage();
    form.on("pageerror", (e) => errors.push(String(e)));
    const opened = await form.goto(link);
    assert.equal(opened.status(), 200);
    const names = await form.locator("form input[type=radio]").evaluateAll((els) => [...new Set(els.map((e) => e.name))].sort());
    assert.deepEqual(names, ASKED.map((s) => `choice.${s}`), "the form asks about the organisation's sportelli in Mira only");
    assert.ok((await form.locator("main").innerText()).includes(TITLE), "the title is shown as text on the form");
    await nothingRan(form, "the no-login form");
    assert.deepEqual(await seriousViolations(form), [], "axe-core on the no-login form");
    await shot(form, "campaign-form");
    await form.locator('button[name="all"][value="unchanged"]').click();
    await form.locator("main [role=status]").waitFor();
    assert.deepEqual(await anon.cookies(), [], "the form set no cookie");

    // The verified dates moved to today: the public bundle, and the public app's sheet.
    const afterwards = await fetch(`${server.url}/api/bundle`).then((r) => r.json());
    assert.equal(oldestCheck(feature(afterwards).properties), romeDay(0), "every critical field confirmed today");
    const pub = await phone(browser, { locale: "it-IT" });
    const sheet = await pub.newPage();
    sheet.on("pageerror", (e) => errors.push(String(e)));
    await sheet.goto(`${server.url}/#lang=it&id=${encodeURIComponent(ASKED[0])}`);
    await sheet.locator("#checked").waitFor();
    const todayWord = new Intl.RelativeTimeFormat("it", { numeric: "auto" }).format(0, "day");
    assert.equal((await sheet.locator("#checked").innerText()).trim(), fill(S.checked_ago, { when: todayWord }));
    await pub.close();

    // The link cannot be used again.
    const again = await form.goto(link);
    assert.equal(again.status(), 410);
    assert.match(await form.locator("main").innerText(), /già stato usato/);
    await anon.close();

    // Back in the console: one answer for Mira, and the campaign closed after a confirmation.
    await page.reload();
    await page.locator("#progress").waitFor();
    assert.equal(await page.locator(`#progress tr[data-comune="${MIRA}"] .answered`).innerText(), "1");
    assert.equal(await page.locator(`#progress tr[data-comune="${MIRA}"] .unchanged`).innerText(), "1");
    assert.equal(await row.locator(".state").innerText(), W.recipient_answered);
    await confirmWithKeyboard(page, "campaign-close");
    assert.equal(await page.locator("#campaign-close-q").innerText(), W.campaign_close_confirm);
    await page.keyboard.press("Enter");
    await page.locator("#campaign-outcome", { hasText: W.campaign_closed_result }).waitFor();
    assert.equal(await page.locator("#campaign-state").innerText(), W.campaign_state_closed);
    await page.locator("#nav-campaigns").click();
    const listed = page.locator(`#campaigns tr[data-id="${id}"]`);
    await listed.waitFor();
    assert.equal(await listed.locator("th a").innerText(), TITLE);
    await listed.locator(".answered", { hasText: fill(W.campaign_answered_of, { answered: 1, total: 2 }) }).waitFor();
    await nothingRan(page, "the campaigns list");
    await accessible(page, "list-closed", "campaign");

    assert.deepEqual(errors, [], "no script errors, no dialogs");
    assert.deepEqual(foreignRequests(), [], "no request left 127.0.0.1");
    await co.ctx.close();
  });

  test("with no mail transport, sending says what the administrator must set", async () => {
    // The main server of tests/run.sh has neither BUSSOLA_SMTP_URL nor BUSSOLA_MAIL_DIR.
    const W = consoleWords().it;
    const user = `campaign-nomail-${process.pid}`;
    addUser(user, `coordinator:${MIRA}`, process.env.BUSSOLA_DATABASE_URL);
    const errors = [];
    const co = await signedIn(browser, BASE, user, errors);
    const page = co.page;
    const opened = await page.evaluate(async (body) => {
      const me = await (await fetch("/api/me")).json();
      const r = await fetch("/api/campaigns", { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": me.csrf_token }, body: JSON.stringify(body) });
      return { status: r.status, body: await r.json() };
    }, { title: "Senza posta", comuni: [MIRA], from: romeDay(0), until: romeDay(10) });
    assert.equal(opened.status, 201);
    await page.goto(`${BASE}/console/campaigns/${opened.body.campaign.id}`);
    await confirmWithKeyboard(page, "campaign-send");
    await page.keyboard.press("Enter");
    const outcome = page.locator("#campaign-outcome.error");
    await outcome.waitFor();
    assert.ok((await outcome.innerText()).startsWith(W.campaign_no_mail), await outcome.innerText());
    assert.match(await outcome.innerText(), /BUSSOLA_SMTP_URL/);
    await page.waitForFunction(() => /BUSSOLA_MAIL_DIR/.test(document.getElementById("live")?.textContent ?? ""));
    // Nothing went out: the organisation still waits.
    await page.locator(`#recipients tr[data-org="${ORG}"][data-state="waiting"]`).waitFor();
    assert.deepEqual(await seriousViolations(page), [], "axe-core on the refused send");
    assert.deepEqual(errors, [], "no script errors, no dialogs");
    assert.deepEqual(foreignRequests(), [], "no request left 127.0.0.1");
    await co.ctx.close();
  });
});
