// The campaigns screen of coordinators and admins (docs/campaigns.md): the campaigns the viewer
// runs (title, period, state, answered of asked), "open a campaign" (campaigns-open.tsx) and a
// campaign's page (campaigns-page.tsx), under `/console/campaigns[/new|/{id}]`.

import { useEffect, useState } from "preact/hooks";
import { campaign, campaigns, type Campaign } from "./campaigns-api";
import { answeredOf, campaignState, period } from "./campaigns-edit";
import { CampaignOpen } from "./campaigns-open";
import { CampaignPage } from "./campaigns-page";
import { Heading, Link, Notice, problemText, type Ctx } from "./ui";
import type { WordKey } from "./words";
import { romeTime } from "../hours";

export { runsCampaigns } from "./campaigns-edit";

/** The screen for the path's parts after `campaigns`. */
export function campaignScreen(c: Ctx, rest: string[]) {
  if (rest.length === 0) return <CampaignList c={c} />;
  if (rest.length === 1 && rest[0] === "new") return <CampaignOpen c={c} />;
  if (rest.length === 1) return <CampaignPage c={c} id={rest[0]} key={rest[0]} />;
  return <Heading>{c.t("not_found")}</Heading>;
}

export function CampaignList(p: { c: Ctx }) {
  const { c } = p;
  const t = c.t;
  const [list, setList] = useState<Campaign[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [counts, setCounts] = useState<Record<string, { answered: number; total: number }>>({});
  useEffect(() => {
    void campaigns().then(async (r) => {
      if (r.kind === "problem") return setError(problemText(c, r.problem));
      if (r.kind !== "ok") return;
      const l = r.body?.campaigns ?? [];
      setList(l);
      // The list carries no counts: each campaign's recipients say them.
      const rs = await Promise.all(l.map(async (x) => [x.id, await campaign(x.id)] as const));
      const out: Record<string, { answered: number; total: number }> = {};
      for (const [id, one] of rs) if (one.kind === "ok") out[id] = answeredOf(one.body.recipients);
      setCounts(out);
    });
  }, []);
  const today = romeTime(new Date()).date;
  return (
    <section>
      <Heading>{t("campaigns_title")}</Heading>
      <p>{t("campaigns_intro")}</p>
      <p class="actions">
        <Link c={c} class="btn primary" href="/console/campaigns/new" id="campaign-new">
          {t("campaign_open_link")}
        </Link>
      </p>
      {error && (
        <Notice kind="error" id="campaigns-error">
          {error}
        </Notice>
      )}
      {!list && !error && <p role="status">{t("loading")}</p>}
      {list && !list.length && <p id="campaigns-none">{t("campaigns_none")}</p>}
      {list && list.length > 0 && (
        <div class="table-wrap">
          <table id="campaigns">
            <caption>{t("campaigns_caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("col_title")}</th>
                <th scope="col">{t("col_period")}</th>
                <th scope="col">{t("col_state")}</th>
                <th scope="col">{t("col_answered")}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((x) => {
                const state = campaignState(x, today);
                const n = counts[x.id];
                return (
                  <tr key={x.id} data-id={x.id}>
                    <th scope="row">
                      <Link c={c} href={`/console/campaigns/${encodeURIComponent(x.id)}`}>
                        <span dir="auto">{x.title}</span>
                      </Link>
                    </th>
                    <td>{period(c.lang, x.from, x.until)}</td>
                    <td>
                      <span class={`badge campaign-${state}`}>{t(`campaign_state_${state}` as WordKey)}</span>
                    </td>
                    <td class="answered">{n ? t("campaign_answered_of", n) : "…"}</td>
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
