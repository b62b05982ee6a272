// Screen 9, beside the stale list: what the public said about the viewer's sportelli ("was
// this right?", "the desk was closed when I went": `GET /api/feedback`), one entry per
// sportello with the count of each kind and the latest report, most recent first, each with a
// link to its edit form and a one-click "still correct".

import { useEffect, useState } from "preact/hooks";
import * as api from "./api";
import { dateTime, Heading, Link, Notice, problemText, text, type Ctx } from "./ui";

export interface FeedbackGroup {
  location_id: string;
  counts: Record<api.Feedback["kind"], number>;
  latest: string;
  total: number;
}

/** Reports grouped per sportello, the most recently reported first. */
export function groupFeedback(list: api.Feedback[]): FeedbackGroup[] {
  const out = new Map<string, FeedbackGroup>();
  for (const f of list) {
    const g = out.get(f.location_id) ?? { location_id: f.location_id, counts: { right: 0, wrong: 0, closed: 0 }, latest: f.at, total: 0 };
    if (f.kind in g.counts) g.counts[f.kind] += 1;
    g.total += 1;
    if (f.at > g.latest) g.latest = f.at;
    out.set(f.location_id, g);
  }
  return [...out.values()].sort((a, b) => (a.latest < b.latest ? 1 : a.latest > b.latest ? -1 : a.location_id.localeCompare(b.location_id)));
}

export function FeedbackList(p: { c: Ctx }) {
  const { c } = p;
  const t = c.t;
  const [groups, setGroups] = useState<FeedbackGroup[] | null>(null);
  const [names, setNames] = useState<Map<string, api.Doc>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Record<string, string>>({});
  useEffect(() => {
    api.feedback().then((list) => setGroups(groupFeedback(list)), (e: Error) => setError(e.message));
    api.records("sportelli").then((docs) => setNames(new Map(docs.map((d) => [d.id, d]))), () => undefined);
  }, []);
  const confirm = async (id: string, name: string) => {
    const r0 = await api.record("sportelli", id);
    const version = r0.kind === "ok" ? r0.version : null;
    const r = await api.verify("sportelli", id, ["address", "phone"], version);
    const msg = r.kind === "problem" ? problemText(c, r.problem) : t("verified_done", { name });
    setDone({ ...done, [id]: msg });
    c.announce(msg);
  };
  return (
    <section>
      <Heading>{t("feedback_title")}</Heading>
      <p>{t("feedback_intro")}</p>
      <p>
        <Link c={c} href="/console/stale">
          {t("nav_stale")}
        </Link>
      </p>
      {error && <Notice kind="error">{t("load_failed", { detail: error })}</Notice>}
      {!groups && !error && <p role="status">{t("loading")}</p>}
      {groups && !groups.length && <p id="feedback-none">{t("feedback_none")}</p>}
      {groups && groups.length > 0 && (
        <ul class="entries" id="feedback">
          {groups.map((g) => {
            const doc = names.get(g.location_id);
            const name = text(doc?.name, c.lang) || text(c.bundle?.sportelli.find((s) => s.id === g.location_id)?.name, c.lang) || g.location_id;
            return (
              <li key={g.location_id} class="entry" data-id={g.location_id}>
                <h2 dir="auto">{name}</h2>
                <p class="counts">
                  <span data-kind="right">{t("feedback_right", { n: g.counts.right })}</span> · <span data-kind="wrong">{t("feedback_wrong", { n: g.counts.wrong })}</span> ·{" "}
                  <span data-kind="closed">{t("feedback_closed", { n: g.counts.closed })}</span>
                </p>
                <p class="latest">{t("feedback_latest", { when: dateTime(c, g.latest) })}</p>
                {done[g.location_id] ? (
                  <p role="status">{done[g.location_id]}</p>
                ) : (
                  <p class="actions">
                    {doc && (
                      <button type="button" class="btn primary" onClick={() => void confirm(g.location_id, name)} aria-label={t("still_correct_named", { name })}>
                        {t("still_correct")}
                      </button>
                    )}
                    {doc && (
                      <Link c={c} class="btn secondary" href={`/console/edit/sportelli/${encodeURIComponent(g.location_id)}`} aria-label={t("edit_named", { name })}>
                        {t("edit")}
                      </Link>
                    )}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
