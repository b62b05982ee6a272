// The screens. Each is a function of the context that returns fresh DOM; links carry the
// next state in their href, so they work with a middle click, a long press or a screen reader.

import { machineMark } from "./machine";
import { sourceLine } from "./source";
import { attributionText, holidaysAt, loadConfig } from "./data";
import { activeNotices, checkedPhrase, freshness, noticeLabel, upcomingDates, upcomingLabel, upcomingNotices } from "./freshness";
import { feedbackSection } from "./feedback";
import { h, inLang } from "./dom";
import { formatDistance, haversine } from "./geo";
import { formatIntervals, formatMinute, openState, romeTime, shortDate, week, weekdayName, type OpenState, type RomeTime } from "./hours";
import { LANGUAGES, NATIVE_NAMES, dayPhrase, dirOf, languageName, listOf, pick, separator, type Lang, type Translator } from "./i18n";
import { icon } from "./icons";
import { matchPlaces, search, type Result } from "./search";
import { with_, type State } from "./state";
import type { AppConfig, Bundle, Notice, Place, Service, Sportello } from "./types";

export interface Ctx {
  t: Translator;
  state: State;
  bundle: Bundle;
  config: AppConfig | null;
  go: (s: State, opts?: { replace?: boolean }) => void;
  say: (message: string) => void;
  href: (s: State) => string;
  pickLanguage: () => void;
  setLanguage: (lang: Lang) => void;
  /** Asks the phone for its position; `onDone` gets an error message, or null once found. */
  locate: (onDone: (error: string | null) => void) => void;
  /** Whether a position is the one this phone found for itself (not a shared link's). */
  isMine: (near: State["near"]) => boolean;
  /** Adds what only a signed-in viewer may see to a map on screen (nothing for anonymous people). */
  restricted: (map: import("maplibre-gl").Map, box: HTMLElement, legend: HTMLElement) => void;
}

/**
 * After a search the first result must be on screen: if it is below the fold, the place form
 * is scrolled to the top (it keeps the focus and stays in view above the results).
 */
export function showFirstResult() {
  const first = document.querySelector("li.card .card-title, #main .empty");
  if (!first || first.getBoundingClientRect().bottom <= window.innerHeight) return;
  document.querySelector(".place-form")?.scrollIntoView({ block: "start" });
}

/** Whether the filter panel is open: the person's choice, kept across redraws. */
let filtersOpen: boolean | null = null;

/** Demo and offline notices, shown above every screen. */
export function noticeBar(t: Translator, bundle: Bundle | null, config: AppConfig | null, online: boolean): Node[] {
  const out: Node[] = [];
  if (bundle?.demo || config?.demo) {
    const n = pick(bundle?.notice, t.lang);
    out.push(
      h(
        "details",
        { class: "notice demo", id: "demo-notice" },
        h("summary", {}, h("strong", {}, t("demo")), " – ", t("demo_short")),
        n.text ? inLang(n.text, n.lang, t.lang, "p") : null,
      ),
    );
  }
  if (!online && bundle) {
    const date = bundle.generatedAt
      ? new Intl.DateTimeFormat(t.lang, { dateStyle: "medium", timeStyle: "short" }).format(new Date(bundle.generatedAt))
      : "?";
    out.push(h("p", { class: "notice offline", id: "offline-notice", role: "status" }, t("offline", { date })));
  }
  return out;
}

export function languageScreen(c: Ctx, current: Lang | null): HTMLElement {
  const t = c.t;
  return h(
    "div",
    { class: "screen" },
    h("h1", { tabindex: "-1" }, t("choose_language")),
    h(
      "ul",
      { class: "langs" },
      LANGUAGES.map((l) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "lang-choice",
              lang: l,
              dir: dirOf(l),
              "aria-current": l === current ? "true" : null,
              onclick: () => c.setLanguage(l),
            },
            NATIVE_NAMES[l],
          ),
        ),
      ),
    ),
  );
}

function categoryName(c: Ctx, id: string): { text: string; lang: string } {
  const cat = c.bundle.categories.find((x) => x.id === id);
  return cat ? pick(cat.name, c.t.lang) : { text: id, lang: c.t.lang };
}

