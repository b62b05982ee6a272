// "Machine translated": the mark beside a text a machine translated and no person has checked
// yet (the record's `translations`, docs/editing.md). Its own words, in the app's languages.

import { h } from "./dom";
import { pick } from "./i18n";

/** A record's translations' provenance: `{"description/en": {by: "machine" | "person"}}`. */
export type Provenance = Record<string, { by?: string } | undefined>;

const WORDS: Record<string, string> = {
  it: "Tradotto automaticamente",
  en: "Machine translated",
  fr: "Traduit automatiquement",
  ar: "ترجمة آلية",
  ur: "مشینی ترجمہ",
  bn: "যন্ত্রে অনূদিত",
  uk: "Машинний переклад",
  zh: "机器翻译",
};

/** Whether the text of `field` (a path such as `schedule/note` or `notices/0/message`) the
 *  app shows in `lang` (after its fallback) is a machine's. */
export function isMachine(record: { translations?: Provenance } & Record<string, unknown>, field: string, lang: string): boolean {
  const text = field.split("/").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], record);
  const shown = pick(text as Record<string, string> | undefined, lang);
  return !!shown.text && record.translations?.[`${field}/${shown.lang}`]?.by === "machine";
}

/** The mark for the texts of `record` shown in `lang` that a machine translated (their fields
 *  in `data-fields`), or null when a person wrote or checked every one. */
export function machineMark(record: { translations?: Provenance } & Record<string, unknown>, fields: string[], lang: string): HTMLElement | null {
  const machine = fields.filter((f) => isMachine(record, f, lang));
  if (!machine.length) return null;
  return h("p", { class: "machine-translated", "data-fields": machine.join(" ") }, WORDS[lang] ?? WORDS.en);
}
