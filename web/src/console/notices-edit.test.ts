import { describe, expect, test } from "vitest";
import { blankNotice, noticeProblems, toDraft, toNotice, when } from "./notices-edit";

describe("notices as drafts and back", () => {
  test("only the parts of its kind are kept; hours printed as the server prints them", () => {
    const d = { ...blankNotice("2026-08-01"), kind: "hours" as const, until: "2026-08-31", hours: "Mo-Fr 09:00-12:00; Sa 09:00-12:00", message: { it: "Estate", en: "" }, places: "full" as const };
    expect(toNotice(d)).toEqual({ kind: "hours", from: "2026-08-01", until: "2026-08-31", hours: "Mo-Sa 09:00-12:00", message: { it: "Estate" } });
    const full = toNotice({ ...d, kind: "saturation", message: {} });
    expect(full).toEqual({ kind: "saturation", from: "2026-08-01", until: "2026-08-31", places: "full" });
    const n = { kind: "message" as const, from: "2026-01-01", message: { it: "Nuovo ingresso", en: "New door" } };
    expect(toNotice(toDraft(n))).toEqual(n);
  });

  test("the form's checks name the field of each notice", () => {
    const base = blankNotice("2026-08-01");
    expect(noticeProblems([base])).toEqual([]);
    expect(
      noticeProblems([
        { ...base, until: "2026-07-01" },
        { ...base, from: "" },
        { ...base, kind: "hours", hours: "Mo 9-12" },
        { ...base, kind: "hours", hours: "Mo-Su off" },
        { ...base, kind: "message" },
        { ...base, message: { en: "Closed" } },
      ]),
    ).toEqual([
      { pointer: "/notices/0/until", code: "until_before" },
      { pointer: "/notices/1/from", code: "from_required" },
      { pointer: "/notices/2/hours", code: "hours_syntax" },
      { pointer: "/notices/3/hours", code: "hours_empty" },
      { pointer: "/notices/4/message/it", code: "message_required" },
      { pointer: "/notices/5/message/it", code: "italian_required" },
    ]);
  });

  test("in force from the first to the last day, inclusive", () => {
    const n = { from: "2026-08-10", until: "2026-08-21" };
    expect(when(n, "2026-08-09")).toBe("upcoming");
    expect(when(n, "2026-08-10")).toBe("now");
    expect(when(n, "2026-08-21")).toBe("now");
    expect(when(n, "2026-08-22")).toBe("past");
    expect(when({ from: "2026-08-10" }, "2030-01-01")).toBe("now");
  });
});
