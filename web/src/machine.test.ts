// @vitest-environment happy-dom
import { describe, expect, test } from "vitest";
import { isMachine, machineMark } from "./machine";

describe("the machine-translated mark", () => {
  const svc = {
    name: { it: "Corso", en: "Course" },
    description: { it: "Corso di italiano", ar: "دورة" },
    translations: { "description/ar": { by: "machine" }, "name/en": { by: "person" } },
  };
  test("for the text shown, in the language it is shown in, after the fallback", () => {
    expect(isMachine(svc, "description", "ar")).toBe(true);
    expect(isMachine(svc, "description", "fr")).toBe(false); // falls back to Italian, a person's
    expect(isMachine(svc, "name", "en")).toBe(false);
    expect(isMachine({ description: { it: "x" } }, "description", "it")).toBe(false);
  });
  test("one mark in the user's language naming the fields", () => {
    const m = machineMark(svc, ["name", "description"], "ar")!;
    expect(m.textContent).toBe("ترجمة آلية");
    expect(m.dataset.fields).toBe("description");
    expect(machineMark(svc, ["name", "description"], "en")).toBeNull();
  });
});
