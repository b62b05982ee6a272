// Screen 7: the dated notices of a sportello or of a service at a sportello — closed from–to,
// replacement hours (the weekly syntax the hours editor writes), a message in Italian and
// English, places (available / waiting list / full until a date) — each with a preview of how
// the public app shows it and whether it is in force now, upcoming or past. Saved as the
// record's `notices`; the server's errors are placed beside their fields.

import { useEffect, useState } from "preact/hooks";
import type * as api from "./api";
import { useEditor, Outcome, ReasonField, Summary } from "./editor";
import { fieldId, placeErrors } from "./form";
import { blankNotice, MESSAGE_LANGS, noticeProblems, toDraft, toNotice, when, type NoticeDraft, type NoticeProblem } from "./notices-edit";
import { Field, Heading, Link, Notice, text, type Ctx } from "./ui";
import { romeTime } from "../hours";
import { noticeLabel } from "../freshness";
import type { Translator } from "../i18n";
import type { Notice as RecordNotice } from "../types";
import type { WordKey } from "./words";

const PROBLEM_WORD: Record<NoticeProblem, WordKey> = {
  from_required: "notice_err_from",
  until_before: "notice_err_until",
  hours_syntax: "notice_err_hours",
  hours_empty: "notice_err_hours_empty",
  message_required: "notice_err_message",
  italian_required: "notice_err_italian",
};

/**
 * The public app's own wording of a notice (`noticeLabel`), with its words as the console keeps
 * them (`pub_*`: the app's word list is not loaded here, it would weigh more than the console).
 */
function publicWords(c: Ctx): Translator {
  const t = ((key: string, vars?: Record<string, string | number>) => c.t(`pub_${key}` as WordKey, vars)) as unknown as Translator;
  return Object.assign(t, { lang: c.lang, dir: "ltr" as const, plural: () => "" });
}

/** How the public app writes the notice (its own words and the message), in the console's language. */
function Preview(p: { c: Ctx; n: RecordNotice; today: string }) {
  const t = publicWords(p.c);
  const label = noticeLabel(t, p.n);
  const message = text(p.n.message, p.c.lang);
  const state = when(p.n, p.today);
  return (
    <div class={`notice-preview ${state}`} aria-live="polite">
      <p>
        <strong>{p.c.t("preview")}:</strong>{" "}
        <span class={`badge when-${state}`}>{p.c.t(`notice_${state}` as WordKey)}</span>
      </p>
      <p class="public-look">
        {label && <strong>{label}</strong>}
        {label && message ? " – " : ""}
        {message && <span dir="auto">{message}</span>}
        {p.n.kind === "hours" && p.n.hours ? <code dir="ltr"> {p.n.hours}</code> : null}
      </p>
    </div>
  );
}

