// The bussola web app: choose a language, pick a need, say where you are, get the nearest
// sportelli (list first, map on demand), open one. Every state is a URL fragment (never sent to
// the server); all searching happens on the phone from the territory's bundle, which the
// service worker keeps for offline use.

import "./style.css";
import { loadBundle, loadConfig } from "./data";
import { fetchMe, PRIVATE_CACHE, rememberReturn, signinHref, takeReturn, type Me } from "./me";
import { h } from "./dom";
import { flushQueue } from "./feedback";
import { romeTime } from "./hours";
import { icon } from "./icons";
import { roundCoord } from "./geo";
import { fromNavigator, isLang, translator, type Lang, type Translator } from "./i18n";
import { fromLocation, parse, serialize, with_, type State } from "./state";
import { matchPlaces } from "./search";
import type { AppConfig, Bundle } from "./types";
import { detailScreen, homeScreen, languageScreen, noticeBar, resultsScreen, showFirstResult, type Ctx } from "./views";

const LANG_KEY = "bussola.lang";
/** The last position this phone found for itself (rounded), so "near you" is said only of it. */
const MINE_KEY = "bussola.mine";

// An old-style link (`/?near=…`) or an unrounded position is rewritten before anything else
// runs: the position moves into the fragment, rounded, and is never sent again on a reload.
// Back from the sign-in page (whose address carried no fragment): the screen left for it.
const back = takeReturn();
if (back && !location.hash) history.replaceState(null, "", location.pathname + location.search + back);
const initial = fromLocation(location);
if (initial.moved !== null) history.replaceState(null, "", initial.moved);
let state: State = initial.state;
let bundle: Bundle | null = null;
let config: AppConfig | null = null;
let loadError = false;
/** Whether the server answered the last probe (navigator.onLine alone misses "no signal"). */
let reachable = true;
let t: Translator = translator("it");
let lastScreen = "";
/** Who is asking: null until the server has said (never asked offline). */
let me: Me | null = null;
type Account = typeof import("./account");
let settle: (a: Account | null) => void = () => undefined;
/** The signed-in part of the app, loaded only for a signed-in viewer; null for everyone else. */
const account = new Promise<Account | null>((r) => (settle = r));

function storedLang(): Lang | null {
  try {
    const v = localStorage.getItem(LANG_KEY);
    return isLang(v) ? v : null;
  } catch {
    return null;
  }
}

function rememberLang(lang: Lang) {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    /* private mode: the URL still carries the language */
  }
}

function mine(): string | null {
  try {
    return sessionStorage.getItem(MINE_KEY);
  } catch {
    return null;
  }
}

function rememberMine(near: { lon: number; lat: number }) {
  try {
    sessionStorage.setItem(MINE_KEY, `${near.lon},${near.lat}`);
  } catch {
    /* private mode: a reload then says "near the shared point" */
  }
}

/** The language in force: the URL's, else the remembered one. */
function currentLang(): Lang | null {
  if (isLang(state.lang)) return state.lang;
  return storedLang();
}

function applyLanguage(lang: Lang) {
  t = translator(lang);
  document.documentElement.lang = lang;
  document.documentElement.dir = t.dir;
  const skip = document.querySelector<HTMLAnchorElement>(".skip");
  if (skip) skip.textContent = t("skip");
}

