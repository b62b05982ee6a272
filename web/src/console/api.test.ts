// The console's API layer against a fake server: the CSRF token on every write and never on a
// read, If-Match from the version, and each answer of docs/editing.md turned into what the
// screens act on (200 with its ETag, 202 pending, 412 with the current version, 422 with the
// field errors, a network failure).
import { afterEach, describe, expect, test, vi } from "vitest";
import * as api from "./api";
import { fieldId, placeErrors, setAt, getAt } from "./form";
import { WORDS } from "./words";

type Seen = { method: string; url: string; headers: Record<string, string>; body: unknown };

function fakeServer(answer: (s: Seen) => Response): Seen[] {
  const seen: Seen[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit = {}) => {
    const s: Seen = {
      method: init.method ?? "GET",
      url,
      headers: (init.headers ?? {}) as Record<string, string>,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    };
    seen.push(s);
    return answer(s);
  });
  return seen;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json", ...headers },
  });

afterEach(() => vi.unstubAllGlobals());

describe("the write API client", () => {
  test("writes carry the session's CSRF token and If-Match; reads carry neither", async () => {
    const seen = fakeServer((s) =>
      s.url === "/api/me"
        ? json(200, { signed_in: true, username: "o", csrf_token: "tok-123", roles: [{ role: "operator", organization: "org-a" }] })
        : s.method === "GET"
          ? json(200, { id: "svc-1", version: 4 }, { ETag: '"4"' })
          : json(200, { id: "svc-1", version: 5 }, { ETag: '"5"' }),
    );
    const me = await api.me();
    expect(me.roles).toEqual([{ role: "operator", organization: "org-a" }]);
    const got = await api.record("services", "svc-1");
    expect(got).toMatchObject({ kind: "ok", version: 4 });
    const saved = await api.save("services", { id: "svc-1", name: { it: "X" } }, 4);
    expect(saved).toMatchObject({ kind: "ok", status: 200, version: 5 });
    expect(seen[1].headers["X-CSRF-Token"]).toBeUndefined();
    expect(seen[1].headers["If-Match"]).toBeUndefined();
    expect(seen[2]).toMatchObject({ method: "PUT", url: "/api/records/services/svc-1", body: { id: "svc-1", name: { it: "X" } } });
    expect(seen[2].headers["X-CSRF-Token"]).toBe("tok-123");
    expect(seen[2].headers["If-Match"]).toBe('"4"');
  });

  test("202 is a change waiting for review", async () => {
    fakeServer(() => json(202, { change: { id: "cr-1", status: "pending", kind: "service", record_id: "svc-1" } }));
    const r = await api.save("services", { id: "svc-1" }, 1);
    expect(r.kind).toBe("pending");
    if (r.kind === "pending") expect(r.change.id).toBe("cr-1");
  });

  test("412, 422 and a dead network are problems the screens can read", async () => {
    fakeServer(() => json(412, { type: "about:blank", title: "Precondition Failed", status: 412, detail: "changed", current_version: 7 }));
    const stale = await api.save("sportelli", { id: "loc-1" }, 3);
    expect(stale).toMatchObject({ kind: "problem", problem: { status: 412, current_version: 7 } });
    fakeServer(() =>
      json(422, {
        status: 422,
        title: "Unprocessable",
        errors: [
          { pointer: "/name/it", detail: 'an Italian ("it") value is required' },
          { pointer: "/phones/1/number", detail: "not a phone number" },
          { pointer: "/nonsense", detail: "what" },
        ],
      }),
    );
    const bad = await api.save("sportelli", { id: "loc-1" }, 3);
    expect(bad.kind).toBe("problem");
    if (bad.kind !== "problem") return;
    const placed = placeErrors(bad.problem.errors, ["/name/it", "/name", "/phones"]);
    expect(placed.get("/name/it")).toEqual(['an Italian ("it") value is required']);
    expect(placed.get("/phones")).toEqual(["not a phone number"]);
    expect(placed.get("")).toEqual(["what"]);
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    expect(await api.record("services", "x")).toMatchObject({ kind: "problem", problem: { status: 0 } });
  });

  test("lists are read bare or wrapped; change details bare or as {change, changes, meanwhile}", async () => {
    fakeServer((s) => (s.url.startsWith("/api/records") ? json(200, { records: [{ id: "a" }] }) : json(200, [{ id: "cr-1" }])));
    expect(await api.records("services")).toEqual([{ id: "a" }]);
    expect(await api.changes({ status: "pending" })).toEqual([{ id: "cr-1" }]);
    fakeServer(() => json(200, { change: { id: "cr-2", status: "pending" }, changes: [{ field: "/cost", old: "free", new: "paid" }], meanwhile: [] }));
    expect(await api.change("cr-2")).toMatchObject({ id: "cr-2", changes: [{ field: "/cost" }], meanwhile: [] });
  });

  test("ETags are read as versions", () => {
    expect(api.versionOf('"12"')).toBe(12);
    expect(api.versionOf('W/"3"')).toBe(3);
    expect(api.versionOf("abc")).toBeNull();
    expect(api.pathKind("service_at_location")).toBe("offers");
    expect(api.pathKind("location")).toBe("sportelli");
  });
});

