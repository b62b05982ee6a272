import { describe, expect, test } from "vitest";
import type { Me } from "./api";
import type { Campaign, Recipient } from "./campaigns-api";
import {
  answeredOf,
  blankCampaign,
  campaignBody,
  campaignProblems,
  campaignState,
  choosableComuni,
  holdsLink,
  mayTakeWholeTerritory,
  period,
  reach,
  runsCampaigns,
  searchComuni,
  toggleComune,
} from "./campaigns-edit";

const me = (...roles: NonNullable<Me["roles"]>): Me => ({ signed_in: true, username: "u", roles });
const bundle = new Map([
  ["027042", "Venezia"],
  ["027023", "Mira"],
  ["027012", "Dolo"],
  ["027006", "Cavarzere"],
  ["027004", "Campagna Lupia"],
]);

describe("who runs campaigns, over which comuni", () => {
  test("coordinators and admins, as the server's rule says; operators and viewers do not", () => {
    expect(runsCampaigns(me({ role: "coordinator", comuni: ["027023"] }))).toBe(true);
    expect(runsCampaigns(me({ role: "admin" }))).toBe(true);
    expect(runsCampaigns(me({ role: "operator", organization: "org-a" }))).toBe(false);
    expect(runsCampaigns(me({ role: "viewer", comuni: ["027023"] }))).toBe(false);
    expect(runsCampaigns({ signed_in: false })).toBe(false);
    expect(mayTakeWholeTerritory(me({ role: "coordinator", comuni: ["027023"] }))).toBe(false);
    expect(mayTakeWholeTerritory(me({ role: "admin" }))).toBe(true);
  });

  test("a coordinator chooses among their comuni, an admin among all, sorted by name", () => {
    const coord = me({ role: "coordinator", comuni: ["027023", "027012"] }, { role: "operator", organization: "org-a" });
    expect(choosableComuni(coord, bundle)).toEqual([
      { istat: "027012", name: "Dolo" },
      { istat: "027023", name: "Mira" },
    ]);
    expect(choosableComuni(me({ role: "admin" }), bundle).map((c) => c.name)).toEqual(["Campagna Lupia", "Cavarzere", "Dolo", "Mira", "Venezia"]);
    // A code the bundle does not know (not loaded yet) is shown as it is.
    expect(choosableComuni(me({ role: "coordinator", comuni: ["027099"] }), new Map())).toEqual([{ istat: "027099", name: "027099" }]);
  });

  test("the search matches every word of the name or the code, accents and case ignored", () => {
    const list = [...choosableComuni(me({ role: "admin" }), bundle), { istat: "027030", name: "Cà Savio" }];
    expect(searchComuni(list, "  ").length).toBe(list.length);
    expect(searchComuni(list, "MIR").map((c) => c.istat)).toEqual(["027023"]);
    expect(searchComuni(list, "ca sav").map((c) => c.name)).toEqual(["Cà Savio"]);
    expect(searchComuni(list, "027012").map((c) => c.name)).toEqual(["Dolo"]);
    expect(searchComuni(list, "campagna lupia").map((c) => c.name)).toEqual(["Campagna Lupia"]);
    expect(searchComuni(list, "zzz")).toEqual([]);
  });
});

describe("the open form", () => {
  test("a blank draft is refused at each field the server names", () => {
    const d = blankCampaign("2027-05-20");
    expect(d.from).toBe("2027-05-20");
    expect(campaignProblems(d)).toEqual([
      { pointer: "/title", code: "title_required" },
      { pointer: "/comuni", code: "comuni_required" },
      { pointer: "/until", code: "until_required" },
    ]);
  });

  test("the last day before the first, a reminder out of 1–90 or not a number", () => {
    const d = { ...blankCampaign("2027-06-10"), title: "Orari estivi", comuni: ["027023"], until: "2027-06-01" };
    expect(campaignProblems(d)).toEqual([{ pointer: "/until", code: "until_before" }]);
    for (const remind of ["0", "91", "7.5", "a week"]) {
      expect(campaignProblems({ ...d, until: "2027-09-15", remind })).toEqual([{ pointer: "/remind_every_days", code: "remind_range" }]);
    }
    expect(campaignProblems({ ...d, until: "2027-09-15", remind: " 14 " })).toEqual([]);
    expect(campaignProblems({ ...d, from: "", until: "2027-09-15" })).toEqual([{ pointer: "/from", code: "from_required" }]);
  });

  test("the body: comuni in order, the whole territory as none, the reminder only when given", () => {
    let d = { ...blankCampaign("2027-06-01"), title: "  Orari estivi 2027 ", until: "2027-09-15" };
    d = toggleComune(toggleComune(toggleComune(d, "027042", true), "027012", true), "027042", false);
    d = toggleComune(d, "027023", true);
    expect(campaignBody(d)).toEqual({ title: "Orari estivi 2027", comuni: ["027012", "027023"], from: "2027-06-01", until: "2027-09-15" });
    expect(campaignBody({ ...d, whole: true, remind: "7" })).toEqual({ title: "Orari estivi 2027", comuni: [], from: "2027-06-01", until: "2027-09-15", remind_every_days: 7 });
    expect(campaignProblems({ ...d, comuni: [], whole: true })).toEqual([]);
  });
});

const campaign = (over: Partial<Campaign> = {}): Campaign => ({
  id: "cmp-1",
  title: "Orari estivi",
  comuni: ["027023"],
  from: "2027-06-01",
  until: "2027-09-15",
  opened_by: "coord",
  created_at: "2027-05-20T10:00:00Z",
  sent_at: null,
  closed_at: null,
  remind_every_days: null,
  ...over,
});

const recipient = (state: Recipient["state"], over: Partial<Recipient> = {}): Recipient => ({
  organization_id: `org-${state}`,
  organization_name: state,
  email: state === "no_address" ? null : "a@example.org",
  comuni: ["027023"],
  state,
  sent_at: null,
  reminded_at: null,
  answered_at: null,
  answer: null,
  ...over,
});

describe("a campaign's state and counts", () => {
  test("closed before over, over before sent", () => {
    expect(campaignState(campaign(), "2027-05-21")).toBe("not_sent");
    expect(campaignState(campaign({ sent_at: "2027-05-21T08:00:00Z" }), "2027-05-21")).toBe("sent");
    expect(campaignState(campaign({ sent_at: "2027-05-21T08:00:00Z" }), "2027-09-15")).toBe("sent");
    expect(campaignState(campaign({ sent_at: "2027-05-21T08:00:00Z" }), "2027-09-16")).toBe("over");
    expect(campaignState(campaign({ closed_at: "2027-06-01T08:00:00Z" }), "2027-09-16")).toBe("closed");
  });

  test("answered of asked; who send and remind would reach; who holds a link", () => {
    const rs = [recipient("no_address"), recipient("waiting"), recipient("sent"), recipient("reminded"), recipient("answered", { answer: "unchanged" }), recipient("bounced")];
    expect(answeredOf(rs)).toEqual({ answered: 1, total: 6 });
    expect(reach(rs)).toEqual({ send: 1, remind: 2 });
    expect(rs.filter(holdsLink).map((r) => r.state)).toEqual(["sent", "reminded"]);
  });

  test("a period in the console's language", () => {
    expect(period("en", "2027-06-01", "2027-09-15")).toMatch(/Jun.*1.*Sep.*15.*2027/);
    expect(period("it", "2027-06-01", "2027-09-15")).toMatch(/1 giu.*15 set 2027/);
    expect(period("it", "x", "2027-09-15")).toBe("x – 2027-09-15");
  });
});
