// Opening hours, evaluated on the phone from the bundle's compiled weeks: the sportello's own
// wall clock (Europe/Rome), seasonal periods, one-off closures and public holidays (the set a
// caller passes: the national ones, and its comune's patron day, from data.ts's holidaysAt) —
// the same rules as the server's bussola-hours crate (tests/fixtures/hours.json holds the cases
// both must pass: web/src/hours.shared.test.ts, crates/hours/tests/shared_fixtures.rs).

import type { Schedule } from "./types";

/** A local date in Rome and the minute of its day. */
export interface RomeTime {
  date: string; // YYYY-MM-DD
  minute: number; // 0..1439
  weekday: number; // 0 = Monday
}

const romeFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Rome",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** Wall-clock time in Rome at an instant. */
export function romeTime(instant: Date): RomeTime {
  const parts: Record<string, string> = {};
  for (const p of romeFormat.formatToParts(instant)) parts[p.type] = p.value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return { date, minute: Number(parts.hour) * 60 + Number(parts.minute), weekday: weekdayOf(date) };
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(date: string): number {
  return (new Date(date + "T12:00:00Z").getUTCDay() + 6) % 7;
}

export function addDays(date: string, n: number): string {
  const d = new Date(date + "T12:00:00Z");
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Opening intervals on a local date: empty on closures and (unless open) holidays. */
export function intervalsOn(s: Schedule | undefined, date: string, holidays: Set<string>): [number, number][] {
  if (!s) return [];
  if (s.closed_on?.includes(date)) return [];
  if ((s.public_holidays ?? "closed") === "closed" && holidays.has(date)) return [];
  const dated = s.periods.filter(
    (p) => (p.valid_from || p.valid_to) && (!p.valid_from || date >= p.valid_from) && (!p.valid_to || date <= p.valid_to),
  );
  // The latest-starting dated period wins; else the undated one.
  dated.sort((a, b) => (a.valid_from ?? "").localeCompare(b.valid_from ?? ""));
  const period = dated.length ? dated[dated.length - 1] : s.periods.find((p) => !p.valid_from && !p.valid_to);
  return period?.week?.[weekdayOf(date)] ?? [];
}

/** A Rome wall-clock moment: a local date and a minute of its day (0..1439). */
export interface LocalMoment {
  date: string;
  minute: number;
}

export type OpenState =
  /** Open; `closes` is when, after any 24:00–00:00 joins, or null if not within two weeks. */
  | { kind: "open"; closes: LocalMoment | null }
  | { kind: "opens"; date: string; minute: number; daysAhead: number }
  | { kind: "closed" };

/** Open now (and until when), or the next opening within two weeks. */
export function openState(s: Schedule | undefined, now: RomeTime, holidays: Set<string>): OpenState {
  const today = intervalsOn(s, now.date, holidays);
  const current = today.find(([a, b]) => a <= now.minute && now.minute < b);
  if (current) return { kind: "open", closes: closingAfter(s, now.date, current[1], holidays) };
  for (let d = 0; d <= 14; d++) {
    const date = addDays(now.date, d);
    const next = intervalsOn(s, date, holidays).find(([a]) => d > 0 || a > now.minute);
    if (next) return { kind: "opens", date, minute: next[0], daysAhead: d };
  }
  return { kind: "closed" };
}

/**
 * When an interval ending at `end` on `date` really closes: an interval ending at 24:00 goes
 * on into the next day's interval from 00:00 (as the server's next_change does); null when
 * it stays open through the fourteenth day.
 */
function closingAfter(s: Schedule | undefined, date: string, end: number, holidays: Set<string>): LocalMoment | null {
  let [d, e] = [date, end];
  for (let ahead = 0; e >= 1440; ahead++) {
    if (ahead === 14) return null;
    const next = addDays(d, 1);
    const first = intervalsOn(s, next, holidays)[0];
    if (!first || first[0] !== 0) return { date: next, minute: 0 };
    [d, e] = [next, first[1]];
  }
  return { date: d, minute: e };
}

const later = (a: LocalMoment | null, b: LocalMoment | null): boolean =>
  a === null ? b !== null : b !== null && (a.date > b.date || (a.date === b.date && a.minute > b.minute));

/** The best state among several services (a sportello is open when any of them is). */
export function bestState(states: OpenState[]): OpenState {
  const open = states.filter((s) => s.kind === "open") as Extract<OpenState, { kind: "open" }>[];
  if (open.length) return open.reduce((a, b) => (later(b.closes, a.closes) ? b : a));
  const opens = states.filter((s) => s.kind === "opens") as Extract<OpenState, { kind: "opens" }>[];
  if (opens.length)
    return opens.reduce((a, b) => (b.date < a.date || (b.date === a.date && b.minute < a.minute) ? b : a));
  return { kind: "closed" };
}

/** "14:30" or "2:30 PM": a Rome wall-clock minute in the user's locale. */
export function formatMinute(minute: number, locale: string): string {
  const d = new Date(Date.UTC(2026, 0, 5, Math.floor(minute / 60), minute % 60));
  if (minute >= 1440) d.setUTCMinutes(d.getUTCMinutes() - 1); // 24:00 shows as 23:59
  // Urdu sentences say the hour with "بجے" ("10:00 بجے"): a 12-hour "AM" beside it would say it
  // twice, so Urdu times are on the 24-hour clock, as Italy's timetables are.
  const hourCycle = locale.split("-")[0] === "ur" ? "h23" : undefined;
  return new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit", timeZone: "UTC", hourCycle }).format(d);
}

/** "08:30–12:30, 14:30–16:30" in the user's locale; "" when closed. */
export function formatIntervals(ivs: [number, number][], locale: string): string {
  const list = ivs.map(([a, b]) => `${formatMinute(a, locale)}–${formatMinute(b, locale)}`);
  return new Intl.ListFormat(locale, { style: "short", type: "unit" }).format(list);
}

/** "Monday", "lunedì", "الاثنين" for a local date. */
export function weekdayName(date: string, locale: string, width: "long" | "short" = "long"): string {
  return new Intl.DateTimeFormat(locale, { weekday: width, timeZone: "UTC" }).format(new Date(date + "T12:00:00Z"));
}

/** "30 Nov" for a local date. */
export function shortDate(date: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone: "UTC" }).format(
    new Date(date + "T12:00:00Z"),
  );
}

export interface DayRow {
  date: string;
  intervals: [number, number][];
  holiday: boolean;
  closure: boolean;
}

/** The seven days from `from`, with their intervals and why a day is closed. */
export function week(s: Schedule | undefined, from: string, holidays: Set<string>): DayRow[] {
  return Array.from({ length: 7 }, (_, i) => {
    const date = addDays(from, i);
    return {
      date,
      intervals: intervalsOn(s, date, holidays),
      holiday: holidays.has(date) && (s?.public_holidays ?? "closed") === "closed",
      closure: !!s?.closed_on?.includes(date),
    };
  });
}
