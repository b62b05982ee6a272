import { describe, expect, test } from "vitest";
import { formatMinute } from "./hours";
import { dayPhrase, listOf, separator, translator } from "./i18n";

// 2026-12-03 is a Thursday, 2026-12-02 a Wednesday, 2026-12-04 a Friday (any calendar).
describe("weekdays in sentences", () => {
  test("Ukrainian puts the weekday in the accusative after у", () => {
    const uk = translator("uk");
    expect(uk("opens_on", { day: dayPhrase("2026-12-03", "uk"), time: "10:00" })).toBe("Відчиняється у четвер о 10:00");
    expect(dayPhrase("2026-12-02", "uk")).toBe("у середу");
    expect(dayPhrase("2026-12-04", "uk")).toBe("у пʼятницю");
    expect(dayPhrase("2026-12-05", "uk")).toBe("у суботу");
    expect(dayPhrase("2026-12-06", "uk")).toBe("у неділю");
    expect(dayPhrase("2026-11-30", "uk")).toBe("у понеділок");
    expect(dayPhrase("2026-12-01", "uk")).toBe("у вівторок");
  });
  test("the other languages use the weekday's own name, as their templates expect", () => {
    expect(translator("it")("opens_on", { day: dayPhrase("2026-12-03", "it"), time: "10:00" })).toBe("Apre giovedì alle 10:00");
    expect(translator("fr")("opens_on", { day: dayPhrase("2026-12-03", "fr"), time: "10:00" })).toBe("Ouvre jeudi à 10:00");
    expect(translator("en")("opens_on", { day: dayPhrase("2026-12-03", "en"), time: "10:00" })).toBe("Opens Thursday at 10:00");
    // Arabic's template carries يوم, so the day is the bare name, once.
    const ar = translator("ar")("opens_on", { day: dayPhrase("2026-12-03", "ar"), time: "10:00" });
    expect(ar).toBe(`يفتح يوم ${new Intl.DateTimeFormat("ar", { weekday: "long", timeZone: "UTC" }).format(new Date("2026-12-03T12:00:00Z"))} الساعة 10:00`);
    expect(ar.match(/يوم/g)).toHaveLength(1);
  });
});

describe("Urdu hours", () => {
  test("the hour marker بجے is not doubled by a 12-hour AM/PM", () => {
    const time = formatMinute(600, "ur");
    expect(time).not.toMatch(/AM|PM|ق|ش/);
    const text = translator("ur")("opens_at", { time });
    expect(text.match(/بجے/g)).toHaveLength(1);
    expect(formatMinute(870, "ur")).toMatch(/14/);
  });
});

describe("lists and commas", () => {
  test("Arabic and Urdu use the Arabic comma, Chinese its own", () => {
    expect(separator("ar")).toBe("، ");
    expect(separator("ur")).toBe("، ");
    expect(separator("zh")).toBe("，");
    expect(separator("it")).toBe(", ");
  });
  test("lists are joined the language's way (Intl.ListFormat), with no Latin comma in Arabic", () => {
    const ar = listOf(["أ", "ب", "ج"], "ar");
    expect(ar).not.toContain(",");
    expect(ar).toBe(new Intl.ListFormat("ar", { style: "long", type: "conjunction" }).format(["أ", "ب", "ج"]));
    expect(listOf(["arabo", "inglese"], "it")).toBe("arabo e inglese");
  });
});
