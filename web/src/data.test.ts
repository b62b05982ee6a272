import { describe, expect, it } from "vitest";
import { attributionText, holidaysAt, parseBundle } from "./data";
import type { Sportello } from "./types";

describe("attributionText", () => {
  it("credits every source with its licence, in the order the server lists them", () => {
    const text = attributionText({
      boundaries: { attribution: "Confini amministrativi ISTAT, elaborazione Openpolis", license: "CC-BY-4.0" },
      population: { attribution: "Dati ANPR", license: "CC0-1.0" },
    });
    expect(text).toBe("Confini amministrativi ISTAT, elaborazione Openpolis (CC-BY-4.0) · Dati ANPR (CC0-1.0)");
  });
  it("says nothing when the server names no source", () => {
    expect(attributionText(null)).toBe("");
    expect(attributionText({ x: {} })).toBe("");
  });
});

describe("holidaysAt", () => {
  const bundle = parseBundle({
    features: [],
    bussola: {
      public_holidays: ["2026-06-02", "2026-12-25"],
      local_holidays: { "027008": ["2026-06-11"] },
      patron_days: { "027008": { it: "Santi Felice e Fortunato" } },
    },
  });
  const inComune = (comune?: string) => ({ address: comune ? { comune_istat: comune } : undefined }) as unknown as Sportello;
  it("adds a comune's patron day to the national holidays there", () => {
    expect([...holidaysAt(bundle, inComune("027008"))].sort()).toEqual(["2026-06-02", "2026-06-11", "2026-12-25"]);
    expect(bundle.patronDays.get("027008")?.it).toBe("Santi Felice e Fortunato");
  });
  it("keeps the national holidays alone elsewhere", () => {
    expect([...holidaysAt(bundle, inComune("027042"))].sort()).toEqual(["2026-06-02", "2026-12-25"]);
    expect([...holidaysAt(bundle, inComune())].sort()).toEqual(["2026-06-02", "2026-12-25"]);
  });
});
