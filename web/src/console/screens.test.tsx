// @vitest-environment happy-dom
// The console's screens rendered in a DOM against a fake server: field errors from a 422
// beside their fields (and linked from the summary), a 412's reload, a 202's "sent for review",
// the entries' states with the coordinator's reason, the review diff — and data that looks like
// markup shown as text, never parsed.
import { afterEach, describe, expect, test, vi } from "vitest";
import { render } from "preact";
import * as api from "./api";
import { SportelloForm } from "./edit";
import { Entries } from "./entries";
import { Decision } from "./review";
import { makeT, type Ctx } from "./ui";
import { WORDS } from "./words";

const SCRIPT = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">';

function ctx(): Ctx {
  return { lang: "it", w: WORDS.it, t: makeT(WORDS.it), me: { signed_in: true, username: "o", roles: [] }, bundle: null, go: () => {}, announce: () => {} };
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

const sportello = {
  id: "loc-1",
  organization_id: "org-a",
  name: { it: SCRIPT },
  address: { street: "Via Roma 1", postcode: "30100", comune_istat: "027042" },
  point: [12.3, 45.5],
  phones: [{ number: "041 000" }],
  emails: [],
  website: null,
  version: 3,
};

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
  delete (window as unknown as { __pwned?: number }).__pwned;
});

describe("the sportello form", () => {
  test("a 422 puts each error beside its field, a 412 offers a reload, a 202 says it waits for review", async () => {
    const answers: Response[] = [];
    const seen: { method: string; headers: Record<string, string>; body?: string }[] = [];
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit = {}) => {
      seen.push({ method: init.method ?? "GET", headers: (init.headers ?? {}) as Record<string, string>, body: init.body as string | undefined });
      if ((init.method ?? "GET") === "GET") return json(200, sportello, { ETag: '"3"' });
      return answers.shift()!;
    });
    const box = mount(<SportelloForm c={ctx()} id="loc-1" />);
    await settle();
    const name = box.querySelector<HTMLInputElement>("#f-name-it")!;
    expect(name.value).toBe(SCRIPT);
    expect(box.querySelector("script, img")).toBeNull();
    expect(box.querySelector("h1")!.textContent).toContain(SCRIPT);

    answers.push(
      json(422, {
        status: 422,
        title: "Unprocessable Content",
        errors: [
          { pointer: "/name/it", detail: 'an Italian ("it") value is required' },
          { pointer: "/address/street", detail: "is too long" },
          { pointer: "/point/1", detail: "latitude outside the territory" },
        ],
      }),
    );
    box.querySelector<HTMLFormElement>("#edit-form")!.dispatchEvent(new Event("submit", { cancelable: true, bubbles: true }));
    await settle();
    expect(seen[1].method).toBe("PUT");
    expect(seen[1].headers["If-Match"]).toBe('"3"');
    expect(JSON.parse(seen[1].body!).name.it).toBe(SCRIPT);
    const nameInput = box.querySelector("#f-name-it")!;
    expect(nameInput.getAttribute("aria-invalid")).toBe("true");
    expect(nameInput.getAttribute("aria-describedby")).toContain("f-name-it-error");
    expect(box.querySelector("#f-name-it-error")!.textContent).toBe('an Italian ("it") value is required');
    expect(box.querySelector("#f-address-street-error")!.textContent).toBe("is too long");
    expect(box.querySelector("#f-point-error")!.textContent).toBe("latitude outside the territory");
    const links = [...box.querySelectorAll("#error-summary a")].map((a) => a.getAttribute("href"));
    expect(links).toEqual(["#f-name-it", "#f-address-street", "#f-point-0"]);

    answers.push(json(412, { status: 412, title: "Precondition Failed", current_version: 4 }));
    box.querySelector<HTMLFormElement>("#edit-form")!.dispatchEvent(new Event("submit", { cancelable: true, bubbles: true }));
    await settle();
    expect(box.querySelector("#outcome")!.textContent).toContain("versione 4");
    expect(box.querySelector("#f-name-it-error")).toBeNull();
    box.querySelector<HTMLButtonElement>("#reload")!.click();
    await settle();
    expect(seen.at(-1)!.method).toBe("GET");

    answers.push(json(202, { change: { id: "cr-1", status: "pending" } }));
    box.querySelector<HTMLFormElement>("#edit-form")!.dispatchEvent(new Event("submit", { cancelable: true, bubbles: true }));
    await settle();
    expect(box.querySelector("#outcome")!.textContent).toContain(WORDS.it.saved_pending);
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });
});

