// Screen 10: import a list (docs/imports.md). Choose the organisation, a file (CSV, GeoJSON,
// an HSDS zip or JSON) with its source and licence; the server's dry run comes back as a
// report: what would change, the problems (each row or feature with a box to exclude it),
// what an HSDS mapping left out, the likely duplicates with a choice each. The commit sends
// the report's ETag in `If-Match`; its answer (the revision, the change requests, or why it
// was refused and nothing written) is shown as the server gives it. Every value is text.

import { useEffect, useRef, useState } from "preact/hooks";
import * as api from "./api";
import * as imp from "./import-api";
import { blocking, CONTENT_TYPE, commitBody, dropTally, fileKind, mayBeHsds, refused, unitOf, uploadQuery, type Choice, type UploadForm } from "./import-edit";
import { ErrorSummary, Field, Heading, Notice, text, type Ctx } from "./ui";

/** Rows of the HSDS drops shown in full (the tally above them counts every one). */
const SHOWN_DROPS = 200;

type Outcome = { kind: "ok" | "warn" | "error"; text: string } | null;

export function Import(p: { c: Ctx }) {
  const { c } = p;
  const t = c.t;
  const csrf = c.me.csrf_token ?? "";
  const [orgs, setOrgs] = useState<api.Doc[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<UploadForm>({ organization: "", source: "", licence: "", lang: "", idPrefix: "" });
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<{ org?: string; file?: string }>({});
  const [busy, setBusy] = useState<"" | "upload" | "commit">("");
  const [report, setReport] = useState<imp.ImportReport | null>(null);
  const [etag, setEtag] = useState("");
  const [excluded, setExcluded] = useState<Set<number>>(new Set());
  const [choices, setChoices] = useState<Record<string, Choice | undefined>>({});
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [stale, setStale] = useState(false);

  useEffect(() => {
    api.records("organizations").then(
      (list) => {
        setOrgs(list);
        if (list.length === 1) setForm((f) => ({ ...f, organization: list[0].id }));
      },
      (e: Error) => setLoadError(e.message),
    );
  }, []);

  const say = (o: Outcome) => {
    setOutcome(o);
    if (o) c.announce(o.text);
  };
  const kind = file ? fileKind(file.name, file.type) : null;
  const orgName = (id: string) => text(orgs?.find((o) => o.id === id)?.name, c.lang) || id;

  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: { org?: string; file?: string } = {};
    if (!form.organization) errs.org = t("imp_err_org");
    if (!file) errs.file = t("imp_err_file");
    else if (!kind) errs.file = t("imp_err_kind");
    setErrors(errs);
    if (errs.org || errs.file || !file || !kind) return;
    setBusy("upload");
    say(null);
    const r = await imp.upload(file, CONTENT_TYPE[kind], uploadQuery(form, kind, file.name), csrf);
    setBusy("");
    if (r.kind === "problem") {
      const msg = r.problem.status === 0 ? t("network") : t("imp_upload_failed", { status: r.problem.status, detail: r.problem.detail || r.problem.title });
      if (r.problem.parameter === "organization") setErrors({ org: r.problem.detail });
      say({ kind: "error", text: msg });
      return;
    }
    setReport(r.body);
    setEtag(r.etag);
    setExcluded(new Set());
    setChoices({});
    setStale(false);
  };

  const reload = async () => {
    if (!report) return;
    const r = await imp.report(report.id, csrf);
    if (r.kind === "problem") return say({ kind: "error", text: t("imp_upload_failed", { status: r.problem.status, detail: r.problem.detail }) });
    setReport(r.body);
    setEtag(r.etag);
    setStale(false);
    say(null);
  };

  const confirm = async () => {
    if (!report) return;
    setBusy("commit");
    const r = await imp.commit(report.id, etag, commitBody(report, excluded, choices), csrf);
    setBusy("");
    if (r.kind === "ok") {
      const b = r.body;
      const vars = { revision: b.revision, n: b.change_requests, new: b.counts.new, changed: b.counts.changed, archived: b.counts.archived };
      const key = b.mode === "propose" ? "imp_done_propose" : b.mode === "publish_unreviewed" ? "imp_done_unreviewed" : "imp_done_publish";
      setReport(null);
      say({ kind: "ok", text: t(key, vars) });
      return;
    }
    if (r.problem.status === 0) return say({ kind: "error", text: t("network") });
    const why = refused(r.problem);
    setStale(why.why === "stale");
    const msg =
      why.why === "problems"
        ? t("imp_refused_problems", { n: why.problems.length })
        : why.why === "duplicates"
          ? t("imp_refused_duplicates")
          : why.why === "changed"
            ? t("imp_refused_changed", { detail: why.detail })
            : why.why === "stale"
              ? t("imp_refused_stale")
              : t("failed", { status: why.status, detail: why.detail });
    say({ kind: "error", text: msg });
  };

  const discard = async () => {
    if (!report) return;
    const r = await imp.discard(report.id, csrf);
    if (r.kind === "problem" && r.problem.status !== 404) return say({ kind: "error", text: t("failed", { status: r.problem.status, detail: r.problem.detail }) });
    setReport(null);
    say({ kind: "ok", text: t("imp_discarded") });
  };

  const summary = [errors.org ? { id: "imp-org", text: errors.org } : null, errors.file ? { id: "imp-file", text: errors.file } : null].filter((x): x is { id: string; text: string } => !!x);
  const set = (k: keyof UploadForm) => (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });

  return (
    <section class="import">
      <Heading>{t("imp_title")}</Heading>
      <p>{t("imp_intro")}</p>
      {loadError && <Notice kind="error">{t("load_failed", { detail: loadError })}</Notice>}
      {outcome && (
        <Notice kind={outcome.kind} id="imp-outcome">
          <span dir="auto">{outcome.text}</span>
        </Notice>
      )}
      {stale && report && (
        <p>
          <button type="button" class="btn secondary" id="imp-reload" onClick={() => void reload()}>
            {t("imp_reload_report")}
          </button>
        </p>
      )}
      {!report && (
        <form class="edit" id="import-form" onSubmit={(e) => void submit(e)} noValidate>
          <ErrorSummary c={c} items={summary} />
          {orgs && !orgs.length && <p>{t("imp_no_orgs")}</p>}
          <Field id="imp-org" label={t("imp_org")} hint={t("imp_org_hint")} errors={errors.org ? [errors.org] : []}>
            {(a) => (
              <select {...a} value={form.organization} onChange={set("organization")}>
                <option value="">—</option>
                {(orgs ?? []).map((o) => (
                  <option value={o.id} key={o.id}>
                    {text(o.name, c.lang) || o.id}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="imp-file" label={t("imp_file")} hint={t("imp_file_hint")} errors={errors.file ? [errors.file] : []}>
            {(a) => <input {...a} type="file" accept=".csv,.geojson,.json,.zip,text/csv,application/geo+json,application/json,application/zip" onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)} />}
          </Field>
          <Field id="imp-source" label={t("imp_source")} hint={t("imp_source_hint")}>
            {(a) => <input {...a} type="text" dir="auto" value={form.source} onInput={set("source")} />}
          </Field>
          <Field id="imp-licence" label={t("imp_licence")} hint={t("imp_licence_hint")}>
            {(a) => <input {...a} type="text" dir="ltr" value={form.licence} onInput={set("licence")} />}
          </Field>
          {mayBeHsds(kind) && (
            <fieldset id="imp-hsds">
              <legend>{t("imp_hsds_legend")}</legend>
              <Field id="imp-lang" label={t("imp_lang")} hint={t("imp_lang_hint")}>
                {(a) => <input {...a} type="text" dir="ltr" value={form.lang} onInput={set("lang")} />}
              </Field>
              <Field id="imp-prefix" label={t("imp_prefix")} hint={t("imp_prefix_hint")}>
                {(a) => <input {...a} type="text" dir="ltr" value={form.idPrefix} onInput={set("idPrefix")} />}
              </Field>
            </fieldset>
          )}
          <p class="actions">
            <button type="submit" class="primary" id="imp-upload" disabled={busy === "upload"}>
              {busy === "upload" ? t("imp_uploading") : t("imp_upload")}
            </button>
          </p>
        </form>
      )}
      {report && (
        <Report
          c={c}
          report={report}
          orgName={orgName(report.organization_id)}
          excluded={excluded}
          setExcluded={setExcluded}
          choices={choices}
          setChoices={setChoices}
          busy={busy === "commit"}
          onCommit={() => void confirm()}
          onDiscard={() => void discard()}
        />
      )}
    </section>
  );
}

function Report(p: {
  c: Ctx;
  report: imp.ImportReport;
  orgName: string;
  excluded: Set<number>;
  setExcluded: (f: (s: Set<number>) => Set<number>) => void;
  choices: Record<string, Choice | undefined>;
  setChoices: (f: (c: Record<string, Choice | undefined>) => Record<string, Choice | undefined>) => void;
  busy: boolean;
  onCommit: () => void;
  onDiscard: () => void;
}) {
  const { c, report: r } = p;
  const t = c.t;
  const num = (n: number) => new Intl.NumberFormat(c.lang).format(n);
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [r.id]);
  const left = blocking(r, p.excluded, p.choices);
  const toggle = (u: number, on: boolean) =>
    p.setExcluded((was) => {
      const s = new Set(was);
      if (on) s.add(u);
      else s.delete(u);
      return s;
    });
  const firstOfUnit = new Set<number>();
  const hasRecord = r.problems.some((x) => x.record);
  const drops = r.dropped ?? [];
  const modeKey = r.mode === "publish" ? "imp_mode_publish" : r.mode === "publish_unreviewed" ? "imp_mode_publish_unreviewed" : r.mode === "propose" ? "imp_mode_propose" : "imp_mode_none";
  return (
    <div id="imp-report">
      <h2 tabIndex={-1} ref={ref} id="imp-report-title">
        {t("imp_report_title")}
      </h2>
      <p dir="auto">{t("imp_report_of", { source: r.source, format: r.format.toUpperCase(), organization: p.orgName })}</p>
      <p id="imp-mode">{t(modeKey)}</p>
      <h3>{t("imp_counts")}</h3>
      <dl class="imp-counts" id="imp-counts">
        {(["new", "changed", "unchanged", "archived"] as const).map((k) => (
          <div key={k} data-count={k}>
            <dt>{t(`imp_${k}`)}</dt>
            <dd>{num(r.counts[k])}</dd>
          </div>
        ))}
      </dl>
      {r.problems.length === 0 ? (
        <p id="imp-no-problems">{t("imp_problems_none")}</p>
      ) : (
        <div class="table-wrap">
          <table id="imp-problems" class="imp-table">
            <caption>{t("imp_problems_caption", { n: num(r.problems.length) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("imp_col_exclude")}</th>
                <th scope="col">{t("imp_col_where")}</th>
                {hasRecord && <th scope="col">{t("imp_col_record")}</th>}
                <th scope="col">{t("imp_col_field")}</th>
                <th scope="col">{t("imp_col_reason")}</th>
              </tr>
            </thead>
            <tbody>
              {r.problems.map((x, i) => {
                const u = unitOf(x);
                const first = u !== null && !firstOfUnit.has(u);
                if (u !== null) firstOfUnit.add(u);
                const where = u === null ? t("imp_whole_file") : x.row !== undefined ? t("imp_row", { n: u }) : t("imp_feature", { n: u });
                const label = x.row !== undefined ? t("imp_exclude_row", { n: u ?? 0 }) : t("imp_exclude_feature", { n: u ?? 0 });
                return (
                  <tr key={i} data-unit={u ?? ""} class={u !== null && p.excluded.has(u) ? "excluded" : undefined}>
                    <td>
                      {first && u !== null && <input type="checkbox" id={`imp-ex-${u}`} aria-label={label} checked={p.excluded.has(u)} onChange={(e) => toggle(u, (e.currentTarget as HTMLInputElement).checked)} />}
                    </td>
                    <th scope="row">{where}</th>
                    {hasRecord && (
                      <td>
                        <code dir="ltr">{x.record ?? ""}</code>
                      </td>
                    )}
                    <td>
                      <code dir="ltr">{x.field}</code>
                    </td>
                    <td dir="auto">{x.reason}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {r.problems.some((x) => unitOf(x) === null) && <p class="hint">{t("imp_whole_file_hint")}</p>}
        </div>
      )}
      {drops.length > 0 && <Drops c={c} dropped={drops} />}
      {r.duplicates.length > 0 && (
        <section id="imp-duplicates" aria-labelledby="imp-dups-title">
          <h3 id="imp-dups-title">{t("imp_dups_title", { n: num(r.duplicates.length) })}</h3>
          <p>{t("imp_dups_intro")}</p>
          {r.duplicates.map((d, i) => (
            <fieldset key={d.sportello_id} data-sportello={d.sportello_id}>
              <legend dir="auto">{t("imp_dup_legend", { name: d.name, distance: num(Math.round(d.distance_m)), existing: d.existing_name })}</legend>
              {(["same", "different"] as const).map((choice) => (
                <label class="check" key={choice}>
                  <input
                    type="radio"
                    name={`imp-dup-${i}`}
                    id={`imp-dup-${i}-${choice}`}
                    value={choice}
                    checked={p.choices[d.sportello_id] === choice}
                    onChange={() => p.setChoices((was) => ({ ...was, [d.sportello_id]: choice }))}
                  />
                  <span dir="auto">{choice === "same" ? t("imp_dup_same", { existing: d.existing_name }) : t("imp_dup_different")}</span>
                </label>
              ))}
            </fieldset>
          ))}
        </section>
      )}
      <p id="imp-blocking" role="status">
        {left.problems || left.duplicates ? t("imp_blocking", { problems: num(left.problems), duplicates: num(left.duplicates) }) : t("imp_ready")}
      </p>
      <p class="actions">
        <button type="button" class="primary" id="imp-commit" disabled={p.busy} onClick={p.onCommit}>
          {p.busy ? t("imp_committing") : t("imp_commit")}
        </button>
        <button type="button" class="btn danger" id="imp-discard" onClick={p.onDiscard}>
          {t("imp_discard")}
        </button>
      </p>
    </div>
  );
}

/** What an HSDS mapping left out: the tally per reason, then the first records in full. */
function Drops(p: { c: Ctx; dropped: imp.Dropped[] }) {
  const { c } = p;
  const t = c.t;
  const num = (n: number) => new Intl.NumberFormat(c.lang).format(n);
  const tally = dropTally(p.dropped);
  const shown = p.dropped.slice(0, SHOWN_DROPS);
  return (
    <section id="imp-drops" aria-labelledby="imp-drops-title">
      <h3 id="imp-drops-title">{t("imp_dropped_caption", { n: num(p.dropped.length) })}</h3>
      <p>{t("imp_dropped_intro")}</p>
      {tally.length > 0 && (
        <div class="table-wrap">
          <table id="imp-dropped-tally" class="imp-table">
            <caption>{t("imp_dropped_tally")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("imp_col_kind")}</th>
                <th scope="col">{t("imp_col_reason")}</th>
                <th scope="col">{t("imp_col_count")}</th>
              </tr>
            </thead>
            <tbody>
              {tally.map((x) => (
                <tr key={`${x.kind}/${x.reason}`}>
                  <th scope="row">
                    <code dir="ltr">{x.kind}</code>
                  </th>
                  <td dir="auto">{x.reason}</td>
                  <td>{num(x.n)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="table-wrap">
        <table id="imp-dropped" class="imp-table">
          <caption>{t("imp_dropped_caption", { n: num(p.dropped.length) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("imp_col_record")}</th>
              <th scope="col">{t("imp_col_field")}</th>
              <th scope="col">{t("imp_col_reason")}</th>
              <th scope="col">{t("imp_col_left_out")}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((d, i) => (
              <tr key={i}>
                <th scope="row" dir="auto">
                  {d.record}
                </th>
                <td>
                  <code dir="ltr">{d.field}</code>
                </td>
                <td dir="auto">{d.reason}</td>
                <td>{d.left_out === "field" ? t("imp_left_field") : t("imp_left_record")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {p.dropped.length > shown.length && <p class="hint">{t("imp_dropped_more", { shown: num(shown.length), n: num(p.dropped.length) })}</p>}
    </section>
  );
}
