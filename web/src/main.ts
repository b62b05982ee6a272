// The bussola web app: choose a language, pick a need, say where you are, get the nearest
// sportelli (list first, map on demand), open one. Every state is a URL; all searching happens
// on the phone from the territory's bundle, which the service worker keeps for offline use.

import "./style.css";
import { loadBundle, loadConfig } from "./data";
import { h } from "./dom";
import { icon } from "./icons";
import { roundCoord } from "./geo";
import { fromNavigator, isLang, translator, type Lang, type Translator } from "./i18n";
import { parse, serialize, with_, type State } from "./state";
import type { AppConfig, Bundle } from "./types";
import { detailScreen, homeScreen, languageScreen, noticeBar, resultsScreen, type Ctx } from "./views";

const LANG_KEY = "bussola.lang";

let state: State = parse(location.search);
let bundle: Bundle | null = null;
let config: AppConfig | null = null;
let loadError = false;
/** Whether the server answered the last probe (navigator.onLine alone misses "no signal"). */
let reachable = true;
let t: Translator = translator("it");
let lastScreen = "";

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
    pickLanguage: () => {
      history.pushState(null, "", location.pathname + serialize(state) + "#language");
      render();
    },
    setLanguage: (lang: Lang) => {
      rememberLang(lang);
      applyLanguage(lang);
      go(with_(state, { lang }), { replace: true });
    },
    locate,
  };
}

function locate(onError: (msg: string) => void) {
  if (!("geolocation" in navigator)) {
    onError(t("location_failed"));
    return;
  }
  say(t("locating"));
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      // Rounded at once to ~100 m: the precise position is never stored, shown or sent.
      const near = { lon: roundCoord(pos.coords.longitude), lat: roundCoord(pos.coords.latitude) };
      go(with_(state, { near, place: null, id: null }));
    },
    () => onError(t("location_failed")),
    { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 },
  );
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
  if (brand) brand.href = location.pathname + serialize(with_(state, { need: null, id: null, view: "list" }));
}

function renderNotices() {
  const box = document.getElementById("notices");
  if (!box) return;
  box.replaceChildren(...noticeBar(t, bundle, config, navigator.onLine && reachable));
}

function render() {
  const main = document.getElementById("main")!;
  const lang = currentLang();
  const picking = location.hash === "#language" || !lang;
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
  main.replaceChildren(content);
  document.title = titleOf(screen);
  // A new screen: move focus to its heading so screen readers announce it.
  if (screen !== lastScreen && lastScreen !== "") {
    main.querySelector<HTMLElement>("h1")?.focus({ preventScroll: false });
    window.scrollTo(0, 0);
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
  } catch {
    loadError = true;
  }
  render();
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
  state = parse(url.search);
  history.pushState(null, "", url.pathname + url.search + url.hash);
  render();
});

window.addEventListener("popstate", () => {
  state = parse(location.search);
  render();
});
window.addEventListener("hashchange", () => render());
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