export function homeScreen(c: Ctx): HTMLElement {
  const { t, state } = c;
  return h(
    "div",
    { class: "screen" },
    h("h1", { tabindex: "-1" }, t("what_need")),
    h("p", { class: "tagline" }, t("tagline")),
    h(
      "ul",
      { class: "needs" },
      c.bundle.categories.map((cat) => {
        const name = pick(cat.name, t.lang);
        return h(
          "li",
          {},
          h(
            "a",
            { class: "need", href: c.href(with_(state, { need: cat.id, id: null })), "data-need": cat.id },
            icon(cat.icon, 36),
            inLang(name.text, name.lang, t.lang),
          ),
        );
      }),
    ),
  );
}

/** The place form: type a comune, frazione or address, or use the phone's position. */
function placeForm(c: Ctx): HTMLElement {
  const { t, state, bundle } = c;
  const places: Place[] = [...bundle.places, ...addressPlaces(bundle.sportelli, bundle)];
  const error = h("p", { class: "form-error", id: "place-error", role: "alert" });
  const input = h("input", {
    id: "place",
    name: "place",
    type: "search",
    list: "places",
    autocomplete: "off",
    enterkeyhint: "search",
    placeholder: t("place_hint"),
    value: state.place ?? "",
    "aria-describedby": "place-error",
  });
  const datalist = h(
    "datalist",
    { id: "places" },
    uniqueNames(places).map((n) => h("option", { value: n })),
  );
  const form = h(
    "form",
    {
      class: "place-form",
      role: "search",
      onsubmit: (e: Event) => {
        e.preventDefault();
        const typed = input.value.trim();
        const hit = matchPlaces(places, typed, 1)[0];
        if (!hit) {
          error.textContent = typed ? t("no_place") : "";
          input.setAttribute("aria-invalid", "true");
          input.focus();
          return;
        }
        c.go(with_(state, { near: { lon: hit.lon, lat: hit.lat }, place: hit.name, id: null }));
        showFirstResult();
      },
    },
    h("label", { for: "place" }, t("where"), " ", h("span", { class: "hint" }, t("place_label"))),
    h(
      "div",
      { class: "place-row" },
      input,
      datalist,
      h("button", { type: "submit", class: "btn primary", id: "search-btn" }, t("search")),
    ),
    locateButton(c, error),
    error,
  );
  return form;
}

/**
 * "Use my position": while the phone looks for it the button says so, is marked busy and
 * ignores further presses (it keeps the focus, so a keyboard user is not sent back to the top).
 */
function locateButton(c: Ctx, error: HTMLElement): HTMLButtonElement {
  const { t } = c;
  const label = h("span", {}, t("use_location"));
  const button = h(
    "button",
    { type: "button", class: "btn locate", id: "locate" },
    icon("locate", 20),
    label,
  );
  const busy = (on: boolean) => {
    label.textContent = on ? t("locating") : t("use_location");
    if (on) {
      button.setAttribute("aria-disabled", "true");
      button.setAttribute("aria-busy", "true");
    } else {
      button.removeAttribute("aria-disabled");
      button.removeAttribute("aria-busy");
    }
  };
  button.addEventListener("click", () => {
    if (button.getAttribute("aria-busy") === "true") return;
    error.textContent = "";
    busy(true);
    c.locate((msg) => {
      busy(false);
      if (msg) error.textContent = msg;
    });
  });
  return button;
}

function uniqueNames(places: Place[]): string[] {
  return [...new Set(places.map((p) => p.name))];
}

/** The sportelli's own addresses as places ("Via …, Mestre"). */
function addressPlaces(sportelli: Sportello[], bundle: Bundle): Place[] {
  const out: Place[] = [];
  for (const s of sportelli) {
    const a = s.address;
    if (!a) continue;
    const town = a.locality || (a.comune_istat ? bundle.comuni.get(a.comune_istat) : "") || "";
    const name = [a.street, town].filter(Boolean).join(", ");
    if (a.street && name) out.push({ name, kind: "address", lon: s.lon, lat: s.lat, comune_istat: a.comune_istat });
  }
  return out;
}

