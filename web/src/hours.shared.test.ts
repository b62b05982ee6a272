// The opening-hours cases shared with the server's bussola-hours crate
// (tests/fixtures/hours.json, also run by crates/hours/tests/shared_fixtures.rs): the same
// schedules in the bundle's shape (compiled weeks), instants, and expected states, so the two
// implementations cannot drift apart.
import { describe, expect, test } from "vitest";
import text from "../../tests/fixtures/hours.json?raw";
import { holidaysAt, parseBundle } from "./data";
import { openState, romeTime } from "./hours";
import type { Schedule, Sportello } from "./types";

interface Case {
  schedule: string;
  comune?: string;
  at: string;
  local: string;
  open: boolean;
  next: { local: string; opens: boolean } | null;
  why: string;
}
const fixtures = JSON.parse(text) as {
  public_holidays: string[];
  local_holidays: Record<string, string[]>;
  schedules: Record<string, Schedule>;
  cases: Case[];
};
// The bundle's shape: national holidays, and per comune its patron days.
const bundle = parseBundle({
  features: [],
  bussola: { public_holidays: fixtures.public_holidays, local_holidays: fixtures.local_holidays },
});
const at = (comune: string | undefined) =>
  holidaysAt(bundle, { address: { comune_istat: comune } } as unknown as Sportello);

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

describe("the shared opening-hours fixtures", () => {
  test("the fixture has its cases", () => {
    expect(fixtures.cases.length).toBeGreaterThanOrEqual(25);
    expect(fixtures.cases.filter((c) => c.comune === "027008").length).toBeGreaterThanOrEqual(3);
  });
  for (const c of fixtures.cases) {
    test(`${c.schedule} at ${c.local}: ${c.why}`, () => {
      const now = romeTime(new Date(c.at));
      expect(`${now.date}T${hhmm(now.minute)}`).toBe(c.local);
      const st = openState(fixtures.schedules[c.schedule], now, at(c.comune));
      expect(st.kind === "open").toBe(c.open);
      let next: Case["next"] = null;
      if (st.kind === "open" && st.closes) next = { local: `${st.closes.date}T${hhmm(st.closes.minute)}`, opens: false };
      if (st.kind === "opens") next = { local: `${st.date}T${hhmm(st.minute)}`, opens: true };
      expect(next).toEqual(c.next);
    });
  }
});
