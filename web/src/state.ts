// Every screen is a URL, so a mediator can send a link on WhatsApp. This module turns the query
// string into a state and back, ignoring anything malformed.

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
});

const SLUG = /^[a-z0-9][a-z0-9_~.-]{0,127}$/i;
const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

function slug(v: string | null): string | null {
  return v && SLUG.test(v) ? v : null;
}

function flag(v: string | null): boolean {
  return v === "1" || v === "true";
}

/** Parses `?lang=ar&need=legal-aid&near=12.236,45.481&place=Mestre&free=1&view=map&id=…`. */
export function parse(search: string): State {
  const q = new URLSearchParams(search);
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
  return s;
}

/** The query string of a state, parameters always in the same order ("" for the start). */
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
  const str = q.toString().replace(/%2C/g, ",");
  return str ? "?" + str : "";
}

export type Patch = Partial<Omit<State, "filters">> & { filters?: Partial<Filters> };

export function with_(s: State, patch: Patch): State {
  return { ...s, ...patch, filters: { ...s.filters, ...(patch.filters ?? {}) } };
}
