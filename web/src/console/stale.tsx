// Screen 6: what the viewer may edit whose critical fields nobody has confirmed for too long
// (`GET /api/stale`, oldest first), each with a one-click "still correct".

import { useEffect, useState } from "preact/hooks";
import * as api from "./api";
import { ago, Heading, Link, Notice, problemText, type Ctx } from "./ui";
import type { WordKey } from "./words";

export function Stale(p: { c: Ctx }) {
  const { c } = p;
  const t = c.t;
  const [list, setList] = useState<api.StaleItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Record<string, string>>({});
  useEffect(() => {
    api.stale().then(setList, (e: Error) => setError(e.message));
  }, []);
  const confirm = async (item: api.StaleItem) => {
    const key = `${item.kind}/${item.id}`;
    let version = item.version;
    if (version === null) {
      const r = await api.record(item.kind, item.id);
      version = r.kind === "ok" ? r.version : null;
    }
    const r = await api.verify(
      item.kind,
      item.id,
      item.fields.map((f) => f.field),
      version,
    );
    const msg = r.kind === "problem" ? problemText(c, r.problem) : t("verified_done", { name: item.name });
    setDone({ ...done, [key]: msg });
    c.announce(msg);
  };
  return (
    <section>
      <Heading>{t("stale_list_title")}</Heading>
      <p>{t("stale_intro")}</p>
      <p>
        <Link c={c} href="/console/feedback" id="to-feedback">
          {t("feedback_link")}
        </Link>
      </p>
      {error && <Notice kind="error">{t("load_failed", { detail: error })}</Notice>}
      {!list && !error && <p role="status">{t("loading")}</p>}
      {list && !list.length && <p>{t("stale_none")}</p>}
      {list && list.length > 0 && (
        <ul class="entries" id="stale">
          {list.map((item) => {
            const key = `${item.kind}/${item.id}`;
            const editKind = item.kind === "sportelli" || item.kind === "services" || item.kind === "offers" ? item.kind : null;
            return (
              <li key={key} class="entry" data-id={item.id}>
                <h2 dir="auto">{item.name}</h2>
                <p>
                  {t("col_fields")}:{" "}
                  {item.fields
                    .map((f) => `${t(`field_${f.field}` as WordKey) || f.field} (${f.verified ? t("checked_ago", { when: ago(c, f.verified) }) : t("checked_never")})`)
                    .join("; ")}
                </p>
                {done[key] ? (
                  <p role="status">{done[key]}</p>
                ) : (
                  <p class="actions">
                    <button type="button" class="btn primary" onClick={() => void confirm(item)} aria-label={t("still_correct_named", { name: item.name })}>
                      {t("still_correct")}
                    </button>
                    {editKind && (
                      <Link c={c} class="btn secondary" href={`/console/edit/${editKind}/${encodeURIComponent(item.id)}`}>
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
