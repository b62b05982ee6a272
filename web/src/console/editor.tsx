// What every edit form shares: the record loaded with its version, the save (PUT with
// If-Match) and what its answer means on screen — published, sent for review, field errors
// beside their fields (422), "changed meanwhile" with a reload (412), not allowed (403).

import { useEffect, useState } from "preact/hooks";
import * as api from "./api";
import { fieldId, placeErrors } from "./form";
import { ErrorSummary, Field, Link, Notice, problemText, type Ctx } from "./ui";

export interface Editor {
  doc: api.Doc | null;
  version: number | null;
  loadError: string | null;
  saving: boolean;
  /** Counts the loads: a form keyed on it starts afresh from the record each time. */
  loads: number;
  /** Errors by the pointer of the field that shows them ("" = the form as a whole). */
  errors: Map<string, string[]>;
  outcome: { kind: "published"; version: number | null } | { kind: "pending" } | { kind: "stale"; version: number | null } | { kind: "failed"; text: string } | null;
  reload: () => void;
  /** Saves `doc`; `fields` are the pointers the form has inputs for. */
  save: (doc: api.Doc, fields: string[], local?: Map<string, string[]>) => Promise<void>;
  /** Why the change is made (optional), sent with the next save and cleared by it. */
  reason: string;
  setReason: (r: string) => void;
  setErrors: (e: Map<string, string[]>) => void;
}

export function useEditor(c: Ctx, kind: api.Kind, id: string): Editor {
  const [doc, setDoc] = useState<api.Doc | null>(null);
  const [version, setVersion] = useState<number | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<Map<string, string[]>>(new Map());
  const [outcome, setOutcome] = useState<Editor["outcome"]>(null);
  const [loads, setLoads] = useState(0);
  const [reason, setReason] = useState("");
  const reload = () => {
    setLoadError(null);
    setDoc(null);
    setErrors(new Map());
    setOutcome(null);
    api.record(kind, id).then((r) => {
      if (r.kind === "ok") {
        setDoc(r.body);
        setVersion(r.version);
        setLoads((n) => n + 1);
      } else if (r.kind === "problem") setLoadError(problemText(c, r.problem));
    });
  };
  useEffect(reload, [kind, id]);
  const save = async (next: api.Doc, fields: string[], local?: Map<string, string[]>) => {
    setOutcome(null);
    if (local && local.size) {
      setErrors(local);
      return;
    }
    setSaving(true);
    const r = await api.save(kind, next, version, reason);
    setSaving(false);
    if (r.kind !== "problem") setReason("");
    if (r.kind === "ok") {
      setErrors(new Map());
      setDoc(r.body && typeof r.body === "object" && "id" in r.body ? r.body : next);
      setVersion(r.version);
      setOutcome({ kind: "published", version: r.version });
      c.announce(c.t("saved_published", { version: r.version ?? "" }));
    } else if (r.kind === "pending") {
      setErrors(new Map());
      setOutcome({ kind: "pending" });
      c.announce(c.t("saved_pending"));
    } else {
      const p = r.problem;
      if (p.status === 422 || (p.status === 400 && p.errors.length)) {
        setErrors(placeErrors(p.errors, fields));
        if (!p.errors.length) setOutcome({ kind: "failed", text: problemText(c, p) });
      } else if (p.status === 412) {
        setErrors(new Map());
        setOutcome({ kind: "stale", version: p.current_version ?? null });
      } else {
        setErrors(new Map());
        setOutcome({ kind: "failed", text: problemText(c, p) });
      }
    }
  };
  return { doc, version, loadError, saving, loads, errors, outcome, reload, save, setErrors, reason, setReason };
}

/** The optional "reason for the change", sent with the save (history, review). */
export function ReasonField(p: { c: Ctx; e: Editor }) {
  return (
    <Field id="f-reason" label={p.c.t("edit_reason")} hint={p.c.t("edit_reason_hint")}>
      {(a) => <textarea {...a} rows={2} dir="auto" maxLength={500} value={p.e.reason} onInput={(ev) => p.e.setReason(ev.currentTarget.value)} />}
    </Field>
  );
}

/** The summary of a form's errors, each linked to its field (`labels`: pointer → field label). */
export function Summary(p: { c: Ctx; errors: Map<string, string[]>; labels: Record<string, string>; ids?: Record<string, string> }) {
  const items = [...p.errors.entries()].flatMap(([pointer, list]) =>
    list.map((text) => ({
      id: pointer ? (p.ids?.[pointer] ?? fieldId(pointer)) : null,
      text: pointer && p.labels[pointer] ? `${p.labels[pointer]}: ${text}` : text,
    })),
  );
  return <ErrorSummary c={p.c} items={items} />;
}

/** What the last save did, and on a 412 the way back to the current version. */
export function Outcome(p: { c: Ctx; e: Editor }) {
  const { c, e } = p;
  const o = e.outcome;
  if (!o) return null;
  if (o.kind === "published")
    return (
      <Notice kind="ok" id="outcome">
        {c.t("saved_published", { version: o.version ?? "" })} <Link c={c} href="/console">{c.t("cancel")}</Link>
      </Notice>
    );
  if (o.kind === "pending")
    return (
      <Notice kind="ok" id="outcome">
        {c.t("saved_pending")} <Link c={c} href="/console">{c.t("cancel")}</Link>
      </Notice>
    );
  if (o.kind === "stale")
    return (
      <div class="notice warn" role="alert" id="outcome">
        <h2>{c.t("stale_title")}</h2>
        <p>{c.t("stale_text", { version: o.version ?? "?" })}</p>
        <button type="button" id="reload" onClick={e.reload}>
          {c.t("reload")}
        </button>
      </div>
    );
  return (
    <Notice kind="error" id="outcome">
      {o.text}
    </Notice>
  );
}