describe("forms and words", () => {
  test("pointers become field ids and edits keep the rest of the record", () => {
    expect(fieldId("/name/it")).toBe("f-name-it");
    expect(fieldId("/address/comune_istat")).toBe("f-address-comune_istat");
    const doc = { id: "x", name: { it: "A", en: "B" }, extra: [1, 2] };
    const next = setAt(doc, "/name/en", undefined);
    expect(next).toEqual({ id: "x", name: { it: "A" }, extra: [1, 2] });
    expect(doc.name.en).toBe("B");
    expect(getAt(setAt(doc, "/address/street", "Via Roma 1"), "/address/street")).toBe("Via Roma 1");
  });

  test("every word is given in Italian and in English", () => {
    expect(Object.keys(WORDS.en).sort()).toEqual(Object.keys(WORDS.it).sort());
    for (const [lang, words] of Object.entries(WORDS)) {
      for (const [k, v] of Object.entries(words)) expect(v.trim(), `${lang}.${k}`).not.toBe("");
    }
  });
});

describe("the stale list", () => {
  test("one entry per stale field becomes one item per record, oldest first", async () => {
    fakeServer(() =>
      json(200, {
        entries: [
          { kind: "service_at_location", id: "loc-1~svc-1", name: "Corso a Mestre", field: "hours", verified: null, age_days: null, threshold_days: 90 },
          { kind: "location", id: "loc-2", name: "Sportello", field: "phone", verified: "2025-01-02", age_days: 333, threshold_days: 180 },
          { kind: "location", id: "loc-2", name: "Sportello", field: "address", verified: "2025-06-01", age_days: 183, threshold_days: 365 },
        ],
        count: 3,
      }),
    );
    expect(await api.stale()).toEqual([
      { kind: "offers", id: "loc-1~svc-1", name: "Corso a Mestre", version: null, fields: [{ field: "hours", verified: null }] },
      {
        kind: "sportelli",
        id: "loc-2",
        name: "Sportello",
        version: null,
        fields: [
          { field: "phone", verified: "2025-01-02" },
          { field: "address", verified: "2025-06-01" },
        ],
      },
    ]);
  });
});

describe("values in diffs", () => {
  test("a schedule, or its list of periods, reads as the periods' texts", async () => {
    const { showValue } = await import("./ui");
    const periods = [
      { hours: "We 16:00-19:00", valid_from: null, valid_to: null },
      { hours: "Mo-Fr 09:00-12:00", valid_from: "2026-07-01", valid_to: "2026-08-31" },
    ];
    expect(showValue(periods, "-")).toBe("We 16:00-19:00 | 2026-07-01–2026-08-31: Mo-Fr 09:00-12:00");
    expect(showValue({ periods, closed_on: ["2026-12-24"] }, "-")).toBe("We 16:00-19:00 | 2026-07-01–2026-08-31: Mo-Fr 09:00-12:00 | ✕ 2026-12-24");
    expect(showValue(null, "-")).toBe("-");
    expect(showValue(["it", "en"], "-")).toBe("it, en");
  });
});
