// The search itself, on the phone: filter the bundle's sportelli and order them by distance.
// Nothing about the user's position or need leaves the device.

import { holidaysAt } from "./data";
import { haversine } from "./geo";
import { bestState, openState, type OpenState, type RomeTime } from "./hours";
import type { Filters } from "./state";
import type { Bundle, Service, Sportello } from "./types";

export interface Result {
  sportello: Sportello;
  /** The services that match the need and filters, in the bundle's order. */
  services: Service[];
  distance: number | null;
  state: OpenState;
}

export function serviceMatches(s: Service, need: string | null, f: Filters): boolean {
  if (need && !s.categories.includes(need)) return false;
  if (f.free && s.cost !== "free") return false;
  if (f.noAppointment && s.appointment_required) return false;
  if (f.spoken && !s.languages.some((l) => l === f.spoken || l.startsWith(f.spoken + "-"))) return false;
  if (f.audience && !(s.audiences.includes(f.audience) || s.audiences.includes("everyone"))) return false;
  return true;
}

/**
 * Sportelli with at least one matching service, nearest first (ties by id, like the server);
 * without a position, by name.
 */
export function search(
  bundle: Bundle,
  need: string | null,
  f: Filters,
  near: { lon: number; lat: number } | null,
  now: RomeTime,
): Result[] {
  const out: Result[] = [];
  for (const sp of bundle.sportelli) {
    let services = sp.services.filter((s) => serviceMatches(s, need, f));
    const holidays = holidaysAt(bundle, sp);
    const states = new Map(services.map((s) => [s.id, openState(s.schedule, now, holidays)]));
    if (f.openNow) services = services.filter((s) => states.get(s.id)?.kind === "open");
    if (!services.length) continue;
    out.push({
      sportello: sp,
      services,
      distance: near ? haversine(near.lon, near.lat, sp.lon, sp.lat) : null,
      state: bestState(services.map((s) => states.get(s.id)!)),
    });
  }
  out.sort((a, b) => {
    if (a.distance !== null && b.distance !== null && a.distance !== b.distance) return a.distance - b.distance;
    if (a.distance === null) {
      const c = (a.sportello.name.it ?? "").localeCompare(b.sportello.name.it ?? "", "it");
      if (c) return c;
    }
    return a.sportello.id < b.sportello.id ? -1 : a.sportello.id > b.sportello.id ? 1 : 0;
  });
  return out;
}

/** A saint's title written out ("San", "Santa", "Sant'") and abbreviated ("S.", "Sta", "Sto", "SS."). */
const SAINT = /^(san|santo|santa|sant|santi)$/;
const SAINT_SHORT = /^(s|sto|sta|ss)$/;

/**
 * Normalises for place matching: lower case, no accents, no punctuation, and a saint's title in
 * any of its forms as "san" ("S. Donà" = "San Donà" = "san dona"; "Sant'Erasmo" = "S. Erasmo").
 * An abbreviation counts only before another word, so a half-typed "S" or "Sta" still matches
 * "Spinea" or "Stra".
 */
export function fold(s: string): string {
  const words = s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .split(" ");
  return words
    .map((w, i) => (SAINT.test(w) || (SAINT_SHORT.test(w) && i < words.length - 1) ? "san" : w))
    .join(" ");
}

/** Places whose name starts with (then contains) the typed text, best first. */
export function matchPlaces<T extends { name: string }>(places: T[], typed: string, max = 8): T[] {
  const q = fold(typed);
  if (!q) return [];
  const starts: T[] = [];
  const contains: T[] = [];
  for (const p of places) {
    const n = fold(p.name);
    if (n === q || n.startsWith(q)) starts.push(p);
    else if (n.includes(q)) contains.push(p);
  }
  starts.sort((a, b) => fold(a.name).length - fold(b.name).length);
  return [...starts, ...contains].slice(0, max);
}