/** Moves to a new state: a new history entry (or a replaced one) and a render. */
function go(next: State, opts: { replace?: boolean } = {}) {
  const lang = currentLang();
  if (lang && !next.lang) next = with_(next, { lang });
  state = next;
  const url = location.pathname + serialize(next);
  if (opts.replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  render();
}

function say(message: string) {
  const live = document.getElementById("live");
  if (!live) return;
  live.textContent = "";
  window.setTimeout(() => (live.textContent = message), 50);
}

function ctx(): Ctx {
  return {
    t,
    state,
    bundle: bundle!,
    config,
    go,
    say,
    href: (s: State) => location.pathname + serialize(s),
    pickLanguage: () => go(with_(state, { picking: true })),
    setLanguage: (lang: Lang) => {
      rememberLang(lang);
      applyLanguage(lang);
      go(with_(state, { lang, picking: false }), { replace: true });
    },
    locate,
    isMine: (near) => !!near && mine() === `${near.lon},${near.lat}`,
    restricted: (map, box, legend) => void account.then((a) => a?.drawReception(map, box, legend, t.lang)),
  };
}

function locate(onDone: (error: string | null) => void) {
  if (!("geolocation" in navigator)) {
    onDone(t("location_failed"));
    return;
  }
  say(t("locating"));
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      // Rounded at once to ~100 m: the precise position is never stored, shown or sent.
      const near = { lon: roundCoord(pos.coords.longitude), lat: roundCoord(pos.coords.latitude) };
      rememberMine(near);
      onDone(null);
      go(with_(state, { near, place: null, id: null }));
      showFirstResult();
    },
    () => onDone(t("location_failed")),
    { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 },
  );
}

/** A link with a place name and no position (`#place=Chioggia`): the gazetteer gives the point. */
function resolvePlace() {
  if (!bundle || !state.place || state.near) return;
  const hit = matchPlaces(bundle.places, state.place, 1)[0];
  if (hit) {
    state = with_(state, { near: { lon: roundCoord(hit.lon), lat: roundCoord(hit.lat) }, place: hit.name });
    history.replaceState(null, "", location.pathname + serialize(state));
  }
}

function renderHeader() {
  const btn = document.getElementById("lang-btn") as HTMLButtonElement | null;
  const lang = currentLang();
  if (!btn) return;
  btn.hidden = !lang;
  // The globe says "language" to someone who cannot read the current one.
  btn.replaceChildren(icon("globe", 20), t("language"));
  btn.setAttribute("aria-label", `${t("language")}: ${new Intl.DisplayNames([t.lang], { type: "language" }).of(t.lang)}`);
  btn.onclick = () => ctx().pickLanguage();
  const brand = document.getElementById("brand") as HTMLAnchorElement | null;
  if (brand) brand.href = location.pathname + serialize(with_(state, { need: null, id: null, view: "list", picking: false }));
  renderAccount();
}

/** The header's account controls: "Sign in" for anonymous people, name and "Sign out" when signed in. */
function renderAccount() {
  const box = document.getElementById("account");
  if (!box || !me) return;
  if (me.signed_in) return void account.then((a) => a?.controls(box, me!, t.lang));
  // An icon with its words for screen readers and as a tooltip: the link is for staff, and
  // must not push the language button onto a second line.
  const a = h(
    "a",
    { class: "signin", id: "signin", href: signinHref(location.pathname, location.search, t.lang), title: t("sign_in") },
    icon("person", 24),
    h("span", { class: "sr-only" }, t("sign_in")),
  );
  a.onclick = () => rememberReturn(location.hash);
  box.replaceChildren(a);
}

/** Asks the server who is asking, once the first result is on screen; never offline. */
let asked = false;
async function whoIsAsking() {
  if (asked) return;
  asked = true;
  // Offline the server cannot say; a viewer who did not sign out on this phone still has
  // their copies, and sees their layer from them.
  const offline = !navigator.onLine;
  if (offline && !(await window.caches?.has(PRIVATE_CACHE))) return settle(null);
  me = offline ? null : await fetchMe();
  const a = offline || me?.signed_in ? await import("./account").catch(() => null) : null;
  if (offline) me = (await a?.offlineViewer()) ?? null;
  // The worker learns who is signed in before the layer is asked for, so it keeps their copy.
  const entered = !!a && !!me && !offline && (await a.enter(me));
  settle(me ? a : null);
  renderAccount();
  // An anonymous page keeps nothing private (a session that ended elsewhere left it behind).
  if (me && !a && (await window.caches?.has(PRIVATE_CACHE))) await caches.delete(PRIVATE_CACHE);
  // A viewer's first page since signing in reloads the bundle: it holds what they may see, and
  // the worker now keeps it apart as their offline copy.
  if (entered) {
    bundle = await loadBundle().catch(() => bundle);
    render();
  }
}

