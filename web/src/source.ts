// "Fonte: Comune di Venezia · CC-BY-4.0": where a record came from (its `provenance`, set by
// the import that wrote it; docs/imports.md), the credit its licence asks for.

import { h } from "./dom";

/** A record's source as the bundle gives it. */
export interface Credit {
  source: string;
  licence?: string;
  attribution?: string;
  url?: string;
}

const WORDS: Record<string, string> = {
  it: "Fonte",
  en: "Source",
  fr: "Source",
  ar: "المصدر",
  ur: "ماخذ",
  bn: "উৎস",
  uk: "Джерело",
  zh: "来源",
};

/** The source line of a record (its attribution when given, else its source, then its
 *  licence), or null when the record names none. */
export function sourceLine(p: Credit | null | undefined, lang: string): HTMLElement | null {
  if (!p?.source) return null;
  const who = p.attribution || p.source;
  const link = p.url && /^https?:\/\//.test(p.url) ? h("a", { href: p.url, rel: "noopener noreferrer", target: "_blank" }, who) : who;
  return h("p", { class: "source" }, `${WORDS[lang] ?? WORDS.en}: `, h("bdi", {}, link), p.licence ? ` · ${p.licence}` : "");
}
