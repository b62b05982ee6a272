// @vitest-environment happy-dom
// The console's later screens against a fake server: withdraw with its confirmation, the
// reason sent with a save, the notices editor (server errors at their fields, the preview),
// the translations (verified by a person), the public's feedback grouped per sportello — and
// data that looks like markup shown as text.
import { afterEach, describe, expect, test, vi } from "vitest";
import { render } from "preact";
import { SportelloForm } from "./edit";
import { Entries } from "./entries";
import { FeedbackList, groupFeedback } from "./feedback";
import { NoticesForm } from "./notices";
import { TranslationsForm } from "./translations";
import { Queue } from "./review";
import { makeT, type Ctx } from "./ui";
import { WORDS } from "./words";

const SCRIPT = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">';

function ctx(): Ctx {
  return { lang: "it", w: WORDS.it, t: makeT(WORDS.it), me: { signed_in: true, username: "o.verdi", roles: [] }, bundle: null, go: () => {}, announce: () => {} };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

async function settle() {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
}

function mount(node: preact.ComponentChild) {
  const box = document.createElement("div");
  document.body.replaceChildren(box);
  render(node, box);
  return box;
}

type Seen = { url: string; method: string; body: unknown };
function server(answer: (url: string, method: string, body: unknown) => Response) {
  const seen: Seen[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? "GET";
    const body = init.body ? JSON.parse(String(init.body)) : null;
    seen.push({ url, method, body });
    return answer(url, method, body);
  });
  return seen;
}

const sportello = {
  id: "loc-1",
  organization_id: "org-a",
  name: { it: "Sportello", en: "Desk" },
  description: { it: "Descrizione", ar: SCRIPT },
  address: { street: "Via Roma 1", postcode: "30100", comune_istat: "027042" },
  point: [12.3, 45.5],
  phones: [],
  emails: [],
  notices: [{ kind: "closed", from: "2026-08-10", until: "2026-08-21", message: { it: SCRIPT } }],
  translations: { "description/ar": { by: "machine", at: "2026-11-01T10:00:00Z", who: "bot" } },
  version: 3,
};

const submit = (box: HTMLElement, id: string) => box.querySelector<HTMLFormElement>(`#${id}`)!.dispatchEvent(new Event("submit", { cancelable: true, bubbles: true }));

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
  expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
});

describe("withdraw", () => {
  test("only on the viewer's own pending change, after a confirmation; the state shown", async () => {
    const seen = server((url, method) => {
      if (url === "/api/records/sportelli") return json(200, [sportello, { ...sportello, id: "loc-2" }]);
      if (url.startsWith("/api/records/")) return json(200, []);
      if (method === "POST") return json(200, { change: { id: "cr-1", status: "withdrawn" } });
      if (url.includes("status=pending"))
        return json(200, {
          changes: [
            { id: "cr-1", kind: "location", record_id: "loc-1", status: "pending", author: "o.verdi", created_at: "2026-12-01T10:00:00Z" },
            { id: "cr-2", kind: "location", record_id: "loc-2", status: "pending", author: "someone.else", created_at: "2026-12-01T10:00:00Z" },
          ],
        });
      return json(200, []);
    });
    const box = mount(<Entries c={ctx()} />);
    await settle();
    expect(box.querySelector("#withdraw-cr-2")).toBeNull();
    box.querySelector<HTMLButtonElement>("#withdraw-cr-1")!.click();
    await settle();
    expect(seen.filter((s) => s.method === "POST")).toEqual([]);
    expect(box.textContent).toContain(WORDS.it.withdraw_confirm);
    box.querySelector<HTMLButtonElement>("#withdraw-cr-1-no")!.click();
    await settle();
    box.querySelector<HTMLButtonElement>("#withdraw-cr-1")!.click();
    await settle();
    box.querySelector<HTMLButtonElement>("#withdraw-cr-1-yes")!.click();
    await settle();
    expect(seen.filter((s) => s.method === "POST").map((s) => s.url)).toEqual(["/api/changes/cr-1/withdraw"]);
    expect(box.querySelector("#withdraw-cr-1-done")!.textContent).toBe(WORDS.it.state_withdrawn);
  });
});

describe("the reason for a change", () => {
  test("sent with the save as ?reason=, cleared after it", async () => {
    const seen = server((_url, method) => (method === "GET" ? json(200, sportello, { ETag: '"3"' }) : json(202, { change: { id: "cr-9", status: "pending" } })));
    const box = mount(<SportelloForm c={ctx()} id="loc-1" />);
    await settle();
    const reason = box.querySelector<HTMLTextAreaElement>("#f-reason")!;
    reason.value = "Nuovo orario & " + SCRIPT;
    reason.dispatchEvent(new Event("input", { bubbles: true }));
    await settle();
    submit(box, "edit-form");
    await settle();
    const put = seen.find((s) => s.method === "PUT")!;
    expect(new URL(put.url, "http://x").searchParams.get("reason")).toBe("Nuovo orario & " + SCRIPT);
    expect(put.body).not.toHaveProperty("reason");
    expect(box.querySelector<HTMLTextAreaElement>("#f-reason")!.value).toBe("");
  });
});

describe("the review queue", () => {
  test("each request's reason, as text", async () => {
    server(() => json(200, { changes: [{ id: "cr-1", kind: "location", record_id: "loc-1", status: "pending", author: "o.verdi", reason: SCRIPT, created_at: "2026-12-01T10:00:00Z", proposed: { name: { it: "X" } } }] }));
    const box = mount(<Queue c={ctx()} />);
    await settle();
    expect(box.querySelector('#queue tr[data-id="cr-1"] td.reason')!.textContent).toBe(SCRIPT);
    expect(box.querySelector("script, img")).toBeNull();
  });
});

