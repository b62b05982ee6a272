import { describe, expect, test } from "vitest";
import { bestState, formatIntervals, formatMinute, intervalsOn, openState, romeTime, week, weekdayName } from "./hours";
import type { Schedule } from "./types";

const MF = [[510, 750]] as [number, number][];
const schedule: Schedule = {
  periods: [
    { valid_from: null, valid_to: null, hours: "Mo-Fr 08:30-12:30; Tu 14:30-16:30", week: [MF, [[510, 750], [870, 990]], MF, MF, MF, [], []] },
    { valid_from: "2026-08-01", valid_to: "2026-08-31", hours: "Mo 09:00-11:00", week: [[[540, 660]], [], [], [], [], [], []] },
  ],
  closed_on: ["2026-12-24"],
  public_holidays: "closed",
};
const holidays = new Set(["2026-12-08", "2026-12-25"]);

describe("Rome wall-clock time", () => {
  test("winter is UTC+1, summer UTC+2", () => {
    expect(romeTime(new Date("2026-11-24T09:00:00Z"))).toEqual({ date: "2026-11-24", minute: 600, weekday: 1 });
    expect(romeTime(new Date("2026-07-01T09:00:00Z")).minute).toBe(660);
    // 23:30 UTC on Saturday is already Sunday in Rome.
    expect(romeTime(new Date("2026-11-28T23:30:00Z"))).toMatchObject({ date: "2026-11-29", weekday: 6 });
  });
});

describe("intervals on a date", () => {
  test("weekly pattern, seasonal period, closure, holiday", () => {
    expect(intervalsOn(schedule, "2026-11-24", holidays)).toEqual([[510, 750], [870, 990]]);
    expect(intervalsOn(schedule, "2026-08-03", holidays)).toEqual([[540, 660]]); // a Monday in August
    expect(intervalsOn(schedule, "2026-08-04", holidays)).toEqual([]); // August Tuesday: closed
    expect(intervalsOn(schedule, "2026-12-24", holidays)).toEqual([]); // one-off closure
    expect(intervalsOn(schedule, "2026-12-08", holidays)).toEqual([]); // Immacolata, a Tuesday
    expect(intervalsOn({ ...schedule, public_holidays: "open" }, "2026-12-08", holidays)).toEqual([[510, 750], [870, 990]]);
  });
});

describe("open state", () => {
  test("open now, closing at the interval's end", () => {
    expect(openState(schedule, { date: "2026-11-24", minute: 600, weekday: 1 }, holidays)).toEqual({
      kind: "open",
      closes: { date: "2026-11-24", minute: 750 },
    });
  });
  test("between two intervals: opens later today", () => {
    expect(openState(schedule, { date: "2026-11-24", minute: 800, weekday: 1 }, holidays)).toEqual({
      kind: "opens",
      date: "2026-11-24",
      minute: 870,
      daysAhead: 0,
    });
  });
  test("Friday evening: opens Monday", () => {
    expect(openState(schedule, { date: "2026-11-27", minute: 1200, weekday: 4 }, holidays)).toMatchObject({
      kind: "opens",
      date: "2026-11-30",
      minute: 510,
      daysAhead: 3,
    });
  });
  test("the interval's end is excluded", () => {
    expect(openState(schedule, { date: "2026-11-24", minute: 750, weekday: 1 }, holidays).kind).toBe("opens");
  });
  test("no hours at all: closed", () => {
    expect(openState({ periods: [] }, { date: "2026-11-24", minute: 600, weekday: 1 }, holidays)).toEqual({ kind: "closed" });
    expect(openState(undefined, { date: "2026-11-24", minute: 600, weekday: 1 }, holidays)).toEqual({ kind: "closed" });
  });
  test("a sportello is as open as its most open service", () => {
    const at = (date: string, minute: number) => ({ kind: "open" as const, closes: { date, minute } });
    expect(bestState([{ kind: "closed" }, at("2026-11-24", 700), at("2026-11-24", 900)])).toEqual(at("2026-11-24", 900));
    expect(bestState([at("2026-11-25", 60), at("2026-11-24", 900)])).toEqual(at("2026-11-25", 60));
    expect(bestState([at("2026-11-24", 900), { kind: "open", closes: null }])).toEqual({ kind: "open", closes: null });
    expect(
      bestState([
        { kind: "opens", date: "2026-11-25", minute: 600, daysAhead: 1 },
        { kind: "opens", date: "2026-11-24", minute: 900, daysAhead: 0 },
      ]),
    ).toMatchObject({ date: "2026-11-24", minute: 900 });
  });
});

describe("display in the user's locale", () => {
  test("24-hour Italian, 12-hour English, Arabic digits", () => {
    expect(formatMinute(870, "it")).toBe("14:30");
    expect(formatMinute(870, "en-US")).toMatch(/^2:30\sPM$/);
    expect(formatMinute(870, "ar-EG")).toMatch(/[٠-٩]/);
    expect(formatIntervals([[510, 750], [870, 990]], "it")).toBe("8:30–12:30 e 14:30–16:30");
    expect(formatIntervals([[510, 750], [870, 990]], "en-GB")).toMatch(/^0?8:30–12:30, 14:30–16:30$/);
  });
  test("weekday names", () => {
    expect(weekdayName("2026-11-30", "it")).toBe("lunedì");
    expect(weekdayName("2026-11-30", "en")).toBe("Monday");
    expect(weekdayName("2026-11-30", "fr")).toBe("lundi");
  });
  test("a week from today says why a day is closed", () => {
    const rows = week(schedule, "2026-12-07", holidays);
    expect(rows.map((r) => r.date)).toEqual([
      "2026-12-07",
      "2026-12-08",
      "2026-12-09",
      "2026-12-10",
      "2026-12-11",
      "2026-12-12",
      "2026-12-13",
    ]);
    expect(rows[1]).toMatchObject({ holiday: true, closure: false, intervals: [] });
    expect(rows[0].intervals).toEqual(MF);
    expect(week(schedule, "2026-12-24", holidays)[0]).toMatchObject({ closure: true, intervals: [] });
  });
});