export function NoticesForm(p: { c: Ctx; kind: "sportelli" | "offers"; id: string }) {
  const { c } = p;
  const t = c.t;
  const e = useEditor(c, p.kind, p.id);
  const [drafts, setDrafts] = useState<NoticeDraft[] | null>(null);
  const today = romeTime(new Date()).date;
  useEffect(() => {
    if (e.doc) setDrafts(((e.doc.notices ?? []) as RecordNotice[]).map(toDraft));
  }, [e.doc, e.loads]);
  if (e.loadError) return <Notice kind="error">{e.loadError}</Notice>;
  if (!e.doc || !drafts) return <p role="status">{t("loading")}</p>;
  const sportello = c.bundle?.sportelli.find((s) => s.id === (p.kind === "sportelli" ? p.id : e.doc!.location_id));
  const service = p.kind === "offers" ? sportello?.services.find((s) => s.id === e.doc!.service_id) : undefined;
  const name =
    p.kind === "sportelli"
      ? text(e.doc.name, c.lang) || p.id
      : `${service ? text(service.name, c.lang) : String(e.doc.service_id)} — ${sportello ? text(sportello.name, c.lang) : String(e.doc.location_id)}`;
  const update = (i: number, f: (d: NoticeDraft) => void) => {
    const next = structuredClone(drafts);
    f(next[i]);
    setDrafts(next);
  };
  const fields = drafts.flatMap((_, i) => ["from", "until", "kind", "hours", "places", "message", ...MESSAGE_LANGS.map((l) => `message/${l}`)].map((f) => `/notices/${i}/${f}`));
  const labels: Record<string, string> = {};
  drafts.forEach((_, i) => {
    const n = t("notice_n", { n: i + 1 });
    for (const [f, k] of [
      ["from", "notice_from"],
      ["until", "notice_until"],
      ["kind", "notice_kind"],
      ["hours", "notice_hours"],
      ["places", "notice_places"],
      ["message", "notice_message_it"],
      ["message/it", "notice_message_it"],
      ["message/en", "notice_message_en"],
    ] as [string, WordKey][])
      labels[`/notices/${i}/${f}`] = `${n}, ${t(k)}`;
  });
  const submit = () => {
    const local = noticeProblems(drafts);
    if (local.length) {
      e.setErrors(placeErrors(local.map((x) => ({ pointer: x.pointer, detail: t(PROBLEM_WORD[x.code]) })), fields));
      return;
    }
    void e.save({ ...e.doc!, notices: drafts.map(toNotice) } as api.Doc, [...fields, "/notices"]);
  };
  const err = (i: number, f: string) => e.errors.get(`/notices/${i}/${f}`);
  return (
    <section>
      <Heading>{t("notices_title", { name })}</Heading>
      <p class="actions">
        <Link c={c} href="/console">
          {t("cancel")}
        </Link>{" "}
        <Link c={c} href={`/console/history/${p.kind}/${encodeURIComponent(p.id)}`}>
          {t("history")}
        </Link>
      </p>
      <p>{t(p.kind === "sportelli" ? "notices_intro_sportello" : "notices_intro_offer")}</p>
      <Outcome c={c} e={e} />
      <Summary c={c} errors={e.errors} labels={labels} />
      <form
        noValidate
        class="edit"
        id="notices-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          if (!e.saving) submit();
        }}
      >
        {e.errors.get("/notices") && <p class="error">{e.errors.get("/notices")!.join(" ")}</p>}
        {!drafts.length && <p id="notices-none">{t("notices_none")}</p>}
        {drafts.map((d, i) => {
          const id = (f: string) => fieldId(`/notices/${i}/${f}`);
          return (
            <fieldset class="notice-edit" key={i} id={`notice-${i}`}>
              <legend>{t("notice_n", { n: i + 1 })}</legend>
              <Field id={id("kind")} label={t("notice_kind")} errors={err(i, "kind")}>
                {(a) => (
                  <select {...a} value={d.kind} onChange={(ev) => update(i, (x) => void (x.kind = ev.currentTarget.value as NoticeDraft["kind"]))}>
                    <option value="closed">{t("notice_kind_closed")}</option>
                    <option value="hours">{t("notice_kind_hours")}</option>
                    <option value="message">{t("notice_kind_message")}</option>
                    {(p.kind === "offers" || d.kind === "saturation") && <option value="saturation">{t("notice_kind_saturation")}</option>}
                  </select>
                )}
              </Field>
              <div class="row">
                <Field id={id("from")} label={t("notice_from")} errors={err(i, "from")}>
                  {(a) => <input {...a} type="date" value={d.from} onInput={(ev) => update(i, (x) => void (x.from = ev.currentTarget.value))} />}
                </Field>
                <Field id={id("until")} label={t("notice_until")} hint={t("notice_until_hint")} errors={err(i, "until")}>
                  {(a) => <input {...a} type="date" value={d.until} onInput={(ev) => update(i, (x) => void (x.until = ev.currentTarget.value))} />}
                </Field>
              </div>
              {d.kind === "hours" && (
                <Field id={id("hours")} label={t("notice_hours")} hint={t("notice_hours_hint")} errors={err(i, "hours")}>
                  {(a) => <input {...a} dir="ltr" value={d.hours} placeholder="Mo-Fr 09:00-12:00" onInput={(ev) => update(i, (x) => void (x.hours = ev.currentTarget.value))} />}
                </Field>
              )}
              {d.kind === "saturation" && (
                <Field id={id("places")} label={t("notice_places")} errors={err(i, "places")}>
                  {(a) => (
                    <select {...a} value={d.places} onChange={(ev) => update(i, (x) => void (x.places = ev.currentTarget.value as NoticeDraft["places"]))}>
                      <option value="available">{t("places_available")}</option>
                      <option value="waiting_list">{t("places_waiting_list")}</option>
                      <option value="full">{t("places_full")}</option>
                    </select>
                  )}
                </Field>
              )}
              {MESSAGE_LANGS.map((l) => {
                const errors = [...(err(i, `message/${l}`) ?? []), ...((l === "it" && err(i, "message")) || [])];
                return (
                  <Field key={l} id={id(`message/${l}`)} label={t(l === "it" ? "notice_message_it" : "notice_message_en")} errors={errors.length ? errors : undefined}>
                    {(a) => (
                      <textarea
                        {...a}
                        rows={2}
                        dir="auto"
                        lang={l}
                        value={d.message[l] ?? ""}
                        onInput={(ev) => update(i, (x) => void (x.message[l] = ev.currentTarget.value))}
                      />
                    )}
                  </Field>
                );
              })}
              <Preview c={c} n={toNotice(d)} today={today} />
              <p>
                <button type="button" class="btn danger small" id={`notice-${i}-remove`} onClick={() => setDrafts(drafts.filter((_, k) => k !== i))}>
                  {t("notice_remove", { n: i + 1 })}
                </button>
              </p>
            </fieldset>
          );
        })}
        <p>
          <button
            type="button"
            class="btn secondary"
            id="notice-add"
            onClick={() => {
              setDrafts([...drafts, blankNotice(today)]);
              window.setTimeout(() => document.getElementById(fieldId(`/notices/${drafts.length}/kind`))?.focus(), 0);
            }}
          >
            {t("notice_add")}
          </button>
        </p>
        <ReasonField c={c} e={e} />
        <p>
          <button type="submit" class="btn primary" id="save" aria-disabled={e.saving ? "true" : undefined}>
            {e.saving ? t("saving") : t("save")}
          </button>
        </p>
      </form>
    </section>
  );
}
