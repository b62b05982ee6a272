// @vitest-environment happy-dom
// The campaigns screen against a fake server: the list with answered of asked, the open form
// (its own checks, the server's 422 and 403 at their fields, 201 to the campaign's page), a
// campaign's page (recipients, progress as a table with header cells) and its actions, each
// confirmed and announced — a 503 naming the mail settings — and titles that look like markup
// shown as text.
import { afterEach, describe, expect, test, vi } from "vitest";
import { render } from "preact";
import { campaignScreen } from "./campaigns";
import { makeT, type Ctx } from "./ui";
import { WORDS, say } from "./words";
import type { Bundle } from "../types";

const SCRIPT = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">';
const W = WORDS.it;

function ctx(over: Partial<Ctx> = {}) {
  const said: string[] = [];
  const went: string[] = [];
  const bundle = { comuni: new Map([["027023", "Mira"], ["027012", "Dolo"], ["027042", "Venezia"]]) } as unknown as Bundle;
  const c: Ctx = {
    lang: "it",
    w: W,
    t: makeT(W),
    me: { signed_in: true, username: "coord", roles: [{ role: "coordinator", comuni: ["027023", "027012"] }] },
    bundle,
    go: (p) => void went.push(p),
    announce: (s) => void said.push(s),
    ...over,
  };
  return { c, said, went };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json" } });

async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
}

function mount(node: preact.ComponentChild) {
  const box = document.createElement("div");
  document.body.replaceChildren(box);
  render(node, box);
  return box;
}

type Seen = { url: string; method: string; body: unknown; csrf: string | null };
function server(answer: (url: string, method: string, body: unknown) => Response) {
  const seen: Seen[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? "GET";
    const body = init.body ? JSON.parse(String(init.body)) : null;
    seen.push({ url, method, body, csrf: (init.headers as Record<string, string>)["X-CSRF-Token"] ?? null });
    return answer(url, method, body);
  });
  return seen;
}

const CAMPAIGN = {
  id: "cmp-1",
  title: `Orari estivi ${SCRIPT}`,
  comuni: ["027023"],
  from: "2027-06-01",
  until: "2099-09-15",
  opened_by: "coord",
  created_at: "2027-05-20T10:00:00Z",
  sent_at: null,
  closed_at: null,
  remind_every_days: 14,
};
const recipient = (org: string, state: string, email: string | null, over = {}) => ({
  organization_id: org,
  organization_name: org === "org-a" ? SCRIPT : `Name of ${org}`,
  email,
  comuni: ["027023"],
  state,
  sent_at: null,
  reminded_at: null,
  answered_at: null,
  answer: null,
  answer_detail: null,
  ...over,
});
const WHOLE = {
  campaign: CAMPAIGN,
  recipients: [recipient("org-a", "no_address", null), recipient("org-b", "waiting", "b@example.org"), recipient("org-c", "sent", "c@example.org", { sent_at: "2027-05-21T08:00:00Z" })],
  progress: [{ comune: "027023", recipients: 3, answered: 0, unchanged: 0, changed: 0, no_address: 1 }],
};

const click = (box: HTMLElement, sel: string) => box.querySelector<HTMLElement>(sel)!.click();
const type = (box: HTMLElement, sel: string, value: string) => {
  const el = box.querySelector<HTMLInputElement>(sel)!;
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
};
const submit = (box: HTMLElement) => box.querySelector<HTMLFormElement>("#campaign-form")!.dispatchEvent(new Event("submit", { cancelable: true, bubbles: true }));

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
  expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
});

