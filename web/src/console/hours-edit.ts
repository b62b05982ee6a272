// The opening-hours editor's model: a schedule as the record keeps it (periods whose `hours` is
// the weekly syntax of docs/data-format.md, closed dates, the holiday policy) turned into
// intervals per weekday that a form can edit, and back. The parser and the printer follow the
// server's (crates/hours/src/weekly.rs): days with the same intervals grouped, runs as ranges,
// a week closed every day written `Mo-Su off`. The compiled week is what the public app's
// hours.ts evaluates, so the editor's "open now / next change" preview is the app's own.

import type { Schedule } from "../types";

/** Minutes since local midnight: [start, end), start < end <= 1440. */
export type Interval = [number, number];
/** Monday first. */
export type Week = Interval[][];

export interface EditPeriod {
  valid_from: string | null;
  valid_to: string | null;
  week: Week;
}

export interface EditSchedule {
  periods: EditPeriod[];
  closed_on: string[];
  public_holidays: "closed" | "open";
  /** Kept as it was (the note's translations are edited elsewhere). */
  note?: Record<string, string>;
}

export const DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"] as const;

export class HoursSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
  }
}

export const emptyWeek = (): Week => Array.from({ length: 7 }, () => []);

function addInterval(day: Interval[], iv: Interval) {
  day.push(iv);
  day.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Interval[] = [];
  for (const x of day) {
    const last = merged[merged.length - 1];
    if (last && x[0] <= last[1]) last[1] = Math.max(last[1], x[1]);
    else merged.push([x[0], x[1]]);
  }
  day.splice(0, day.length, ...merged);
}

