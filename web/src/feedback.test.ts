import { describe, expect, test } from "vitest";
import { flushQueue, outcomeText, report, sentToday, type Deps } from "./feedback";
import { translator } from "./i18n";

/** localStorage in memory. */
function memory(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, v),
  };
}

/** A server answering each request with the next status, recording what it was sent. */
function server(statuses: (number | "down")[], online = true) {
  const sent: { url: string; init: RequestInit }[] = [];
  const deps: Deps & { sent: typeof sent; up: boolean } = {
    sent,
    up: online,
    storage: memory(),
    online: () => deps.up,
    fetch: (async (url: string, init: RequestInit) => {
      sent.push({ url, init });
      const s = statuses.shift() ?? 202;
      if (s === "down") throw new TypeError("Failed to fetch");
      return new Response(null, { status: s, headers: s === 429 ? { "Retry-After": "301" } : {} });
    }) as typeof fetch,
  };
  return deps;
}

describe("feedback", () => {
  test("a report sends the sportello and the answer only, once a day per sportello", async () => {
    const d = server([202]);
    expect(await report("loc-1", "closed", "2027-03-01", d)).toEqual({ kind: "sent" });
    expect(d.sent).toHaveLength(1);
    expect(d.sent[0].url).toBe("/api/feedback");
    expect(d.sent[0].init.method).toBe("POST");
    expect(JSON.parse(String(d.sent[0].init.body))).toEqual({ location_id: "loc-1", kind: "closed" });
    expect(d.sent[0].init.credentials).toBe("omit");
    expect(await report("loc-1", "right", "2027-03-01", d)).toEqual({ kind: "already" });
    expect(d.sent).toHaveLength(1); // the second tap sends nothing
    expect(await report("loc-2", "wrong", "2027-03-01", d)).toEqual({ kind: "sent" });
    expect(sentToday(d.storage, "loc-1", "2027-03-02")).toBe(false);
    expect(await report("loc-1", "right", "2027-03-02", d)).toEqual({ kind: "sent" });
  });

  test("a 429 says how long to wait and is not remembered as sent", async () => {
    const d = server([429, 202]);
    const o = await report("loc-1", "wrong", "2027-03-01", d);
    expect(o).toEqual({ kind: "wait", seconds: 301 });
    expect(outcomeText(translator("en"), o)).toBe("Too many reports from this connection: try again in 6 minutes.");
    expect(outcomeText(translator("it"), o)).toBe("Troppe segnalazioni da questa connessione: riprova tra 6 minuti.");
    expect(await report("loc-1", "wrong", "2027-03-01", d)).toEqual({ kind: "sent" });
  });

  test("offline, a report waits and goes out when back online; the second tap says already sent", async () => {
    const d = server([], false);
    expect(await report("loc-1", "closed", "2027-03-01", d)).toEqual({ kind: "queued" });
    expect(d.sent).toHaveLength(0);
    expect(await report("loc-1", "closed", "2027-03-01", d)).toEqual({ kind: "already" });
    expect(await flushQueue("2027-03-01", d)).toBe(0);
    d.up = true;
    expect(await flushQueue("2027-03-02", d)).toBe(1);
    expect(JSON.parse(String(d.sent[0].init.body))).toEqual({ location_id: "loc-1", kind: "closed" });
    expect(await flushQueue("2027-03-02", d)).toBe(0);
    expect(d.sent).toHaveLength(1); // sent once
  });

  test("no signal although the phone says online: queued; a 429 while flushing keeps the rest", async () => {
    const d = server(["down", 429, 202, 202]);
    expect(await report("loc-1", "closed", "2027-03-01", d)).toEqual({ kind: "queued" });
    d.up = false;
    expect(await report("loc-2", "right", "2027-03-01", d)).toEqual({ kind: "queued" });
    d.up = true;
    expect(await flushQueue("2027-03-01", d)).toBe(0);
    expect(await flushQueue("2027-03-01", d)).toBe(2);
  });

  test("a report queued more than a week ago is dropped", async () => {
    const d = server([], false);
    await report("loc-1", "closed", "2027-03-01", d);
    d.up = true;
    expect(await flushQueue("2027-03-09", d)).toBe(0);
    expect(d.sent).toHaveLength(0);
  });

  test("every language has every feedback word", () => {
    for (const l of ["it", "en", "fr", "ar", "ur", "bn", "uk", "zh"] as const) {
      const t = translator(l);
      for (const k of ["fb_question", "fb_yes", "fb_no", "fb_closed", "fb_thanks", "fb_already", "fb_queued", "fb_failed", "soon"] as const)
        expect(t(k)).not.toBe("");
      expect(t("fb_wait", { when: "X" })).toContain("X");
      expect(t("from_date", { date: "D" })).toContain("D");
    }
  });
});