function stateText(t: Translator, st: OpenState): { text: string; open: boolean } {
  if (st.kind === "open") {
    if (!st.closes) return { text: t("open_now"), open: true };
    return { text: `${t("open_now")} · ${t("closes_at", { time: formatMinute(st.closes.minute, t.lang) })}`, open: true };
  }
  if (st.kind === "opens") {
    const time = formatMinute(st.minute, t.lang);
    if (st.daysAhead === 0) return { text: t("opens_at", { time }), open: false };
    return { text: t("opens_on", { day: dayPhrase(st.date, t.lang), time }), open: false };
  }
  return { text: t("closed"), open: false };
}

/**
 * Notices in force, each with the interface's words ("Full until 14 September 2027") and its
 * own message; a message in another language is marked and its language noted in `used`.
 */
function noticeList(t: Translator, notices: Notice[], used: Set<string> | null, id?: string): HTMLElement | null {
  if (!notices.length) return null;
  return h(
    "ul",
    { class: "notices", id },
    notices.map((n) => {
      const label = noticeLabel(t, n);
      const m = pick(n.message, t.lang);
      if (m.text && m.lang !== t.lang) used?.add(m.lang);
      return h(
        "li",
        { class: `notice-item ${n.kind}`, "data-kind": n.kind, "data-places": n.places ?? null },
        label ? h("strong", {}, label) : null,
        label && m.text ? " – " : null,
        m.text ? inLang(m.text, m.lang, t.lang) : null,
      );
    }),
  );
}

/**
 * Closures, changed hours and places announced before they begin ("Coming up: Temporarily
 * closed · 10–24 August 2027"), each with its own message.
 */
function upcomingList(t: Translator, notices: Notice[], used: Set<string>, id?: string): HTMLElement | null {
  if (!notices.length) return null;
  return h(
    "ul",
    { class: "notices upcoming", id },
    notices.map((n) => {
      const m = pick(n.message, t.lang);
      if (m.text && m.lang !== t.lang) used.add(m.lang);
      return h(
        "li",
        { class: `notice-item upcoming ${n.kind}`, "data-kind": n.kind, "data-places": n.places ?? null, "data-from": n.from },
        h("span", { class: "soon" }, t("soon")),
        " ",
        h("strong", {}, upcomingLabel(t, n)),
        " · ",
        h("span", { class: "when" }, upcomingDates(t, n)),
        m.text ? [" – ", inLang(m.text, m.lang, t.lang)] : null,
      );
    }),
  );
}

/** A card's short badge for the first notice announced there ("Temporarily closed · from 10 Aug"). */
function upcomingBadge(t: Translator, sp: Sportello, services: Service[], today: string): HTMLElement | null {
  const first = [...upcomingNotices(sp.notices, today), ...services.flatMap((s) => upcomingNotices(s.notices, today))].sort((a, b) =>
    a.from.localeCompare(b.from),
  )[0];
  if (!first) return null;
  return h("span", { class: "badge soon", "data-kind": first.kind }, `${upcomingLabel(t, first)} · ${upcomingDates(t, first, true)}`);
}

function badge(t: Translator, st: OpenState): HTMLElement {
  const s = stateText(t, st);
  return h("span", { class: s.open ? "badge open" : "badge closed" }, s.text);
}

/**
 * A select whose choice applies when it is committed, not on every arrow key: a pointer pick
 * (the phone's picker closing) applies at once; with the keyboard, arrows and typed letters
 * only move the choice and Enter, Tab away or leaving the field applies it (WCAG 3.2.2).
 */
function committedSelect(attrs: { id: string }, apply: (value: string | null) => void, options: HTMLOptionElement[]) {
  const select = h("select", { id: attrs.id }, options);
  let initial = select.value;
  let keyed = false;
  const commit = () => {
    keyed = false;
    if (select.value === initial) return;
    initial = select.value;
    apply(select.value || null);
  };
  select.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      commit();
    } else if (e.key === "F4" || e.key === " " || (e.altKey && (e.key === "ArrowDown" || e.key === "ArrowUp"))) {
      keyed = false; // opens the picker: a choice made in it is committed when it closes
    } else if (e.key !== "Tab") keyed = true;
  });
  select.addEventListener("pointerdown", () => (keyed = false));
  select.addEventListener("change", () => {
    if (!keyed) commit();
  });
  select.addEventListener("blur", commit);
  return select;
}

