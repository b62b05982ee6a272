// One campaign: its period and comuni, the organisations it asks (address or "no address",
// state, when sent, reminded and answered), progress per comune, and the actions — send,
// remind, revoke one organisation's link, close — each behind a confirmation, each result
// said on screen and in the live region. A 503 (no mail transport) names the settings the
// administrator must make.

import { useEffect, useRef, useState } from "preact/hooks";
import type { Problem, Reply } from "./api";
import * as cmp from "./campaigns-api";
import { campaignState, holdsLink, period, reach } from "./campaigns-edit";
import { dateTime, Heading, Link, Notice, problemText, type Ctx } from "./ui";
import type { WordKey } from "./words";
import { romeTime } from "../hours";

/** A problem of an action in words: the missing mail transport spelled out. */
function actionProblem(c: Ctx, p: Problem): string {
  if (p.status === 503) return `${c.t("campaign_no_mail")}${p.detail ? ` (${p.detail})` : ""}`;
  return problemText(c, p);
}

/** A button that asks first: the question with yes (focused) and no; the action runs on yes. */
function Confirmed(p: { c: Ctx; id: string; label: string; ariaLabel?: string; question: string; danger?: boolean; run: () => Promise<void> }) {
  const t = p.c.t;
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  const back = () => window.setTimeout(() => (document.getElementById(p.id) ?? document.getElementById("campaign-outcome"))?.focus(), 0);
  if (!asking)
    return (
      <button
        type="button"
        class={`btn ${p.danger ? "danger" : "primary"} small`}
        id={p.id}
        aria-label={p.ariaLabel}
        onClick={() => {
          setAsking(true);
          window.setTimeout(() => yes.current?.focus(), 0);
        }}
      >
        {p.label}
      </button>
    );
  return (
    <div class="confirm" role="group" aria-labelledby={`${p.id}-q`}>
      <p id={`${p.id}-q`}>{p.question}</p>
      <button
        type="button"
        class={`btn ${p.danger ? "danger" : "primary"} small`}
        id={`${p.id}-yes`}
        ref={yes}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          await p.run();
          setBusy(false);
          setAsking(false);
          back();
        }}
      >
        {busy ? t("campaign_working") : t("campaign_yes")}
      </button>{" "}
      <button
        type="button"
        class="btn secondary small"
        id={`${p.id}-no`}
        disabled={busy}
        onClick={() => {
          setAsking(false);
          back();
        }}
      >
        {t("campaign_no")}
      </button>
    </div>
  );
}

const when = (c: Ctx, iso: string | null) => (iso ? dateTime(c, iso) : "—");

