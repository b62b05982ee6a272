// The interface in eight languages, with CLDR plural rules (Intl.PluralRules) and the
// writing direction. Service content comes from the data, in whatever languages it has.

import { STRINGS, type Key } from "./strings";

export const LANGUAGES = ["it", "en", "fr", "ar", "ur", "bn", "uk", "zh"] as const;
export type Lang = (typeof LANGUAGES)[number];

/** Each language's own name for itself. */
export const NATIVE_NAMES: Record<Lang, string> = {
  it: "Italiano",
  en: "English",
  fr: "Français",
  ar: "العربية",
  ur: "اردو",
  bn: "বাংলা",
  uk: "Українська",
  zh: "中文",
};

const RTL = new Set(["ar", "ur", "fa", "he", "ps"]);
export const dirOf = (lang: string): "rtl" | "ltr" => (RTL.has(lang.split("-")[0]) ? "rtl" : "ltr");

export { STRINGS };

export function isLang(x: string | null | undefined): x is Lang {
  return !!x && (LANGUAGES as readonly string[]).includes(x);
}

/** The best UI language for the browser's preferences, or null if none is offered. */
export function fromNavigator(prefs: readonly string[]): Lang | null {
  for (const p of prefs) {
    const base = p.toLowerCase().split("-")[0];
    if (isLang(base)) return base;
  }
  return null;
}


function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export type Translator = ((key: Key, vars?: Record<string, string | number>) => string) & {
  plural: (key: "results" | "services_here", n: number) => string;
  lang: Lang;
  dir: "rtl" | "ltr";
};

export function translator(lang: Lang): Translator {
  const s = STRINGS[lang];
  const rules = new Intl.PluralRules(lang);
  const nf = new Intl.NumberFormat(lang);
  const t = ((key: Key, vars = {}) => fill(s[key] ?? STRINGS.en[key], vars)) as Translator;
  t.plural = (key, n) => {
    const forms = s[key];
    // Arabic has a "zero" form; CLDR gives 0 the category "zero" only in Arabic.
    const form = forms[rules.select(n)] ?? forms.other;
    return fill(form, { n: nf.format(n) });
  };
  t.lang = lang;
  t.dir = dirOf(lang);
  return t;
}

/** A list in the language's own way ("arabo e inglese", "العربية والإنجليزية"). */
export function listOf(items: string[], lang: string): string {
  try {
    return new Intl.ListFormat(lang, { style: "long", type: "conjunction" }).format(items);
  } catch {
    return items.join(", ");
  }
}

/** The comma between two parts of a line, with its space: Arabic and Urdu "، ", Chinese "，". */
export function separator(lang: string): string {
  const base = lang.split("-")[0];
  if (base === "ar" || base === "ur" || base === "fa") return "، ";
  if (base === "zh") return "，";
  return ", ";
}

/**
 * A weekday as it stands in "opens {day} at …": the form the sentence needs. Ukrainian puts it
 * in the accusative after "у" ("у четвер", "у середу"); the other UI languages use the
 * weekday's own name there (Arabic's template says "يوم {day}", Urdu's "{day} کو").
 */
export function dayPhrase(date: string, lang: string): string {
  const d = new Date(date + "T12:00:00Z");
  if (lang === "uk") return `у ${UK_ACCUSATIVE[d.getUTCDay()]}`;
  return new Intl.DateTimeFormat(lang, { weekday: "long", timeZone: "UTC" }).format(d);
}

/** Ukrainian weekdays in the accusative, Sunday first (Date.getUTCDay order). */
const UK_ACCUSATIVE = ["неділю", "понеділок", "вівторок", "середу", "четвер", "пʼятницю", "суботу"];

/**
 * Service content: the requested language, else Italian, else English, else any. Returns
 * the text and the language it is really in.
 */
export function pick(text: Record<string, string> | undefined | null, lang: string): { text: string; lang: string } {
  if (!text) return { text: "", lang };
  for (const l of [lang, "it", "en"]) {
    if (text[l]) return { text: text[l], lang: l };
  }
  const first = Object.keys(text).find((k) => text[k]);
  return first ? { text: text[first], lang: first } : { text: "", lang };
}

/** A language's name in the user's language ("inglese", "English", "الإنجليزية"). */
export function languageName(code: string, inLang: string): string {
  try {
    return new Intl.DisplayNames([inLang], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}