function filterControls(c: Ctx): HTMLElement {
  const { t, state, bundle } = c;
  const f = state.filters;
  const active = [f.openNow, f.free, f.noAppointment, !!f.spoken, !!f.audience].filter(Boolean).length;
  const set = (patch: Partial<State["filters"]>) => c.go(with_(c.state, { filters: patch, id: null }), { replace: true });
  const check = (id: string, label: string, on: boolean, key: "openNow" | "free" | "noAppointment") =>
    h(
      "label",
      { class: "check", for: id },
      h("input", {
        type: "checkbox",
        id,
        checked: on,
        onchange: (e: Event) => set({ [key]: (e.target as HTMLInputElement).checked }),
      }),
      label,
    );
  const spoken = new Set<string>();
  for (const s of bundle.sportelli) for (const v of s.services) for (const l of v.languages) spoken.add(l);
  const langOptions = [...spoken]
    .map((code) => ({ code, name: languageName(code, t.lang) }))
    .sort((a, b) => a.name.localeCompare(b.name, t.lang));
  const details = h(
    "details",
    { class: "filters", open: filtersOpen ?? active > 0 },
    h("summary", { id: "filters-summary" }, active ? `${t("filters")} (${new Intl.NumberFormat(t.lang).format(active)})` : t("filters")),
    h(
      "div",
      { class: "filter-grid" },
      check("f-open", t("open_now_filter"), f.openNow, "openNow"),
      check("f-free", t("free"), f.free, "free"),
      check("f-noappt", t("no_appointment"), f.noAppointment, "noAppointment"),
      h(
        "label",
        { class: "select", for: "f-spoken" },
        t("spoken"),
        committedSelect({ id: "f-spoken" }, (v) => set({ spoken: v }), [
          h("option", { value: "" }, t("any")),
          ...langOptions.map((o) => h("option", { value: o.code, selected: o.code === f.spoken }, o.name)),
        ]),
      ),
      h(
        "label",
        { class: "select", for: "f-for" },
        t("for_whom"),
        committedSelect({ id: "f-for" }, (v) => set({ audience: v }), [
          h("option", { value: "" }, t("any")),
          ...bundle.audiences
            .filter((a) => a.id !== "everyone")
            .map((a) => h("option", { value: a.id, selected: a.id === f.audience }, pick(a.name, t.lang).text)),
        ]),
      ),
    ),
  );
  // The panel stays as the person left it (unchecking the last filter does not close it).
  details.addEventListener("toggle", () => (filtersOpen = details.open));
  return details;
}

/** Metres from a point to the nearest edge of a lon/lat box (0 inside it). */
function metresOutside(p: { lon: number; lat: number }, bbox: number[]): number {
  const [w, s, e, n] = bbox;
  const lon = Math.min(Math.max(p.lon, w), e);
  const lat = Math.min(Math.max(p.lat, s), n);
  return haversine(p.lon, p.lat, lon, lat);
}

/** The territory's box: the configuration's, else the extent of the bundle's sportelli. */
function territoryBox(c: Ctx): number[] | null {
  const b = c.config?.territory?.bbox;
  if (b && b.length === 4) return b;
  const ss = c.bundle.sportelli;
  if (!ss.length) return null;
  return [
    Math.min(...ss.map((x) => x.lon)),
    Math.min(...ss.map((x) => x.lat)),
    Math.max(...ss.map((x) => x.lon)),
    Math.max(...ss.map((x) => x.lat)),
  ];
}

/** Farther than this from the territory, a position gets a warning. */
const FAR_OUTSIDE_M = 25_000;

