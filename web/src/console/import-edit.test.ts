import { describe, expect, test } from "vitest";
import { blocking, commitBody, dropTally, fileKind, openProblems, refused, unitOf, uploadQuery } from "./import-edit";
import type { ImportReport } from "./import-api";

const report = (over: Partial<ImportReport> = {}): ImportReport => ({
  id: "imp-1",
  organization_id: "org-a",
  format: "csv",
  source: "list.csv",
  created_at: "",
  expires_at: "",
  mode: "publish",
  committable: false,
  problems: [
    { row: 3, field: "comune_istat", reason: "no comune 099999" },
    { row: 3, field: "hours", reason: "bad hours" },
    { row: 7, field: "categories", reason: "none" },
    { field: "", reason: "the whole file" },
  ],
  dropped: [],
  duplicates: [
    { sportello_id: "loc-new", name: "A", existing_id: "loc-old", existing_name: "A", distance_m: 3, similarity: 1 },
    { sportello_id: "loc-b", name: "B", existing_id: "loc-c", existing_name: "B", distance_m: 9, similarity: 0.7 },
  ],
  counts: { new: 2, changed: 0, unchanged: 0, archived: 0 },
  records: 2,
  ...over,
});

describe("an upload's request", () => {
  test("the file's kind from its name, then its type", () => {
    expect(fileKind("Elenco.CSV")).toBe("csv");
    expect(fileKind("a.geojson")).toBe("geojson");
    expect(fileKind("pkg.zip")).toBe("hsds-zip");
    expect(fileKind("blob", "application/x-zip-compressed")).toBe("hsds-zip");
    expect(fileKind("doc.json")).toBe("json");
    expect(fileKind("notes.txt", "text/plain")).toBeNull();
  });

  test("the query: source defaults to the file name; HSDS options only for HSDS, and they make JSON HSDS", () => {
    const f = { organization: "org-a", source: " ", licence: " CC-BY-4.0 ", lang: "en", idPrefix: "miami" };
    expect(Object.fromEntries(new URLSearchParams(uploadQuery(f, "csv", "l.csv")))).toEqual({ organization: "org-a", source: "l.csv", licence: "CC-BY-4.0" });
    expect(Object.fromEntries(new URLSearchParams(uploadQuery(f, "hsds-zip", "p.zip")))).toEqual({ organization: "org-a", source: "p.zip", licence: "CC-BY-4.0", lang: "en", id_prefix: "miami" });
    expect(new URLSearchParams(uploadQuery(f, "json", "d.json")).get("format")).toBe("hsds");
    const plain = { ...f, lang: "", idPrefix: "" };
    expect(new URLSearchParams(uploadQuery(plain, "json", "d.json")).get("format")).toBeNull();
  });
});

describe("the report", () => {
  test("exclusions fix the problems of their rows, never the whole file's", () => {
    const r = report();
    expect(r.problems.map(unitOf)).toEqual([3, 3, 7, null]);
    expect(openProblems(r.problems, new Set([3])).map((p) => p.field)).toEqual(["categories", ""]);
    expect(blocking(r, new Set([3, 7]), {})).toEqual({ problems: 1, duplicates: 2 });
    expect(blocking(report({ problems: r.problems.slice(0, 3) }), new Set([3, 7]), { "loc-new": "same", "loc-b": "different" })).toEqual({ problems: 0, duplicates: 0 });
  });

  test("the commit's body: exclusions in order, each duplicate as decided", () => {
    expect(commitBody(report(), new Set([7, 3]), { "loc-new": "same" })).toEqual({
      exclude: [3, 7],
      duplicates: [{ sportello_id: "loc-new", resolution: "same", existing_id: "loc-old" }],
    });
    expect(commitBody(report(), new Set(), { "loc-b": "different" }).duplicates).toEqual([{ sportello_id: "loc-b", resolution: "different" }]);
  });

  test("HSDS drops tallied per kind and reason, fields apart", () => {
    const d = (record: string, reason: string, left_out: "record" | "field" = "record") => ({ record, field: "", reason, left_out });
    expect(dropTally([d("location 1 (a)", "no valid latitude/longitude"), d("location 2", "no valid latitude/longitude"), d("service 3", "no category"), d("service 4", "language", "field")])).toEqual([
      { kind: "location", reason: "no valid latitude/longitude", n: 2 },
      { kind: "service", reason: "no category", n: 1 },
    ]);
  });
});

describe("a refused commit", () => {
  const p = (status: number, errors: unknown[] = [], detail = "d") => ({ status, title: "t", detail, errors });
  test("422 lists the rows; 409 names duplicates or a change meanwhile; 412 and 428 ask for a reload", () => {
    expect(refused(p(422, [{ row: 3, field: "hours", reason: "bad" }]))).toEqual({ why: "problems", problems: [{ row: 3, field: "hours", reason: "bad" }] });
    expect(refused(p(409, [{ sportello_id: "loc-new", existing_id: "loc-old" }]))).toEqual({ why: "duplicates", ids: ["loc-new"] });
    expect(refused(p(409, [], "sportelli loc-x changed"))).toEqual({ why: "changed", detail: "sportelli loc-x changed" });
    expect(refused(p(412))).toEqual({ why: "stale" });
    expect(refused(p(428))).toEqual({ why: "stale" });
    expect(refused(p(403, [], "no"))).toEqual({ why: "other", status: 403, detail: "no" });
  });
});
