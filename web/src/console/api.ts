// The console's one door to the server: the write API of docs/editing.md (records with ETag /
// If-Match, change requests, history, the stale list) and `GET /api/me` for who is signed in
// and the session's CSRF token. Every answer becomes a `Reply`: the document with its version,
// "sent for review" (202), or a problem (RFC 9457) with its field errors. A change of the
// contract is an edit of this file only.

/** A record kind as the paths name it. */
export type Kind = "organizations" | "sportelli" | "services" | "offers" | "projects";

/** The store's name of each kind (`model::RecordKind`, as change requests and versions carry it). */
export const STORE_KIND: Record<Kind, string> = {
  organizations: "organization",
  sportelli: "location",
  services: "service",
  offers: "service_at_location",
  projects: "project",
};

export function pathKind(storeKind: string): Kind | null {
  const hit = (Object.keys(STORE_KIND) as Kind[]).find((k) => STORE_KIND[k] === storeKind || k === storeKind);
  return hit ?? null;
}

export type Role =
  | { role: "admin" }
  | { role: "coordinator"; comuni: string[] }
  | { role: "operator"; organization: string }
  | { role: "viewer"; comuni: string[] };

export interface Me {
  signed_in: boolean;
  username?: string;
  display_name?: string;
  roles?: Role[];
  csrf_token?: string;
}

/** A record as the API keeps it: the model's own JSON. */
export type Doc = Record<string, unknown> & { id: string; version?: number };

export interface FieldChange {
  field: string;
  old?: unknown;
  new?: unknown;
}

export type ChangeStatus = "pending" | "approved" | "rejected" | "withdrawn" | "published_unreviewed";

export interface ChangeRequest {
  id: string;
  kind: string;
  record_id: string;
  organization_id: string;
  action: "upsert" | "archive";
  base_version: number | null;
  proposed: Doc | null;
  author: string;
  reason?: string;
  status: ChangeStatus;
  created_at: string;
  decided_at?: string;
  decided_by?: string;
  decision_reason?: string;
  applied_revision?: number;
  /** Base → proposed, on `GET /api/changes/{id}` and a 409. */
  changes?: FieldChange[];
  /** Base → current, when the record moved on meanwhile. */
  meanwhile?: FieldChange[];
}

export interface Version {
  version: number;
  revision?: number;
  at: string;
  author?: string;
  reason?: string;
  source?: string;
  reviewer?: string;
  doc?: Doc;
  changes: FieldChange[];
}

export interface StaleItem {
  kind: Kind;
  id: string;
  name: string;
  version: number | null;
  /** The critical fields past their threshold, with when they were last confirmed (null: never). */
  fields: { field: string; verified: string | null }[];
}

export interface FieldError {
  pointer: string;
  detail: string;
}

export interface Problem {
  status: number;
  title: string;
  detail: string;
  errors: FieldError[];
  /** On a 412: the record's version now. */
  current_version?: number;
  /** On a 409 approval: both diffs. */
  changes?: FieldChange[];
  meanwhile?: FieldChange[];
  /** On a 403 that one field is the reason for (`/comuni`). */
  pointer?: string;
}

export type Reply<T> =
  | { kind: "ok"; status: number; body: T; version: number | null }
  | { kind: "pending"; status: 202; change: ChangeRequest }
  | { kind: "problem"; problem: Problem };

let csrf = "";

