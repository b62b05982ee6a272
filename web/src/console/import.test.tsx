// @vitest-environment happy-dom
// The import screen against a fake server: the upload sends the file's bytes with its type
// and the query; the report's problems are a table with a box per row; a commit sends the
// report's ETag and the exclusions and duplicates decided; 422 and 412 are said in words;
// the committed revision is shown; markup in a name is text.
import { afterEach, expect, test, vi } from "vitest";
import { render } from "preact";
import { Import } from "./import";
import { makeT, type Ctx } from "./ui";
import { say, WORDS } from "./words";

const SCRIPT = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">';
const w = WORDS.en;

function ctx(): Ctx {
  return { lang: "en", w, t: makeT(w), me: { signed_in: true, username: "o", roles: [], csrf_token: "tok" }, bundle: null, go: () => {}, announce: () => {} };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

async function settle() {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

const REPORT = {
  id: "imp-1",
  organization_id: "org-a",
  format: "csv",
  source: "list.csv",
  created_at: "",
  expires_at: "",
  mode: "publish",
  committable: false,
  problems: [
    { row: 3, field: "comune_istat", reason: "no comune 099999 in the directory" },
    { row: 5, field: "hours", reason: SCRIPT },
  ],
  dropped: [],
  duplicates: [{ sportello_id: "loc-new", name: SCRIPT, existing_id: "loc-old", existing_name: "Old", distance_m: 3.4, similarity: 0.9 }],
  counts: { new: 4, changed: 1, unchanged: 0, archived: 0 },
  records: 5,
};

test("upload, the report as a table, exclusions and duplicates in the commit, its answers in words", async () => {
  const seen: { url: string; method: string; headers: Record<string, string>; body: unknown }[] = [];
  const answers: Response[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit = {}) => {
    seen.push({ url, method: init.method ?? "GET", headers: (init.headers ?? {}) as Record<string, string>, body: init.body });
    if (url === "/api/records/organizations") return json(200, { records: [{ id: "org-a", name: "Org A" }] });
    return answers.shift()!;
  });
  const box = document.createElement("div");
  document.body.replaceChildren(box);
  render(<Import c={ctx()} />, box);
  await settle();
  expect(box.querySelector<HTMLSelectElement>("#imp-org")!.value).toBe("org-a");

  // Without a file: the error is beside the field and in the summary, nothing is sent.
  box.querySelector<HTMLFormElement>("#import-form")!.dispatchEvent(new Event("submit", { cancelable: true, bubbles: true }));
  await settle();
  expect(box.querySelector("#imp-file-error")!.textContent).toBe(w.imp_err_file);
  expect(seen.length).toBe(1);

  const file = new File(["sportello_id\n"], "list.csv", { type: "text/csv" });
  const input = box.querySelector<HTMLInputElement>("#imp-file")!;
  Object.defineProperty(input, "files", { value: [file] });
  input.dispatchEvent(new Event("change", { bubbles: true }));
  const licence = box.querySelector<HTMLInputElement>("#imp-licence")!;
  licence.value = "CC-BY-4.0";
  licence.dispatchEvent(new Event("input", { bubbles: true }));
  await settle();
  answers.push(json(201, REPORT, { ETag: '"e1"' }));
  box.querySelector<HTMLFormElement>("#import-form")!.dispatchEvent(new Event("submit", { cancelable: true, bubbles: true }));
  await settle();
  const up = seen[1];
  expect(up.method).toBe("POST");
  expect(up.headers["Content-Type"]).toBe("text/csv");
  expect(up.headers["X-CSRF-Token"]).toBe("tok");
  expect(up.body).toBe(file);
  expect(Object.fromEntries(new URL(up.url, "http://x").searchParams)).toEqual({ organization: "org-a", source: "list.csv", licence: "CC-BY-4.0" });

  const table = box.querySelector("#imp-problems")!;
  expect(table.querySelector("caption")!.textContent).toBe(say(w, "imp_problems_caption", { n: 2 }));
  expect([...table.querySelectorAll("thead th")].every((th) => th.getAttribute("scope") === "col")).toBe(true);
  expect([...table.querySelectorAll("tbody tr")].map((r) => r.getAttribute("data-unit"))).toEqual(["3", "5"]);
  expect(box.querySelector("#imp-ex-3")!.getAttribute("aria-label")).toBe(say(w, "imp_exclude_row", { n: 3 }));
  expect(box.querySelector('[data-count="new"] dd')!.textContent).toBe("4");
  expect(box.querySelector('tr[data-unit="5"] td:last-child')!.textContent).toBe(SCRIPT);
  expect(box.querySelector("#imp-duplicates legend")!.textContent).toContain(SCRIPT);
  expect(box.querySelector("script, img")).toBeNull();
  expect(box.querySelector("#imp-blocking")!.textContent).toBe(say(w, "imp_blocking", { problems: 2, duplicates: 1 }));

  // Committed with the problems in: the server's 422 is said, nothing is lost.
  answers.push(json(422, { status: 422, title: "Unprocessable", detail: "2 problem(s)", errors: REPORT.problems }));
  box.querySelector<HTMLButtonElement>("#imp-commit")!.click();
  await settle();
  expect(seen[2].headers["If-Match"]).toBe('"e1"');
  expect(JSON.parse(String(seen[2].body))).toEqual({ exclude: [], duplicates: [] });
  expect(box.querySelector("#imp-outcome")!.textContent).toBe(say(w, "imp_refused_problems", { n: 2 }));

  // Both rows excluded, the duplicate decided: the body says so; a 412 asks for a reload.
  for (const u of [3, 5]) {
    const box3 = box.querySelector<HTMLInputElement>(`#imp-ex-${u}`)!;
    box3.checked = true;
    box3.dispatchEvent(new Event("change", { bubbles: true }));
  }
  const same = box.querySelector<HTMLInputElement>("#imp-dup-0-same")!;
  same.checked = true;
  same.dispatchEvent(new Event("change", { bubbles: true }));
  await settle();
  expect(box.querySelector("#imp-blocking")!.textContent).toBe(w.imp_ready);
  answers.push(json(412, { status: 412, title: "Precondition Failed" }));
  box.querySelector<HTMLButtonElement>("#imp-commit")!.click();
  await settle();
  expect(JSON.parse(String(seen[3].body))).toEqual({ exclude: [3, 5], duplicates: [{ sportello_id: "loc-new", resolution: "same", existing_id: "loc-old" }] });
  expect(box.querySelector("#imp-outcome")!.textContent).toBe(w.imp_refused_stale);
  answers.push(json(200, REPORT, { ETag: '"e2"' }));
  box.querySelector<HTMLButtonElement>("#imp-reload")!.click();
  await settle();
  expect(seen[4].url).toBe("/api/imports/imp-1");
  // The reload keeps the choices made; the commit now sends the new ETag and is done.
  answers.push(json(200, { id: "imp-1", revision: 42, mode: "publish", counts: { new: 3, changed: 1, unchanged: 0, archived: 0 }, change_requests: 0 }));
  box.querySelector<HTMLButtonElement>("#imp-commit")!.click();
  await settle();
  expect(seen[5].headers["If-Match"]).toBe('"e2"');
  expect(JSON.parse(String(seen[5].body)).exclude).toEqual([3, 5]);
  expect(box.querySelector("#imp-outcome")!.textContent).toBe(say(w, "imp_done_publish", { revision: 42, new: 3, changed: 1, archived: 0 }));
  expect(box.querySelector("#imp-report")).toBeNull();
  expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
});
