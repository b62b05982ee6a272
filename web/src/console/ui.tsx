// Pieces every console screen uses: the context (words, who is signed in, navigation, the
// live region), labelled fields with their errors beside them, the error summary, field
// diffs, and how a value is written out. Preact renders every value as text: nothing here
// (or anywhere in the console) sets HTML from data.

import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { FieldChange, Me, Problem, Reply } from "./api";
import { say, type ConsoleLang, type WordKey, type Words } from "./words";
import type { Bundle } from "../types";

export interface Ctx {
  lang: ConsoleLang;
  w: Words;
  t: (key: WordKey, vars?: Record<string, string | number>) => string;
  me: Me;
  bundle: Bundle | null;
  go: (path: string) => void;
  announce: (text: string) => void;
}

export function makeT(w: Words) {
  return (key: WordKey, vars?: Record<string, string | number>) => say(w, key, vars);
}

/** An in-console link: a real link (new tab, copy) that the console follows without a reload. */
export function Link(p: { c: Ctx; href: string; children: ComponentChildren; class?: string; "aria-label"?: string; id?: string; current?: boolean }) {
  return (
    <a
      href={p.href}
      class={p.class}
      id={p.id}
      aria-label={p["aria-label"]}
      aria-current={p.current ? "page" : undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        p.c.go(p.href);
      }}
    >
      {p.children}
    </a>
  );
}

/** The screen's heading, focused when the screen opens so screen readers announce it. */
export function Heading(p: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {p.children}
    </h1>
  );
}

/** A labelled control with its hint and errors, tied to it by aria-describedby. */
export function Field(p: {
  id: string;
  label: string;
  hint?: string;
  errors?: string[];
  children: (a: { id: string; "aria-describedby"?: string; "aria-invalid"?: "true" }) => ComponentChildren;
  class?: string;
}) {
  const hint = p.hint ? `${p.id}-hint` : "";
  const err = p.errors?.length ? `${p.id}-error` : "";
  const described = [hint, err].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`field${p.errors?.length ? " invalid" : ""}${p.class ? " " + p.class : ""}`}>
      <label for={p.id}>{p.label}</label>
      {p.hint && (
        <p class="hint" id={hint}>
          {p.hint}
        </p>
      )}
      {!!p.errors?.length && (
        <p class="error" id={err}>
          {p.errors.join(" ")}
        </p>
      )}
      {p.children({ id: p.id, "aria-describedby": described, "aria-invalid": p.errors?.length ? "true" : undefined })}
    </div>
  );
}

/** Errors listed at the top of a form, each linked to its field; focused when it appears. */
export function ErrorSummary(p: { c: Ctx; items: { id: string | null; text: string }[] }) {
  const ref = useRef<HTMLDivElement>(null);
  // Focus moves to the summary when its errors change (a save), not on every redraw.
  const key = JSON.stringify(p.items);
  useEffect(() => {
    if (p.items.length) ref.current?.focus();
  }, [key]);
  if (!p.items.length) return null;
  return (
    <div class="summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="summary-title" id="error-summary">
      <h2 id="summary-title">{p.c.t("errors_title")}</h2>
      <ul>
        {p.items.map((i, k) => (
          <li key={k}>
            {i.id ? (
              <a
                href={`#${i.id}`}
                onClick={(e) => {
                  e.preventDefault();
                  document.getElementById(i.id!)?.focus();
                }}
              >
                {i.text}
              </a>
            ) : (
              i.text
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A status message (saved, sent for review…), announced politely. */
export function Notice(p: { kind: "ok" | "warn" | "error"; children: ComponentChildren; id?: string }) {
  return (
    <div class={`notice ${p.kind}`} role={p.kind === "error" ? "alert" : "status"} id={p.id}>
      {p.children}
    </div>
  );
}

/** A value of a diff or a version written out as text: strings as they are, the rest as JSON. */
export function showValue(v: unknown, empty: string): string {
  if (v === undefined || v === null || v === "") return empty;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v.join(", ");
  // Opening hours read best as their periods' texts (a schedule, or its list of periods).
  const isPeriod = (x: unknown) => !!x && typeof x === "object" && typeof (x as { hours?: unknown }).hours === "string";
  if (Array.isArray(v) && v.length && v.every(isPeriod)) return showValue({ periods: v }, empty);
  if (typeof v === "object" && Array.isArray((v as { periods?: unknown }).periods)) {
    const s = v as { periods: { valid_from?: string | null; valid_to?: string | null; hours: string }[]; closed_on?: string[]; public_holidays?: string };
    const parts = s.periods.map((p) => (p.valid_from || p.valid_to ? `${p.valid_from ?? "…"}–${p.valid_to ?? "…"}: ${p.hours}` : p.hours));
    if (s.closed_on?.length) parts.push(`✕ ${s.closed_on.join(", ")}`);
    if (s.public_holidays) parts.push(`public_holidays: ${s.public_holidays}`);
    return parts.join(" | ");
  }
  return JSON.stringify(v, null, 1);
}

/** Field, old, new: a table with a caption, every value as text. */
export function DiffTable(p: { c: Ctx; changes: FieldChange[]; caption: string; id?: string }) {
  const t = p.c.t;
  if (!p.changes.length) return <p>{t("no_changes")}</p>;
  return (
    <div class="table-wrap">
      <table class="diff" id={p.id}>
        <caption>{p.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("col_field")}</th>
            <th scope="col">{t("col_old")}</th>
            <th scope="col">{t("col_new")}</th>
          </tr>
        </thead>
        <tbody>
          {p.changes.map((ch) => (
            <tr key={ch.field} data-field={ch.field}>
              <th scope="row">
                <code dir="ltr">{ch.field}</code>
              </th>
              <td class="old">
                <span class="value" dir="auto">
                  {showValue(ch.old, t("empty_value"))}
                </span>
              </td>
              <td class="new">
                <span class="value" dir="auto">
                  {showValue(ch.new, t("empty_value"))}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A problem in words (403, 412, network…), for the ones a form has no field for. */
export function problemText(c: Ctx, p: Problem): string {
  if (p.status === 0) return c.t("network");
  if (p.status === 403) return c.t("forbidden", { detail: p.detail });
  return c.t("failed", { status: p.status, detail: p.detail || p.title });
}

/** "3 days ago", in the console's language. */
export function ago(c: Ctx, iso: string, now = Date.now()): string {
  const days = Math.round((new Date(iso).getTime() - now) / 86400000);
  return new Intl.RelativeTimeFormat(c.lang, { numeric: "auto" }).format(days, "day");
}

export function dateTime(c: Ctx, iso: string): string {
  const d = new Date(iso);
  return isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat(c.lang, { dateStyle: "medium", timeStyle: "short" }).format(d);
}

/** The text of a translated field in the console's language, else Italian, else any. */
export function text(v: unknown, lang: string): string {
  if (typeof v === "string") return v;
  if (v && typeof v === "object") {
    const o = v as Record<string, string>;
    return o[lang] || o.it || o.en || Object.values(o).find(Boolean) || "";
  }
  return "";
}

export type { Reply };