describe("the entries", () => {
  test("each entry's state: published, pending, rejected with the coordinator's reason as text", async () => {
    const now = new Date().toISOString();
    vi.stubGlobal("fetch", async (url: string) => {
      if (url === "/api/records/sportelli") return json(200, [sportello, { ...sportello, id: "loc-2", name: { it: "Due" } }]);
      if (url === "/api/records/services") return json(200, [{ id: "svc-1", name: { it: "Corso" }, verified: { languages: now, cost: now, appointment: now } }]);
      if (url === "/api/records/offers") return json(200, [{ id: "loc-1~svc-1", service_id: "svc-1", location_id: "loc-1", schedule: { periods: [{ hours: "Mo 09:00-12:00" }] } }]);
      if (url.includes("status=pending"))
        return json(200, {
          changes: [
            { id: "cr-1", kind: "location", record_id: "loc-1", status: "pending", created_at: "2026-12-01T10:00:00Z" },
            { id: "cr-2", kind: "service_at_location", record_id: "loc-1~svc-1", status: "pending", created_at: "2026-12-01T11:00:00Z", proposed: { schedule: { periods: [{ hours: "Mo 09:00-13:00" }] } } },
          ],
        });
      if (url.includes("status=rejected"))
        return json(200, [{ id: "cr-0", kind: "location", record_id: "loc-2", status: "rejected", decision_reason: SCRIPT, created_at: "2026-11-01T10:00:00Z" }]);
      return json(200, []);
    });
    const box = mount(<Entries c={ctx()} />);
    await settle();
    const state = (id: string) => box.querySelector(`li.entry[data-id="${id}"] .badge`)!.textContent;
    expect(state("loc-1")).toBe(WORDS.it.state_pending);
    expect(state("loc-2")).toBe(WORDS.it.state_rejected.replace("{reason}", SCRIPT));
    expect(state("svc-1")).toBe(WORDS.it.state_published);
    expect(box.querySelector("li.offer .hours-text")!.textContent).toBe("Mo 09:00-12:00");
    expect(box.querySelector("li.offer .badge")!.textContent).toBe(WORDS.it.state_pending);
    expect(box.querySelector("li.offer .proposed .hours-text")!.textContent).toBe("Mo 09:00-13:00");
    // Never confirmed: the sportello's address and phone are stale; the service's fields are fresh.
    expect(box.querySelector('li.entry[data-id="loc-1"] .fresh.stale')).not.toBeNull();
    expect(box.querySelector('li.entry[data-id="svc-1"] .fresh.stale')).toBeNull();
    expect(box.querySelector("script, img")).toBeNull();
  });
});

describe("the review", () => {
  test("the diff side by side, a reason required to reject, a 409 shows both diffs", async () => {
    const posted: { url: string; body: unknown }[] = [];
    vi.stubGlobal("fetch", async (url: string, init: RequestInit = {}) => {
      if ((init.method ?? "GET") === "GET")
        return json(200, {
          id: "cr-1",
          kind: "service_at_location",
          record_id: "loc-1~svc-1",
          status: "pending",
          author: "o.verdi",
          base_version: 2,
          created_at: "2026-12-01T10:00:00Z",
          proposed: { id: "loc-1~svc-1" },
          changes: [{ field: "/schedule", old: { periods: [{ hours: "Mo 09:00-12:00" }] }, new: { periods: [{ hours: "Mo 09:00-13:00" }] } }],
        });
      posted.push({ url, body: init.body ? JSON.parse(String(init.body)) : null });
      return json(409, { status: 409, title: "Conflict", changes: [{ field: "/schedule", old: "a", new: "b" }], meanwhile: [{ field: "/schedule", old: "a", new: SCRIPT }] });
    });
    const box = mount(<Decision c={ctx()} id="cr-1" />);
    await settle();
    const row = box.querySelector('#diff tr[data-field="/schedule"]')!;
    expect(row.querySelector(".old")!.textContent).toBe("Mo 09:00-12:00");
    expect(row.querySelector(".new")!.textContent).toBe("Mo 09:00-13:00");
    box.querySelector<HTMLButtonElement>("#reject")!.click();
    await settle();
    expect(posted).toEqual([]);
    expect(box.querySelector("#reject-reason-error")!.textContent).toBe(WORDS.it.error_required);
    box.querySelector<HTMLButtonElement>("#approve")!.click();
    await settle();
    expect(posted.map((p) => p.url)).toEqual(["/api/changes/cr-1/approve"]);
    expect(box.querySelector("#decision")!.textContent).toBe(WORDS.it.conflict);
    expect(box.querySelector('#meanwhile tr[data-field="/schedule"] .new')!.textContent).toBe(SCRIPT);
    expect(box.querySelector("script, img")).toBeNull();
  });
});

export {};
void api;
