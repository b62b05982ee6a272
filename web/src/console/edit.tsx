// Screen 2: the edit forms of a sportello (with its position: a draggable pin, the gazetteer,
// or the coordinates typed) and of a service. Each field shows the server's errors beside it.

import { useEffect, useRef, useState } from "preact/hooks";
import type * as api from "./api";
import { useEditor, Outcome, ReasonField, Summary, type Editor } from "./editor";
import { commaList, fieldId, getAt, lines, setAt } from "./form";
import { Field, Heading, Link, Notice, text, type Ctx } from "./ui";
import { matchPlaces } from "../search";
import type { Pin } from "./pin-map";
import type { Place } from "../types";
import type { WordKey } from "./words";

type Set = (pointer: string, value: unknown) => void;

/** A text input bound to a string (or a translation) in the draft. Empty removes the key. */
function TextInput(p: {
  c: Ctx;
  e: Editor;
  draft: api.Doc;
  set: Set;
  pointer: string;
  label: WordKey;
  hint?: WordKey;
  area?: boolean;
  type?: "text" | "url" | "tel" | "email";
  nullable?: boolean;
}) {
  const value = getAt(p.draft, p.pointer);
  const id = fieldId(p.pointer);
  return (
    <Field id={id} label={p.c.t(p.label)} hint={p.hint && p.c.t(p.hint)} errors={p.e.errors.get(p.pointer)}>
      {(a) =>
        p.area ? (
          <textarea {...a} rows={3} dir="auto" value={typeof value === "string" ? value : ""} onInput={(ev) => p.set(p.pointer, clean(ev.currentTarget.value, p.nullable))} />
        ) : (
          <input
            {...a}
            type={(p.type ?? "text") as "text"}
            dir="auto"
            value={typeof value === "string" ? value : ""}
            onInput={(ev) => p.set(p.pointer, clean(ev.currentTarget.value, p.nullable))}
          />
        )
      }
    </Field>
  );
}

const clean = (v: string, nullable?: boolean) => (v === "" ? (nullable ? null : undefined) : v);

/** The form's frame: heading, summary, outcome, the fields, the save button. */
function Frame(p: { c: Ctx; e: Editor; title: string; labels: Record<string, string>; onSubmit: () => void; children: preact.ComponentChildren; ids?: Record<string, string>; kind: api.Kind; id: string }) {
  const { c, e } = p;
  return (
    <section>
      <Heading>{p.title}</Heading>
      <p class="actions">
        <Link c={c} href="/console">
          {c.t("cancel")}
        </Link>{" "}
        <Link c={c} href={`/console/history/${p.kind}/${encodeURIComponent(p.id)}`}>
          {c.t("history")}
        </Link>{" "}
        <Link c={c} href={`/console/translations/${p.kind}/${encodeURIComponent(p.id)}`}>
          {c.t("translations")}
        </Link>{" "}
        {p.kind === "sportelli" && (
          <Link c={c} href={`/console/notices/${p.kind}/${encodeURIComponent(p.id)}`}>
            {c.t("notices")}
          </Link>
        )}
      </p>
      <Outcome c={c} e={e} />
      <Summary c={c} errors={e.errors} labels={p.labels} ids={p.ids} />
      <form
        noValidate
        class="edit"
        id="edit-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          if (!e.saving) p.onSubmit();
        }}
      >
        {p.children}
        <ReasonField c={c} e={e} />
        <p>
          <button type="submit" class="btn primary" id="save" aria-disabled={e.saving ? "true" : undefined}>
            {e.saving ? c.t("saving") : c.t("save")}
          </button>
        </p>
      </form>
    </section>
  );
}

function Loading(p: { c: Ctx; e: Editor }) {
  if (p.e.loadError)
    return (
      <section>
        <Heading>{p.c.t("load_failed", { detail: "" })}</Heading>
        <Notice kind="error">{p.e.loadError}</Notice>
        <button type="button" onClick={p.e.reload}>
          {p.c.t("retry")}
        </button>
      </section>
    );
  return <p role="status">{p.c.t("loading")}</p>;
}

/** The draft a form edits: the record as loaded, changed field by field; reset on every load. */
function useDraft(e: Editor): [api.Doc | null, Set] {
  const [draft, setDraft] = useState<api.Doc | null>(e.doc);
  useEffect(() => setDraft(e.doc), [e.doc]);
  return [draft, (pointer, value) => setDraft((d) => (d ? setAt(d, pointer, value) : d))];
}

// ---------------------------------------------------------------------------------------------
// The position: coordinates, the gazetteer, the pin.