export function resultsScreen(c: Ctx): HTMLElement {
  const { t, state, bundle } = c;
  const need = categoryName(c, state.need!);
  const results = search(bundle, state.need, state.filters, state.near, romeTime(new Date()));
  const where = state.near
    ? state.place
      ? t("near_place", { place: state.place })
      : c.isMine(state.near)
        ? t("near_you")
        : t("near_shared")
    : t("choose_place");
  const box = state.near ? territoryBox(c) : null;
  const far = state.near && box && metresOutside(state.near, box) > FAR_OUTSIDE_M;
  const territory = c.config?.territory?.name ?? bundle.territory ?? "";
  const toggle = h(
    "div",
    { class: "view-toggle", role: "group", "aria-label": `${t("list")} / ${t("map")}` },
    (["list", "map"] as const).map((v) =>
      h(
        "button",
        {
          type: "button",
          class: "btn toggle",
          id: `view-${v}`,
          "aria-pressed": state.view === v ? "true" : "false",
          onclick: () => {
            c.go(with_(state, { view: v }), { replace: true });
            // Show what the button changed: the map is below the search form.
            if (v === "map") document.getElementById("map")?.scrollIntoView({ block: "start" });
          },
        },
        icon(v, 20),
        t(v),
      ),
    ),
  );
  const list = h(
    "ol",
    { class: "results", id: "results" },
    results.map((r) => resultCard(c, r)),
  );
  // Names the data has only in other languages are marked (lang=…) and noted once, after the
  // list (above it, the note would push the first result off a small screen).
  const fell = new Set<string>();
  list.querySelectorAll<HTMLElement>("[lang]").forEach((e) => fell.add(e.lang));
  const fallback = [...fell].map((l) => languageName(l, t.lang));
  const mapBox = state.view === "map" ? h("div", { class: "map", id: "map", role: "region", "aria-label": t("map_label") }) : null;
  const legend =
    state.view === "map"
      ? h(
          "p",
          { class: "legend", id: "map-legend" },
          h("span", { class: "dot open" }),
          t("open_now"),
          h("span", { class: "dot closed" }),
          t("closed"),
          state.near ? [h("span", { class: "dot you" }), t("you")] : null,
        )
      : null;
  if (mapBox) void mountMap(c, mapBox, legend, results);
  return h(
    "div",
    { class: "screen results-screen" },
    h(
      "div",
      { class: "results-head" },
      h("a", { class: "back", href: c.href(with_(state, { need: null, id: null, view: "list" })) }, icon("back", 20), t("change_need")),
      h("h1", { tabindex: "-1" }, inLang(need.text, need.lang, t.lang)),
      h("p", { class: "where", id: "where" }, icon("pin", 18), where),
    ),
    far ? h("p", { class: "warning", id: "far-warning", role: "note" }, t("far_away", { territory })) : null,
    placeForm(c),
    filterControls(c),
    h("div", { class: "list-head" }, toggle, h("p", { class: "count", id: "count", role: "status" }, t.plural("results", results.length))),
    mapBox,
    legend,
    results.length ? list : h("p", { class: "empty" }, t("no_results")),
    fallback.length && results.length
      ? h("p", { class: "fallback", id: "fallback-note" }, t("fallback", { language: listOf(fallback, t.lang) }))
      : null,
  );
}

async function mountMap(c: Ctx, box: HTMLElement, legend: HTMLElement | null, results: Result[]) {
  try {
    const { showMap } = await import("./map");
    const config = c.config ?? (await loadConfig());
    const map = await showMap(box, {
      basemap: config.basemap_style ?? null,
      attribution: attributionText(config.territory?.attribution),
      results,
      near: c.state.near,
      lang: c.t.lang,
      labels: { zoomIn: c.t("zoom_in"), zoomOut: c.t("zoom_out") },
      onSelect: (id) => c.go(with_(c.state, { id })),
    });
    if (legend) c.restricted(map, box, legend);
  } catch {
    // No legend for a map that is not there; offline, say why and what still works.
    legend?.remove();
    const online = navigator.onLine;
    box.classList.add("map-failed");
    box.replaceChildren(h("p", { class: "map-error", id: "map-error" }, c.t(online ? "map_unavailable" : "map_offline")));
  }
}

