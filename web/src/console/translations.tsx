// Screen 8: a record's translatable texts, one row per language, each saying whether a
// machine wrote it ("machine translated", shown as such to the public) or a person; "verified
// by a person" flips a machine's value and saves at once (the server records who and when).

import { useEffect, useState } from "preact/hooks";
import type * as api from "./api";
import { useEditor, Outcome, ReasonField, Summary } from "./editor";
import { fieldId } from "./form";
import { key, LANGS, machineCount, provenance, pruned, RTL, textOf, TRANSLATABLE, withProvenance, withText } from "./translations-edit";
import { dateTime, Field, Heading, Link, Notice, text, type Ctx } from "./ui";
import type { WordKey } from "./words";

function languageName(code: string, lang: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function TranslationsForm(p: { c: Ctx; kind: "sportelli" | "services"; id: string }) {
  const { c } = p;
  const t = c.t;
  const e = useEditor(c, p.kind, p.id);
  const [draft, setDraft] = useState<api.Doc | null>(null);
  useEffect(() => setDraft(e.doc), [e.doc, e.loads]);
  if (e.loadError) return <Notice kind="error">{e.loadError}</Notice>;
  if (!e.doc || !draft) return <p role="status">{t("loading")}</p>;
  const fields = TRANSLATABLE[p.kind];
  const pointers = fields.flatMap((f) => [`/${f}`, ...LANGS.map((l) => `/${f}/${l}`)]).concat(["/translations"]);
  const labels: Record<string, string> = {};
  for (const f of fields) for (const l of LANGS) labels[`/${f}/${l}`] = `${t(`tr_field_${f}` as WordKey)} (${languageName(l, c.lang)})`;
  const save = (doc: api.Doc) => void e.save(pruned(doc), pointers);
  const count = machineCount(draft);
  return (
    <section>
      <Heading>{t("translations_title", { name: text(e.doc.name, c.lang) || p.id })}</Heading>
      <p class="actions">
        <Link c={c} href="/console">
          {t("cancel")}
        </Link>{" "}
        <Link c={c} href={`/console/edit/${p.kind}/${encodeURIComponent(p.id)}`}>
          {t("edit")}
        </Link>
      </p>
      <p>{t("translations_intro")}</p>
      <p id="machine-count" role="status">
        {t("machine_count", { n: count })}
      </p>
      <Outcome c={c} e={e} />
      <Summary c={c} errors={e.errors} labels={labels} />
      <form
        noValidate
        class="edit"
        id="translations-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          if (!e.saving) save(draft);
        }}
      >
        {e.errors.get("/translations") && <p class="error">{e.errors.get("/translations")!.join(" ")}</p>}
        {fields.map((f) => (
          <fieldset key={f} class="translations" id={`tr-${f}`}>
            <legend>{t(`tr_field_${f}` as WordKey)}</legend>
            {LANGS.map((l) => {
              const pointer = `/${f}/${l}`;
              const value = textOf(draft, f, l);
              const stored = provenance(e.doc!, f, l);
              const now = provenance(draft, f, l);
              const machine = now?.by === "machine";
              const id = fieldId(pointer);
              const langName = languageName(l, c.lang);
              const long = f === "description" || f === "accessibility" || f === "documents";
              return (
                <div class="tr-row" key={l} data-key={key(f, l)}>
                  <Field id={id} label={langName} errors={e.errors.get(pointer) ?? e.errors.get(`/${f}`)}>
                    {(a) =>
                      long ? (
                        <textarea {...a} rows={2} lang={l} dir={RTL.has(l) ? "rtl" : "ltr"} value={value} onInput={(ev) => setDraft(withText(draft, f, l, ev.currentTarget.value))} />
                      ) : (
                        <input {...a} lang={l} dir={RTL.has(l) ? "rtl" : "ltr"} value={value} onInput={(ev) => setDraft(withText(draft, f, l, ev.currentTarget.value))} />
                      )
                    }
                  </Field>
                  {value.trim() && (
                    <p class="provenance">
                      {machine ? (
                        <span class="badge machine" id={`${id}-machine`}>
                          {t("machine_translated")}
                        </span>
                      ) : stored?.by === "person" && stored.who ? (
                        <span class="badge verified" id={`${id}-verified`}>
                          {t("verified_by", { who: stored.who, when: stored.at ? dateTime(c, stored.at) : "" })}
                        </span>
                      ) : null}{" "}
                      <label class="check">
                        <input
                          type="checkbox"
                          id={`${id}-is-machine`}
                          checked={machine}
                          onChange={(ev) => setDraft(withProvenance(draft, f, l, ev.currentTarget.checked ? "machine" : stored ? "person" : null))}
                        />{" "}
                        {t("is_machine", { language: langName })}
                      </label>{" "}
                      {stored?.by === "machine" && (
                        <button
                          type="button"
                          class="btn primary small"
                          id={`${id}-verify`}
                          aria-label={t("verify_translation_named", { field: t(`tr_field_${f}` as WordKey), language: langName })}
                          onClick={() => {
                            const next = withProvenance(draft, f, l, "person");
                            setDraft(next);
                            save(next);
                          }}
                        >
                          {t("verify_translation")}
                        </button>
                      )}
                    </p>
                  )}
                </div>
              );
            })}
          </fieldset>
        ))}
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
