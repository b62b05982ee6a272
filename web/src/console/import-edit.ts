// What the import screen computes without the server: the content type and query of an
// upload, the rows a problem is on, what still blocks the commit, the commit's body, and
// what a commit's answer means (docs/imports.md).

import type { Duplicate, ImportProblem, ImportReport, Refusal } from "./import-api";

export type FileKind = "csv" | "geojson" | "hsds-zip" | "json";

/** What a chosen file is, by its name (then its type): the server checks it again. */
export function fileKind(name: string, type = ""): FileKind | null {
  const n = name.toLowerCase();
  if (n.endsWith(".csv") || type === "text/csv") return "csv";
  if (n.endsWith(".geojson") || type === "application/geo+json") return "geojson";
  if (n.endsWith(".zip") || type === "application/zip" || type === "application/x-zip-compressed") return "hsds-zip";
  if (n.endsWith(".json") || type === "application/json") return "json";
  return null;
}

export const CONTENT_TYPE: Record<FileKind, string> = {
  csv: "text/csv",
  geojson: "application/geo+json",
  "hsds-zip": "application/zip",
  json: "application/json",
};

/** Whether the HSDS options apply (a zip, or JSON that may be an HSDS document). */
export const mayBeHsds = (k: FileKind | null) => k === "hsds-zip" || k === "json";

export interface UploadForm {
  organization: string;
  source: string;
  licence: string;
  lang: string;
  idPrefix: string;
}

/**
 * The upload's query: the organisation, the source (the file's name when left empty), the
 * licence, and for an HSDS dataset its language and id prefix; a JSON file given HSDS options
 * is said to be HSDS (`format=hsds`).
 */
export function uploadQuery(f: UploadForm, kind: FileKind, fileName: string): string {
  const q = new URLSearchParams({ organization: f.organization });
  q.set("source", f.source.trim() || fileName);
  if (f.licence.trim()) q.set("licence", f.licence.trim());
  if (mayBeHsds(kind)) {
    const lang = f.lang.trim();
    const prefix = f.idPrefix.trim();
    if (lang) q.set("lang", lang);
    if (prefix) q.set("id_prefix", prefix);
    if (kind === "json" && (lang || prefix)) q.set("format", "hsds");
  }
  return q.toString();
}

/** The line or feature a problem is on (null: the whole file, which no exclusion fixes). */
export const unitOf = (p: ImportProblem): number | null => p.row ?? p.feature ?? null;

/** The problems not fixed by the exclusions. */
export const openProblems = (problems: ImportProblem[], excluded: Set<number>) =>
  problems.filter((p) => {
    const u = unitOf(p);
    return u === null || !excluded.has(u);
  });

/** How a likely duplicate is decided: the same sportello as the existing one, or another. */
export type Choice = "same" | "different";

/** The duplicates of sportelli that are not excluded and still wait for a choice. */
export function undecided(duplicates: Duplicate[], choices: Record<string, Choice | undefined>): Duplicate[] {
  return duplicates.filter((d) => !choices[d.sportello_id]);
}

/** What still blocks a commit, as the server will count it. */
export function blocking(r: ImportReport, excluded: Set<number>, choices: Record<string, Choice | undefined>) {
  return { problems: openProblems(r.problems, excluded).length, duplicates: undecided(r.duplicates, choices).length };
}

/** The commit's body: the excluded lines or features, in order, and each duplicate decided. */
export function commitBody(r: ImportReport, excluded: Set<number>, choices: Record<string, Choice | undefined>) {
  return {
    exclude: [...excluded].sort((a, b) => a - b),
    duplicates: r.duplicates
      .filter((d) => choices[d.sportello_id])
      .map((d) => (choices[d.sportello_id] === "same" ? { sportello_id: d.sportello_id, resolution: "same", existing_id: d.existing_id } : { sportello_id: d.sportello_id, resolution: "different" })),
  };
}

/** What a refused commit means, for the words and what the screen offers next. */
export type Refused =
  | { why: "problems"; problems: ImportProblem[] }
  | { why: "duplicates"; ids: string[] }
  | { why: "changed"; detail: string }
  | { why: "stale" }
  | { why: "other"; status: number; detail: string };

export function refused(p: Refusal): Refused {
  const errs = p.errors.filter((e): e is Record<string, unknown> => !!e && typeof e === "object");
  if (p.status === 422) return { why: "problems", problems: errs.filter((e) => typeof e.reason === "string") as unknown as ImportProblem[] };
  if (p.status === 409 && errs.some((e) => typeof e.sportello_id === "string")) return { why: "duplicates", ids: errs.map((e) => String(e.sportello_id ?? "")) };
  if (p.status === 409) return { why: "changed", detail: p.detail };
  if (p.status === 412 || p.status === 428) return { why: "stale" };
  return { why: "other", status: p.status, detail: p.detail || p.title };
}

/** The records dropped per reason (kind and reason), most first: the HSDS drops' summary. */
export function dropTally(dropped: { record: string; reason: string; left_out: string }[]): { kind: string; reason: string; n: number }[] {
  const m = new Map<string, { kind: string; reason: string; n: number }>();
  for (const d of dropped) {
    if (d.left_out !== "record") continue;
    const kind = d.record.split(" ")[0] ?? "";
    const key = `${kind}\u0000${d.reason}`;
    const t = m.get(key) ?? { kind, reason: d.reason, n: 0 };
    t.n += 1;
    m.set(key, t);
  }
  return [...m.values()].sort((a, b) => b.n - a.n || a.kind.localeCompare(b.kind) || a.reason.localeCompare(b.reason));
}
