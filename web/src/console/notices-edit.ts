// The notices editor's model: a sportello's or an offer's dated notices (closure, replacement
// hours, message, places — `server/src/model/notice.rs`, docs/data-format.md "Temporary
// information") as form drafts and back, the form's own checks, and when each notice holds
// (in force now, upcoming, past) on the Rome calendar the public app switches them by.

import type { Notice } from "../types";
import { formatHours, HoursSyntaxError, parseHours } from "./hours-edit";

export type NoticeKind = "closed" | "hours" | "message" | "saturation";
export type Places = "available" | "waiting_list" | "full";

/** What the form edits: every part of every kind, so switching the kind loses nothing typed. */
export interface NoticeDraft {
  kind: NoticeKind;
  from: string;
  until: string;
  /** The message by language (Italian first; empty values are dropped on save). */
  message: Record<string, string>;
  /** Replacement hours in the weekly syntax (`hours` notices). */
  hours: string;
  places: Places;
}

/** The message's languages the form offers: Italian (required with any other), then English. */
export const MESSAGE_LANGS = ["it", "en"] as const;

export const blankNotice = (today: string): NoticeDraft => ({ kind: "closed", from: today, until: "", message: {}, hours: "", places: "full" });

export function toDraft(n: Notice): NoticeDraft {
  return {
    kind: n.kind,
    from: n.from,
    until: n.until ?? "",
    message: { ...(n.message ?? {}) },
    hours: n.hours ?? "",
    places: n.places ?? "full",
  };
}

/** The record's notice: only the parts its kind has; replacement hours as the server prints them. */
export function toNotice(d: NoticeDraft): Notice {
  const out: Notice = { kind: d.kind, from: d.from };
  if (d.until) out.until = d.until;
  const message = Object.fromEntries(Object.entries(d.message).filter(([, v]) => v.trim()));
  if (Object.keys(message).length) out.message = message;
  if (d.kind === "hours") {
    try {
      out.hours = formatHours(parseHours(d.hours.trim()));
    } catch {
      out.hours = d.hours.trim();
    }
  }
  if (d.kind === "saturation") out.places = d.places;
  return out;
}

export type NoticeProblem = "from_required" | "until_before" | "hours_syntax" | "hours_empty" | "message_required" | "italian_required";

/** What the form can tell before the server does, as (pointer into the record, problem). */
export function noticeProblems(drafts: NoticeDraft[]): { pointer: string; code: NoticeProblem }[] {
  const out: { pointer: string; code: NoticeProblem }[] = [];
  drafts.forEach((d, i) => {
    const at = (f: string) => `/notices/${i}/${f}`;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d.from)) out.push({ pointer: at("from"), code: "from_required" });
    else if (d.until && d.until < d.from) out.push({ pointer: at("until"), code: "until_before" });
    const texts = Object.entries(d.message).filter(([, v]) => v.trim());
    if (d.kind === "message" && !texts.length) out.push({ pointer: at("message/it"), code: "message_required" });
    else if (texts.length && !d.message.it?.trim()) out.push({ pointer: at("message/it"), code: "italian_required" });
    if (d.kind === "hours") {
      try {
        if (!parseHours(d.hours.trim()).some((day) => day.length)) out.push({ pointer: at("hours"), code: "hours_empty" });
      } catch (e) {
        if (e instanceof HoursSyntaxError || e instanceof Error) out.push({ pointer: at("hours"), code: "hours_syntax" });
      }
    }
  });
  return out;
}

/** When a notice holds on `today` (YYYY-MM-DD): from its first to its last day, inclusive. */
export function when(n: { from: string; until?: string | null }, today: string): "now" | "upcoming" | "past" {
  if (n.until && n.until < today) return "past";
  return n.from <= today ? "now" : "upcoming";
}
