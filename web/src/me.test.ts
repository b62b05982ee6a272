import { describe, expect, test } from "vitest";
import { signinHref } from "./me";
import { describe as describeCentre, isPublic, WORDS } from "./account";
import { LANGUAGES } from "./i18n";

describe("signing in", () => {
  test("the sign-in link carries the app's path and language, never its fragment", () => {
    expect(signinHref("/", "", "ar")).toBe("/signin?next=%2F&lang=ar");
    expect(signinHref("/", "?utm=x", "it")).toBe("/signin?next=%2F%3Futm%3Dx&lang=it");
  });

  test("every UI language has the signed-in words", () => {
    const keys = Object.keys(WORDS.en).sort();
    for (const l of LANGUAGES) {
      expect(Object.keys(WORDS[l]).sort()).toEqual(keys);
      for (const k of keys) expect(WORDS[l][k as keyof (typeof WORDS)["en"]]).toBeTruthy();
    }
  });

  test("only public answers count as public", () => {
    const r = (cc: string) => new Response("", { headers: { "Cache-Control": cc } });
    expect(isPublic(r("public, max-age=300"))).toBe(true);
    expect(isPublic(r("no-cache"))).toBe(true);
    expect(isPublic(r("private, max-age=300"))).toBe(false);
    expect(isPublic(r("No-Store"))).toBe(false);
  });

  test("a reception centre in words: name, kind, places, who runs it", () => {
    const p = { name: "CAS Mestre (demo)", kind: "CAS", capacity: 40, managing_body: "Cooperativa Esempio" };
    expect(describeCentre(p, "it")).toBe("CAS Mestre (demo) · CAS · posti: 40 · gestito da Cooperativa Esempio");
    expect(describeCentre({ name: { it: "Centro", en: "Centre" } }, "en")).toBe("Centre");
  });
});