export function CampaignPage(p: { c: Ctx; id: string }) {
  const { c } = p;
  const t = c.t;
  const [whole, setWhole] = useState<cmp.CampaignWhole | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const load = async () => {
    const r = await cmp.campaign(p.id);
    if (r.kind === "ok") setWhole(r.body);
    else if (r.kind === "problem") setError(problemText(c, r.problem));
  };
  useEffect(() => void load(), [p.id]);
  /** Runs an action, says its result, and reloads the campaign (states and progress move). */
  const act = async <T,>(run: () => Promise<Reply<T>>, said: (body: T) => string) => {
    const r = await run();
    const o = r.kind === "ok" ? { kind: "ok" as const, text: said(r.body) } : r.kind === "problem" ? { kind: "error" as const, text: actionProblem(c, r.problem) } : null;
    if (o) {
      setOutcome(o);
      c.announce(o.text);
    }
    await load();
  };
  if (error) return <Notice kind="error">{t("load_failed", { detail: error })}</Notice>;
  if (!whole) return <p role="status">{t("loading")}</p>;
  const { campaign: k, recipients, progress } = whole;
  const today = romeTime(new Date()).date;
  const state = campaignState(k, today);
  const n = reach(recipients);
  const live = state === "sent" || state === "not_sent";
  const comune = (istat: string) => c.bundle?.comuni.get(istat) ?? istat;
  const orgName = (r: cmp.Recipient) => r.organization_name || r.organization_id;
  return (
    <section>
      <Heading>
        <span dir="auto" id="campaign-title">
          {k.title}
        </span>
      </Heading>
      <p class="actions">
        <Link c={c} href="/console/campaigns">
          {t("campaign_back")}
        </Link>
      </p>
      <ul class="campaign-meta">
        <li>
          <span class={`badge campaign-${state}`} id="campaign-state">
            {t(`campaign_state_${state}` as WordKey)}
          </span>
        </li>
        <li>{t("campaign_period", { period: period(c.lang, k.from, k.until) })}</li>
        <li>{t("campaign_where", { list: k.comuni.length ? k.comuni.map(comune).join(", ") : t("campaign_whole_territory") })}</li>
        <li dir="auto">{t("campaign_opened_by", { who: k.opened_by, when: dateTime(c, k.created_at) })}</li>
        {k.remind_every_days ? <li>{t("campaign_remind_every", { n: k.remind_every_days })}</li> : null}
      </ul>
      <h2>{t("campaign_actions")}</h2>
      <div id="campaign-outcome" tabIndex={-1} class={outcome ? `notice ${outcome.kind}` : "sr-only"}>
        {outcome?.text ?? ""}
      </div>
      {state !== "closed" && (
        <div class="actions campaign-actions">
          {live &&
            (n.send ? (
              <Confirmed c={c} id="campaign-send" label={t("campaign_send")} question={t("campaign_send_confirm", { n: n.send })} run={() => act(() => cmp.send(k.id), (b) => t("campaign_sent_result", { sent: b.sent ?? 0, bounced: b.bounced, failed: b.failed }))} />
            ) : (
              <p id="campaign-nothing-to-send">{t("campaign_nothing_to_send")}</p>
            ))}
          {live && n.remind > 0 && (
            <Confirmed
              c={c}
              id="campaign-remind"
              label={t("campaign_remind")}
              question={t("campaign_remind_confirm", { n: n.remind })}
              run={() => act(() => cmp.remind(k.id), (b) => t("campaign_reminded_result", { reminded: b.reminded ?? 0, bounced: b.bounced, failed: b.failed }))}
            />
          )}
          <Confirmed c={c} id="campaign-close" danger label={t("campaign_close")} question={t("campaign_close_confirm")} run={() => act(() => cmp.close(k.id), () => t("campaign_closed_result"))} />
        </div>
      )}
      <div class="table-wrap">
        <table id="recipients">
          <caption>{t("campaign_recipients")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("col_organisation")}</th>
              <th scope="col">{t("col_email")}</th>
              <th scope="col">{t("col_state")}</th>
              <th scope="col">{t("col_sent")}</th>
              <th scope="col">{t("col_reminded")}</th>
              <th scope="col">{t("col_answered_at")}</th>
              <th scope="col">{t("col_actions")}</th>
            </tr>
          </thead>
          <tbody>
            {recipients.map((r) => (
              <tr key={r.organization_id} data-org={r.organization_id} data-state={r.state}>
                <th scope="row">
                  <span dir="auto">{orgName(r)}</span>
                </th>
                <td class="email">{r.email ? <span dir="ltr">{r.email}</span> : <em>{t("campaign_no_address")}</em>}</td>
                <td class="state">{t(`recipient_${r.state}` as WordKey)}</td>
                <td>{when(c, r.sent_at)}</td>
                <td>{when(c, r.reminded_at)}</td>
                <td>
                  {when(c, r.answered_at)}
                  {r.answer ? ` (${t(`answer_${r.answer}` as WordKey)})` : ""}
                </td>
                <td>
                  {live && holdsLink(r) && (
                    <Confirmed
                      c={c}
                      id={`revoke-${r.organization_id}`}
                      danger
                      label={t("campaign_revoke")}
                      ariaLabel={t("campaign_revoke_named", { name: orgName(r) })}
                      question={t("campaign_revoke_confirm", { name: orgName(r) })}
                      run={() => act(() => cmp.revoke(k.id, r.organization_id), (b) => t("campaign_revoked_result", { name: orgName(r), revoked: b.revoked }))}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="table-wrap">
        <table id="progress">
          <caption>{t("campaign_progress")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("col_comune")}</th>
              <th scope="col">{t("col_recipients")}</th>
              <th scope="col">{t("col_answered")}</th>
              <th scope="col">{t("col_unchanged")}</th>
              <th scope="col">{t("col_changed")}</th>
              <th scope="col">{t("col_no_address")}</th>
            </tr>
          </thead>
          <tbody>
            {progress.map((row) => (
              <tr key={row.comune} data-comune={row.comune}>
                <th scope="row" dir="auto">
                  {comune(row.comune)}
                </th>
                <td class="recipients">{row.recipients}</td>
                <td class="answered">{row.answered}</td>
                <td class="unchanged">{row.unchanged}</td>
                <td class="changed">{row.changed}</td>
                <td class="no_address">{row.no_address}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
