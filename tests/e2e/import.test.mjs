// The console's import screen in real headless Chromium against a private server with the demo
// data (tests/run.sh gives it its own PostGIS database): a coordinator of Venezia, keyboard
// only, uploads a small CSV built here with two bad rows; the report's table lists exactly
// those two; the commit is refused (422) until both are excluded and the likely duplicate is
// decided; then it commits and the public API has the new sportelli and not the bad rows'.
// A script payload in a sportello's name (the likely duplicate's) is shown as text and never
// runs; axe-core finds nothing serious on the screen before and after the upload, once right
// to left; nothing is requested from anywhere but 127.0.0.1; no script error. Expected words
// come from the console's word list (web/src/console/words.ts), read as text.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { foreignRequests, launch, phone, privateServer, seriousViolations, shot } from "./support.mjs";

const ORG = "org-casa-comune";
const COMUNE = "027042";
const COORDINATOR = `import-coord-${process.pid}`;
const PASSWORD = "laguna-import-0427-demo";
const PAYLOAD = `<img src=x onerror="window.__pwned = 2"><script>window.__pwned = 1</script> Punto prova`;
const PREFIX = `loc-e2e-imp-${process.pid}`;

/** The console's words (web/src/console/words.ts), language → key → text. */
function consoleWords() {
  const src = readFileSync(new URL("../../web/src/console/words.ts", import.meta.url), "utf8");
  const out = {};
  for (const m of src.matchAll(/^const (it|en)(?:: Words)? = \{\n([\s\S]*?)^\};/gm)) {
    out[m[1]] = Object.fromEntries([...m[2].matchAll(/^ {2}(\w+): "((?:[^"\\]|\\.)*)",$/gm)].map((x) => [x[1], JSON.parse(`"${x[2]}"`)]));
  }
  assert.ok(out.it?.imp_title && out.en?.imp_title, "words.ts has the import screen's words");
  return out;
}
const fill = (template, vars) => template.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));

/** Five rows (CSV lines 2–6): lines 3 (an unknown comune) and 5 (unreadable hours) are bad; line 6 lies on the payload sportello. */
function csv() {
  const header = "sportello_id,organization_id,sportello_name@it,street,postcode,comune_istat,lon,lat,service_id,service_name@it,categories,hours";
  const row = (i, { comune = COMUNE, hours = "Mo-Fr 09:00-12:30", name = `Punto prova ${i}`, lon = 12.2 + i * 0.002, lat = 45.402 } = {}) =>
    `${PREFIX}-${i},${ORG},"${name.replace(/"/g, '""')}",Via Prova ${i},30171,${comune},${lon.toFixed(4)},${lat.toFixed(4)},svc-e2e-imp-${process.pid}-${i},Servizio prova ${i},housing,${hours}`;
  return [header, row(1), row(2, { comune: "099999" }), row(3), row(4, { hours: "every other tuesday" }), row(5, { name: PAYLOAD, lon: 12.205, lat: 45.405 })].join("\n") + "\n";
}

function addUser(name, role) {
  const r = spawnSync(process.env.BUSSOLA_BIN, ["user", "add", name, "--role", role, "--display-name", name, "--password-stdin"], {
    input: PASSWORD + "\n",
    env: { ...process.env, BUSSOLA_DATABASE_URL: process.env.BUSSOLA_OFFLINE_DATABASE_URL, BUSSOLA_LOG: "warn" },
    encoding: "utf8",
  });
  assert.equal(r.status, 0, `bussola user add ${name}: ${r.stderr}`);
}

let server;
let browser;
before(async () => {
  server = await privateServer();
  addUser(COORDINATOR, `coordinator:${COMUNE}`);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  server?.cleanup();
});

