// @vitest-environment happy-dom
import { describe, expect, test } from "vitest";
import { sourceLine } from "./source";

describe("the source line", () => {
  test("names the attribution or the source, then the licence, in the user's language", () => {
    expect(sourceLine({ source: "Bussola demo data, fictional", licence: "CC0-1.0" }, "it")!.textContent).toBe(
      "Fonte: Bussola demo data, fictional · CC0-1.0",
    );
    const p = sourceLine({ source: "elenco.csv", attribution: "© Comune di Venezia", url: "https://example.org/dati" }, "ar")!;
    expect(p.textContent).toBe("المصدر: © Comune di Venezia");
    expect(p.querySelector("a")!.getAttribute("href")).toBe("https://example.org/dati");
  });
  test("nothing for a record from nowhere known, no link but to a web page", () => {
    expect(sourceLine(null, "en")).toBeNull();
    expect(sourceLine(undefined, "en")).toBeNull();
    expect(sourceLine({ source: "x", url: "javascript:alert(1)" }, "en")!.querySelector("a")).toBeNull();
  });
});
