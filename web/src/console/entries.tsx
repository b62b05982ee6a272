// Screen 1: my organisation's entries — each sportello with the services offered there and
// their hours, and the services — with their state (published, pending review, rejected with
// the coordinator's reason) and how long ago a person confirmed what people rely on.

import { useEffect, useState } from "preact/hooks";
import * as api from "./api";
import { ago, Heading, Link, Notice, text, type Ctx } from "./ui";
import type { WordKey } from "./words";
import { mayWithdraw, Withdraw } from "./withdraw";

/** The fields whose freshness is tracked on each kind, with their default thresholds in days (docs/editing.md). */
export const CHECKED: Partial<Record<api.Kind, [string, number][]>> = {
  sportelli: [
    ["address", 365],
    ["phone", 180],
  ],
  services: [
    ["languages", 365],
    ["cost", 180],
    ["appointment", 180],
  ],
  offers: [["hours", 90]],
};

export interface Freshness {
  /** The least recently confirmed field and when (null: never). */
  oldest: { field: string; at: string | null } | null;
  /** Fields past their threshold. */
  stale: string[];
}

/** How fresh a record's critical fields are (per-field `verified`, else `last_verified_at`). */
export function freshness(kind: api.Kind, doc: api.Doc, now = Date.now()): Freshness {
  const fields = CHECKED[kind] ?? [];
  const verified = (doc.verified ?? {}) as Record<string, string>;
  const fallback = (doc.last_verified_at as string | null | undefined) ?? null;
  let oldest: Freshness["oldest"] = null;
  const stale: string[] = [];
  for (const [field, days] of fields) {
    const at = verified[field] ?? fallback;
    const t = at ? new Date(at).getTime() : NaN;
    if (isNaN(t) || now - t > days * 86400000) stale.push(field);
    if (!oldest || (oldest.at !== null && (at === null || at < oldest.at))) oldest = { field, at };
  }
  return { oldest, stale };
}

/** The change requests that say what state a record is in: the latest per record. */
export function latestChanges(list: api.ChangeRequest[]): Map<string, api.ChangeRequest> {
  const out = new Map<string, api.ChangeRequest>();
  for (const ch of list) {
    const kind = api.pathKind(ch.kind);
    if (!kind) continue;
    const key = `${kind}/${ch.record_id}`;
    const had = out.get(key);
    if (!had || had.created_at < ch.created_at) out.set(key, ch);
  }
  return out;
}

export function State(p: { c: Ctx; doc: api.Doc; change?: api.ChangeRequest }) {
  const t = p.c.t;
  const ch = p.change;
  if (ch?.status === "pending") return <span class="badge pending">{t("state_pending")}</span>;
  if (ch?.status === "rejected")
    return (
      <span class="badge rejected" dir="auto">
        {t("state_rejected", { reason: ch.decision_reason ?? "" })}
      </span>
    );
  if (ch?.status === "published_unreviewed") return <span class="badge unreviewed">{t("state_unreviewed")}</span>;
  const status = String(p.doc.status ?? "published");
  const key: WordKey = status === "draft" ? "state_draft" : status === "archived" ? "state_archived" : "state_published";
  return <span class={`badge ${status}`}>{t(key)}</span>;
}

/** "Withdraw" beside a change request the viewer made that still waits. */
function Mine(p: { c: Ctx; change?: api.ChangeRequest; name: string }) {
  return mayWithdraw(p.c.me, p.change) ? <Withdraw c={p.c} change={p.change} name={p.name} /> : null;
}

export function Fresh(p: { c: Ctx; kind: api.Kind; doc: api.Doc }) {
  const f = freshness(p.kind, p.doc);
  if (!f.oldest) return null;
  const t = p.c.t;
  const field = t(`field_${f.oldest.field}` as WordKey);
  return (
    <span class={f.stale.length ? "fresh stale" : "fresh"}>
      {field}: {f.oldest.at ? t("checked_ago", { when: ago(p.c, f.oldest.at) }) : t("checked_never")}
      {f.stale.length > 0 && <strong class="badge stale"> {t("stale_badge")}</strong>}
    </span>
  );
}

interface Loaded {
  sportelli: api.Doc[];
  services: api.Doc[];
  offers: api.Doc[];
  changes: Map<string, api.ChangeRequest>;
}

async function load(): Promise<Loaded> {
  const [sportelli, services, offers, pending, rejected, unreviewed] = await Promise.all([
    api.records("sportelli"),
    api.records("services"),
    api.records("offers"),
    api.changes({ status: "pending" }),
    api.changes({ status: "rejected" }).catch(() => []),
    api.changes({ status: "published_unreviewed" }).catch(() => []),
  ]);
  return { sportelli, services, offers, changes: latestChanges([...pending, ...rejected, ...unreviewed]) };
}