describe("the campaigns list", () => {
  test("title as text, period, state, answered of asked from each campaign's recipients", async () => {
    const seen = server((url) => {
      if (url === "/api/campaigns") return json(200, { campaigns: [CAMPAIGN, { ...CAMPAIGN, id: "cmp-2", title: "Inverno", closed_at: "2027-06-01T00:00:00Z" }] });
      if (url === "/api/campaigns/cmp-1") return json(200, { ...WHOLE, recipients: [...WHOLE.recipients, recipient("org-d", "answered", "d@example.org", { answer: "unchanged" })] });
      return json(200, { ...WHOLE, campaign: { ...CAMPAIGN, id: "cmp-2" }, recipients: [] });
    });
    const { c } = ctx();
    const box = mount(campaignScreen(c, []));
    await settle();
    const rows = box.querySelectorAll("#campaigns tbody tr");
    expect(rows.length).toBe(2);
    expect(box.querySelector("#campaigns caption")!.textContent).toBe(W.campaigns_caption);
    expect(rows[0].querySelector("th a")!.textContent).toBe(CAMPAIGN.title);
    expect(rows[0].querySelector("th a")!.getAttribute("href")).toBe("/console/campaigns/cmp-1");
    expect(rows[0].querySelector(".badge")!.textContent).toBe(W.campaign_state_not_sent);
    expect(rows[0].querySelector(".answered")!.textContent).toBe(say(W, "campaign_answered_of", { answered: 1, total: 4 }));
    expect(rows[1].querySelector(".badge")!.textContent).toBe(W.campaign_state_closed);
    expect(rows[1].querySelector(".answered")!.textContent).toBe(say(W, "campaign_answered_of", { answered: 0, total: 0 }));
    expect(box.querySelectorAll("script, img").length).toBe(0);
    expect(seen.every((s) => s.method === "GET")).toBe(true);
  });

  test("an operator who opens the path reads the server's refusal", async () => {
    server(() => json(403, { title: "Forbidden", detail: "campaigns are run by coordinators and admins" }));
    const { c } = ctx({ me: { signed_in: true, username: "op", roles: [{ role: "operator", organization: "org-a" }] } });
    const box = mount(campaignScreen(c, []));
    await settle();
    expect(box.querySelector("#campaigns-error")!.textContent).toBe(say(W, "forbidden", { detail: "campaigns are run by coordinators and admins" }));
    expect(box.querySelector("#campaigns")).toBeNull();
  });
});

