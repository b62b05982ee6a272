// Dated notices and "checked N days ago", decided on the phone by its own today (Rome
// calendar), so a phone offline for weeks still shows a closure or "full until September"
// only while it holds. The server leaves out notices already over when it builds the bundle;
// closures and replacement hours are also compiled into each service's schedule there, so
// open now and the week view follow them through hours.ts.

import type { Translator } from "./i18n";
import { romeTime } from "./hours";
import type { Bundle, Notice, Sportello, Verified } from "./types";

/** The server's default thresholds (model::Checked::default_threshold_days). */
export const DEFAULT_DAYS: Bundle["freshnessDays"] = {
  hours: 90,
  address: 365,
  phone: 180,
  languages: 365,
  cost: 180,
  appointment: 180,
};

/**
 * How many days before its first day a closure, replacement hours or places are announced
 * (model::UPCOMING_DAYS on the server; both pass tests/fixtures/hours.json's notice_days).
 */
export const UPCOMING_DAYS = 14;

/** The notices in force on `today` (YYYY-MM-DD, Rome): from their first to their last day. */
export function activeNotices(notices: Notice[] | undefined, today: string): Notice[] {
  return (notices ?? []).filter((n) => n.from <= today && (!n.until || today <= n.until));
}

/** The closures, replacement hours and places announced on `today`: they begin within UPCOMING_DAYS days (a message waits until it is in force). */
export function upcomingNotices(notices: Notice[] | undefined, today: string): Notice[] {
  return (notices ?? []).filter((n) => {
    if (n.kind === "message" || n.from <= today || (n.until && n.until < n.from)) return false;
    return daysBetween(today, n.from) <= UPCOMING_DAYS;
  });
}

/** Whole days from `a` to `b` (both YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T12:00:00Z`) - Date.parse(`${a}T12:00:00Z`)) / 86_400_000);
}

export interface Freshness {
  /** The day its oldest critical field was last confirmed; null when one never was. */
  checked: string | null;
  /** Days from then to today. */
  days: number | null;
  /** A critical field is past its threshold, or was never confirmed. */
  outdated: boolean;
}

const SERVICE_FIELDS = ["hours", "languages", "cost", "appointment"] as const;

/**
 * How fresh a sportello's critical fields are on `today`: its address (and phone, if it has
 * one), and each service's hours, languages, cost and appointment. A field without its own
 * date takes its record's `last_verified_at`.
 */
export function freshness(sp: Sportello, today: string, limits: Bundle["freshnessDays"] = DEFAULT_DAYS): Freshness {
  const fields: [keyof Verified, string | null | undefined][] = [["address", sp.verified?.address ?? sp.last_verified_at]];
  if (sp.phones.length) fields.push(["phone", sp.verified?.phone ?? sp.last_verified_at]);
  for (const s of sp.services) for (const f of SERVICE_FIELDS) fields.push([f, s.verified?.[f] ?? s.last_verified_at]);
  let oldest: string | null = null;
  let outdated = false;
  for (const [field, at] of fields) {
    const day = at ? romeTime(new Date(at)).date : null;
    if (!day || Number.isNaN(Date.parse(day))) return { checked: null, days: null, outdated: true };
    if (daysBetween(day, today) > limits[field]) outdated = true;
    if (oldest === null || day < oldest) oldest = day;
  }
  return { checked: oldest, days: oldest === null ? null : daysBetween(oldest, today), outdated };
}

/** "Checked 3 days ago", "Verificato ieri": the day only, never a time. */
export function checkedPhrase(t: Translator, days: number): string {
  const when = new Intl.RelativeTimeFormat(t.lang, { numeric: "auto" }).format(-Math.max(0, days), "day");
  return t("checked_ago", { when });
}

/** "14 September 2027" in the UI language. */
export function longDate(date: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(`${date}T12:00:00Z`),
  );
}

/** Italian elides "dal" before 8 and 11 ("dall'8 agosto"). */
function elide(text: string, lang: string): string {
  return lang === "it" ? text.replace(/\bdal (8|11)(?!\d)/g, "dall'$1") : text;
}

/** A date with its month's name, `short` without the year ("10 ago"). */
function dayOf(date: string, lang: string, short: boolean): string {
  const opts: Intl.DateTimeFormatOptions = short
    ? { day: "numeric", month: "short", timeZone: "UTC" }
    : { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" };
  return new Intl.DateTimeFormat(lang, opts).format(new Date(`${date}T12:00:00Z`));
}

/**
 * When an announced notice holds, in the UI language: "10–24 agosto 2027", "from 1 July 2027";
 * `short` (a card's badge): only its first day, "from 10 Aug".
 */
export function upcomingDates(t: Translator, n: Notice, short = false): string {
  if (short || !n.until) return elide(t("from_date", { date: dayOf(n.from, t.lang, short) }), t.lang);
  const f = new Intl.DateTimeFormat(t.lang, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  return f.formatRange(new Date(`${n.from}T12:00:00Z`), new Date(`${n.until}T12:00:00Z`));
}

/** What an announced notice is, in the interface's words ("Temporarily closed", "Full"). */
export function upcomingLabel(t: Translator, n: Notice): string {
  if (n.kind === "closed") return t("notice_closed");
  if (n.kind === "hours") return t("notice_hours");
  if (n.places === "full") return t("places_full");
  return t(n.places === "waiting_list" ? "places_waiting_list" : "places_available");
}

/** What a notice says in the interface's words ("Full until 14 September 2027"); its own message is shown beside. */
export function noticeLabel(t: Translator, n: Notice): string {
  const date = n.until ? longDate(n.until, t.lang) : "";
  switch (n.kind) {
    case "closed":
      return date ? t("notice_closed_until", { date }) : t("notice_closed");
    case "hours":
      return date ? t("notice_hours_until", { date }) : t("notice_hours");
    case "saturation":
      if (n.places === "full") return date ? t("places_full_until", { date }) : t("places_full");
      return t(n.places === "waiting_list" ? "places_waiting_list" : "places_available");
    default:
      return date ? t("until_date", { date }) : "";
  }
}
