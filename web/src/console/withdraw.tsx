// "Withdraw": the author of a pending change request takes it back (`POST
// /api/changes/{id}/withdraw`), after saying yes to a confirmation; the state the server
// answers is shown in its place.

import { useRef, useState } from "preact/hooks";
import * as api from "./api";
import { Notice, problemText, type Ctx } from "./ui";

/** Whether `me` may withdraw `ch`: its author, while it waits. The server checks it again. */
export const mayWithdraw = (me: api.Me, ch: api.ChangeRequest | undefined): ch is api.ChangeRequest =>
  !!ch && ch.status === "pending" && !!me.username && ch.author === me.username;

export function Withdraw(p: { c: Ctx; change: api.ChangeRequest; name: string; onDone?: (ch: api.ChangeRequest) => void }) {
  const { c } = p;
  const t = c.t;
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<api.ChangeStatus | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const yes = useRef<HTMLButtonElement>(null);
  const id = `withdraw-${p.change.id}`;
  if (done)
    return (
      <span class="badge withdrawn" role="status" id={`${id}-done`}>
        {t(done === "withdrawn" ? "state_withdrawn" : "state_pending")}
      </span>
    );
  const confirm = async () => {
    setBusy(true);
    setFailure(null);
    const r = await api.withdraw(p.change.id);
    setBusy(false);
    if (r.kind === "problem") {
      setFailure(problemText(c, r.problem));
      return;
    }
    const body = r.kind === "ok" ? (r.body as { change?: api.ChangeRequest } | null) : null;
    const ch = body?.change ?? { ...p.change, status: "withdrawn" as const };
    setDone(ch.status);
    c.announce(t("withdrawn_done", { name: p.name }));
    p.onDone?.(ch);
  };
  if (!asking)
    return (
      <button
        type="button"
        class="btn secondary small"
        id={id}
        aria-label={t("withdraw_named", { name: p.name })}
        onClick={() => {
          setAsking(true);
          window.setTimeout(() => yes.current?.focus(), 0);
        }}
      >
        {t("withdraw")}
      </button>
    );
  return (
    <div class="confirm" role="group" aria-labelledby={`${id}-q`}>
      <p id={`${id}-q`}>{t("withdraw_confirm")}</p>
      {failure && <Notice kind="error">{failure}</Notice>}
      <button type="button" class="btn danger small" id={`${id}-yes`} ref={yes} disabled={busy} onClick={() => void confirm()}>
        {t("withdraw_yes")}
      </button>{" "}
      <button type="button" class="btn secondary small" id={`${id}-no`} onClick={() => setAsking(false)}>
        {t("withdraw_no")}
      </button>
    </div>
  );
}
