// The console's later screens in real headless Chromium against a private server with the demo
// data: an operator withdraws a change after a confirmation, and proposes another with a
// reason the coordinator reads beside the diff; the coordinator adds a closure with the notices
// editor (keyboard only) and the public app shows it; the public's reports are listed beside the
// stale list; a description marked machine translated is shown as such in the public app and
// the HTML view until the coordinator verifies it. axe-core on every new screen, in Italian and
// right to left; script payloads typed into every new text field are shown as text.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { foreignRequests, launch, phone, privateServer } from "./support.mjs";
import { PAYLOAD, accessible, addUser, consoleWords, nothingRan, signedIn } from "./console-support.mjs";

const ORG = "org-casa-comune";
const SPORTELLO = "loc-casa-comune-mestre";
const SERVICE = "svc-casa-comune-mestre-housing-desk";
const COMUNE = "027042";
const OPERATOR = `notices-op-${process.pid}`;
const COORDINATOR = `notices-coord-${process.pid}`;

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

/** A fresh visitor's view of the sportello in the public app (no service worker copy). */
async function publicSheet(lang) {
  const ctx = await phone(browser, { locale: lang === "it" ? "it-IT" : "en-GB" });
  const page = await ctx.newPage();
  await page.goto(`${server.url}/#lang=${lang}&id=${SPORTELLO}`);
  await page.locator("article.detail").waitFor();
  return { ctx, page };
}

const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Rome" }).format(new Date());
const plusDays = (d, n) => new Date(Date.parse(`${d}T12:00:00Z`) + n * 86400000).toISOString().slice(0, 10);