export function Entries(p: { c: Ctx }) {
  const { c } = p;
  const t = c.t;
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = () => {
    setError(null);
    load().then(setData, (e: Error) => setError(e.message));
  };
  useEffect(reload, []);
  const comune = (istat: unknown) => c.bundle?.comuni.get(String(istat)) ?? String(istat ?? "");
  const serviceName = (id: unknown) => text(data?.services.find((s) => s.id === id)?.name, c.lang) || String(id);
  return (
    <section aria-labelledby="entries-title">
      <Heading>
        <span id="entries-title">{t("entries_title")}</span>
      </Heading>
      <p>{t("entries_intro")}</p>
      {error && (
        <Notice kind="error">
          {t("load_failed", { detail: error })}{" "}
          <button type="button" onClick={reload}>
            {t("retry")}
          </button>
        </Notice>
      )}
      {!data && !error && <p role="status">{t("loading")}</p>}
      {data && !data.sportelli.length && !data.services.length && <p>{t("no_entries")}</p>}
      {data && data.sportelli.length > 0 && (
        <>
          <h2>{t("sportelli")}</h2>
          <ul class="entries" id="sportelli">
            {data.sportelli.map((s) => {
              const name = text(s.name, c.lang) || s.id;
              const address = (s.address ?? {}) as Record<string, string>;
              const offers = data.offers.filter((o) => o.location_id === s.id);
              return (
                <li key={s.id} class="entry" data-id={s.id}>
                  <div class="entry-head">
                    <h3 dir="auto">{name}</h3>
                    <State c={c} doc={s} change={data.changes.get(`sportelli/${s.id}`)} />
                    <Mine c={c} change={data.changes.get(`sportelli/${s.id}`)} name={name} />
                  </div>
                  <p class="where" dir="auto">
                    {[address.street, address.locality, comune(address.comune_istat)].filter(Boolean).join(", ")}
                  </p>
                  <p>
                    <Fresh c={c} kind="sportelli" doc={s} />
                  </p>
                  <p class="actions">
                    <Link c={c} href={`/console/edit/sportelli/${encodeURIComponent(s.id)}`} class="btn" aria-label={t("edit_named", { name })}>
                      {t("edit")}
                    </Link>
                    <Link c={c} href={`/console/history/sportelli/${encodeURIComponent(s.id)}`} class="btn secondary" aria-label={t("history_named", { name })}>
                      {t("history")}
                    </Link>
                    <Link c={c} href={`/console/notices/sportelli/${encodeURIComponent(s.id)}`} class="btn secondary" aria-label={t("notices_named", { name })}>
                      {t("notices")}
                    </Link>
                    <Link c={c} href={`/console/translations/sportelli/${encodeURIComponent(s.id)}`} class="btn secondary" aria-label={t("translations_named", { name })}>
                      {t("translations")}
                    </Link>
                  </p>
                  {offers.length > 0 && (
                    <div class="offers">
                      <h4>{t("offers_at")}</h4>
                      <ul>
                        {offers.map((o) => {
                          const service = serviceName(o.service_id);
                          const periods = ((o.schedule as { periods?: { hours: string }[] } | undefined)?.periods ?? []).map((x) => x.hours);
                          const change = data.changes.get(`offers/${o.id}`);
                          const proposed =
                            change?.status === "pending"
                              ? ((change.proposed?.schedule as { periods?: { hours: string }[] } | undefined)?.periods ?? []).map((x) => x.hours)
                              : null;
                          return (
                            <li key={o.id} data-id={o.id} class="offer">
                              <span dir="auto" class="offer-name">
                                {service}
                              </span>{" "}
                              <code class="hours-text" dir="ltr">{periods.join(" | ")}</code>{" "}
                              <State c={c} doc={o} change={change} /> <Mine c={c} change={change} name={`${service} (${name})`} />{" "}
                              <Fresh c={c} kind="offers" doc={o} />{" "}
                              {proposed && (
                                <span class="proposed">
                                  {t("proposed")}: <code class="hours-text" dir="ltr">{proposed.join(" | ")}</code>{" "}
                                </span>
                              )}
                              <Link
                                c={c}
                                href={`/console/edit/offers/${encodeURIComponent(o.id)}`}
                                class="btn"
                                aria-label={t("edit_hours_named", { service, sportello: name })}
                              >
                                {t("edit_hours")}
                              </Link>{" "}
                              <Link c={c} href={`/console/history/offers/${encodeURIComponent(o.id)}`} class="btn secondary" aria-label={t("history_named", { name: `${service} (${name})` })}>
                                {t("history")}
                              </Link>{" "}
                              <Link c={c} href={`/console/notices/offers/${encodeURIComponent(o.id)}`} class="btn secondary" aria-label={t("notices_named", { name: `${service} (${name})` })}>
                                {t("notices")}
                              </Link>
                            </li>
                          );
                        })}
                      </ul>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {data && data.services.length > 0 && (
        <>
          <h2>{t("services")}</h2>
          <ul class="entries" id="services">
            {data.services.map((s) => {
              const name = text(s.name, c.lang) || s.id;
              return (
                <li key={s.id} class="entry" data-id={s.id}>
                  <div class="entry-head">
                    <h3 dir="auto">{name}</h3>
                    <State c={c} doc={s} change={data.changes.get(`services/${s.id}`)} />
                    <Mine c={c} change={data.changes.get(`services/${s.id}`)} name={name} />
                  </div>
                  <p>
                    <Fresh c={c} kind="services" doc={s} />
                  </p>
                  <p class="actions">
                    <Link c={c} href={`/console/edit/services/${encodeURIComponent(s.id)}`} class="btn" aria-label={t("edit_named", { name })}>
                      {t("edit")}
                    </Link>
                    <Link c={c} href={`/console/history/services/${encodeURIComponent(s.id)}`} class="btn secondary" aria-label={t("history_named", { name })}>
                      {t("history")}
                    </Link>
                    <Link c={c} href={`/console/translations/services/${encodeURIComponent(s.id)}`} class="btn secondary" aria-label={t("translations_named", { name })}>
                      {t("translations")}
                    </Link>
                  </p>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