function renderNotices() {
  const box = document.getElementById("notices");
  if (!box) return;
  box.replaceChildren(...noticeBar(t, bundle, config, navigator.onLine && reachable));
}

function render() {
  const main = document.getElementById("main")!;
  const lang = currentLang();
  const picking = state.picking || !lang;
  applyLanguage(lang ?? fromNavigator(navigator.languages) ?? "it");
  renderHeader();
  renderNotices();
  let screen: string;
  let content: Node;
  if (picking) {
    screen = "language";
    content = languageScreen(ctx(), lang);
  } else if (loadError && !bundle) {
    screen = "error";
    content = h(
      "div",
      { class: "screen" },
      h("h1", { tabindex: "-1" }, t("load_failed")),
      h("button", { type: "button", class: "btn primary", onclick: () => start() }, t("retry")),
    );
  } else if (!bundle) {
    screen = "loading";
    content = h("p", { class: "loading", role: "status" }, t("loading"));
  } else if (state.id) {
    screen = "detail:" + state.id;
    content = detailScreen(ctx());
  } else if (state.need) {
    screen = "results:" + state.need;
    content = resultsScreen(ctx());
  } else {
    screen = "home";
    content = homeScreen(ctx());
  }
  // The same screen redrawn (a filter, a search): focus stays on the control the person used.
  const active = document.activeElement;
  const keep = active instanceof HTMLElement && active.id && main.contains(active) ? active.id : null;
  main.replaceChildren(content);
  document.title = titleOf(screen);
  // A new screen: move focus to its heading so screen readers announce it.
  if (screen !== lastScreen && lastScreen !== "") {
    main.querySelector<HTMLElement>("h1")?.focus({ preventScroll: false });
    window.scrollTo(0, 0);
  } else if (keep) {
    document.getElementById(keep)?.focus({ preventScroll: true });
  }
  lastScreen = screen;
}

function titleOf(screen: string): string {
  const h1 = document.querySelector("#main h1")?.textContent;
  return screen === "home" || !h1 ? "Bussola" : `${h1} – Bussola`;
}

async function probe() {
  try {
    reachable = (await fetch("/readyz", { cache: "no-store" })).ok;
  } catch {
    reachable = false;
  }
  renderNotices();
  // Reports made offline go out once the server answers again.
  if (reachable) void flushQueue(romeTime(new Date()).date);
}

async function start() {
  loadError = false;
  render();
  // The list needs only the bundle (preloaded by index.html); the configuration (basemap) is
  // for the map and arrives in parallel without holding the first results back.
  const configured = loadConfig().then((c) => {
    config = c;
    renderNotices();
  });
  try {
    bundle = await loadBundle();
    resolvePlace();
  } catch {
    loadError = true;
  }
  render();
  void whoIsAsking();
  await configured;
  void probe();
}

// Links inside the app change the state without reloading the page (and keep working as
// plain links: new tab, copy, long press).
document.addEventListener("click", (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element | null)?.closest?.("a");
  if (!a || a.target || a.hasAttribute("download")) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname !== location.pathname) return;
  e.preventDefault();
  if (url.hash === "#main") {
    document.getElementById("main")?.focus();
    return;
  }
  state = parse(url.hash);
  history.pushState(null, "", url.pathname + serialize(state));
  render();
});

/** Back, forward, or a fragment edited by hand. */
function followLocation() {
  if (location.hash === serialize(state)) return;
  const next = fromLocation(location);
  if (next.moved !== null) history.replaceState(null, "", next.moved);
  state = next.state;
  resolvePlace();
  render();
}
window.addEventListener("popstate", followLocation);
window.addEventListener("hashchange", followLocation);
window.addEventListener("online", () => void probe());
window.addEventListener("offline", () => void probe());

if ("serviceWorker" in navigator && location.protocol !== "file:" && import.meta.env.PROD) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      /* the app works online without it */
    });
  });
}

void start();
