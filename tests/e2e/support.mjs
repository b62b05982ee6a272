// Shared set-up of the browser tests: Debian's Chromium driven by playwright-core, a record of
// every request each context makes, axe-core scans and screenshots.
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { mkdirSync, readFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import net from "node:net";

export const BASE = process.env.BUSSOLA_URL;
if (!BASE) throw new Error("BUSSOLA_URL is not set: run through tests/run.sh");
export const ARTIFACTS = new URL("../artifacts/", import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

// Flags that keep Chromium from calling Google's services (this machine has no outside network,
// and the test asserts that nothing but 127.0.0.1 is contacted).
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
  "--disable-domain-reliability",
  "--disable-client-side-phishing-detection",
  "--metrics-recording-only",
  "--no-pings",
  "--enable-unsafe-swiftshader",
  "--use-angle=swiftshader",
];

const LAUNCH = { executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ARGS, headless: true };

export async function launch() {
  return chromium.launch(LAUNCH);
}

/** Every URL requested by any page or worker of the contexts made here. */
export const requested = [];

/**
 * Every request as it goes on the wire: its URL (Chromium's request URL has no fragment, as
 * HTTP has none), its body, whether the service worker or a page navigation made it.
 */
export const sent = [];

function record(r) {
  requested.push(r.url());
  let body = "";
  try {
    body = r.postData() ?? "";
  } catch {
    body = "<binary>";
  }
  sent.push({ url: r.url(), body, worker: !!r.serviceWorker(), navigation: r.isNavigationRequest() });
}

/** The app's state: the URL's fragment, never sent to the server. */
export function fragment(url) {
  return new URLSearchParams(new URL(url).hash.slice(1));
}

/** A small Android phone: 360×640 CSS pixels, touch, service workers on. */
const PHONE = {
  viewport: { width: 360, height: 640 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  serviceWorkers: "allow",
};

/** A phone-sized context that records its requests. */
export async function phone(browser, options = {}) {
  const ctx = await browser.newContext({
    ...PHONE,
    ...options,
  });
  ctx.on("request", record);
  return ctx;
}

/**
 * A phone-sized context with a real profile on disk (Chromium reports an incognito context as
 * not installable), for the offline and installability test.
 */
export async function persistentPhone(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), "bussola-profile-"));
  const ctx = await chromium.launchPersistentContext(dir, {
    ...LAUNCH,
    ...PHONE,
    ...options,
  });
  ctx.on("request", record);
  ctx.once("close", () => {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch {
      /* Chromium may still be writing its profile; it is a temporary directory */
    }
  });
  return ctx;
}

/** Requests that left 127.0.0.1 (data: and blob: URLs never leave the phone). */
export function foreignRequests() {
  return requested.filter((u) => {
    const url = new URL(u);
    if (url.protocol === "data:" || url.protocol === "blob:") return false;
    return url.hostname !== "127.0.0.1";
  });
}

/** Runs axe-core (WCAG 2.0/2.1 A and AA) and returns the serious and critical violations. */
export async function seriousViolations(page) {
  const r = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return r.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

export async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}

export async function api(path) {
  const r = await fetch(BASE + path, { headers: { Accept: "application/geo+json, application/json" } });
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
}

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * A second, private server on its own PostGIS database (tests/run.sh creates it and names it in
 * BUSSOLA_OFFLINE_DATABASE_URL), loaded with the demo data like the main one, for the offline
 * test: it can be stopped, so "offline" really means nothing answers.
 */
export async function privateServer() {
  const bin = process.env.BUSSOLA_BIN;
  if (!bin) throw new Error("BUSSOLA_BIN is not set: run through tests/run.sh");
  const database = process.env.BUSSOLA_OFFLINE_DATABASE_URL;
  if (!database?.startsWith("postgres")) {
    throw new Error("BUSSOLA_OFFLINE_DATABASE_URL is not a PostGIS URL: run through tests/run.sh");
  }
  const dir = mkdtempSync(join(tmpdir(), "bussola-offline-"));
  const port = await freePort();
  const env = {
    ...process.env,
    BUSSOLA_DATABASE_URL: database,
    BUSSOLA_DATA_DIR: dir,
    BUSSOLA_BIND: `127.0.0.1:${port}`,
    BUSSOLA_LOG: "warn",
  };
  const child = spawn(bin, ["serve"], { env, stdio: ["ignore", "ignore", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  let ready = false;
  for (let i = 0; i < 300 && !ready; i++) {
    try {
      ready = (await fetch(url + "/readyz")).ok;
    } catch {
      /* not yet */
    }
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  if (!ready) {
    child.kill("SIGKILL");
    throw new Error(`the private server on ${database} did not become ready`);
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        const done = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await done;
      }
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The app's string table (web/src/strings.ts) read as text: language → key → template. Tests
 * check which template the app shows, not what the words are.
 */
export function strings() {
  const src = readFileSync(new URL("../../web/src/strings.ts", import.meta.url), "utf8");
  const out = {};
  for (const m of src.matchAll(/^const (\w+): Strings = \{([\s\S]*?)^\};/gm)) {
    out[m[1]] = Object.fromEntries([...m[2].matchAll(/^ {2}(\w+): "((?:[^"\\]|\\.)*)",$/gm)].map((x) => [x[1], JSON.parse(`"${x[2]}"`)]));
  }
  return out;
}

/** Whether a request carries anything that looks like a position: `near=`, or "lon,lat" decimals. */
export function carriesPosition(text) {
  let t = text;
  try {
    t = decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    /* not URL-encoded: look at it as it is */
  }
  return /near=/i.test(t) || /-?\d{1,3}\.\d{2,}\s*,\s*-?\d{1,3}\.\d{2,}/.test(t);
}
