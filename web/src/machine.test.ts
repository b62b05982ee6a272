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
  test("a service's texts at its sportello: its hours' note and its notices' messages", () => {
    const offer = {
      schedule: { note: { it: "Chiuso il venerdì", en: "Closed on Fridays" } },
      notices: [{ message: { it: "Avviso", fr: "Avis" } }],
      translations: { "schedule/note/en": { by: "machine" }, "notices/0/message/fr": { by: "machine" } },
    };
    expect(isMachine(offer, "schedule/note", "en")).toBe(true);
    expect(isMachine(offer, "schedule/note", "it")).toBe(false);
    expect(isMachine(offer, "notices/0/message", "fr")).toBe(true);
    expect(machineMark(offer, ["schedule/note", "notices/0/message"], "fr")!.dataset.fields).toBe("notices/0/message");
  });
  test("one mark in the user's language naming the fields", () => {
    const m = machineMark(svc, ["name", "description"], "ar")!;
    expect(m.textContent).toBe("ترجمة آلية");
    expect(m.dataset.fields).toBe("description");
    expect(machineMark(svc, ["name", "description"], "en")).toBeNull();
  });
});
