import { describe, expect, it } from "vitest";
import { attributionText } from "./data";

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