function resultCard(c: Ctx, r: Result): HTMLElement {
  const { t, state, bundle } = c;
  const name = pick(r.sportello.name, t.lang);
  const org = bundle.organizations.get(r.sportello.organization_id);
  const services = r.services.map((s) => pick(s.name, t.lang));
  const free = r.services.some((s) => s.cost === "free");
  const walkIn = r.services.some((s) => !s.appointment_required);
  const today = romeTime(new Date()).date;
  const notices = [...activeNotices(r.sportello.notices, today), ...r.services.flatMap((s) => activeNotices(s.notices, today))];
  return h(
    "li",
    { class: "card", "data-id": r.sportello.id },
    h(
      "h2",
      { class: "card-title" },
      h("a", { href: c.href(with_(state, { id: r.sportello.id })) }, inLang(name.text, name.lang, t.lang)),
    ),
    h(
      "p",
      { class: "card-meta" },
      badge(t, r.state),
      r.distance !== null ? h("span", { class: "distance" }, formatDistance(r.distance, t.lang)) : null,
      upcomingBadge(t, r.sportello, r.services, today),
    ),
    h("p", { class: "card-services" }, services.flatMap((s, i) => [i ? " · " : "", inLang(s.text, s.lang, t.lang)])),
    noticeList(t, notices, null),
    h(
      "p",
      { class: "card-org" },
      org?.name ?? "",
      h("span", { class: "chips" }, free ? h("span", { class: "chip" }, t("free")) : null, walkIn ? h("span", { class: "chip" }, t("no_appointment")) : null),
    ),
  );
}

function contactLinks(c: Ctx, s: Sportello): HTMLElement {
  const { t } = c;
  const name = pick(s.name, "it").text;
  const geo = `geo:${s.lat},${s.lon}?q=${s.lat},${s.lon}(${encodeURIComponent(name)})`;
  const osm = `https://www.openstreetmap.org/?mlat=${s.lat}&mlon=${s.lon}#map=18/${s.lat}/${s.lon}`;
  const share = async () => {
    const url = location.href;
    try {
      if (navigator.share) {
        await navigator.share({ title: name, url });
        return;
      }
      await navigator.clipboard.writeText(url);
      c.say(t("copied"));
    } catch {
      window.prompt(t("share"), url);
    }
  };
  return h(
    "div",
    { class: "actions" },
    s.phones.slice(0, 1).map((p) => h("a", { class: "btn action", href: `tel:${p.replace(/[^\d+]/g, "")}` }, icon("phone", 20), t("call"))),
    h("a", { class: "btn action", href: geo }, icon("route", 20), t("directions")),
    h("a", { class: "btn action", href: osm, rel: "noopener noreferrer", target: "_blank" }, icon("map", 20), t("osm")),
    h("button", { type: "button", class: "btn action", onclick: share }, icon("share", 20), t("share")),
  );
}

function hoursTable(c: Ctx, sp: Sportello, s: Service, today: string): HTMLElement {
  const { t, bundle } = c;
  const rows = week(s.schedule, today, holidaysAt(bundle, sp));
  // A holiday that is not national is the comune's patron day: say whose.
  // The saint's name is marked with its own language (Italian, in most UI languages).
  const patron = pick(bundle.patronDays.get(sp.address?.comune_istat ?? ""), t.lang);
  const why = (date: string): (Node | string)[] => {
    if (bundle.holidays.has(date) || !patron.text) return [t("holiday")];
    const [before, after = ""] = t("patron_day", { name: "\u0000" }).split("\u0000");
    return [before, inLang(patron.text, patron.lang, t.lang), after];
  };
  return h(
    "table",
    { class: "hours" },
    h("caption", {}, t("hours")),
    h(
      "tbody",
      {},
      rows.map((r, i) =>
        h(
          "tr",
          { class: i === 0 ? "today" : null },
          h(
            "th",
            { scope: "row" },
            i === 0 ? `${t("today")}${separator(t.lang)}` : "",
            `${weekdayName(r.date, t.lang)} ${shortDate(r.date, t.lang)}`,
          ),
          h(
            "td",
            {},
            r.intervals.length
              ? breakAfterDashes(formatIntervals(r.intervals, t.lang))
              : [t("closed_day"), ...(r.closure ? [` (${t("closure")})`] : r.holiday ? [" (", ...why(r.date), ")"] : [])],
          ),
        ),
      ),
    ),
  );
}

