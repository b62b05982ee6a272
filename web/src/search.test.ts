import { describe, expect, test } from "vitest";
import { fold, matchPlaces, search } from "./search";
import { emptyFilters } from "./state";
import { pick, translator, STRINGS, LANGUAGES } from "./i18n";
import type { Bundle, Service, Sportello } from "./types";

const open9to17 = { periods: [{ valid_from: null, valid_to: null, hours: "Mo-Su 09:00-17:00", week: Array(7).fill([[540, 1020]]) }] };
function service(id: string, over: Partial<Service> = {}): Service {
  return {
    id,
    organization_id: "org",
    name: { it: id },
    categories: ["legal-aid"],
    languages: ["it"],
    cost: "free",
    appointment_required: false,
    audiences: ["everyone"],
    schedule: open9to17,
    ...over,
  };
}
function sportello(id: string, lon: number, lat: number, services: Service[]): Sportello {
  return { id, lon, lat, organization_id: "org", name: { it: id }, phones: [], emails: [], services };
}
const bundle = {
  sportelli: [
    sportello("far", 12.5, 45.5, [service("a")]),
    sportello("near", 12.31, 45.41, [service("b", { cost: "paid", languages: ["it", "en"] })]),
    sportello("twin-b", 12.4, 45.4, [service("c", { appointment_required: true })]),
    sportello("twin-a", 12.4, 45.4, [service("d", { categories: ["health"] }), service("e", { audiences: ["women"] })]),
  ],
  holidays: new Set<string>(),
  localHolidays: new Map<string, Set<string>>(),
} as unknown as Bundle;
const now = { date: "2026-11-30", minute: 600, weekday: 0 };

describe("search", () => {
  test("nearest first, ties by id like the server", () => {
    const r = search(bundle, "legal-aid", emptyFilters(), { lon: 12.3, lat: 45.4 }, now);
    expect(r.map((x) => x.sportello.id)).toEqual(["near", "twin-a", "twin-b", "far"]);
    expect(r[0].distance).toBeGreaterThan(0);
    expect(r[1].services.map((s) => s.id)).toEqual(["e"]);
  });
  test("filters apply to the same service", () => {
    const f = { ...emptyFilters(), free: true, noAppointment: true };
    expect(search(bundle, "legal-aid", f, null, now).map((x) => x.sportello.id)).toEqual(["far", "twin-a"]);
    const en = { ...emptyFilters(), spoken: "en" };
    expect(search(bundle, "legal-aid", en, null, now).map((x) => x.sportello.id)).toEqual(["near"]);
    const women = { ...emptyFilters(), audience: "women" };
    expect(search(bundle, "legal-aid", women, null, now)).toHaveLength(4); // "everyone" includes women
    const open = { ...emptyFilters(), openNow: true };
    expect(search(bundle, "legal-aid", open, null, { ...now, minute: 1100 })).toHaveLength(0);
  });
  test("open now leaves out a sportello on its comune's patron day", () => {
    const there = (id: string, comune: string) => ({ ...sportello(id, 12.28, 45.22, [service(id)]), address: { comune_istat: comune } });
    const local = {
      ...bundle,
      sportelli: [there("chioggia", "027008"), there("venezia", "027042")],
      localHolidays: new Map([["027008", new Set(["2026-06-11"])]]),
    } as Bundle;
    const open = { ...emptyFilters(), openNow: true };
    const june11 = { date: "2026-06-11", minute: 600, weekday: 3 };
    expect(search(local, "legal-aid", open, null, june11).map((x) => x.sportello.id)).toEqual(["venezia"]);
    expect(search(local, "legal-aid", open, null, { ...june11, date: "2026-06-12", weekday: 4 })).toHaveLength(2);
  });
});

describe("places", () => {
  const places = [{ name: "Mestre" }, { name: "Venezia" }, { name: "San Donà di Piave" }, { name: "Mestre Centro" }, { name: "Via Piave, Mestre" }];
  test("accents, case and punctuation are folded", () => {
    expect(fold("San Donà di Piave")).toBe("san dona di piave");
    expect(fold("S. Donà di Piave")).toBe("san dona di piave");
    expect(fold("S.Donà di Piave")).toBe("san dona di piave");
    expect(fold("Sta Maria di Sala")).toBe(fold("Santa Maria di Sala"));
    expect(fold("Sant'Erasmo")).toBe("san erasmo");
    expect(matchPlaces(places, "S. Donà di Piave")[0].name).toBe("San Donà di Piave");
    expect(matchPlaces(places, "s dona")[0].name).toBe("San Donà di Piave");
    // A half-typed abbreviation is still a prefix of other names.
    expect(fold("S")).toBe("s");
    expect(fold("Sta")).toBe("sta");
    expect(matchPlaces(places, "san dona")[0].name).toBe("San Donà di Piave");
  });
  test("exact and prefix matches before substrings", () => {
    expect(matchPlaces(places, "mestre").map((p) => p.name)).toEqual(["Mestre", "Mestre Centro", "Via Piave, Mestre"]);
    expect(matchPlaces(places, "")).toEqual([]);
  });
});

describe("languages", () => {
  test("content falls back requested → Italian → English", () => {
    expect(pick({ it: "Ciao", en: "Hello", ar: "مرحبا" }, "ar")).toEqual({ text: "مرحبا", lang: "ar" });
    expect(pick({ it: "Ciao", en: "Hello" }, "uk")).toEqual({ text: "Ciao", lang: "it" });
    expect(pick({ en: "Hello", fr: "Salut" }, "uk")).toEqual({ text: "Hello", lang: "en" });
    expect(pick({ fr: "Salut" }, "uk")).toEqual({ text: "Salut", lang: "fr" });
  });
  test("plural forms follow CLDR rules", () => {
    const uk = translator("uk");
    expect(uk.plural("results", 1)).toBe("1 приймальня");
    expect(uk.plural("results", 3)).toBe("3 приймальні");
    expect(uk.plural("results", 5)).toBe("5 приймалень");
    expect(uk.plural("results", 21)).toBe("21 приймальня");
    const ar = translator("ar");
    expect(ar.plural("results", 2)).toBe("مكتبان");
    expect(ar.plural("results", 0)).toBe("لا يوجد أي مكتب");
    expect(ar.dir).toBe("rtl");
    expect(translator("ur").dir).toBe("rtl");
    expect(translator("it").plural("results", 1)).toBe("1 sportello");
    expect(translator("it").plural("results", 9)).toBe("9 sportelli");
  });
  test("every language translates every key", () => {
    const keys = Object.keys(STRINGS.en).sort();
    for (const l of LANGUAGES) {
      expect(Object.keys(STRINGS[l]).sort()).toEqual(keys);
      for (const k of keys) expect((STRINGS[l] as Record<string, unknown>)[k]).toBeTruthy();
    }
  });
});
