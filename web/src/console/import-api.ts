// The import screen's door to the server (docs/imports.md): an upload is the file's own bytes
// with its content type (not JSON), the report comes back with its ETag, and the commit sends
// that ETag in `If-Match`. The CSRF token rides on every write, as in api.ts.

/** One problem of the file: its CSV line (`row`) or its feature (`feature`, with its id as `record`). */
export interface ImportProblem {
  row?: number;
  feature?: number;
  record?: string;
  field: string;
  reason: string;
}

/** What an HSDS dataset's mapping left out (a record, or one field of a kept record). */
export interface Dropped {
  record: string;
  field: string;
  reason: string;
  left_out: "record" | "field";
}

export interface Duplicate {
  sportello_id: string;
  name: string;
  existing_id: string;
  existing_name: string;
  distance_m: number;
  similarity: number;
}

export interface Counts {
  new: number;
  changed: number;
  unchanged: number;
  archived: number;
}

export interface ImportReport {
  id: string;
  organization_id: string;
  format: "csv" | "geojson" | "hsds";
  source: string;
  licence?: string | null;
  created_at: string;
  expires_at: string;
  mode: "publish" | "publish_unreviewed" | "propose" | "none";
  committable: boolean;
  problems: ImportProblem[];
  dropped: Dropped[];
  duplicates: Duplicate[];
  counts: Counts;
  records: number;
}

export interface Committed {
  id: string;
  revision: number;
  mode: ImportReport["mode"];
  counts: Counts;
  change_requests: number;
}

/** A refusal: its status, words, and `errors` as the server sent them (rows, duplicates or pointers). */
export interface Refusal {
  status: number;
  title: string;
  detail: string;
  parameter?: string;
  errors: unknown[];
}

export type Answer<T> = { kind: "ok"; status: number; body: T; etag: string } | { kind: "problem"; problem: Refusal };

async function send<T>(method: string, path: string, csrf: string, init: { body?: BodyInit; type?: string; ifMatch?: string } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: "application/json, application/problem+json" };
  if (method !== "GET") headers["X-CSRF-Token"] = csrf;
  if (init.type) headers["Content-Type"] = init.type;
  if (init.ifMatch) headers["If-Match"] = init.ifMatch;
  let r: Response;
  try {
    r = await fetch(path, { method, headers, body: init.body, credentials: "same-origin", cache: "no-store" });
  } catch {
    return { kind: "problem", problem: { status: 0, title: "network", detail: "", errors: [] } };
  }
  const text = await r.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!r.ok) {
    const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
    return {
      kind: "problem",
      problem: {
        status: r.status,
        title: typeof b.title === "string" ? b.title : r.statusText,
        detail: typeof b.detail === "string" ? b.detail : "",
        parameter: typeof b.parameter === "string" ? b.parameter : undefined,
        errors: Array.isArray(b.errors) ? b.errors : [],
      },
    };
  }
  return { kind: "ok", status: r.status, body: body as T, etag: r.headers.get("ETag") ?? "" };
}

/** `POST /api/imports?…` with the file as it is. */
export const upload = (file: Blob, type: string, query: string, csrf: string) => send<ImportReport>("POST", `/api/imports?${query}`, csrf, { body: file, type });
export const report = (id: string, csrf: string) => send<ImportReport>("GET", `/api/imports/${encodeURIComponent(id)}`, csrf);
export const commit = (id: string, etag: string, body: unknown, csrf: string) =>
  send<Committed>("POST", `/api/imports/${encodeURIComponent(id)}/commit`, csrf, { body: JSON.stringify(body), type: "application/json", ifMatch: etag });
export const discard = (id: string, csrf: string) => send<null>("DELETE", `/api/imports/${encodeURIComponent(id)}`, csrf);
