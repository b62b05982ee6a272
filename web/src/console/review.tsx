// Screen 4: the coordinators' review queue — the pending change requests of their territory —
// and one request side by side (field, before, after), approved or rejected with a reason. An
// approval the record outran meanwhile comes back 409 with both diffs, shown here.

import { useEffect, useRef, useState } from "preact/hooks";
import * as api from "./api";
import { dateTime, DiffTable, Field, Heading, Link, Notice, problemText, text, type Ctx } from "./ui";

/** A change request's record name: the proposal's, else the id. */
export const changeName = (ch: api.ChangeRequest, lang: string) => text(ch.proposed?.name, lang) || ch.record_id;

export function Queue(p: { c: Ctx }) {
  const { c } = p;
  const t = c.t;
  const [list, setList] = useState<api.ChangeRequest[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.changes({ status: "pending" }).then(setList, (e: Error) => setError(e.message));
  }, []);
  return (
    <section>
      <Heading>{t("review_title")}</Heading>
      <p>{t("review_intro")}</p>
      {error && <Notice kind="error">{t("load_failed", { detail: error })}</Notice>}
      {!list && !error && <p role="status">{t("loading")}</p>}
      {list && !list.length && <p id="queue-empty">{t("review_none")}</p>}
      {list && list.length > 0 && (
        <div class="table-wrap">
          <table id="queue">
            <thead>
              <tr>
                <th scope="col">{t("col_record")}</th>
                <th scope="col">{t("col_author")}</th>
                <th scope="col">{t("col_when")}</th>
                <th scope="col">{t("col_reason")}</th>
                <th scope="col">{t("col_actions")}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((ch) => {
                const name = changeName(ch, c.lang);
                return (
                  <tr key={ch.id} data-id={ch.id} data-record={`${ch.kind}/${ch.record_id}`}>
                    <td dir="auto">{name}</td>
                    <td dir="auto">{ch.author}</td>
                    <td>{dateTime(c, ch.created_at)}</td>
                    <td dir="auto" class="reason">
                      {ch.reason ?? ""}
                    </td>
                    <td>
                      <Link c={c} href={`/console/review/${encodeURIComponent(ch.id)}`} class="btn" aria-label={t("open_change_named", { name })}>
                        {t("open_change")}
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function Decision(p: { c: Ctx; id: string }) {
  const { c } = p;
  const t = c.t;
  const [ch, setCh] = useState<api.ChangeRequest | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<"approved" | "rejected" | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [conflict, setConflict] = useState<api.Problem | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    api.change(p.id).then(setCh, (e: Error) => setError(e.message));
  }, [p.id]);
  if (error) return <Notice kind="error">{t("load_failed", { detail: error })}</Notice>;
  if (!ch) return <p role="status">{t("loading")}</p>;
  const name = changeName(ch, c.lang);
  const decide = async (what: "approve" | "reject") => {
    setFailure(null);
    setConflict(null);
    if (what === "reject" && !reason.trim()) {
      setReasonError(true);
      reasonRef.current?.focus();
      return;
    }
    setReasonError(false);
    setBusy(true);
    const r = what === "approve" ? await api.approve(ch.id) : await api.reject(ch.id, reason.trim());
    setBusy(false);
    if (r.kind === "problem") {
      if (r.problem.status === 409) setConflict(r.problem);
      else setFailure(problemText(c, r.problem));
      return;
    }
    const outcome = what === "approve" ? "approved" : "rejected";
    setDone(outcome);
    c.announce(t(outcome));
  };
  return (
    <section>
      <Heading>{t("change_title", { name })}</Heading>
      <p>
        <Link c={c} href="/console/review">
          {t("back_to_queue")}
        </Link>
      </p>
      <p dir="auto">{t("change_meta", { author: ch.author, when: dateTime(c, ch.created_at), version: ch.base_version ?? "—" })}</p>
      {ch.reason && (
        <p dir="auto" id="change-reason">
          {t("change_reason", { reason: ch.reason })}
        </p>
      )}
      {done && (
        <Notice kind="ok" id="decision">
          {t(done)} <Link c={c} href="/console/review">{t("back_to_queue")}</Link>
        </Notice>
      )}
      {failure && (
        <Notice kind="error" id="decision">
          {failure}
        </Notice>
      )}
      {conflict && (
        <div class="notice warn" role="alert" id="decision">
          <p>{t("conflict")}</p>
        </div>
      )}
      {(ch.meanwhile?.length ?? 0) > 0 && !conflict && <Notice kind="warn">{t("meanwhile_warning")}</Notice>}
      <div class="side-by-side">
        <DiffTable c={c} changes={conflict?.changes ?? ch.changes ?? []} caption={t("diff_caption")} id="diff" />
        {((conflict?.meanwhile ?? ch.meanwhile)?.length ?? 0) > 0 && (
          <DiffTable c={c} changes={(conflict?.meanwhile ?? ch.meanwhile)!} caption={t("meanwhile_caption")} id="meanwhile" />
        )}
      </div>
      {!done && ch.status === "pending" && (
        <form
          class="decide"
          noValidate
          onSubmit={(ev) => {
            ev.preventDefault();
          }}
        >
          <p>
            <button type="button" class="btn primary" id="approve" disabled={busy} onClick={() => void decide("approve")}>
              {t("approve")}
            </button>
          </p>
          <Field id="reject-reason" label={t("reject_reason")} errors={reasonError ? [t("error_required")] : undefined}>
            {(a) => <textarea {...a} ref={reasonRef} rows={3} dir="auto" value={reason} onInput={(ev) => setReason(ev.currentTarget.value)} />}
          </Field>
          <p>
            <button type="button" class="btn danger" id="reject" disabled={busy} onClick={() => void decide("reject")}>
              {t("reject")}
            </button>
          </p>
        </form>
      )}
    </section>
  );
}
