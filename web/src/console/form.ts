// Field-level errors: a 422's `errors: [{pointer, detail}]` (JSON Pointers into the record)
// placed beside the form's fields, and what a form reads and writes in a record.

import type { FieldError } from "./api";

/** The id of the input that edits the field at `pointer` (`/name/it` → `f-name-it`). */
export function fieldId(pointer: string): string {
  return "f" + pointer.replace(/[^A-Za-z0-9_]+/g, "-").replace(/-$/, "");
}

function segments(p: string): string[] {
  return p
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * The errors by the pointer of the field the form shows them beside: the longest of `fields`
 * that is the error's pointer or one of its parents (`/phones/1/number` → `/phones`). Errors no
 * field holds are under `""`, for the summary alone.
 */
export function placeErrors(errors: FieldError[], fields: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const known = fields.map((f) => ({ f, s: segments(f) }));
  for (const e of errors) {
    const s = segments(e.pointer);
    let best = "";
    let depth = -1;
    for (const k of known) {
      if (k.s.length <= s.length && k.s.length > depth && k.s.every((x, i) => x === s[i])) {
        best = k.f;
        depth = k.s.length;
      }
    }
    out.set(best, [...(out.get(best) ?? []), e.detail]);
  }
  return out;
}

/** The value at a JSON Pointer, or undefined. */
export function getAt(doc: unknown, pointer: string): unknown {
  let v: unknown = doc;
  for (const s of segments(pointer)) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  return v;
}

/** A copy of `doc` with `value` at `pointer` (objects made on the way; undefined removes the key). */
export function setAt<T>(doc: T, pointer: string, value: unknown): T {
  const s = segments(pointer);
  const root = structuredClone(doc) as Record<string, unknown>;
  let v = root;
  s.forEach((k, i) => {
    if (i === s.length - 1) {
      if (value === undefined) delete v[k];
      else v[k] = value;
      return;
    }
    if (v[k] === null || typeof v[k] !== "object") v[k] = {};
    v = v[k] as Record<string, unknown>;
  });
  return root as T;
}

/** A list typed one item a line (phones, e-mails), blank lines dropped. */
export const lines = (text: string): string[] =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

/** A list typed with commas (language codes). */
export const commaList = (text: string): string[] =>
  text
    .split(/[,\s]+/)
    .map((l) => l.trim())
    .filter(Boolean);