describe("the notices editor", () => {
  test("the server's errors at their fields, a preview, a closure added", async () => {
    const answers: Response[] = [];
    const seen = server((_url, method) => (method === "GET" ? json(200, sportello, { ETag: '"3"' }) : answers.shift()!));
    const box = mount(<NoticesForm c={ctx()} kind="sportelli" id="loc-1" />);
    await settle();
    expect(box.querySelector<HTMLTextAreaElement>("#f-notices-0-message-it")!.value).toBe(SCRIPT);
    expect(box.querySelector("#notice-0 .notice-preview")!.textContent).toContain(SCRIPT);
    expect(box.querySelector("#notice-0 .notice-preview .badge")!.textContent).toBe(WORDS.it.notice_past);
    box.querySelector<HTMLButtonElement>("#notice-add")!.click();
    await settle();
    expect(box.querySelector("#notice-1 .notice-preview .badge")!.textContent).toBe(WORDS.it.notice_now);
    const until = box.querySelector<HTMLInputElement>("#f-notices-1-until")!;
    until.value = "2000-01-01";
    until.dispatchEvent(new Event("input", { bubbles: true }));
    await settle();
    submit(box, "notices-form");
    await settle();
    expect(seen.filter((s) => s.method === "PUT")).toEqual([]);
    expect(box.querySelector("#f-notices-1-until-error")!.textContent).toBe(WORDS.it.notice_err_until);
    until.value = "2099-12-31";
    until.dispatchEvent(new Event("input", { bubbles: true }));
    await settle();
    answers.push(json(422, { status: 422, title: "Unprocessable", errors: [{ pointer: "/notices/1/from", detail: "too far back" }] }));
    submit(box, "notices-form");
    await settle();
    const put = seen.find((s) => s.method === "PUT")!;
    expect((put.body as { notices: unknown[] }).notices).toHaveLength(2);
    expect((put.body as { notices: { kind: string; until?: string }[] }).notices[1]).toMatchObject({ kind: "closed", until: "2099-12-31" });
    expect(box.querySelector("#f-notices-1-from-error")!.textContent).toBe("too far back");
    expect(box.querySelector("#f-notices-1-from")!.getAttribute("aria-invalid")).toBe("true");
    expect([...box.querySelectorAll("#error-summary a")].map((a) => a.getAttribute("href"))).toEqual(["#f-notices-1-from"]);
    expect(box.querySelector("script, img")).toBeNull();
  });
});

describe("translations", () => {
  test("a machine's value is badged; verified by a person saves the flip", async () => {
    const seen = server((_url, method) =>
      method === "GET"
        ? json(200, sportello, { ETag: '"3"' })
        : json(200, { ...sportello, version: 4, translations: { "description/ar": { by: "person", at: "2026-12-01T10:00:00Z", who: "o.verdi" } } }, { ETag: '"4"' }),
    );
    const box = mount(<TranslationsForm c={ctx()} kind="sportelli" id="loc-1" />);
    await settle();
    expect(box.querySelector<HTMLTextAreaElement>("#f-description-ar")!.value).toBe(SCRIPT);
    expect(box.querySelector("#f-description-ar")!.getAttribute("dir")).toBe("rtl");
    expect(box.querySelector("#f-description-ar-machine")!.textContent).toBe(WORDS.it.machine_translated);
    expect(box.querySelector("#f-name-en-machine")).toBeNull();
    box.querySelector<HTMLButtonElement>("#f-description-ar-verify")!.click();
    await settle();
    const put = seen.find((s) => s.method === "PUT")!;
    expect((put.body as { translations: unknown }).translations).toEqual({ "description/ar": { by: "person" } });
    expect(box.querySelector("#f-description-ar-machine")).toBeNull();
    expect(box.querySelector("#f-description-ar-verified")!.textContent).toContain("o.verdi");
    expect(box.querySelector("script, img")).toBeNull();
  });
});

describe("feedback", () => {
  test("grouped per sportello with counts and the latest date, most recent first", async () => {
    const f = (location_id: string, kind: "right" | "wrong" | "closed", at: string) => ({ location_id, organization_id: "org-a", comune_istat: "027042", kind, at });
    const list = [f("loc-1", "closed", "2026-11-01T10:00:00Z"), f("loc-2", "right", "2026-11-20T10:00:00Z"), f("loc-1", "closed", "2026-11-25T10:00:00Z"), f("loc-1", "wrong", "2026-10-01T10:00:00Z")];
    expect(groupFeedback(list)).toEqual([
      { location_id: "loc-1", counts: { right: 0, wrong: 1, closed: 2 }, latest: "2026-11-25T10:00:00Z", total: 3 },
      { location_id: "loc-2", counts: { right: 1, wrong: 0, closed: 0 }, latest: "2026-11-20T10:00:00Z", total: 1 },
    ]);
    server((url) => (url === "/api/feedback" ? json(200, { feedback: list }) : json(200, { records: [{ ...sportello, name: { it: SCRIPT } }] })));
    const box = mount(<FeedbackList c={ctx()} />);
    await settle();
    const first = box.querySelector('#feedback li[data-id="loc-1"]')!;
    expect(first.querySelector("h2")!.textContent).toBe(SCRIPT);
    expect(first.querySelector('[data-kind="closed"]')!.textContent).toBe("trovato chiuso: 2");
    expect(first.querySelector('a[href="/console/edit/sportelli/loc-1"]')).not.toBeNull();
    // A sportello the viewer may not edit is listed without its actions.
    expect(box.querySelector('#feedback li[data-id="loc-2"] .actions a')).toBeNull();
    expect(box.querySelector("script, img")).toBeNull();
  });
});