/** Who is signed in; remembers the session's CSRF token for the writes. */
export async function me(): Promise<Me> {
  const r = await fetch("/api/me", { cache: "no-store", credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!r.ok) return { signed_in: false };
  const m = (await r.json()) as Me;
  csrf = m.csrf_token ?? "";
  return m;
}

/** `"3"` (or `W/"3"`) → 3. */
export function versionOf(etag: string | null): number | null {
  const m = /^(?:W\/)?"(\d+)"$/.exec(etag?.trim() ?? "");
  return m ? Number(m[1]) : null;
}

function asProblem(status: number, body: unknown, fallback: string): Problem {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const errors = Array.isArray(b.errors)
    ? (b.errors as unknown[])
        .filter((e): e is Record<string, unknown> => !!e && typeof e === "object")
        .map((e) => ({ pointer: String(e.pointer ?? ""), detail: String(e.detail ?? "") }))
    : [];
  return {
    status,
    title: typeof b.title === "string" ? b.title : fallback,
    detail: typeof b.detail === "string" ? b.detail : "",
    errors,
    current_version: typeof b.current_version === "number" ? b.current_version : undefined,
    changes: Array.isArray(b.changes) ? (b.changes as FieldChange[]) : undefined,
    meanwhile: Array.isArray(b.meanwhile) ? (b.meanwhile as FieldChange[]) : undefined,
    pointer: typeof b.pointer === "string" ? b.pointer : undefined,
  };
}

/** One request: JSON in and out, the CSRF token on every write, `If-Match` when a version is given. */
export async function request<T>(method: string, path: string, opts: { body?: unknown; version?: number | null } = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { Accept: "application/json, application/problem+json" };
  if (method !== "GET") headers["X-CSRF-Token"] = csrf;
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  if (opts.version !== undefined && opts.version !== null) headers["If-Match"] = `"${opts.version}"`;
  let r: Response;
  try {
    r = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      cache: "no-store",
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
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
  if (!r.ok) return { kind: "problem", problem: asProblem(r.status, body, r.statusText) };
  if (r.status === 202) {
    const change = ((body as { change?: ChangeRequest } | null)?.change ?? body) as ChangeRequest;
    return { kind: "pending", status: 202, change };
  }
  const version = versionOf(r.headers.get("ETag")) ?? (typeof (body as Doc | null)?.version === "number" ? (body as Doc).version! : null);
  return { kind: "ok", status: r.status, body: body as T, version };
}

/** A list answer, whether the server sends the array itself or wraps it (`{records: […]}`). */
export function listOf<T>(body: unknown, ...keys: string[]): T[] {
  if (Array.isArray(body)) return body as T[];
  if (body && typeof body === "object") {
    for (const k of [...keys, "items", "records"]) {
      const v = (body as Record<string, unknown>)[k];
      if (Array.isArray(v)) return v as T[];
    }
  }
  return [];
}

const enc = encodeURIComponent;
export const recordPath = (kind: Kind, id: string) => `/api/records/${kind}/${enc(id)}`;

export async function records(kind: Kind): Promise<Doc[]> {
  const r = await request<unknown>("GET", `/api/records/${kind}`);
  if (r.kind !== "ok") throw new Error(`${kind}: ${r.kind === "problem" ? r.problem.status : r.kind}`);
  return listOf<Doc>(r.body, kind);
}

export const record = (kind: Kind, id: string) => request<Doc>("GET", recordPath(kind, id));
/** `PUT` the record; `reason` (why the change is made) goes to the history and the reviewer. */
export const save = (kind: Kind, doc: Doc, version: number | null, reason?: string) =>
  request<Doc>("PUT", recordPath(kind, doc.id) + (reason?.trim() ? `?${new URLSearchParams({ reason: reason.trim() })}` : ""), { body: doc, version });
export const restore = (kind: Kind, id: string, version: number, reason: string, current: number | null) =>
  request<Doc>("POST", `${recordPath(kind, id)}/restore`, { body: { version, reason }, version: current });
export const verify = (kind: Kind, id: string, fields: string[], current: number | null) =>
  request<Doc>("POST", `${recordPath(kind, id)}/verify`, { body: { fields }, version: current });

export async function history(kind: Kind, id: string): Promise<Version[]> {
  const r = await request<unknown>("GET", `${recordPath(kind, id)}/history`);
  if (r.kind !== "ok") throw new Error(`history: ${r.kind === "problem" ? r.problem.status : r.kind}`);
  return listOf<Version>(r.body, "versions", "history").map((v) => ({ ...v, changes: v.changes ?? [] }));
}

export async function changes(query: Record<string, string>): Promise<ChangeRequest[]> {
  const r = await request<unknown>("GET", `/api/changes?${new URLSearchParams(query)}`);
  if (r.kind !== "ok") throw new Error(`changes: ${r.kind === "problem" ? r.problem.status : r.kind}`);
  return listOf<ChangeRequest>(r.body, "changes");
}

/** One change request with its diffs (the server may send it bare or as `{change, changes, meanwhile}`). */
export async function change(id: string): Promise<ChangeRequest> {
  const r = await request<Record<string, unknown>>("GET", `/api/changes/${enc(id)}`);
  if (r.kind !== "ok") throw new Error(`change: ${r.kind === "problem" ? r.problem.status : r.kind}`);
  const b = r.body;
  const inner = (b.change && typeof b.change === "object" ? b.change : b) as ChangeRequest;
  return { ...inner, changes: (b.changes as FieldChange[]) ?? inner.changes ?? [], meanwhile: (b.meanwhile as FieldChange[]) ?? inner.meanwhile };
}

export const approve = (id: string) => request<unknown>("POST", `/api/changes/${enc(id)}/approve`, { body: {} });
export const reject = (id: string, reason: string) => request<unknown>("POST", `/api/changes/${enc(id)}/reject`, { body: { reason } });
export const withdraw = (id: string) => request<unknown>("POST", `/api/changes/${enc(id)}/withdraw`, { body: {} });

/**
 * `GET /api/stale`: `{"entries": [{kind, id, name, field, verified, …}]}`, one entry per stale
 * field, oldest first; grouped here into one item per record (in the order of its oldest field).
 */
export async function stale(): Promise<StaleItem[]> {
  const r = await request<unknown>("GET", "/api/stale");
  if (r.kind !== "ok") throw new Error(`stale: ${r.kind === "problem" ? r.problem.status : r.kind}`);
  const out = new Map<string, StaleItem>();
  for (const x of listOf<Record<string, unknown>>(r.body, "entries", "stale")) {
    const kind = pathKind(String(x.kind ?? ""));
    if (!kind) continue;
    const id = String(x.id ?? "");
    const key = `${kind}/${id}`;
    const name = x.name && typeof x.name === "object" ? (Object.values(x.name as Record<string, string>)[0] ?? id) : String(x.name ?? id);
    const item = out.get(key) ?? { kind, id, name, version: typeof x.version === "number" ? x.version : null, fields: [] };
    const fields = Array.isArray(x.fields) ? (x.fields as unknown[]) : [x];
    for (const f of fields) {
      const o = (typeof f === "string" ? { field: f } : f) as Record<string, unknown>;
      if (o.field) item.fields.push({ field: String(o.field), verified: (o.verified ?? null) as string | null });
    }
    out.set(key, item);
  }
  return [...out.values()];
}

/** One anonymous report of the public (`GET /api/feedback`). */
export interface Feedback {
  location_id: string;
  organization_id: string;
  comune_istat: string;
  kind: "right" | "wrong" | "closed";
  at: string;
}

export async function feedback(): Promise<Feedback[]> {
  const r = await request<unknown>("GET", "/api/feedback");
  if (r.kind !== "ok") throw new Error(`feedback: ${r.kind === "problem" ? r.problem.status : r.kind}`);
  return listOf<Feedback>(r.body, "feedback");
}

/** The territory's bundle (gazetteer, comuni, taxonomy, holidays) that the public app reads too. */
export { loadBundle } from "../data";
