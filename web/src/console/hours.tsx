// Screen 3: the opening hours of a service at a sportello — several ranges a day, seasonal
// periods, closed dates, the holiday policy — with a live preview computed by the public
// app's own hours.ts ("open now · closes at 12:30", the next seven days), as people will see it.

import { useEffect, useState } from "preact/hooks";
import type * as api from "./api";
import { useEditor, Outcome, ReasonField } from "./editor";
import { compiled, fromDraft, fromRecord, toDraft, toRecord, type Draft, type ProblemCode } from "./hours-edit";

import { ErrorSummary, Heading, Link, Notice, text, type Ctx } from "./ui";
import { addDays, formatIntervals, formatMinute, openState, romeTime, shortDate, week, weekdayName } from "../hours";
import type { WordKey } from "./words";

/** A Monday, to name the weekdays from. */
const MONDAY = "2026-01-05";

const PROBLEM_WORD: Record<ProblemCode, WordKey> = {
  time: "err_time",
  order: "err_order",
  overlap: "err_overlap",
  dates: "err_dates",
  undated: "err_undated",
};

function Preview(p: { c: Ctx; draft: Draft; holidays: Set<string> }) {
  const { c } = p;
  const { schedule } = fromDraft(p.draft);
  if (!schedule) return null;
  const s = compiled(schedule);
  const now = romeTime(new Date());
  const st = openState(s, now, p.holidays);
  let line: string;
  if (st.kind === "open") {
    if (!st.closes) line = c.t("open_now");
    else if (st.closes.date === now.date) line = c.t("closes_at", { time: formatMinute(st.closes.minute, c.lang) });
    else line = c.t("closes_on", { day: weekdayName(st.closes.date, c.lang), time: formatMinute(st.closes.minute, c.lang) });
  } else if (st.kind === "opens") {
    line = st.daysAhead === 0 ? c.t("opens_at", { time: formatMinute(st.minute, c.lang) }) : c.t("opens_on", { day: weekdayName(st.date, c.lang), time: formatMinute(st.minute, c.lang) });
  } else line = c.t("closed_for_now");
  const days = week(s, now.date, p.holidays);
  return (
    <section class="preview" aria-labelledby="preview-title">
      <h2 id="preview-title">{c.t("preview")}</h2>
      <p id="preview-now" aria-live="polite">
        <strong>{c.t("preview_now")}:</strong> <span class={`state ${st.kind}`}>{line}</span>
      </p>
      <table class="week" id="preview-week">
        <caption>{c.t("preview_week")}</caption>
        <tbody>
          {days.map((d) => (
            <tr key={d.date}>
              <th scope="row">
                {weekdayName(d.date, c.lang)} {shortDate(d.date, c.lang)}
              </th>
              <td>{d.intervals.length ? formatIntervals(d.intervals, c.lang) : c.t(d.closure ? "closure" : d.holiday ? "holiday" : "closed_day")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function HoursForm(p: { c: Ctx; id: string }) {
  const { c } = p;
  const e = useEditor(c, "offers", p.id);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const [problems, setProblems] = useState<{ field: string; code: ProblemCode }[]>([]);
  useEffect(() => {
    if (!e.doc) return;
    try {
      setDraft(toDraft(fromRecord(e.doc.schedule as Parameters<typeof fromRecord>[0])));
      setInvalid(null);
    } catch (err) {
      setInvalid(String((err as Error).message));
    }
    setProblems([]);
  }, [e.doc, e.loads]);
  if (e.loadError) return <Notice kind="error">{e.loadError}</Notice>;
  if (!e.doc || (!draft && !invalid)) return <p role="status">{c.t("loading")}</p>;
  const sportello = c.bundle?.sportelli.find((s) => s.id === e.doc!.location_id);
  const service = sportello?.services.find((s) => s.id === e.doc!.service_id);
  const title = `${c.t("edit_offer")}: ${service ? text(service.name, c.lang) : String(e.doc.service_id)} — ${sportello ? text(sportello.name, c.lang) : String(e.doc.location_id)}`;
  const comune = sportello?.address?.comune_istat;
  const holidays = (comune && c.bundle?.localHolidays.get(comune)) || c.bundle?.holidays || new Set<string>();
  if (!draft) return <Notice kind="error">{invalid}</Notice>;
  const update = (f: (d: Draft) => void) => {
    const next = structuredClone(draft);
    f(next);
    setDraft(next);
  };
  const errorOf = (field: string) => problems.find((x) => x.field === field);
  const dayName = (d: number) => weekdayName(addDays(MONDAY, d), c.lang);
  const serverErrors = e.errors;
  const submit = () => {
    const checked = fromDraft(draft);
    setProblems(checked.problems);
    if (!checked.schedule) return;
    const doc = { ...e.doc!, schedule: toRecord(checked.schedule) } as api.Doc;
    void e.save(doc, ["/schedule", "/schedule/periods", "/schedule/closed_on", "/schedule/public_holidays"]);
  };
  const summary = [
    ...problems.map((x) => ({ id: x.field, text: c.t(PROBLEM_WORD[x.code]) })),
    ...[...serverErrors.values()].flat().map((t) => ({ id: "hours-editor", text: t })),
  ];
  const timeInput = (field: string, label: string, value: string, set: (v: string) => void) => {
    const err = errorOf(field);
    return (
      <span class={`time${err ? " invalid" : ""}`}>
        <label for={field} class="sr-only">
          {label}
        </label>
        <input
          id={field}
          class="time-input"
          inputMode="numeric"
          size={5}
          maxLength={5}
          placeholder="08:30"
          value={value}
          aria-invalid={err ? "true" : undefined}
          aria-describedby={err ? `${field}-error` : "time-hint"}
          onInput={(ev) => set(ev.currentTarget.value)}
        />
        {err && (
          <span class="error" id={`${field}-error`}>
            {c.t(PROBLEM_WORD[err.code])}
          </span>
        )}
      </span>
    );
  };
  return (
    <section>
      <Heading>{title}</Heading>
      <p class="actions">
        <Link c={c} href="/console">
          {c.t("cancel")}
        </Link>{" "}
        <Link c={c} href={`/console/history/offers/${encodeURIComponent(p.id)}`}>
          {c.t("history")}
        </Link>{" "}
        <Link c={c} href={`/console/notices/offers/${encodeURIComponent(p.id)}`}>
          {c.t("notices")}
        </Link>
      </p>
      <Outcome c={c} e={e} />
      <ErrorSummary c={c} items={summary} />
      <div class="hours-layout">
        <form
          noValidate
          id="hours-editor"
          tabIndex={-1}
          onSubmit={(ev) => {
            ev.preventDefault();
            if (!e.saving) submit();
          }}
        >
          {[...serverErrors.entries()].map(([ptr, list]) => (
            <p class="error" key={ptr} id="hours-server-error">
              {list.join(" ")}
            </p>
          ))}
          <p class="hint" id="time-hint">
            {c.t("time_hint")}
          </p>
          {draft.periods.map((period, i) => {
            const legend = i === 0 ? c.t("hours_main") : c.t("hours_season", { n: i });
            return (
              <fieldset class="period" key={i} id={`period-${i}`}>
                <legend>{legend}</legend>
                {i > 0 && (
                  <div class="row">
                    {(["from", "to"] as const).map((which) => {
                      const field = `p${i}-${which}`;
                      const err = errorOf(field);
                      return (
                        <div class={`field${err ? " invalid" : ""}`} key={which}>
                          <label for={field}>{c.t(which === "from" ? "season_from" : "season_to")}</label>
                          {err && (
                            <p class="error" id={`${field}-error`}>
                              {c.t(PROBLEM_WORD[err.code])}
                            </p>
                          )}
                          <input
                            type="date"
                            id={field}
                            value={which === "from" ? period.valid_from : period.valid_to}
                            aria-invalid={err ? "true" : undefined}
                            aria-describedby={err ? `${field}-error` : undefined}
                            onInput={(ev) => update((d) => void (d.periods[i][which === "from" ? "valid_from" : "valid_to"] = ev.currentTarget.value))}
                          />
                        </div>
                      );
                    })}
                    <button type="button" class="btn secondary" onClick={() => update((d) => void d.periods.splice(i, 1))}>
                      {c.t("remove_season", { n: i })}
                    </button>
                  </div>
                )}
                <div class="days">
                  {period.days.map((day, d) => (
                    <div key={d} class="day" role="group" aria-labelledby={`p${i}-d${d}-name`}>
                      <span class="day-name" id={`p${i}-d${d}-name`}>
                        {dayName(d)}
                      </span>
                      {day.length === 0 && <span class="closed">{c.t("day_closed")}</span>}
                      {day.map(([a, b], k) => (
                        <span class="interval" key={k}>
                          {timeInput(`p${i}-d${d}-i${k}-start`, c.t("opens", { day: dayName(d), n: k + 1 }), a, (v) => update((x) => void (x.periods[i].days[d][k][0] = v)))}
                          <span aria-hidden="true">–</span>
                          {timeInput(`p${i}-d${d}-i${k}-end`, c.t("closes", { day: dayName(d), n: k + 1 }), b, (v) => update((x) => void (x.periods[i].days[d][k][1] = v)))}
                          <button
                            type="button"
                            class="icon-btn"
                            aria-label={c.t("remove_interval", { n: k + 1, day: dayName(d) })}
                            title={c.t("remove_interval", { n: k + 1, day: dayName(d) })}
                            onClick={() => update((x) => void x.periods[i].days[d].splice(k, 1))}
                          >
                            ×
                          </button>
                        </span>
                      ))}
                      <button
                        type="button"
                        class="btn secondary small"
                        id={`p${i}-d${d}-add`}
                        onClick={() => {
                          update((x) => {
                            const last = x.periods[i].days[d][x.periods[i].days[d].length - 1];
                            x.periods[i].days[d].push(last ? [last[1], ""] : ["09:00", "12:00"]);
                          });
                          window.setTimeout(() => document.getElementById(`p${i}-d${d}-i${day.length}-start`)?.focus(), 0);
                        }}
                      >
                        {c.t("add_interval", { day: dayName(d) })}
                      </button>
                    </div>
                  ))}
                </div>
                <button type="button" class="btn secondary" onClick={() => update((x) => [1, 2, 3, 4].forEach((d) => (x.periods[i].days[d] = structuredClone(x.periods[i].days[0]))))}>
                  {c.t("copy_monday")}
                </button>
              </fieldset>
            );
          })}
          <p>
            <button
              type="button"
              class="btn secondary"
              id="add-season"
              onClick={() => update((d) => void d.periods.push({ valid_from: "", valid_to: "", days: structuredClone(d.periods[0].days) }))}
            >
              {c.t("add_season")}
            </button>
          </p>
          <fieldset>
            <legend>{c.t("closed_dates")}</legend>
            <ul class="closed-dates">
              {draft.closed_on.map((date, k) => (
                <li key={k}>
                  <label for={`closed-${k}`} class="sr-only">
                    {c.t("closed_date", { n: k + 1 })}
                  </label>
                  <input type="date" id={`closed-${k}`} value={date} onInput={(ev) => update((d) => void (d.closed_on[k] = ev.currentTarget.value))} />
                  <button type="button" class="icon-btn" aria-label={c.t("remove_closed", { date })} title={c.t("remove_closed", { date })} onClick={() => update((d) => void d.closed_on.splice(k, 1))}>
                    ×
                  </button>
                </li>
              ))}
            </ul>
            <button
              type="button"
              class="btn secondary"
              id="add-closed"
              onClick={() => {
                update((d) => void d.closed_on.push(""));
                window.setTimeout(() => document.getElementById(`closed-${draft.closed_on.length}`)?.focus(), 0);
              }}
            >
              {c.t("add_closed")}
            </button>
          </fieldset>
          <p class="check">
            <label>
              <input
                type="checkbox"
                id="holidays-open"
                checked={draft.public_holidays === "open"}
                onChange={(ev) => update((d) => void (d.public_holidays = ev.currentTarget.checked ? "open" : "closed"))}
              />{" "}
              {c.t("holidays_open")}
            </label>
          </p>
          <ReasonField c={c} e={e} />
          <p>
            <button type="submit" class="btn primary" id="save" aria-disabled={e.saving ? "true" : undefined}>
              {e.saving ? c.t("saving") : c.t("save")}
            </button>
          </p>
        </form>
        <Preview c={c} draft={draft} holidays={holidays} />
      </div>
    </section>
  );
}

