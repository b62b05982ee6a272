// The hours editor's parser and printer against the shared fixtures (tests/fixtures/hours.json:
// each period's text beside the week the server compiled from it, written by hand) and the demo
// data's every hours text; its form checks on hand-made drafts.
import { describe, expect, test } from "vitest";
import fixturesText from "../../../tests/fixtures/hours.json?raw";
import demoText from "../../../data/demo/venezia.geojson?raw";
import { openState } from "../hours";
import { compiled, emptyWeek, formatHours, fromDraft, fromRecord, HoursSyntaxError, parseHours, toDraft, toRecord, type Week } from "./hours-edit";

const fixtures = JSON.parse(fixturesText) as { schedules: Record<string, { periods: { hours: string; week: Week }[] }> };

function demoHours(): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k === "periods" && Array.isArray(x)) x.forEach((p: { hours?: string }) => p.hours && out.push(p.hours));
        else walk(x);
      }
    }
  };
  walk(JSON.parse(demoText));
  return out;
}

describe("the weekly syntax", () => {
  test("every fixture's text parses to the week the server compiled", () => {
    let n = 0;
    for (const [name, s] of Object.entries(fixtures.schedules)) {
      for (const p of s.periods) {
        expect(parseHours(p.hours), `${name}: ${p.hours}`).toEqual(p.week);
        n++;
      }
    }
    expect(n).toBeGreaterThan(5);
  });

  test("what the editor writes parses back to the same week (fixtures and every demo text)", () => {
    const texts = [...Object.values(fixtures.schedules).flatMap((s) => s.periods.map((p) => p.hours)), ...demoHours()];
    expect(texts.length).toBeGreaterThan(20);
    for (const t of texts) {
      const w = parseHours(t);
      expect(parseHours(formatHours(w)), t).toEqual(w);
    }
  });

  test("the printer groups days as the server's canonical text does", () => {
    expect(formatHours(parseHours("Mo-Fr 09:00-12:30; Tu,Th 14:30-17:00"))).toBe("Mo,We,Fr 09:00-12:30; Tu,Th 09:00-12:30,14:30-17:00");
    expect(formatHours(parseHours("Mo,Tu,We 08:00-13:00; Sa 09:00-12:00"))).toBe("Mo-We 08:00-13:00; Sa 09:00-12:00");
    expect(formatHours(emptyWeek())).toBe("Mo-Su off");
    expect(formatHours(parseHours("Mo-Fr 09:00-12:00; We off"))).toBe("Mo-Tu,Th-Fr 09:00-12:00");
    // Overlapping and touching ranges merge, as the server merges them.
    expect(parseHours("Mo 09:00-12:00,11:00-13:00,13:00-14:00")[0]).toEqual([[540, 840]]);
    expect(parseHours("Su-Tu 10:00-11:00").map((d) => d.length)).toEqual([1, 1, 0, 0, 0, 0, 1]);
  });

  test("malformed texts are refused with a position", () => {
    for (const [bad, at] of [
      ["Mo 9-12", 3],
      ["Xx 09:00-12:00", 0],
      ["Mo 12:00-09:00", 3],
      ["Mo 09:00-25:00", 9],
      ["Mo 09:00-12:00 Tu", 15],
    ] as const) {
      expect(() => parseHours(bad), bad).toThrow(HoursSyntaxError);
      try {
        parseHours(bad);
      } catch (e) {
        expect((e as HoursSyntaxError).position, bad).toBe(at);
      }
    }
  });
});

describe("the editor's schedule", () => {
  const record = {
    periods: [
      { valid_from: "2026-07-01", valid_to: "2026-08-31", hours: "Mo-Fr 09:00-12:00" },
      { valid_from: null, valid_to: null, hours: "Mo-Fr 08:30-12:30; Tu,Th 14:30-16:30" },
    ],
    closed_on: ["2026-12-31", "2026-12-24"],
    public_holidays: "closed" as const,
    note: { it: "Chiuso ad agosto" },
  };

  test("the undated period comes first; saving keeps the rest of the schedule", () => {
    const e = fromRecord(record);
    expect(e.periods[0].valid_from).toBeNull();
    expect(e.periods[1].valid_from).toBe("2026-07-01");
    const back = toRecord(e);
    expect(back.closed_on).toEqual(["2026-12-24", "2026-12-31"]);
    expect(back.note).toEqual({ it: "Chiuso ad agosto" });
    expect(back.periods!.map((p) => parseHours(p.hours))).toEqual([parseHours(record.periods[1].hours), parseHours(record.periods[0].hours)]);
    const checked = fromDraft(toDraft(e));
    expect(checked.problems).toEqual([]);
    expect(toRecord(checked.schedule!)).toEqual(back);
  });

  test("a form's mistakes are named by field", () => {
    const d = toDraft(fromRecord(record));
    d.periods[0].days[0].push(["12:00", "13:00"]); // overlaps 08:30–12:30 on Monday
    d.periods[0].days[1][0] = ["9.00", "12:00"]; // not a time
    d.periods[0].days[2][0] = ["12:00", "09:00"]; // ends before it starts
    d.periods[1].valid_to = "2026-06-01"; // before valid_from
    d.periods.push({ valid_from: "", valid_to: "", days: emptyWeek().map(() => []) });
    const { problems, schedule } = fromDraft(d);
    expect(schedule).toBeNull();
    expect(problems).toEqual([
      { field: "p0-d0-i1-start", code: "overlap" },
      { field: "p0-d1-i0-start", code: "time" },
      { field: "p0-d2-i0-end", code: "order" },
      { field: "p1-to", code: "dates" },
      { field: "p2-from", code: "undated" },
    ]);
  });

  test("the preview is the public app's own evaluation of what is typed", () => {
    const d = toDraft(fromRecord({ periods: [{ valid_from: null, valid_to: null, hours: "Mo-Fr 09:00-12:00" }], public_holidays: "closed" }));
    d.periods[0].days[0].push(["14:00", "18:00"]);
    const s = compiled(fromDraft(d).schedule!);
    // Monday 5 January 2026, 13:00 in Rome: closed, opening again at 14:00 that day.
    const st = openState(s, { date: "2026-01-05", minute: 13 * 60, weekday: 0 }, new Set());
    expect(st).toEqual({ kind: "opens", date: "2026-01-05", minute: 14 * 60, daysAhead: 0 });
    // On a holiday the service is closed until the next day.
    const hol = openState(s, { date: "2026-01-06", minute: 10 * 60, weekday: 1 }, new Set(["2026-01-06"]));
    expect(hol).toEqual({ kind: "opens", date: "2026-01-07", minute: 9 * 60, daysAhead: 1 });
  });
});
