import { describe, expect, test } from "vitest";
import { activeNotices, checkedPhrase, daysBetween, freshness, longDate, noticeLabel, upcomingDates, upcomingLabel, upcomingNotices } from "./freshness";
import { translator } from "./i18n";
import type { Notice, Service, Sportello } from "./types";

const service = (over: Partial<Service> = {}): Service => ({
  id: "svc",
  organization_id: "org",
  name: { it: "Corso di italiano" },
  categories: ["language"],
  languages: ["it"],
  cost: "free",
  appointment_required: false,
  audiences: [],
  ...over,
});

const sportello = (over: Partial<Sportello> = {}): Sportello => ({
  id: "loc",
  lon: 12.2,
  lat: 45.4,
  organization_id: "org",
  name: { it: "Sportello" },
  phones: [],
  emails: [],
  services: [service()],
  ...over,
});

describe("notices are switched by the phone's own date", () => {
  const full: Notice = { kind: "saturation", places: "full", from: "2026-06-01", until: "2026-09-13" };
  const open: Notice = { kind: "closed", from: "2026-12-01" };
  test("from the first day to the last, inclusive; none before or after", () => {
    expect(activeNotices([full], "2026-05-31")).toEqual([]);
    expect(activeNotices([full], "2026-06-01")).toEqual([full]);
    expect(activeNotices([full], "2026-09-13")).toEqual([full]);
    expect(activeNotices([full], "2026-09-14")).toEqual([]);
    expect(activeNotices([full, open], "2030-01-01")).toEqual([open]);
    expect(activeNotices(undefined, "2026-06-01")).toEqual([]);
  });
  test("they are said in the interface's words, with their date", () => {
    const it = translator("it");
    expect(noticeLabel(it, full)).toBe("Posti esauriti fino al 13 settembre 2026");
    expect(noticeLabel(translator("en"), full)).toBe("Full until September 13, 2026");
    expect(noticeLabel(it, open)).toBe("Chiuso temporaneamente");
    expect(noticeLabel(it, { kind: "closed", from: "2026-12-01", until: "2026-12-05" })).toBe("Chiuso fino al 5 dicembre 2026");
    expect(noticeLabel(it, { kind: "saturation", places: "waiting_list", from: "2026-12-01" })).toBe("Lista d'attesa");
    expect(noticeLabel(it, { kind: "message", from: "2026-12-01" })).toBe("");
    const ar = noticeLabel(translator("ar"), full);
    expect(ar).toBe(`لا توجد أماكن شاغرة حتى ${longDate("2026-09-13", "ar")}`);
  });
});

describe("checked N days ago", () => {
  test("whole days between Rome dates", () => {
    expect(daysBetween("2026-10-15", "2026-12-01")).toBe(47);
    // Across the end of summer time, still whole days.
    expect(daysBetween("2026-10-20", "2026-10-30")).toBe(10);
  });
  test("the oldest critical field, falling back to the record's date", () => {
    const sp = sportello({
      last_verified_at: "2026-10-15T00:00:00Z",
      verified: { address: "2026-11-28T10:00:00Z" },
      services: [service({ verified: { hours: "2026-11-30T09:00:00Z", languages: "2026-11-29T09:00:00Z" }, last_verified_at: "2026-11-20T00:00:00Z" })],
    });
    // Address 28 Nov, no phone; hours 30 Nov, languages 29 Nov, cost and appointment 20 Nov.
    expect(freshness(sp, "2026-12-01")).toEqual({ checked: "2026-11-20", days: 11, outdated: false });
    // A phone brings the sportello's own date in: 15 October.
    expect(freshness({ ...sp, phones: ["+39 041 000"] }, "2026-12-01")).toEqual({ checked: "2026-10-15", days: 47, outdated: false });
  });
  test("a field past its threshold, or never confirmed, marks it possibly out of date", () => {
    const sp = sportello({
      verified: { address: "2026-11-01T10:00:00Z" },
      services: [service({ verified: { hours: "2026-08-01T09:00:00Z", languages: "2026-11-01T09:00:00Z", cost: "2026-11-01T09:00:00Z", appointment: "2026-11-01T09:00:00Z" } })],
    });
    // Hours: 122 days, past 90.
    expect(freshness(sp, "2026-12-01")).toEqual({ checked: "2026-08-01", days: 122, outdated: true });
    expect(freshness(sp, "2026-12-01", { hours: 200, address: 365, phone: 180, languages: 365, cost: 180, appointment: 180 }).outdated).toBe(false);
    const never = sportello({ verified: { address: "2026-11-01T10:00:00Z" } });
    expect(freshness(never, "2026-12-01")).toEqual({ checked: null, days: null, outdated: true });
  });
  test("said as a day, never a time, in the interface's language", () => {
    expect(checkedPhrase(translator("en"), 3)).toBe("Checked 3 days ago");
    expect(checkedPhrase(translator("it"), 1)).toBe("Verificato ieri");
    expect(checkedPhrase(translator("it"), 0)).toBe("Verificato oggi");
    const ar = checkedPhrase(translator("ar"), 5);
    expect(ar).toBe(`تم التحقق ${new Intl.RelativeTimeFormat("ar", { numeric: "auto" }).format(-5, "day")}`);
    expect(ar).not.toMatch(/\d{1,2}:\d{2}/);
  });
});

describe("announced notices are said in the UI language", () => {
  const closure: Notice = { kind: "closed", from: "2027-08-10", until: "2027-08-24" };
  test("a closure with an end gives its range, one without its first day", () => {
    const it = translator("it");
    expect(upcomingLabel(it, closure)).toBe("Chiuso temporaneamente");
    expect(upcomingDates(it, closure)).toBe("10–24 agosto 2027");
    expect(upcomingDates(translator("en"), closure).replace(/\s/g, " ")).toBe("August 10 – 24, 2027");
    const summer: Notice = { kind: "hours", hours: "Mo-Fr 09:00-12:00", from: "2027-07-01" };
    expect(upcomingLabel(translator("en"), summer)).toBe("Changed opening hours");
    expect(upcomingDates(translator("en"), summer)).toBe("from July 1, 2027");
    expect(upcomingDates(it, summer)).toBe("dal 1 luglio 2027");
  });
  test("Italian elides dal before 8 and 11; a card's badge has the first day only", () => {
    const it = translator("it");
    expect(upcomingDates(it, { kind: "closed", from: "2027-08-08" })).toBe("dall'8 agosto 2027");
    expect(upcomingDates(it, { kind: "closed", from: "2027-08-11", until: "2027-08-20" }, true)).toBe("dall'11 ago");
    expect(upcomingDates(it, { kind: "closed", from: "2027-08-18" })).toBe("dal 18 agosto 2027");
  });
  test("places: full, waiting list, available", () => {
    const en = translator("en");
    expect(upcomingLabel(en, { kind: "saturation", places: "full", from: "2027-02-01" })).toBe("Full");
    expect(upcomingLabel(en, { kind: "saturation", places: "waiting_list", from: "2027-02-01" })).toBe("Waiting list");
    expect(upcomingLabel(en, { kind: "saturation", places: "available", from: "2027-02-01" })).toBe("Places available");
  });
  test("only within the days ahead, never a message", () => {
    expect(upcomingNotices([closure], "2027-07-27")).toEqual([closure]);
    expect(upcomingNotices([closure], "2027-07-26")).toEqual([]);
    expect(upcomingNotices([closure], "2027-08-10")).toEqual([]); // in force, not announced
    expect(upcomingNotices([{ kind: "message", from: "2027-08-10", message: { it: "x" } }], "2027-08-09")).toEqual([]);
  });
});
