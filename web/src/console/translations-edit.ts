// Per-field translations and their provenance (docs/editing.md, "Translations"): which texts
// of a record are translatable, each language's value, and whether a machine wrote it
// (`translations: {"description/en": {by: "machine" | "person", at, who}}`; absent: a person).

import type { Doc } from "./api";

export type By = "machine" | "person";
export interface Provenance {
  by: By;
  at?: string;
  who?: string;
}

/** The app's languages, Italian first (the text every record must have). */
export const LANGS = ["it", "en", "fr", "ar", "ur", "bn", "uk", "zh"] as const;
export const RTL = new Set(["ar", "ur"]);

/** The translatable texts of each kind the console edits. */
export const TRANSLATABLE: Record<string, string[]> = {
  sportelli: ["name", "description", "accessibility"],
  services: ["name", "description", "cost_note", "documents"],
};

export const key = (field: string, lang: string) => `${field}/${lang}`;

export function provenance(doc: Doc, field: string, lang: string): Provenance | null {
  const t = (doc.translations ?? {}) as Record<string, Provenance>;
  return t[key(field, lang)] ?? null;
}

export function textOf(doc: Doc, field: string, lang: string): string {
  const v = doc[field];
  return v && typeof v === "object" ? ((v as Record<string, string>)[lang] ?? "") : "";
}

/** `doc` with the text of `field` in `lang` set (empty removes it). */
export function withText(doc: Doc, field: string, lang: string, value: string): Doc {
  const texts = { ...((doc[field] as Record<string, string> | undefined) ?? {}) };
  if (value) texts[lang] = value;
  else delete texts[lang];
  const out: Doc = { ...doc, [field]: texts };
  return pruned(out);
}

/**
 * `doc` with the provenance of `field` in `lang` set to `by` (its `at` and `who` dropped: the
 * server records them when it changes); `null` removes the entry (a person's, as before).
 */
export function withProvenance(doc: Doc, field: string, lang: string, by: By | null): Doc {
  const t = { ...((doc.translations ?? {}) as Record<string, Provenance>) };
  const k = key(field, lang);
  if (by === null) delete t[k];
  else if (t[k]?.by !== by) t[k] = { by };
  const out: Doc = { ...doc, translations: t };
  if (!Object.keys(t).length) delete out.translations;
  return out;
}

/** Entries whose text is gone are dropped (the server refuses a key that names no text). */
export function pruned(doc: Doc): Doc {
  const t = (doc.translations ?? {}) as Record<string, Provenance>;
  const kept = Object.fromEntries(
    Object.entries(t).filter(([k]) => {
      const at = k.lastIndexOf("/");
      return at > 0 && textOf(doc, k.slice(0, at), k.slice(at + 1)).trim() !== "";
    }),
  );
  const out: Doc = { ...doc };
  if (Object.keys(kept).length) out.translations = kept;
  else delete out.translations;
  return out;
}

/** How many values of `doc` a machine wrote and no person has verified yet. */
export const machineCount = (doc: Doc) => Object.values((doc.translations ?? {}) as Record<string, Provenance>).filter((p) => p.by === "machine").length;
