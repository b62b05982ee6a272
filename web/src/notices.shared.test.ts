// Which notices are in force, announced or not shown on a day: the cases shared with the
// server (tests/fixtures/hours.json, notice_days; server/src/model/notice.rs passes them too).
import { describe, expect, test } from "vitest";
import text from "../../tests/fixtures/hours.json?raw";
import { UPCOMING_DAYS, activeNotices, upcomingNotices } from "./freshness";
import type { Notice } from "./types";

const days = (JSON.parse(text) as {
  notice_days: { upcoming_days: number; cases: { notice: Notice; on: string; shown: string; why: string }[] };
}).notice_days;

describe("shared notice days", () => {
  test("the same number of days ahead", () => expect(UPCOMING_DAYS).toBe(days.upcoming_days));
  test.each(days.cases)("$why", (c) => {
    const shown = activeNotices([c.notice], c.on).length
      ? "in_force"
      : upcomingNotices([c.notice], c.on).length
        ? "upcoming"
        : "none";
    expect(shown).toBe(c.shown);
  });
});