describe("the console's notices, reasons, feedback and translations", () => {
  test("withdraw, a reason in the review, a closure shown to the public, feedback, a translation verified", async () => {
    const W = consoleWords();
    assert.ok(W.it?.withdraw && W.en?.machine_translated, "the words of the new screens are read");
    const errors = [];

    // The operator: an edit with a reason, withdrawn after the confirmation.
    const op = await signedIn(browser, server.url, OPERATOR, errors);
    const page = op.page;
    await page.goto(`${server.url}/console/edit/sportelli/${SPORTELLO}`);
    await page.locator("#edit-form").waitFor();
    await page.locator("#f-name-en").fill("Casa Comune desk, first try");
    await page.locator("#f-reason").fill(PAYLOAD);
    await page.locator("#save").click();
    await page.locator("#outcome").waitFor();
    await nothingRan(page, "the reason field");
    await page.goto(`${server.url}/console`);
    const card = page.locator(`li.entry[data-id="${SPORTELLO}"]`);
    await card.locator("button", { hasText: W.it.withdraw }).waitFor();
    await card.locator("button", { hasText: W.it.withdraw }).focus();
    await page.keyboard.press("Enter");
    await card.getByText(W.it.withdraw_confirm).waitFor();
    await page.waitForFunction(() => /-yes$/.test(document.activeElement?.id ?? ""));
    await accessible(page, "withdraw-confirm");
    await page.keyboard.press("Enter");
    await card.locator(".badge.withdrawn").waitFor();
    assert.equal((await card.locator(".badge.withdrawn").innerText()).trim(), W.it.state_withdrawn);
    const mine = await page.evaluate(async () => (await (await fetch("/api/changes?status=withdrawn")).json()).changes);
    assert.ok(mine.some((c) => c.record_id === "loc-casa-comune-mestre"), "the server has it withdrawn");

    // A second proposal with a reason the coordinator reads beside the diff.
    const reason = `Nome inglese corretto ${PAYLOAD}`;
    await page.goto(`${server.url}/console/edit/sportelli/${SPORTELLO}`);
    await page.locator("#edit-form").waitFor();
    await page.locator("#f-name-en").fill("Casa Comune housing desk, Mestre");
    await page.locator("#f-reason").fill(reason);
    await page.locator("#save").click();
    await page.locator("#outcome").waitFor();

    const co = await signedIn(browser, server.url, COORDINATOR, errors);
    const cp = co.page;
    await cp.goto(`${server.url}/console/review`);
    await cp.locator("#queue").waitFor();
    await cp.locator(`#queue tr[data-record="location/${SPORTELLO}"]`).getByRole("link").click();
    await cp.locator("#diff").waitFor();
    assert.equal(await cp.locator("#change-reason").innerText(), W.it.change_reason.replace("{reason}", reason));
    assert.match(await cp.locator('#diff tr[data-field="/name/en"] .new').innerText(), /housing desk, Mestre/);
    await nothingRan(cp, "the review with a reason");
    await cp.locator("#approve").click();
    await cp.locator("#decision").waitFor();
    const h = await cp.evaluate(async (id) => (await (await fetch(`/api/records/sportelli/${id}/history`)).json()).versions[0], SPORTELLO);
    assert.equal(h.reason, reason, "the history keeps the reason");

    // The notices editor, keyboard only: a closure from today for three days.
    await cp.goto(`${server.url}/console/notices/sportelli/${SPORTELLO}`);
    await cp.locator("#notices-form").waitFor();
    await accessible(cp, "notices");
    await cp.locator("#notice-add").focus();
    await cp.keyboard.press("Enter");
    const n = await cp.locator("fieldset.notice-edit").count();
    const i = n - 1;
    await cp.waitForFunction((id) => document.activeElement?.id === id, `f-notices-${i}-kind`);
    // A last day before the first is caught beside its field.
    await cp.locator(`#f-notices-${i}-until`).fill(plusDays(today(), -3));
    await cp.locator("#save").focus();
    await cp.keyboard.press("Enter");
    await cp.locator(`#f-notices-${i}-until-error`).waitFor();
    assert.equal(await cp.locator(`#f-notices-${i}-until`).getAttribute("aria-invalid"), "true");
    await accessible(cp, "notices-errors");
    await cp.locator(`#f-notices-${i}-until`).fill(plusDays(today(), 3));
    await cp.locator(`#f-notices-${i}-message-it`).focus();
    await cp.keyboard.type("Chiuso per lavori");
    await cp.locator(`#f-notices-${i}-message-en`).fill(PAYLOAD);
    const preview = cp.locator(`#notice-${i} .notice-preview`);
    assert.match(await preview.innerText(), new RegExp(W.it.notice_now));
    assert.ok((await preview.innerText()).includes(PAYLOAD) || (await preview.innerText()).includes("Chiuso per lavori"));
    await nothingRan(cp, "the notices editor");
    await cp.locator("#save").focus();
    await cp.keyboard.press("Enter");
    await cp.locator("#outcome").waitFor();
    assert.match(await cp.locator("#outcome").innerText(), new RegExp(W.it.saved_published.split("(")[0].trim()));
    const pub = await publicSheet("it");
    const notices = pub.page.locator("#sportello-notices");
    await notices.waitFor();
    assert.match(await notices.innerText(), /Chiuso per lavori/, "the public app shows the closure");
    await pub.ctx.close();

    // The public's reports, beside the stale list.
    for (const kind of ["closed", "closed", "wrong"]) {
      const r = await fetch(`${server.url}/api/feedback`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ location_id: SPORTELLO, kind }) });
      assert.equal(r.status, 202);
    }
    await cp.goto(`${server.url}/console/stale`);
    await cp.locator("#to-feedback").click();
    const entry = cp.locator(`#feedback li[data-id="${SPORTELLO}"]`);
    await entry.waitFor();
    assert.match(await entry.locator('[data-kind="closed"]').innerText(), /2$/);
    assert.match(await entry.locator('[data-kind="wrong"]').innerText(), /1$/);
    await accessible(cp, "feedback");
    assert.equal(await entry.locator(`a[href="/console/edit/sportelli/${SPORTELLO}"]`).count(), 1);
    await entry.getByRole("button", { name: new RegExp(W.it.still_correct, "i") }).click();
    await entry.locator("[role=status]").waitFor();

    // Translations: the English description marked machine translated, then verified.
    await cp.goto(`${server.url}/console/translations/services/${SERVICE}`);
    await cp.locator("#translations-form").waitFor();
    await accessible(cp, "translations");
    await cp.locator("#f-description-en-is-machine").check();
    await cp.locator("#f-description-uk").fill(PAYLOAD);
    await cp.locator("#save").click();
    await cp.locator("#outcome").waitFor();
    await cp.locator("#f-description-en-machine").waitFor();
    await nothingRan(cp, "the translations");
    const en = await publicSheet("en");
    const mark = en.page.locator(`section.service:has(#svc-${SERVICE}) .machine-translated`);
    await mark.waitFor();
    assert.match(await mark.getAttribute("data-fields"), /description/);
    await en.ctx.close();
    const html = await (await fetch(`${server.url}/api/collections/sportelli/items/${SPORTELLO}?f=html&lang=en`)).text();
    assert.match(html, /Machine translated, not yet checked by a person/);
    await cp.locator("#f-description-en-verify").focus();
    await cp.keyboard.press("Enter");
    await cp.locator("#f-description-en-verified").waitFor();
    assert.match(await cp.locator("#f-description-en-verified").innerText(), new RegExp(COORDINATOR));
    const en2 = await publicSheet("en");
    await en2.page.locator(`#svc-${SERVICE}`).waitFor();
    assert.equal(await en2.page.locator(`section.service:has(#svc-${SERVICE}) .machine-translated`).count(), 0, "verified: no mark");
    await en2.ctx.close();

    assert.deepEqual(errors, [], "no script errors, no dialogs");
    assert.deepEqual(foreignRequests(), [], "no request left 127.0.0.1");
    await op.ctx.close();
    await co.ctx.close();
  });
});
