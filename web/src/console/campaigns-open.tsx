// "Open a campaign": a title, the comuni (a searchable list of checkboxes from the bundle's
// comuni, or the whole territory for an admin), the period and an optional reminder interval.
// The form checks what it can; the server's 422 (and a 403 naming `/comuni`) land at their
// fields. Opening sends nothing: the campaign's page comes next, with who it asks.

import { useState } from "preact/hooks";
import { open } from "./campaigns-api";
import {
  blankCampaign,
  CAMPAIGN_FIELDS,
  campaignBody,
  campaignProblems,
  choosableComuni,
  mayTakeWholeTerritory,
  searchComuni,
  SEARCH_FROM,
  toggleComune,
  type CampaignDraft,
  type CampaignProblem,
} from "./campaigns-edit";
import { Summary } from "./editor";
import { fieldId, placeErrors } from "./form";
import { Field, Heading, Link, Notice, problemText, type Ctx } from "./ui";
import type { WordKey } from "./words";
import { romeTime } from "../hours";

const PROBLEM_WORD: Record<CampaignProblem, WordKey> = {
  title_required: "campaign_err_title",
  comuni_required: "campaign_err_comuni",
  from_required: "campaign_err_from",
  until_required: "campaign_err_until",
  until_before: "campaign_err_until_before",
  remind_range: "campaign_err_remind",
};

const comuneId = (istat: string) => `f-comune-${istat}`;