/** axe-core as the page is, and (with `rtl`) laid out right to left, with no sideways scroll. */
async function accessible(page, screen, rtl) {
  assert.deepEqual(await seriousViolations(page), [], `axe-core on ${screen}`);
  await shot(page, `console-it-${screen}`);
  if (!rtl) return;
  await page.evaluate(() => (document.documentElement.dir = "rtl"));
  assert.deepEqual(await seriousViolations(page), [], `axe-core on ${screen} (rtl)`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${screen} does not scroll sideways right to left`);
  await shot(page, `console-rtl-${screen}`);
  await page.evaluate(() => (document.documentElement.dir = "ltr"));
}

async function publicStatus(id) {
  return (await fetch(`${server.url}/api/collections/sportelli/items/${encodeURIComponent(id)}`, { headers: { Accept: "application/geo+json" } })).status;
}

test("a coordinator imports a CSV from the keyboard: two bad rows shown, excluded, committed, public", async () => {
  const W = consoleWords().it;
  const errors = [];
  const ctx = await phone(browser, { viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false, locale: "it-IT" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("dialog", (d) => {
    errors.push(`a dialog opened: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`${server.url}/console`);
  await page.waitForURL(/\/signin\?/);
  await page.locator("#username").fill(COORDINATOR);
  await page.locator("#password").fill(PASSWORD);
  await page.locator("#password").press("Enter");
  await page.waitForURL((u) => u.pathname === "/console");
  await page.locator("#who").waitFor();

  // A sportello whose name is a script payload, where the file's last row will lie.
  const created = await page.evaluate(
    async ({ id, org, comune, name }) => {
      const me = await (await fetch("/api/me")).json();
      const r = await fetch("/api/records/sportelli", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": me.csrf_token },
        body: JSON.stringify({ id, organization_id: org, name: { it: name }, address: { street: "Via Prova 0", postcode: "30171", comune_istat: comune }, point: [12.205, 45.405] }),
      });
      return r.status;
    },
    { id: `${PREFIX}-payload`, org: ORG, comune: COMUNE, name: PAYLOAD },
  );
  assert.equal(created, 200, "the payload sportello is created");

  // To the import screen from the keyboard.
  await page.locator("#nav-import").focus();
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.pathname === "/console/import");
  assert.equal((await page.locator("h1").innerText()).trim(), W.imp_title);
  await page.locator(`#imp-org option[value="${ORG}"]`).waitFor({ state: "attached" });
  await accessible(page, "import", true);

  await page.locator("#imp-org").focus();
  await page.locator("#imp-org").selectOption(ORG);
  await page.locator("#imp-file").setInputFiles({ name: "elenco-prova.csv", mimeType: "text/csv", buffer: Buffer.from(csv()) });
  await page.locator("#imp-source").focus();
  await page.keyboard.type("elenco-prova.csv");
  await page.keyboard.press("Tab");
  await page.keyboard.type("CC-BY-4.0");
  await page.locator("#imp-upload").focus();
  await page.keyboard.press("Enter");
  await page.locator("#imp-report").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "imp-report-title", "the report's heading takes focus");

  // Exactly the two bad rows, each with its field and reason.
  const rows = await page.locator("#imp-problems tbody tr").evaluateAll((trs) => trs.map((tr) => [tr.dataset.unit, tr.querySelectorAll("code")[0]?.textContent]));
  assert.deepEqual(rows, [
    ["3", "comune_istat"],
    ["5", "hours"],
  ]);
  assert.match(await page.locator('#imp-problems tr[data-unit="3"]').innerText(), /099999/);
  assert.equal((await page.locator("#imp-problems caption").innerText()).trim(), fill(W.imp_problems_caption, { n: 2 }));
  assert.equal(await page.locator("#imp-problems th[scope=col]").count(), 4);
  assert.equal((await page.locator('[data-count="new"] dd').innerText()).trim(), "9", "three sportelli, their three services and three offers are new");
  // The payload: the likely duplicate's name, as text.
  const legend = await page.locator("#imp-duplicates legend").innerText();
  assert.ok(legend.includes("<script>window.__pwned = 1</script>"), `the payload is shown as text: ${legend}`);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, "no payload ran");
  assert.equal(await page.locator("main script, main img").count(), 0, "no element made from the payload");
  await accessible(page, "import-report", true);

  // Refused while the bad rows are in: nothing written.
  await page.locator("#imp-commit").focus();
  await page.keyboard.press("Enter");
  await page.locator("#imp-outcome").waitFor();
  assert.equal((await page.locator("#imp-outcome").innerText()).trim(), fill(W.imp_refused_problems, { n: 2 }));
  assert.equal(await publicStatus(`${PREFIX}-1`), 404, "nothing was written");

  // Both excluded, the duplicate said to be another sportello, from the keyboard.
  for (const u of [3, 5]) {
    await page.locator(`#imp-ex-${u}`).focus();
    await page.keyboard.press("Space");
    assert.ok(await page.locator(`#imp-ex-${u}`).isChecked());
  }
  await page.locator("#imp-dup-0-different").focus();
  await page.keyboard.press("Space");
  assert.equal((await page.locator("#imp-blocking").innerText()).trim(), W.imp_ready);
  await page.locator("#imp-commit").focus();
  await page.keyboard.press("Enter");
  await page.locator("#imp-report").waitFor({ state: "detached" });
  const done = (await page.locator("#imp-outcome").innerText()).trim();
  const pattern = new RegExp("^" + W.imp_done_publish.replace(/[.*+?^$()[\]\\|]/g, "\\$&").replace(/\{(\w+)\}/g, "(\\d+)") + "$");
  assert.match(done, pattern, done);

  // The public API has the new sportelli, and not the bad rows'.
  for (const i of [1, 3, 5]) assert.equal(await publicStatus(`${PREFIX}-${i}`), 200, `row ${i} imported`);
  for (const i of [2, 4]) assert.equal(await publicStatus(`${PREFIX}-${i}`), 404, `row ${i} left out`);
  const f = await (await fetch(`${server.url}/api/collections/sportelli/items/${PREFIX}-1`, { headers: { Accept: "application/geo+json" } })).json();
  assert.equal(f.properties.organization.id, ORG, "imported for the chosen organisation");

  assert.equal(await page.evaluate(() => window.__pwned), undefined, "no payload ran");
  assert.deepEqual(foreignRequests(), [], "nothing requested beyond 127.0.0.1");
  assert.deepEqual(errors, [], "no script errors");
  await ctx.close();
});
