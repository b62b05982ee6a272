// Every screen is a URL, so a mediator can send a link on WhatsApp. The state lives in the
// URL's fragment (`#need=legal-aid&near=…`), which browsers never send to a server, so a
// reload or an opened link does not tell the server where the person is. This module turns the
// fragment into a state and back, ignoring anything malformed, and moves old-style query links
// (`/?near=…`) into the fragment.

import { roundCoord } from "./geo";

export interface Filters {
  openNow: boolean;
  free: boolean;
  noAppointment: boolean;
  spoken: string | null; // a language spoken at the desk
  audience: string | null; // who it is for
}

export interface State {
  lang: string | null;
  need: string | null;
  /** Rounded to 3 decimals (~100 m). */
  near: { lon: number; lat: number } | null;
  place: string | null;
  filters: Filters;
  view: "list" | "map";
  id: string | null;
  /** The language picker is open over this state. */
  picking: boolean;
}

export const emptyFilters = (): Filters => ({
  openNow: false,
  free: false,
  noAppointment: false,
  spoken: null,
  audience: null,
});

export const emptyState = (): State => ({
  lang: null,
  need: null,
  near: null,
  place: null,
  filters: emptyFilters(),
  view: "list",
  id: null,
  picking: false,
});

const SLUG = /^[a-z0-9][a-z0-9_~.-]{0,127}$/i;
const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

function slug(v: string | null): string | null {
  return v && SLUG.test(v) ? v : null;
}

function flag(v: string | null): boolean {
  return v === "1" || v === "true";
}

/**
 * Parses `#lang=ar&need=legal-aid&near=12.236,45.481&place=Mestre&free=1&view=map&id=…` (or the
 * same as a query string, `?…`, the form of older links).
 */
export function parse(fragment: string): State {
  const q = new URLSearchParams(fragment.replace(/^[#?]/, ""));
  const s = emptyState();
  const lang = q.get("lang");
  if (lang && LANG.test(lang)) s.lang = lang;
  s.need = slug(q.get("need"));
  const near = q.get("near")?.split(",");
  if (near?.length === 2) {
    const [lon, lat] = near.map(Number);
    if (Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90) {
      s.near = { lon: roundCoord(lon), lat: roundCoord(lat) };
    }
  }
  const place = q.get("place")?.trim();
  if (place) s.place = place.slice(0, 120);
  s.filters = {
    openNow: flag(q.get("open")),
    free: flag(q.get("free")),
    noAppointment: flag(q.get("noappt")),
    spoken: (() => {
      const v = q.get("spoken");
      return v && LANG.test(v) ? v : null;
    })(),
    audience: slug(q.get("for")),
  };
  s.view = q.get("view") === "map" ? "map" : "list";
  s.id = slug(q.get("id"));
  s.picking = q.get("pick") === "lang";
  return s;
}

/** Whether a query string carries app state (an old-style link such as `/?near=…`). */
export function isStateQuery(search: string): boolean {
  const q = new URLSearchParams(search);
  return ["lang", "need", "near", "place", "open", "free", "noappt", "spoken", "for", "view", "id"].some((k) => q.has(k));
}

/**
 * The state a page address stands for: its fragment, or for an old-style link its query
 * string. `moved` is the address to put in its place at once (history.replaceState), with the
 * state in the fragment and the position rounded; null when the address is already that.
 */
export function fromLocation(loc: { pathname: string; search: string; hash: string }): { state: State; moved: string | null } {
  if (isStateQuery(loc.search)) {
    const state = parse(loc.search);
    return { state, moved: loc.pathname + serialize(state) };
  }
  const state = parse(loc.hash);
  const canonical = serialize(state);
  // A hand-made link with an unrounded position is rewritten too, so it is never copied on.
  const moved = loc.search || (loc.hash && loc.hash !== canonical && state.near) ? loc.pathname + canonical : null;
  return { state, moved };
}

/** The fragment of a state, parameters always in the same order ("" for the start). */
export function serialize(s: State): string {
  const q = new URLSearchParams();
  if (s.lang) q.set("lang", s.lang);
  if (s.need) q.set("need", s.need);
  if (s.near) q.set("near", `${roundCoord(s.near.lon)},${roundCoord(s.near.lat)}`);
  if (s.place) q.set("place", s.place);
  if (s.filters.openNow) q.set("open", "1");
  if (s.filters.free) q.set("free", "1");
  if (s.filters.noAppointment) q.set("noappt", "1");
  if (s.filters.spoken) q.set("spoken", s.filters.spoken);
  if (s.filters.audience) q.set("for", s.filters.audience);
  if (s.view === "map") q.set("view", "map");
  if (s.id) q.set("id", s.id);
  if (s.picking) q.set("pick", "lang");
  const str = q.toString().replace(/%2C/g, ",");
  return str ? "#" + str : "";
}

export type Patch = Partial<Omit<State, "filters">> & { filters?: Partial<Filters> };

export function with_(s: State, patch: Patch): State {
  return { ...s, ...patch, filters: { ...s.filters, ...(patch.filters ?? {}) } };
}
