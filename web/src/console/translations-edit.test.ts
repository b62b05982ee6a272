import { describe, expect, test } from "vitest";
import { machineCount, provenance, pruned, withProvenance, withText } from "./translations-edit";

const doc = {
  id: "svc-1",
  name: { it: "Corso", en: "Course" },
  description: { it: "Italiano", en: "Italian", ar: "الإيطالية" },
  translations: { "description/ar": { by: "machine" as const, at: "2026-01-01T00:00:00Z", who: "bot" } },
};

describe("translations' provenance", () => {
  test("flipping who wrote a value drops the server's own members, a person's removal drops the entry", () => {
    const verified = withProvenance(doc, "description", "ar", "person");
    expect(verified.translations).toEqual({ "description/ar": { by: "person" } });
    expect(provenance(verified, "description", "ar")).toEqual({ by: "person" });
    expect(withProvenance(doc, "description", "ar", "machine")).toEqual(doc);
    expect(withProvenance(doc, "description", "ar", null).translations).toBeUndefined();
    expect(machineCount(doc)).toBe(1);
    expect(machineCount(verified)).toBe(0);
  });

  test("a text removed takes its provenance with it; others stay", () => {
    const d = withProvenance(doc, "name", "en", "machine");
    const gone = withText(d, "description", "ar", "");
    expect(gone.description).toEqual({ it: "Italiano", en: "Italian" });
    expect(gone.translations).toEqual({ "name/en": { by: "machine" } });
    expect(pruned({ ...doc, description: {} }).translations).toBeUndefined();
  });
});
