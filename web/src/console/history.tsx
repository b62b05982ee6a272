// Screen 5: a record's history — every version, newest first, with who, when, why and the
// field changes it made — and "restore this version" (itself a new version, or a change
// request when the viewer's edits are reviewed).

import { useEffect, useState } from "preact/hooks";
import * as api from "./api";
import { dateTime, DiffTable, Heading, Link, Notice, problemText, text, type Ctx } from "./ui";
import type { WordKey } from "./words";

/** An offer's name: its service's at its sportello's, from the bundle. */
function offerName(c: Ctx, doc: api.Doc | undefined): string {
  if (!doc?.service_id) return "";
  const sp = c.bundle?.sportelli.find((s) => s.id === doc.location_id);
  const svc = sp?.services.find((s) => s.id === doc.service_id);
  return svc && sp ? `${text(svc.name, c.lang)} — ${text(sp.name, c.lang)}` : "";
}

export function History(p: { c: Ctx; kind: api.Kind; id: string }) {
  const { c } = p;
  const t = c.t;
  const [versions, setVersions] = useState<api.Version[] | null>(null);
  const [current, setCurrent] = useState<{ doc: api.Doc; version: number | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reasons, setReasons] = useState<Record<number, string>>({});
  const [notice, setNotice] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const load = () => {
    Promise.all([api.history(p.kind, p.id), api.record(p.kind, p.id)]).then(([h, r]) => {
      setVersions(h);
      if (r.kind === "ok") setCurrent({ doc: r.body, version: r.version });
    }, (e: Error) => setError(e.message));
  };
  useEffect(load, [p.kind, p.id]);
  if (error) return <Notice kind="error">{t("load_failed", { detail: error })}</Notice>;
  if (!versions) return <p role="status">{t("loading")}</p>;
  const name = text(current?.doc.name, c.lang) || offerName(c, current?.doc) || p.id;
  const latest = current?.version ?? versions[0]?.version;
  const restore = async (v: number) => {
    setBusy(true);
    setNotice(null);
    const r = await api.restore(p.kind, p.id, v, reasons[v] ?? "", current?.version ?? null);
    setBusy(false);
    if (r.kind === "ok") {
      const msg = t("restored", { version: r.version ?? "" });
      setNotice({ kind: "ok", text: msg });
      c.announce(msg);
      load();
    } else if (r.kind === "pending") {
      setNotice({ kind: "ok", text: t("saved_pending") });
      c.announce(t("saved_pending"));
    } else if (r.problem.status === 412) {
      setNotice({ kind: "error", text: t("stale_text", { version: r.problem.current_version ?? "?" }) });
      load();
    } else setNotice({ kind: "error", text: problemText(c, r.problem) });
  };
  return (
    <section>
      <Heading>{t("history_title", { name })}</Heading>
      <p>
        <Link c={c} href="/console">
          {t("cancel")}
        </Link>
      </p>
      {notice && (
        <Notice kind={notice.kind} id="history-notice">
          {notice.text}
        </Notice>
      )}
      <ol class="versions" id="versions" reversed>
        {versions.map((v) => {
          const source = v.source ? t(`source_${v.source}` as WordKey) || v.source : "";
          const isCurrent = v.version === latest;
          return (
            <li key={v.version} class="version" data-version={v.version} id={`version-${v.version}`}>
              <h2>
                {t("version_n", { version: v.version })} {isCurrent && t("current")}
              </h2>
              <p class="meta" dir="auto">
                {t("version_meta", { when: dateTime(c, v.at), author: v.author ?? "—", source })}
                {v.reviewer ? ` · ${v.reviewer}` : ""}
              </p>
              {v.reason && <p dir="auto">{t("version_reason", { reason: v.reason })}</p>}
              <DiffTable c={c} changes={v.changes} caption={t("version_n", { version: v.version })} />
              {!isCurrent && (
                <form
                  class="restore"
                  noValidate
                  onSubmit={(ev) => {
                    ev.preventDefault();
                    if (!busy) void restore(v.version);
                  }}
                >
                  <label for={`restore-reason-${v.version}`}>{t("restore_reason")}</label>
                  <input
                    id={`restore-reason-${v.version}`}
                    dir="auto"
                    value={reasons[v.version] ?? ""}
                    onInput={(ev) => setReasons({ ...reasons, [v.version]: ev.currentTarget.value })}
                  />
                  <button type="submit" class="btn secondary" aria-disabled={busy ? "true" : undefined} id={`restore-${v.version}`}>
                    {t("restore_named", { version: v.version })}
                  </button>
                </form>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