function Position(p: { c: Ctx; e: Editor; draft: api.Doc; set: Set }) {
  const { c } = p;
  const point = (getAt(p.draft, "/point") as [number, number] | undefined) ?? [12.3, 45.5];
  const [lonText, setLon] = useState(String(point[0]));
  const [latText, setLat] = useState(String(point[1]));
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<Place[] | null>(null);
  const [mapState, setMapState] = useState<"closed" | "loading" | "open" | "failed">("closed");
  const box = useRef<HTMLDivElement>(null);
  const pin = useRef<Pin | null>(null);
  useEffect(() => () => pin.current?.remove(), []);
  const move = (lon: number, lat: number, from: "map" | "other") => {
    setLon(String(lon));
    setLat(String(lat));
    p.set("/point", [lon, lat]);
    if (from !== "map") pin.current?.set(lon, lat);
    c.announce(c.t("position_set", { lon, lat }));
  };
  const typed = (lonS: string, latS: string) => {
    const [lon, lat] = [Number(lonS.replace(",", ".")), Number(latS.replace(",", "."))];
    if (lonS.trim() && latS.trim() && isFinite(lon) && isFinite(lat)) {
      p.set("/point", [lon, lat]);
      pin.current?.set(lon, lat);
    } else p.set("/point", [lonS, latS]);
  };
  const openMap = async () => {
    setMapState("loading");
    try {
      const { mountPin } = await import("./pin-map");
      pin.current = await mountPin(
        box.current!,
        { lon: Number(lonText), lat: Number(latText) },
        { marker: c.t("map_label"), zoomIn: "+", zoomOut: "−" },
        (lon, lat) => move(lon, lat, "map"),
      );
      setMapState("open");
    } catch {
      setMapState("failed");
    }
  };
  const errors = p.e.errors.get("/point");
  return (
    <fieldset class="position" aria-describedby="position-hint">
      <legend>{c.t("position")}</legend>
      <p class="hint" id="position-hint">
        {c.t("position_hint")}
      </p>
      {errors && (
        <p class="error" id="f-point-error">
          {errors.join(" ")}
        </p>
      )}
      <div class="row">
        <Field id="f-point-0" label={c.t("lon")} errors={undefined}>
          {(a) => (
            <input
              {...a}
              aria-describedby={errors ? "f-point-error" : undefined}
              aria-invalid={errors ? "true" : undefined}
              inputMode="decimal"
              value={lonText}
              onInput={(ev) => {
                setLon(ev.currentTarget.value);
                typed(ev.currentTarget.value, latText);
              }}
            />
          )}
        </Field>
        <Field id="f-point-1" label={c.t("lat")}>
          {(a) => (
            <input
              {...a}
              aria-describedby={errors ? "f-point-error" : undefined}
              aria-invalid={errors ? "true" : undefined}
              inputMode="decimal"
              value={latText}
              onInput={(ev) => {
                setLat(ev.currentTarget.value);
                typed(lonText, ev.currentTarget.value);
              }}
            />
          )}
        </Field>
      </div>
      <div class="place-search" role="search">
        <Field id="place-q" label={c.t("place_search")}>
          {(a) => (
            <input
              {...a}
              type="search"
              value={query}
              onInput={(ev) => setQuery(ev.currentTarget.value)}
              onKeyDown={(ev) => {
                if (ev.key === "Enter") {
                  ev.preventDefault();
                  setFound(matchPlaces(c.bundle?.places ?? [], query, 8));
                }
              }}
            />
          )}
        </Field>
        <button type="button" class="btn secondary" id="place-go" onClick={() => setFound(matchPlaces(c.bundle?.places ?? [], query, 8))}>
          {c.t("place_search_button")}
        </button>
      </div>
      {found && (
        <div aria-live="polite">
          {found.length === 0 ? (
            <p>{c.t("place_none")}</p>
          ) : (
            <ul class="places" aria-label={c.t("place_results")} id="places">
              {found.map((pl, i) => (
                <li key={i}>
                  <button
                    type="button"
                    class="link"
                    onClick={() => {
                      move(pl.lon, pl.lat, "other");
                      setFound(null);
                    }}
                  >
                    <span dir="auto">{c.t("place_use", { name: pl.name })}</span>
                    {pl.comune_istat && c.bundle?.comuni.get(pl.comune_istat) ? ` (${c.bundle.comuni.get(pl.comune_istat)})` : ""}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {mapState === "closed" && (
        <button type="button" class="btn secondary" id="show-map" onClick={openMap}>
          {c.t("show_map")}
        </button>
      )}
      {mapState === "failed" && <Notice kind="warn">{c.t("map_failed")}</Notice>}
      <div class={`pin-map ${mapState === "open" || mapState === "loading" ? "" : "hidden"}`} ref={box} id="pin-map" role="region" aria-label={c.t("map_label")} />
    </fieldset>
  );
}

// ---------------------------------------------------------------------------------------------
// Sportello.

const SPORTELLO_LABELS: [string, WordKey][] = [
  ["/name/it", "name_it"],
  ["/name/en", "name_en"],
  ["/description/it", "description_it"],
  ["/address/street", "street"],
  ["/address/postcode", "postcode"],
  ["/address/locality", "locality"],
  ["/address/comune_istat", "comune"],
  ["/point", "position"],
  ["/phones", "phones"],
  ["/emails", "emails"],
  ["/website", "website"],
  ["/accessibility/it", "accessibility_it"],
];

/** Checks the form can make a record (numbers are numbers); the server checks the rest. */
function localErrors(c: Ctx, draft: api.Doc): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const point = getAt(draft, "/point");
  if (Array.isArray(point) && point.some((x) => typeof x !== "number")) out.set("/point", [c.t("error_number")]);
  return out;
}

export function SportelloForm(p: { c: Ctx; id: string }) {
  const { c } = p;
  const e = useEditor(c, "sportelli", p.id);
  const [draft, set] = useDraft(e);
  if (!e.doc || !draft) return <Loading c={c} e={e} />;
  const labels = Object.fromEntries(SPORTELLO_LABELS.map(([ptr, k]) => [ptr, c.t(k)]));
  const phones = ((draft.phones ?? []) as { number: string }[]).map((x) => x.number).join("\n");
  const emails = ((draft.emails ?? []) as string[]).join("\n");
  const comuni = [...(c.bundle?.comuni.entries() ?? [])].sort((a, b) => a[1].localeCompare(b[1], "it"));
  const comune = String(getAt(draft, "/address/comune_istat") ?? "");
  const common = { c, e, draft, set };
  return (
    <Frame
      c={c}
      e={e}
      kind="sportelli"
      id={p.id}
      title={`${c.t("edit_sportello")}: ${text(e.doc.name, c.lang)}`}
      labels={labels}
      ids={{ "/point": "f-point-0" }}
      onSubmit={() => e.save(draft, SPORTELLO_LABELS.map(([ptr]) => ptr), localErrors(c, draft))}
    >
      <TextInput {...common} pointer="/name/it" label="name_it" />
      <TextInput {...common} pointer="/name/en" label="name_en" />
      <TextInput {...common} pointer="/description/it" label="description_it" area />
      <fieldset>
        <legend>{c.t("street")}</legend>
        <TextInput {...common} pointer="/address/street" label="street" />
        <div class="row">
          <TextInput {...common} pointer="/address/postcode" label="postcode" />
          <TextInput {...common} pointer="/address/locality" label="locality" />
        </div>
        <Field id={fieldId("/address/comune_istat")} label={c.t("comune")} errors={e.errors.get("/address/comune_istat")}>
          {(a) => (
            <select {...a} value={comune} onChange={(ev) => set("/address/comune_istat", ev.currentTarget.value)}>
              {!comuni.some(([k]) => k === comune) && <option value={comune}>{comune}</option>}
              {comuni.map(([k, name]) => (
                <option key={k} value={k}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </fieldset>
      <Position {...common} key={e.loads} />
      <Field id={fieldId("/phones")} label={c.t("phones")} hint={c.t("phones_hint")} errors={e.errors.get("/phones")}>
        {(a) => (
          <textarea
            {...a}
            rows={2}
            value={phones}
            onInput={(ev) => {
              const old = (draft.phones ?? []) as { number: string }[];
              set(
                "/phones",
                lines(ev.currentTarget.value).map((n, i) => ({ ...(old[i] ?? {}), number: n })),
              );
            }}
          />
        )}
      </Field>
      <Field id={fieldId("/emails")} label={c.t("emails")} hint={c.t("emails_hint")} errors={e.errors.get("/emails")}>
        {(a) => <textarea {...a} rows={2} value={emails} onInput={(ev) => set("/emails", lines(ev.currentTarget.value))} />}
      </Field>
      <TextInput {...common} pointer="/website" label="website" type="url" nullable />
      <TextInput {...common} pointer="/accessibility/it" label="accessibility_it" area />
    </Frame>
  );
}

// ---------------------------------------------------------------------------------------------
// Service.

const SERVICE_LABELS: [string, WordKey][] = [
  ["/name/it", "name_it"],
  ["/name/en", "name_en"],
  ["/description/it", "description_it"],
  ["/description/en", "description_en"],
  ["/categories", "categories"],
  ["/audiences", "audiences"],
  ["/languages", "languages"],
  ["/cost", "cost"],
  ["/cost_note/it", "cost_note_it"],
  ["/appointment_required", "appointment"],
  ["/documents/it", "documents_it"],
  ["/phone", "phone"],
  ["/email", "email"],
  ["/url", "url"],
];

function Checks(p: { c: Ctx; e: Editor; draft: api.Doc; set: Set; pointer: string; label: WordKey; options: { id: string; name: Record<string, string> }[] }) {
  const chosen = new Set<string>((getAt(p.draft, p.pointer) as string[] | undefined) ?? []);
  const id = fieldId(p.pointer);
  const errors = p.e.errors.get(p.pointer);
  // Values the taxonomy no longer lists stay, shown by their id.
  const options = [...p.options, ...[...chosen].filter((x) => !p.options.some((o) => o.id === x)).map((x) => ({ id: x, name: { it: x } }))];
  return (
    <fieldset class={`checks${errors ? " invalid" : ""}`} aria-describedby={errors ? `${id}-error` : undefined}>
      <legend>{p.c.t(p.label)}</legend>
      {errors && (
        <p class="error" id={`${id}-error`}>
          {errors.join(" ")}
        </p>
      )}
      {options.map((o, i) => (
        <label key={o.id} class="check">
          <input
            type="checkbox"
            id={i === 0 ? id : `${id}-${o.id}`}
            checked={chosen.has(o.id)}
            onChange={(ev) => {
              const next = new Set(chosen);
              if (ev.currentTarget.checked) next.add(o.id);
              else next.delete(o.id);
              p.set(p.pointer, [...next]);
            }}
          />{" "}
          <span dir="auto">{text(o.name, p.c.lang)}</span>
        </label>
      ))}
    </fieldset>
  );
}

export function ServiceForm(p: { c: Ctx; id: string }) {
  const { c } = p;
  const e = useEditor(c, "services", p.id);
  const [draft, set] = useDraft(e);
  const [languages, setLanguages] = useState<string | null>(null);
  useEffect(() => setLanguages(null), [e.loads]);
  if (!e.doc || !draft) return <Loading c={c} e={e} />;
  const labels = Object.fromEntries(SERVICE_LABELS.map(([ptr, k]) => [ptr, c.t(k)]));
  const common = { c, e, draft, set };
  const langText = languages ?? ((draft.languages ?? []) as string[]).join(", ");
  return (
    <Frame
      key={e.loads}
      c={c}
      e={e}
      kind="services"
      id={p.id}
      title={`${c.t("edit_service")}: ${text(e.doc.name, c.lang)}`}
      labels={labels}
      onSubmit={() => e.save(draft, SERVICE_LABELS.map(([ptr]) => ptr))}
    >
      <TextInput {...common} pointer="/name/it" label="name_it" />
      <TextInput {...common} pointer="/name/en" label="name_en" />
      <TextInput {...common} pointer="/description/it" label="description_it" area />
      <TextInput {...common} pointer="/description/en" label="description_en" area />
      <Checks {...common} pointer="/categories" label="categories" options={c.bundle?.categories ?? []} />
      <Checks {...common} pointer="/audiences" label="audiences" options={c.bundle?.audiences ?? []} />
      <Field id={fieldId("/languages")} label={c.t("languages")} hint={c.t("languages_hint")} errors={e.errors.get("/languages")}>
        {(a) => (
          <input
            {...a}
            value={langText}
            onInput={(ev) => {
              setLanguages(ev.currentTarget.value);
              set("/languages", commaList(ev.currentTarget.value));
            }}
          />
        )}
      </Field>
      <Field id={fieldId("/cost")} label={c.t("cost")} errors={e.errors.get("/cost")}>
        {(a) => (
          <select {...a} value={String(draft.cost ?? "free")} onChange={(ev) => set("/cost", ev.currentTarget.value)}>
            <option value="free">{c.t("cost_free")}</option>
            <option value="reduced">{c.t("cost_reduced")}</option>
            <option value="paid">{c.t("cost_paid")}</option>
          </select>
        )}
      </Field>
      <TextInput {...common} pointer="/cost_note/it" label="cost_note_it" area />
      <div class={`field check${e.errors.get("/appointment_required") ? " invalid" : ""}`}>
        {e.errors.get("/appointment_required") && (
          <p class="error" id="f-appointment_required-error">
            {e.errors.get("/appointment_required")!.join(" ")}
          </p>
        )}
        <label>
          <input
            type="checkbox"
            id={fieldId("/appointment_required")}
            checked={!!draft.appointment_required}
            aria-describedby={e.errors.get("/appointment_required") ? "f-appointment_required-error" : undefined}
            onChange={(ev) => set("/appointment_required", ev.currentTarget.checked)}
          />{" "}
          {c.t("appointment")}
        </label>
      </div>
      <TextInput {...common} pointer="/documents/it" label="documents_it" area />
      <TextInput {...common} pointer="/phone" label="phone" type="tel" nullable />
      <TextInput {...common} pointer="/email" label="email" type="email" nullable />
      <TextInput {...common} pointer="/url" label="url" type="url" nullable />
    </Frame>
  );
}
