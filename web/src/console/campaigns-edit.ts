// The campaigns screen's model, free of the DOM: who may run campaigns and over which comuni
// (the server's rule, `campaign::may_run`), the comuni list and its search, the "open a
// campaign" form as a draft with its own checks and its body, a campaign's state, and the
// counts the list and the actions show.

import type { Me } from "./api";
import type { Campaign, NewCampaign, Recipient } from "./campaigns-api";

/** Coordinators and admins run campaigns (`api::campaign::coordinator`); the server checks it again. */
export const runsCampaigns = (me: Me): boolean => !!me.roles?.some((r) => r.role === "admin" || r.role === "coordinator");

/** The whole territory (an empty list of comuni) is an admin's only. */
export const mayTakeWholeTerritory = (me: Me): boolean => !!me.roles?.some((r) => r.role === "admin");

export interface ComuneChoice {
  istat: string;
  name: string;
}

/**
 * The comuni this viewer may name, by name: every comune of the bundle for an admin, those of
 * their coordinator roles for a coordinator (a code the bundle does not know is shown as is).
 */
export function choosableComuni(me: Me, bundle: Map<string, string>): ComuneChoice[] {
  const codes = new Set<string>();
  for (const r of me.roles ?? []) {
    if (r.role === "admin") for (const k of bundle.keys()) codes.add(k);
    if (r.role === "coordinator") for (const k of r.comuni) codes.add(k);
  }
  return [...codes].map((istat) => ({ istat, name: bundle.get(istat) ?? istat })).sort((a, b) => a.name.localeCompare(b.name, "it") || a.istat.localeCompare(b.istat));
}

/** Folded for search: lower case, no accents ("Cà Savio" → "ca savio"). */
const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .trim();

/** The comuni whose name or ISTAT code contains the query (every word of it), accents ignored. */
export function searchComuni(list: ComuneChoice[], query: string): ComuneChoice[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return list;
  return list.filter((c) => {
    const hay = `${fold(c.name)} ${c.istat}`;
    return words.every((w) => hay.includes(w));
  });
}

/** The comuni list shows a search box from this many comuni on. */
export const SEARCH_FROM = 6;

/** What the "open a campaign" form edits. */
export interface CampaignDraft {
  title: string;
  comuni: string[];
  whole: boolean;
  from: string;
  until: string;
  /** Typed as text: empty means none. */
  remind: string;
}

export const blankCampaign = (today: string): CampaignDraft => ({ title: "", comuni: [], whole: false, from: today, until: "", remind: "" });

/** The draft with a comune ticked or unticked, the list kept in a stable order. */
export function toggleComune(d: CampaignDraft, istat: string, on: boolean): CampaignDraft {
  const set = new Set(d.comuni);
  if (on) set.add(istat);
  else set.delete(istat);
  return { ...d, comuni: [...set].sort() };
}

export type CampaignProblem = "title_required" | "comuni_required" | "from_required" | "until_required" | "until_before" | "remind_range";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What the form can tell before the server does, at the pointers the server uses. The server
 * checks more (a period already over, comuni outside the viewer's territory): its 422 and 403
 * are placed at the same fields.
 */
export function campaignProblems(d: CampaignDraft): { pointer: string; code: CampaignProblem }[] {
  const out: { pointer: string; code: CampaignProblem }[] = [];
  if (!d.title.trim()) out.push({ pointer: "/title", code: "title_required" });
  if (!d.whole && !d.comuni.length) out.push({ pointer: "/comuni", code: "comuni_required" });
  if (!DAY.test(d.from)) out.push({ pointer: "/from", code: "from_required" });
  if (!DAY.test(d.until)) out.push({ pointer: "/until", code: "until_required" });
  else if (DAY.test(d.from) && d.until < d.from) out.push({ pointer: "/until", code: "until_before" });
  const r = d.remind.trim();
  if (r && !(/^\d+$/.test(r) && Number(r) >= 1 && Number(r) <= 90)) out.push({ pointer: "/remind_every_days", code: "remind_range" });
  return out;
}

/** The body of `POST /api/campaigns`: the whole territory is an empty list of comuni. */
export function campaignBody(d: CampaignDraft): NewCampaign {
  const body: NewCampaign = { title: d.title.trim(), comuni: d.whole ? [] : [...d.comuni], from: d.from, until: d.until };
  const r = d.remind.trim();
  if (r) body.remind_every_days = Number(r);
  return body;
}

/** The pointers the form has a field for (a 422's `/comuni/3` is shown at `/comuni`). */
export const CAMPAIGN_FIELDS = ["/title", "/comuni", "/from", "/until", "/remind_every_days"];

export type CampaignState = "closed" | "over" | "sent" | "not_sent";

/** Where a campaign stands on `today` (YYYY-MM-DD, Rome): closed, its period over, sent, not sent yet. */
export function campaignState(c: Campaign, today: string): CampaignState {
  if (c.closed_at) return "closed";
  if (c.until < today) return "over";
  return c.sent_at ? "sent" : "not_sent";
}

/** Answered and asked organisations. */
export function answeredOf(recipients: Recipient[]): { answered: number; total: number } {
  return { answered: recipients.filter((r) => r.state === "answered" || r.answer).length, total: recipients.length };
}

/** How many organisations each action would reach: send (an address, not sent yet), remind (sent, not answered). */
export function reach(recipients: Recipient[]): { send: number; remind: number } {
  return {
    send: recipients.filter((r) => r.state === "waiting").length,
    remind: recipients.filter((r) => r.state === "sent" || r.state === "reminded").length,
  };
}

/** Whether an organisation may still hold an unused link (what "revoke" stops). */
export const holdsLink = (r: Recipient): boolean => r.state === "sent" || r.state === "reminded";

/** A period of days ("1 giu 2027 – 15 set 2027") in the console's language. */
export function period(lang: string, from: string, until: string): string {
  const f = new Intl.DateTimeFormat(lang, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const a = new Date(`${from}T12:00:00Z`);
  const b = new Date(`${until}T12:00:00Z`);
  if (isNaN(a.getTime()) || isNaN(b.getTime())) return `${from} – ${until}`;
  return f.formatRange(a, b);
}