/** The weekly syntax (`Mo-Fr 08:30-12:30; Tu,Th 14:30-16:30`) as intervals per weekday. */
export function parseHours(text: string): Week {
  let pos = 0;
  const rest = () => text.slice(pos);
  const skipWs = () => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  const err = (m: string) => new HoursSyntaxError(m, pos);
  const day = (): number => {
    const i = DAYS.findIndex((d) => rest().startsWith(d));
    if (i < 0) throw err("expected a day (Mo Tu We Th Fr Sa Su)");
    pos += 2;
    return i;
  };
  const days = (): number[] => {
    const out: number[] = [];
    for (;;) {
      const a = day();
      if (text[pos] === "-") {
        pos++;
        const b = day();
        for (let d = a; ; d = (d + 1) % 7) {
          out.push(d);
          if (d === b) break;
        }
      } else out.push(a);
      if (text[pos] !== ",") return out;
      pos++;
    }
  };
  const time = (): number => {
    const m = /^(\d\d):(\d\d)/.exec(rest());
    if (!m) throw err("expected HH:MM");
    const [h, min] = [Number(m[1]), Number(m[2])];
    if (min > 59 || h > 24 || (h === 24 && min > 0)) throw err(`${m[0]} is not a time of day`);
    pos += 5;
    return h * 60 + min;
  };
  const week = emptyWeek();
  skipWs();
  while (pos < text.length) {
    const ds = days();
    if (text[pos] !== " ") throw err("expected a space after the days");
    skipWs();
    if (rest().startsWith("off")) {
      pos += 3;
      for (const d of ds) week[d] = [];
    } else {
      for (;;) {
        const at = pos;
        const start = time();
        if (text[pos] !== "-") throw err("expected '-' between opening and closing time");
        pos++;
        const end = time();
        if (end <= start) {
          pos = at;
          throw err("the closing time must come after the opening time");
        }
        for (const d of ds) addInterval(week[d], [start, end]);
        if (text[pos] !== ",") break;
        pos++;
      }
    }
    skipWs();
    if (pos < text.length) {
      if (text[pos] !== ";") throw err("expected ';' between rules");
      pos++;
    }
    skipWs();
  }
  return week;
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** "08:30" for 510; "24:00" for 1440. */
export const formatTime = hhmm;

/** "08:30" → 510; null when it is not a time of day (24:00 allowed). */
export function parseTime(s: string): number | null {
  const m = /^(\d{1,2}):(\d\d)$/.exec(s.trim());
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return null;
  return h * 60 + min;
}

const sameDay = (a: Interval[], b: Interval[]) => a.length === b.length && a.every((x, i) => x[0] === b[i][0] && x[1] === b[i][1]);

/** The canonical text of a week, as the server writes it. */
export function formatHours(week: Week): string {
  const norm = week.map((d) => {
    const out: Interval[] = [];
    for (const iv of d) addInterval(out, [iv[0], iv[1]]);
    return out;
  });
  if (norm.every((d) => d.length === 0)) return "Mo-Su off";
  const done = new Array(7).fill(false);
  const rules: string[] = [];
  for (let d = 0; d < 7; d++) {
    if (done[d] || norm[d].length === 0) continue;
    const same = [];
    for (let e = d; e < 7; e++) if (sameDay(norm[e], norm[d])) same.push(e);
    same.forEach((e) => (done[e] = true));
    const parts: string[] = [];
    for (let i = 0; i < same.length; ) {
      let j = i;
      while (j + 1 < same.length && same[j + 1] === same[j] + 1) j++;
      parts.push(j > i ? `${DAYS[same[i]]}-${DAYS[same[j]]}` : DAYS[same[i]]);
      i = j + 1;
    }
    rules.push(`${parts.join(",")} ${norm[d].map(([a, b]) => `${hhmm(a)}-${hhmm(b)}`).join(",")}`);
  }
  return rules.join("; ");
}

interface RecordSchedule {
  periods?: { valid_from?: string | null; valid_to?: string | null; hours: string }[];
  closed_on?: string[];
  public_holidays?: "closed" | "open";
  note?: Record<string, string>;
}

/** A record's schedule as the editor holds it (an undated period first, always present). */
export function fromRecord(s: RecordSchedule | undefined | null): EditSchedule {
  const periods: EditPeriod[] = (s?.periods ?? []).map((p) => ({
    valid_from: p.valid_from ?? null,
    valid_to: p.valid_to ?? null,
    week: parseHours(p.hours),
  }));
  const undated = periods.findIndex((p) => !p.valid_from && !p.valid_to);
  if (undated < 0) periods.unshift({ valid_from: null, valid_to: null, week: emptyWeek() });
  else if (undated > 0) periods.unshift(...periods.splice(undated, 1));
  return {
    periods,
    closed_on: [...(s?.closed_on ?? [])].sort(),
    public_holidays: s?.public_holidays ?? "closed",
    ...(s?.note ? { note: s.note } : {}),
  };
}

/** The editor's schedule as the record keeps it. */
export function toRecord(e: EditSchedule): RecordSchedule {
  return {
    periods: e.periods.map((p) => ({ valid_from: p.valid_from || null, valid_to: p.valid_to || null, hours: formatHours(p.week) })),
    ...(e.closed_on.length ? { closed_on: [...new Set(e.closed_on)].sort() } : {}),
    public_holidays: e.public_holidays,
    ...(e.note && Object.keys(e.note).length ? { note: e.note } : {}),
  };
}

/** The bundle's compiled shape, which the public app's hours.ts evaluates. */
export function compiled(e: EditSchedule): Schedule {
  return {
    periods: e.periods.map((p) => ({ valid_from: p.valid_from || null, valid_to: p.valid_to || null, hours: formatHours(p.week), week: p.week })),
    closed_on: e.closed_on,
    public_holidays: e.public_holidays,
  };
}

/** A period as the form holds it: each interval as the two texts typed ("08:30", "12:30"). */
export interface DraftPeriod {
  valid_from: string;
  valid_to: string;
  days: [string, string][][];
}

export interface Draft {
  periods: DraftPeriod[];
  closed_on: string[];
  public_holidays: "closed" | "open";
  note?: Record<string, string>;
}

export type ProblemCode = "time" | "order" | "overlap" | "dates" | "undated";

export const toDraft = (e: EditSchedule): Draft => ({
  periods: e.periods.map((p) => ({
    valid_from: p.valid_from ?? "",
    valid_to: p.valid_to ?? "",
    days: p.week.map((d) => d.map(([a, b]) => [formatTime(a), formatTime(b)] as [string, string])),
  })),
  closed_on: [...e.closed_on],
  public_holidays: e.public_holidays,
  ...(e.note ? { note: e.note } : {}),
});

/**
 * The form's schedule checked: the problems by the form's field ids (`p0-d1-i0-end`: period 0,
 * Tuesday, first interval, closing time), and the schedule when there are none.
 */
export function fromDraft(d: Draft): { problems: { field: string; code: ProblemCode }[]; schedule: EditSchedule | null } {
  const problems: { field: string; code: ProblemCode }[] = [];
  const periods: EditPeriod[] = d.periods.map((p, i) => {
    if (i > 0 && !p.valid_from && !p.valid_to) problems.push({ field: `p${i}-from`, code: "undated" });
    if (p.valid_from && p.valid_to && p.valid_to < p.valid_from) problems.push({ field: `p${i}-to`, code: "dates" });
    const week: Week = p.days.map((day, w) => {
      const ivs: Interval[] = [];
      day.forEach(([a, b], k) => {
        const [s, e] = [parseTime(a), parseTime(b)];
        const at = `p${i}-d${w}-i${k}`;
        if (s === null || s >= 1440) return void problems.push({ field: `${at}-start`, code: "time" });
        if (e === null) return void problems.push({ field: `${at}-end`, code: "time" });
        if (e <= s) return void problems.push({ field: `${at}-end`, code: "order" });
        if (ivs.some(([c, f]) => s < f && c < e)) return void problems.push({ field: `${at}-start`, code: "overlap" });
        ivs.push([s, e]);
      });
      return ivs.sort((x, y) => x[0] - y[0]);
    });
    return { valid_from: i === 0 ? null : p.valid_from || null, valid_to: i === 0 ? null : p.valid_to || null, week };
  });
  const schedule = { periods, closed_on: [...new Set(d.closed_on.filter(Boolean))].sort(), public_holidays: d.public_holidays, ...(d.note ? { note: d.note } : {}) };
  return { problems, schedule: problems.length ? null : schedule };
}
