// "Was this right?" and "the desk was closed when I went" on a sportello's sheet, sent to
// `POST /api/feedback` with nothing but the sportello and the answer (never the position,
// never anything about the person). One report per sportello per day from this device: the
// day of each sent report is remembered in localStorage, so a second tap says "already sent".
// Offline (or with no signal) a report waits in localStorage, at most QUEUE_DAYS days, and
// is sent when the app is next online; the person is told so.

import { h } from "./dom";
import { daysBetween } from "./freshness";
import type { Translator } from "./i18n";

export type FeedbackKind = "right" | "wrong" | "closed";

/** What became of a tap. */
export type Outcome =
  | { kind: "sent" }
  | { kind: "already" }
  | { kind: "queued" }
  | { kind: "wait"; seconds: number }
  | { kind: "failed" };

interface Queued {
  location_id: string;
  kind: FeedbackKind;
  /** The day it was made (YYYY-MM-DD, Rome): older than QUEUE_DAYS days, it is dropped. */
  day: string;
}

const SENT_KEY = "bussola.feedback.sent";
const QUEUE_KEY = "bussola.feedback.queue";
/** A report not sent within this many days is of no use any more. */
export const QUEUE_DAYS = 7;

/** What sending needs; the app's own by default, replaced in tests. */
export interface Deps {
  fetch: typeof fetch;
  storage: Storage | null;
  online: () => boolean;
}

function appDeps(): Deps {
  let storage: Storage | null = null;
  try {
    storage = window.localStorage;
  } catch {
    /* private mode: nothing is remembered, every tap is sent */
  }
  return { fetch: (...a) => window.fetch(...a), storage, online: () => navigator.onLine };
}

function read<T>(s: Storage | null, key: string, empty: T): T {
  try {
    const v = s?.getItem(key);
    return v ? (JSON.parse(v) as T) : empty;
  } catch {
    return empty;
  }
}

function write(s: Storage | null, key: string, value: unknown) {
  try {
    s?.setItem(key, JSON.stringify(value));
  } catch {
    /* full or refused: the report is still sent, just not remembered */
  }
}

/** Whether this device already reported on `id` on `today`. */
export function sentToday(s: Storage | null, id: string, today: string): boolean {
  return read<Record<string, string>>(s, SENT_KEY, {})[id] === today;
}

/** Remembers a report on `id` today; days gone by are forgotten. */
function remember(s: Storage | null, id: string, today: string) {
  const sent = Object.fromEntries(Object.entries(read<Record<string, string>>(s, SENT_KEY, {})).filter(([, d]) => d === today));
  sent[id] = today;
  write(s, SENT_KEY, sent);
}

async function post(d: Deps, r: Queued): Promise<Response> {
  return d.fetch("/api/feedback", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ location_id: r.location_id, kind: r.kind }),
    credentials: "omit",
  });
}

/** Sends one report on sportello `id`, or says why not. */
export async function report(id: string, kind: FeedbackKind, today: string, d: Deps = appDeps()): Promise<Outcome> {
  if (sentToday(d.storage, id, today)) return { kind: "already" };
  const r: Queued = { location_id: id, kind, day: today };
  const queue = () => {
    write(d.storage, QUEUE_KEY, [...read<Queued[]>(d.storage, QUEUE_KEY, []), r]);
    remember(d.storage, id, today);
    return { kind: "queued" } as const;
  };
  if (!d.online()) return d.storage ? queue() : { kind: "failed" };
  let res: Response;
  try {
    res = await post(d, r);
  } catch {
    return d.storage ? queue() : { kind: "failed" };
  }
  if (res.status === 202) {
    remember(d.storage, id, today);
    return { kind: "sent" };
  }
  if (res.status === 429) return { kind: "wait", seconds: Math.max(1, Number(res.headers.get("Retry-After")) || 60) };
  return { kind: "failed" };
}

/**
 * Sends the reports waiting from offline moments, oldest first; stops at the first that
 * cannot go yet (no network, 429) and keeps it and the rest. Returns how many were sent.
 */
export async function flushQueue(today: string, d: Deps = appDeps()): Promise<number> {
  const waiting = read<Queued[]>(d.storage, QUEUE_KEY, []).filter((r) => daysBetween(r.day, today) <= QUEUE_DAYS);
  let sent = 0;
  let i = 0;
  for (; i < waiting.length && d.online(); i++) {
    let res: Response;
    try {
      res = await post(d, waiting[i]);
    } catch {
      break;
    }
    if (res.status === 429 || res.status >= 500) break;
    if (res.status === 202) sent++;
    // Any other answer (the sportello is gone: 422) will not change: dropped.
  }
  write(d.storage, QUEUE_KEY, waiting.slice(i));
  return sent;
}

/** What to say after a tap, in the UI language. */
export function outcomeText(t: Translator, o: Outcome): string {
  switch (o.kind) {
    case "sent":
      return t("fb_thanks");
    case "already":
      return t("fb_already");
    case "queued":
      return t("fb_queued");
    case "wait": {
      const minutes = Math.ceil(o.seconds / 60);
      const when = new Intl.RelativeTimeFormat(t.lang, { numeric: "auto" }).format(minutes, "minute");
      return t("fb_wait", { when });
    }
    default:
      return t("fb_failed");
  }
}

/** The feedback section of sportello `id`'s sheet; `today` is the Rome day. */
export function feedbackSection(t: Translator, id: string, today: string): HTMLElement {
  const status = h("p", { class: "fb-status", id: "fb-status", role: "status", "aria-live": "polite" });
  const tap = (kind: FeedbackKind) => async (e: Event) => {
    const button = e.currentTarget as HTMLButtonElement;
    if (button.getAttribute("aria-busy") === "true") return;
    button.setAttribute("aria-busy", "true");
    const o = await report(id, kind, today);
    button.removeAttribute("aria-busy");
    status.dataset.outcome = o.kind;
    status.textContent = outcomeText(t, o);
  };
  const button = (kind: FeedbackKind, label: string) =>
    h("button", { type: "button", class: "btn", id: `fb-${kind}`, onclick: tap(kind) as EventListener }, label);
  return h(
    "section",
    { class: "feedback", "aria-labelledby": "fb-title" },
    h("h2", { id: "fb-title" }, t("fb_question")),
    h("div", { class: "fb-row" }, button("right", t("fb_yes")), button("wrong", t("fb_no"))),
    button("closed", t("fb_closed")),
    status,
  );
}