describe("opening a campaign", () => {
  test("the form's own checks at their fields, nothing sent", async () => {
    const seen = server(() => json(500, {}));
    const { c } = ctx();
    const box = mount(campaignScreen(c, ["new"]));
    await settle();
    // Two comuni for this coordinator: no search box, no whole territory.
    expect(box.querySelectorAll("#f-comuni-list input[type=checkbox]").length).toBe(2);
    expect(box.querySelector("#f-comuni-search")).toBeNull();
    expect(box.querySelector("#f-whole")).toBeNull();
    submit(box);
    await settle();
    expect(seen.length).toBe(0);
    expect(box.querySelector("#f-title-error")!.textContent).toBe(W.campaign_err_title);
    expect(box.querySelector("#f-title")!.getAttribute("aria-invalid")).toBe("true");
    expect(box.querySelector("#f-comuni-error")!.textContent).toBe(W.campaign_err_comuni);
    expect(box.querySelector("#f-comuni")!.getAttribute("aria-describedby")).toBe("f-comuni-error");
    expect(box.querySelector("#f-until-error")!.textContent).toBe(W.campaign_err_until);
    const links = [...box.querySelectorAll("#error-summary a")].map((a) => a.getAttribute("href"));
    expect(links).toEqual(["#f-title", "#f-comune-027012", "#f-until"]);
  });

  test("the server's 422 at each field (a comune's index at the list), then 201 to the campaign's page", async () => {
    let answer = json(422, {
      title: "Invalid",
      errors: [
        { pointer: "/comuni/0", detail: '"027023" is not the ISTAT code of a comune of the territory' },
        { pointer: "/until", detail: "the period is over" },
        { pointer: "/remind_every_days", detail: "between 1 and 90 days" },
      ],
    });
    const seen = server(() => answer);
    const { c, said, went } = ctx();
    const box = mount(campaignScreen(c, ["new"]));
    await settle();
    type(box, "#f-title", SCRIPT);
    click(box, "#f-comune-027023");
    await settle();
    expect(box.querySelector("#f-comuni-count")!.textContent).toBe(say(W, "campaign_f_selected", { n: 1 }));
    type(box, "#f-from", "2020-01-01");
    type(box, "#f-until", "2020-01-02");
    type(box, "#f-remind_every_days", "30");
    await settle();
    submit(box);
    await settle();
    expect(seen.map((s) => [s.method, s.url])).toEqual([["POST", "/api/campaigns"]]);
    expect(seen[0].body).toEqual({ title: SCRIPT, comuni: ["027023"], from: "2020-01-01", until: "2020-01-02", remind_every_days: 30 });
    expect(seen[0].csrf).not.toBeNull();
    expect(box.querySelector("#f-comuni-error")!.textContent).toMatch(/ISTAT/);
    expect(box.querySelector("#f-until-error")!.textContent).toBe("the period is over");
    expect(box.querySelector("#f-remind_every_days-error")!.textContent).toBe("between 1 and 90 days");
    expect(box.querySelector("#f-title-error")).toBeNull();
    // A coordinator naming a comune outside their territory: 403 with the field's pointer.
    answer = json(403, { title: "Forbidden", detail: "a coordinator's campaign names comuni of their own territory", pointer: "/comuni" });
    submit(box);
    await settle();
    expect(box.querySelector("#f-comuni-error")!.textContent).toMatch(/own territory/);
    expect(box.querySelector("#f-until-error")).toBeNull();
    answer = json(201, WHOLE);
    submit(box);
    await settle();
    expect(went).toEqual(["/console/campaigns/cmp-1"]);
    expect(said.at(-1)).toBe(say(W, "campaign_opened", { n: 3 }));
  });

  test("an admin may take the whole territory, and searches the comuni", async () => {
    const seen = server(() => json(201, WHOLE));
    const bundle = { comuni: new Map(["Venezia", "Mira", "Dolo", "Chioggia", "Cavallino-Treporti", "Cona", "Caorle"].map((n, i) => [`0270${10 + i}`, n])) } as unknown as Bundle;
    const { c } = ctx({ me: { signed_in: true, username: "root", roles: [{ role: "admin" }] }, bundle });
    const box = mount(campaignScreen(c, ["new"]));
    await settle();
    type(box, "#f-comuni-search", "ca");
    await settle();
    expect([...box.querySelectorAll("#f-comuni-list label")].map((l) => l.textContent)).toEqual(["Caorle", "Cavallino-Treporti"]);
    type(box, "#f-comuni-search", "zzz");
    await settle();
    expect(box.querySelector("#f-comuni-none")!.textContent).toBe(W.campaign_f_no_match);
    click(box, "#f-whole");
    type(box, "#f-title", "Tutto");
    type(box, "#f-until", "2099-01-01");
    await settle();
    submit(box);
    await settle();
    expect((seen[0].body as { comuni: string[] }).comuni).toEqual([]);
  });
});