/** "8:30–11:30" may wrap after its dash (at 200 % text a week's row is wider than a phone). */
function breakAfterDashes(text: string): (Node | string)[] {
  return text.split("–").flatMap((part, i) => (i ? ["–", h("wbr"), part] : [part]));
}

/** `shown` holds the e-mail addresses, phones and websites already on the sheet: each appears once. */
function serviceSection(c: Ctx, sp: Sportello, s: Service, now: RomeTime, used: Set<string>, shown: Set<string>): HTMLElement {
  const { t, bundle } = c;
  const text = (x: Record<string, string> | undefined | null, tag: "span" | "p" = "p") => {
    const p = pick(x, t.lang);
    if (!p.text) return null;
    if (p.lang !== t.lang) used.add(p.lang);
    return inLang(p.text, p.lang, t.lang, tag);
  };
  const name = pick(s.name, t.lang);
  if (name.lang !== t.lang) used.add(name.lang);
  const st = openState(s.schedule, now, holidaysAt(bundle, sp));
  const cost = { free: t("cost_free"), paid: t("cost_paid"), reduced: t("cost_reduced") }[s.cost];
  const audiences = s.audiences
    .map((id) => bundle.audiences.find((a) => a.id === id))
    .filter((a) => !!a)
    .map((a) => pick(a!.name, t.lang).text);
  const dl = (label: string, value: Node | string | null) => (value ? [h("dt", {}, label), h("dd", {}, value)] : []);
  const once = (v: string | undefined | null) => {
    if (!v || shown.has(v)) return null;
    shown.add(v);
    return v;
  };
  const phone = once(s.phone);
  const email = once(s.email);
  const url = once(s.url);
  return h(
    "section",
    { class: "service", "aria-labelledby": `svc-${s.id}` },
    h("h2", { id: `svc-${s.id}` }, inLang(name.text, name.lang, t.lang)),
    h(
      "p",
      { class: "service-state" },
      badge(t, st),
      h("span", { class: "chip" }, s.appointment_required ? t("appointment_needed") : t("appointment_not_needed")),
    ),
    noticeList(t, activeNotices(s.notices, now.date), used),
    upcomingList(t, upcomingNotices(s.notices, now.date), used),
    text(s.description),
    machineMark(s as unknown as Record<string, unknown>, ["name", "description", "cost_note", "documents", "schedule/note", ...shownNotices(s, now.date)], t.lang),
    hoursTable(c, sp, s, now.date),
    text(s.schedule?.note),
    h(
      "dl",
      { class: "facts" },
      dl(t("languages_spoken"), listOf(s.languages.map((l) => languageName(l, t.lang)), t.lang)),
      dl(t("cost"), h("span", {}, cost, s.cost_note ? " – " : "", text(s.cost_note, "span"))),
      dl(t("documents"), text(s.documents, "span")),
      dl(t("for_whom"), listOf(audiences, t.lang)),
      dl(t("call"), phone ? h("a", { href: `tel:${phone.replace(/[^\d+]/g, "")}` }, phone) : null),
      dl(t("email"), email ? h("a", { href: `mailto:${email}` }, email) : null),
      dl(t("website"), url ? h("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, url) : null),
    ),
    // Absent: the sportello's source, named once below; null: none known.
    s.provenance === undefined ? null : sourceLine(s.provenance, t.lang),
  );
}

/** The notices' messages on the sheet (in force or announced), as translation paths. */
function shownNotices(s: Service, today: string): string[] {
  return (s.notices ?? []).flatMap((n, i) => (activeNotices([n], today).length || upcomingNotices([n], today).length ? [`notices/${i}/message`] : []));
}

export function detailScreen(c: Ctx): HTMLElement {
  const { t, state, bundle } = c;
  const s = bundle.sportelli.find((x) => x.id === state.id);
  const back = h(
    "a",
    { class: "back", href: c.href(with_(state, { id: null })) },
    icon("back", 20),
    t("back"),
  );
  // A link to a sportello that is no longer in the directory (closed, merged, withdrawn).
  if (!s)
    return h(
      "div",
      { class: "screen gone" },
      back,
      h("h1", { tabindex: "-1" }, t("gone_title")),
      h("p", { id: "gone" }, t("gone")),
      state.need
        ? h("a", { class: "btn primary", href: c.href(with_(state, { id: null })) }, t("gone_search"))
        : h("a", { class: "btn primary", href: c.href(with_(state, { id: null, need: null })) }, t("gone_search")),
    );
  const used = new Set<string>();
  const name = pick(s.name, t.lang);
  if (name.lang !== t.lang) used.add(name.lang);
  const org = bundle.organizations.get(s.organization_id);
  const now = romeTime(new Date());
  // The services matching the need first, then the others at this sportello.
  const services = [...s.services].sort(
    (a, b) => Number(!a.categories.includes(state.need ?? "")) - Number(!b.categories.includes(state.need ?? "")),
  );
  const a = s.address ?? {};
  const comune = a.comune_istat ? bundle.comuni.get(a.comune_istat) : undefined;
  const town = [a.postcode, a.locality || comune].filter(Boolean).join(" ");
  const sep = separator(t.lang);
  const distance = state.near
    ? formatDistance(haversine(state.near.lon, state.near.lat, s.lon, s.lat), t.lang)
    : "";
  const accessibility = pick(s.accessibility, t.lang);
  const description = pick(s.description, t.lang);
  const shown = new Set<string>([...s.emails, ...s.phones.slice(0, 1), s.website ?? ""]);
  const notices = noticeList(t, activeNotices(s.notices, now.date), used, "sportello-notices");
  const coming = upcomingList(t, upcomingNotices(s.notices, now.date), used, "sportello-upcoming");
  const sections = services.map((v) => serviceSection(c, s, v, now, used, shown));
  const fallback = [...used].map((l) => languageName(l, t.lang));
  const fresh = freshness(s, now.date, bundle.freshnessDays);
  return h(
    "article",
    { class: "screen detail" },
    back,
    h("h1", { tabindex: "-1" }, inLang(name.text, name.lang, t.lang)),
    org
      ? h(
          "p",
          { class: "org" },
          `${t("run_by")}: `,
          org.fictional ? withoutFictionalTag(org.name) : org.name,
          org.fictional ? [h("br"), h("span", { class: "fictional" }, t("fictional"))] : null,
        )
      : null,
    notices,
    coming,
    fresh.outdated ? h("p", { class: "warning outdated", id: "outdated", role: "note" }, t("maybe_outdated")) : null,
    fallback.length ? h("p", { class: "fallback", id: "fallback-note" }, t("fallback", { language: listOf(fallback, t.lang) })) : null,
    description.text ? inLang(description.text, description.lang, t.lang, "p") : null,
    machineMark(s as unknown as Record<string, unknown>, ["name", "description", "accessibility"], t.lang),
    h(
      "p",
      { class: "address" },
      h("span", { class: "label" }, `${t("address")}: `),
      // Isolated, so a Latin address keeps its own order inside an Arabic or Urdu line.
      h("bdi", {}, [a.street, town].filter(Boolean).join(sep) || comune || ""),
      distance ? h("span", { class: "distance" }, ` · ${t("distance_away", { distance })}`) : null,
    ),
    contactLinks(c, s),
    s.emails.length
      ? h("p", {}, `${t("email")}: `, [...new Set(s.emails)].flatMap((e, i) => [i ? sep : "", h("a", { href: `mailto:${e}` }, e)]))
      : null,
    s.website ? h("p", {}, `${t("website")}: `, h("a", { href: s.website, rel: "noopener noreferrer", target: "_blank" }, s.website)) : null,
    h("p", { class: "count" }, t.plural("services_here", services.length)),
    sections,
    accessibility.text
      ? h("section", { class: "access" }, h("h2", {}, t("accessibility")), inLang(accessibility.text, accessibility.lang, t.lang, "p"))
      : null,
    fresh.days !== null ? h("p", { class: "verified", id: "checked" }, checkedPhrase(t, fresh.days)) : null,
    sourceLine(s.provenance, t.lang),
    feedbackSection(t, s.id, now.date),
  );
}

/** The demo data marks fictional organisations in their name too ("… (fittizia)"): said once. */
function withoutFictionalTag(name: string): string {
  return name.replace(/\s*\((fittizi[ao]|fictional)\)\s*$/i, "");
}
