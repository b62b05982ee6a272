// Figures for BENCHMARKS.md: Lighthouse (mobile preset, simulated throttling) on the start page
// and on a results page, the app's own JavaScript gzipped, and the time to the first list of
// results on DevTools' "Slow 3G" (2 s round trip, 400 kbit/s) with a 4x slower CPU, cold and
// after one visit. Usage: node bench/web/measure.mjs http://127.0.0.1:PORT web/dist
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { chromium } from "playwright-core";
import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { tmpdir } from "node:os";

const [base, dist] = process.argv.slice(2);
const CHROME = process.env.CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
];
const RESULTS = "/#lang=it&need=legal-aid&near=12.236,45.482";

async function lh(url) {
  const chrome = await chromeLauncher.launch({ chromePath: CHROME, chromeFlags: FLAGS });
  try {
    const r = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
    });
    const c = r.lhr.categories;
    const a = r.lhr.audits;
    return {
      url,
      performance: Math.round(c.performance.score * 100),
      accessibility: Math.round(c.accessibility.score * 100),
      bestPractices: Math.round(c["best-practices"].score * 100),
      seo: Math.round(c.seo.score * 100),
      fcp: a["first-contentful-paint"].displayValue,
      lcp: a["largest-contentful-paint"].displayValue,
      tbt: a["total-blocking-time"].displayValue,
      cls: a["cumulative-layout-shift"].displayValue,
      version: r.lhr.lighthouseVersion,
      failing: Object.values(a)
        .filter((x) => x.score !== null && x.score < 0.9 && x.scoreDisplayMode !== "informative" && x.scoreDisplayMode !== "notApplicable" && x.scoreDisplayMode !== "manual")
        .map((x) => x.id),
    };
  } finally {
    await chrome.kill();
  }
}

function appJsGzip() {
  const assets = join(dist, "assets");
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const sw = readFileSync(join(dist, "sw.js"), "utf8");
  let total = 0;
  const rows = [];
  for (const f of readdirSync(assets)) {
    if (!f.endsWith(".js") && !f.endsWith(".css")) continue;
    const size = gzipSync(readFileSync(join(assets, f)), { level: 9 }).length;
    const own = html.includes(f) || sw.includes(f); // the app shell; the map chunk is neither
    rows.push({ file: f, gzip: size, own });
    if (own && f.endsWith(".js")) total += size;
  }
  return { total, rows };
}

async function firstResults(warm) {
  const dir = mkdtempSync(join(tmpdir(), "bussola-3g-"));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: CHROME,
    args: FLAGS.filter((f) => f !== "--headless=new"),
    headless: true,
    viewport: { width: 360, height: 640 },
    isMobile: true,
    hasTouch: true,
  });
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    if (warm) {
      await page.goto(base + RESULTS);
      await page.locator("li.card").first().waitFor();
      await page.evaluate(() => navigator.serviceWorker.ready);
      await page.waitForTimeout(1500);
      // Leave the page: going to the same address again would only change its fragment, a
      // navigation within the page that loads nothing, not the second visit measured here.
      await page.goto("about:blank");
    }
    const cdp = await ctx.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 2000,
      downloadThroughput: (400 * 1024) / 8,
      uploadThroughput: (400 * 1024) / 8,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    const t0 = Date.now();
    await page.goto(base + RESULTS, { waitUntil: "commit", timeout: 120000 });
    await page.locator("li.card").first().waitFor({ timeout: 120000 });
    return Date.now() - t0;
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const home = await lh(base + "/");
const results = await lh(base + RESULTS);
const js = appJsGzip();
const cold = [];
const warm = [];
for (let i = 0; i < 3; i++) cold.push(await firstResults(false));
for (let i = 0; i < 3; i++) warm.push(await firstResults(true));
const out = { home, results, js, cold, warm, coldMedian: median(cold), warmMedian: median(warm) };
writeFileSync("bench/out/web.json", JSON.stringify(out, null, 2));
console.log(JSON.stringify(out, null, 2));