export function CampaignOpen(p: { c: Ctx }) {
  const { c } = p;
  const t = c.t;
  const today = romeTime(new Date()).date;
  const [d, setD] = useState<CampaignDraft>(() => blankCampaign(today));
  const [query, setQuery] = useState("");
  const [errors, setErrors] = useState<Map<string, string[]>>(new Map());
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Typed values merged into the draft as it is now (events may come faster than redraws). */
  const set = (part: Partial<CampaignDraft>) => setD((x) => ({ ...x, ...part }));
  const all = choosableComuni(c.me, c.bundle?.comuni ?? new Map());
  const shown = searchComuni(all, query);
  const searchable = all.length >= SEARCH_FROM;
  const wholeAllowed = mayTakeWholeTerritory(c.me);
  const labels: Record<string, string> = {
    "/title": t("campaign_f_title"),
    "/comuni": t("campaign_f_comuni"),
    "/from": t("campaign_f_from"),
    "/until": t("campaign_f_until"),
    "/remind_every_days": t("campaign_f_remind"),
  };
  const ids = { "/comuni": searchable ? "f-comuni-search" : wholeAllowed ? "f-whole" : comuneId(all[0]?.istat ?? "") };
  const submit = async () => {
    setFailure(null);
    const local = campaignProblems(d);
    if (local.length) {
      setErrors(placeErrors(local.map((x) => ({ pointer: x.pointer, detail: t(PROBLEM_WORD[x.code]) })), CAMPAIGN_FIELDS));
      return;
    }
    setBusy(true);
    const r = await open(campaignBody(d));
    setBusy(false);
    if (r.kind === "ok") {
      setErrors(new Map());
      c.announce(t("campaign_opened", { n: r.body.recipients.length }));
      c.go(`/console/campaigns/${encodeURIComponent(r.body.campaign.id)}`);
      return;
    }
    if (r.kind !== "problem") return;
    const pr = r.problem;
    const fieldErrors = pr.errors.length ? pr.errors : pr.pointer ? [{ pointer: pr.pointer, detail: pr.detail }] : [];
    if ((pr.status === 422 || pr.status === 403 || pr.status === 400) && fieldErrors.length) setErrors(placeErrors(fieldErrors, CAMPAIGN_FIELDS));
    else {
      setErrors(new Map());
      setFailure(problemText(c, pr));
    }
  };
  const err = (pointer: string) => errors.get(pointer);
  const comuniErrors = err("/comuni");
  return (
    <section>
      <Heading>{t("campaign_new_title")}</Heading>
      <p class="actions">
        <Link c={c} href="/console/campaigns">
          {t("campaign_back")}
        </Link>
      </p>
      <p>{t("campaign_new_intro")}</p>
      {failure && (
        <Notice kind="error" id="outcome">
          {failure}
        </Notice>
      )}
      <Summary c={c} errors={errors} labels={labels} ids={ids} />
      <form
        noValidate
        class="edit"
        id="campaign-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          if (!busy) void submit();
        }}
      >
        <Field id={fieldId("/title")} label={t("campaign_f_title")} hint={t("campaign_f_title_hint")} errors={err("/title")}>
          {(a) => <input {...a} dir="auto" maxLength={200} value={d.title} onInput={(ev) => set({ title: ev.currentTarget.value })} />}
        </Field>
        <fieldset id="f-comuni" class={`comuni${comuniErrors ? " invalid" : ""}`} aria-describedby={comuniErrors ? "f-comuni-error" : undefined}>
          <legend>{t("campaign_f_comuni")}</legend>
          {comuniErrors && (
            <p class="error" id="f-comuni-error">
              {comuniErrors.join(" ")}
            </p>
          )}
          {wholeAllowed && (
            <div>
              <label class="check">
                <input type="checkbox" id="f-whole" aria-describedby="f-whole-hint" checked={d.whole} onChange={(ev) => set({ whole: ev.currentTarget.checked })} />
                {t("campaign_f_whole")}
              </label>
              <p class="hint" id="f-whole-hint">
                {t("campaign_f_whole_hint")}
              </p>
            </div>
          )}
          {searchable && (
            <Field id="f-comuni-search" label={t("campaign_f_search")}>
              {(a) => <input {...a} type="search" dir="auto" autocomplete="off" value={query} disabled={d.whole} onInput={(ev) => setQuery(ev.currentTarget.value)} />}
            </Field>
          )}
          <p id="f-comuni-count">{t("campaign_f_selected", { n: d.whole ? all.length : d.comuni.length })}</p>
          {shown.length ? (
            <ul class="checks comuni-list" id="f-comuni-list">
              {shown.map((x) => (
                <li key={x.istat}>
                  <label class="check">
                    <input
                      type="checkbox"
                      id={comuneId(x.istat)}
                      value={x.istat}
                      checked={d.whole || d.comuni.includes(x.istat)}
                      disabled={d.whole}
                      onChange={(ev) => {
                        const on = ev.currentTarget.checked;
                        setD((y) => toggleComune(y, x.istat, on));
                      }}
                    />
                    <span dir="auto">{x.name}</span>
                  </label>
                </li>
              ))}
            </ul>
          ) : (
            <p id="f-comuni-none">{t("campaign_f_no_match")}</p>
          )}
        </fieldset>
        <div class="row">
          <Field id={fieldId("/from")} label={t("campaign_f_from")} errors={err("/from")}>
            {(a) => <input {...a} type="date" value={d.from} onInput={(ev) => set({ from: ev.currentTarget.value })} />}
          </Field>
          <Field id={fieldId("/until")} label={t("campaign_f_until")} errors={err("/until")}>
            {(a) => <input {...a} type="date" value={d.until} onInput={(ev) => set({ until: ev.currentTarget.value })} />}
          </Field>
        </div>
        <Field id={fieldId("/remind_every_days")} label={t("campaign_f_remind")} hint={t("campaign_f_remind_hint")} errors={err("/remind_every_days")}>
          {(a) => <input {...a} inputMode="numeric" dir="ltr" class="short" value={d.remind} onInput={(ev) => set({ remind: ev.currentTarget.value })} />}
        </Field>
        <p>
          <button type="submit" class="btn primary" id="campaign-submit" aria-disabled={busy ? "true" : undefined}>
            {busy ? t("campaign_opening") : t("campaign_submit")}
          </button>
        </p>
      </form>
    </section>
  );
}
