// What the console's browser tests share: their accounts, the console's words, signing in
// through the form, axe-core in both directions and the check that no payload ran.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { phone, seriousViolations, shot } from "./support.mjs";

/** Every console test's accounts have this password. */
export const PASSWORD = "laguna-console-0427-demo";
/** Typed into text fields: it must come back as text, never run. */
export const PAYLOAD = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`;

/** The console's words (web/src/console/words.ts), language → key → text. */
export function consoleWords() {
  const src = readFileSync(new URL("../../web/src/console/words.ts", import.meta.url), "utf8");
  const out = {};
  for (const m of src.matchAll(/^const (it|en)(?:: Words)? = \{\n([\s\S]*?)^\};/gm)) {
    out[m[1]] = Object.fromEntries([...m[2].matchAll(/^ {2}(\w+): "((?:[^"\\]|\\.)*)",$/gm)].map((x) => [x[1], JSON.parse(`"${x[2]}"`)]));
  }
  assert.deepEqual(Object.keys(out).sort(), ["en", "it"], "words.ts has Italian and English");
  return out;
}

/** `bussola user add` on a database (by default the private server's), with [`PASSWORD`]. */
export function addUser(name, role, database = process.env.BUSSOLA_OFFLINE_DATABASE_URL) {
  const r = spawnSync(process.env.BUSSOLA_BIN, ["user", "add", name, "--role", role, "--display-name", name, "--password-stdin"], {
    input: PASSWORD + "\n",
    env: { ...process.env, BUSSOLA_DATABASE_URL: database, BUSSOLA_LOG: "warn" },
    encoding: "utf8",
  });
  assert.equal(r.status, 0, `bussola user add ${name}: ${r.stderr}`);
}

/**
 * A desktop-sized context signed in through the form on `base`, on the console; page errors
 * and dialogs are pushed to `errors`.
 */
export async function signedIn(browser, base, user, errors) {
  const ctx = await phone(browser, { viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false, locale: "it-IT" });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("dialog", (d) => {
    errors.push(`a dialog opened: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`${base}/console`);
  await page.waitForURL(/\/signin\?/);
  assert.equal(new URL(page.url()).searchParams.get("next"), "/console", "the sign-in form brings them back to the console");
  await page.locator("#username").fill(user);
  await page.locator("#password").fill(PASSWORD);
  await page.locator("button[type=submit]").click();
  await page.waitForURL((u) => u.pathname === "/console");
  await page.locator("#who").waitFor();
  return { ctx, page };
}

/** axe-core as the page is, then laid out right to left, with a screenshot of each. */
export async function accessible(page, screen, prefix = "console") {
  assert.deepEqual(await seriousViolations(page), [], `axe-core on ${screen} (${await page.evaluate(() => document.documentElement.lang)})`);
  await shot(page, `${prefix}-it-${screen}`);
  await page.evaluate(() => (document.documentElement.dir = "rtl"));
  assert.deepEqual(await seriousViolations(page), [], `axe-core on ${screen} (rtl)`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${screen} does not scroll sideways right to left`);
  await shot(page, `${prefix}-rtl-${screen}`);
  await page.evaluate(() => (document.documentElement.dir = "ltr"));
}

/** Nothing typed or stored ran: no payload global, no element the payload would make. */
export async function nothingRan(page, where) {
  assert.equal(await page.evaluate(() => window.__pwned), undefined, `${where}: no payload ran`);
  assert.equal(await page.locator("main script, main img").count(), 0, `${where}: no element made from the payload`);
}