describe("a campaign's page", () => {
  test("recipients with their address or none, progress as a table with header cells", async () => {
    server(() => json(200, WHOLE));
    const { c } = ctx();
    const box = mount(campaignScreen(c, ["cmp-1"]));
    await settle();
    expect(box.querySelector("h1")!.textContent).toBe(CAMPAIGN.title);
    const rows = box.querySelectorAll("#recipients tbody tr");
    expect(rows.length).toBe(3);
    expect(rows[0].querySelector("th")!.textContent).toBe(SCRIPT);
    expect(rows[0].querySelector(".email")!.textContent).toBe(W.campaign_no_address);
    expect(rows[1].querySelector(".email")!.textContent).toBe("b@example.org");
    expect(rows[1].querySelector(".state")!.textContent).toBe(W.recipient_waiting);
    // Only a sent link can be revoked.
    expect([...box.querySelectorAll("#recipients button")].map((b) => b.id)).toEqual(["revoke-org-c"]);
    expect(box.querySelector("#progress caption")!.textContent).toBe(W.campaign_progress);
    expect(box.querySelectorAll("#progress thead th[scope=col]").length).toBe(6);
    const row = box.querySelector('#progress tr[data-comune="027023"]')!;
    expect(row.querySelector("th[scope=row]")!.textContent).toBe("Mira");
    expect([...row.querySelectorAll("td")].map((td) => td.textContent)).toEqual(["3", "0", "0", "0", "1"]);
    expect(box.querySelectorAll("main script, img").length).toBe(0);
  });

  test("send: confirmed, posted, its counts announced and shown; the page reloaded", async () => {
    let sent = false;
    const seen = server((url, method) => {
      if (method === "POST" && url.endsWith("/send")) {
        sent = true;
        return json(200, { sent: 1, bounced: 0, failed: 0 });
      }
      return json(200, sent ? { ...WHOLE, recipients: WHOLE.recipients.map((r) => (r.state === "waiting" ? { ...r, state: "sent" } : r)) } : WHOLE);
    });
    const { c, said } = ctx();
    const box = mount(campaignScreen(c, ["cmp-1"]));
    await settle();
    click(box, "#campaign-send");
    await settle();
    expect(box.querySelector("#campaign-send-q")!.textContent).toBe(say(W, "campaign_send_confirm", { n: 1 }));
    expect(document.activeElement?.id).toBe("campaign-send-yes");
    expect(seen.filter((s) => s.method === "POST").length).toBe(0);
    click(box, "#campaign-send-yes");
    await settle();
    const text = say(W, "campaign_sent_result", { sent: 1, bounced: 0, failed: 0 });
    expect(said).toEqual([text]);
    expect(box.querySelector("#campaign-outcome")!.textContent).toBe(text);
    expect(seen.filter((s) => s.method === "GET").length).toBe(2);
    // Nobody waits any more: no send button; the two sent can be reminded.
    expect(box.querySelector("#campaign-send")).toBeNull();
    expect(box.querySelector("#campaign-nothing-to-send")).not.toBeNull();
    click(box, "#campaign-remind");
    await settle();
    expect(box.querySelector("#campaign-remind-q")!.textContent).toBe(say(W, "campaign_remind_confirm", { n: 2 }));
    click(box, "#campaign-remind-no");
    await settle();
    expect(document.activeElement?.id).toBe("campaign-remind");
    expect(seen.filter((s) => s.url.endsWith("/remind")).length).toBe(0);
  });

  test("a 503 says what the administrator must set; revoke and close post what they must", async () => {
    const seen = server((url, method) => {
      if (method === "POST" && url.endsWith("/send")) return json(503, { title: "Service Unavailable", detail: "no mail transport: set BUSSOLA_SMTP_URL or BUSSOLA_MAIL_DIR to send campaigns" });
      if (method === "POST" && url.endsWith("/revoke")) return json(200, { revoked: 1 });
      if (method === "POST" && url.endsWith("/close")) return json(200, { ...WHOLE, campaign: { ...CAMPAIGN, closed_at: "2027-06-02T00:00:00Z" } });
      return json(200, WHOLE);
    });
    const { c, said } = ctx();
    const box = mount(campaignScreen(c, ["cmp-1"]));
    await settle();
    click(box, "#campaign-send");
    await settle();
    click(box, "#campaign-send-yes");
    await settle();
    expect(said[0]).toMatch(/BUSSOLA_SMTP_URL/);
    expect(said[0]).toContain(W.campaign_no_mail);
    expect(box.querySelector("#campaign-outcome")!.className).toMatch(/error/);

    expect(box.querySelector("#revoke-org-c")!.getAttribute("aria-label")).toBe(say(W, "campaign_revoke_named", { name: "Name of org-c" }));
    click(box, "#revoke-org-c");
    await settle();
    click(box, "#revoke-org-c-yes");
    await settle();
    expect(seen.find((s) => s.url === "/api/campaigns/cmp-1/revoke")!.body).toEqual({ organization_id: "org-c" });
    expect(said[1]).toBe(say(W, "campaign_revoked_result", { name: "Name of org-c", revoked: 1 }));

    // Closing: afterwards the page has no actions left.
    server((_url, method) => (method === "POST" ? json(200, WHOLE) : json(200, { ...WHOLE, campaign: { ...CAMPAIGN, closed_at: "2027-06-02T00:00:00Z" } })));
    click(box, "#campaign-close");
    await settle();
    click(box, "#campaign-close-yes");
    await settle();
    expect(said[2]).toBe(W.campaign_closed_result);
    expect(box.querySelector("#campaign-state")!.textContent).toBe(W.campaign_state_closed);
    expect(box.querySelectorAll(".campaign-actions, #recipients button").length).toBe(0);
  });
});
