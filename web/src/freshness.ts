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

/** The notices in force on `today` (YYYY-MM-DD, Rome): from their first to their last day. */
export function activeNotices(notices: Notice[] | undefined, today: string): Notice[] {
  return (notices ?? []).filter((n) => n.from <= today && (!n.until || today <= n.until));
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
