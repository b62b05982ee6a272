//! Translatable text with a fallback chain, and where each translation came from.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A BCP 47 language tag, lower-cased primary subtag first (`it`, `en`, `ar`, `zh-Hant`).
pub type Lang = String;

/// Languages tried after the requested one, in order.
pub const FALLBACK_CHAIN: [&str; 2] = ["it", "en"];

/// One value per language. Readers ask for a language and get the best available value
/// and the language it is really in: requested → Italian → English → any.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct I18nText(pub BTreeMap<Lang, String>);

impl I18nText {
    /// Text in one language.
    pub fn it(text: &str) -> Self {
        let mut m = BTreeMap::new();
        m.insert("it".to_owned(), text.to_owned());
        I18nText(m)
    }

    /// True when no language has a value.
    pub fn is_empty(&self) -> bool {
        self.0.values().all(|v| v.trim().is_empty())
    }

    /// The best value for `lang` and the language it came in.
    ///
    /// A region subtag falls back to its primary language (`fr-CA` → `fr`).
    pub fn get(&self, lang: &str) -> Option<(&str, &str)> {
        let primary = lang.split('-').next().unwrap_or(lang);
        [lang, primary]
            .into_iter()
            .chain(FALLBACK_CHAIN)
            .find_map(|l| self.0.get_key_value(l))
            .or_else(|| self.0.iter().next())
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Every value, for text search.
    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.0.values().map(String::as_str)
    }
}

/// Who wrote a translated value: a machine (to be checked by a person) or a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TranslatedBy {
    Machine,
    Person,
}

impl TranslatedBy {
    pub fn parse(s: &str) -> Option<TranslatedBy> {
        match s {
            "machine" => Some(TranslatedBy::Machine),
            "person" => Some(TranslatedBy::Person),
            _ => None,
        }
    }
}

/// The provenance of one translated value: who wrote it and, as the server recorded it, when
/// and under which account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    pub by: TranslatedBy,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who: Option<String>,
}

/// A record's translations' provenance, keyed by the value's path in the record and its
/// language (`name/en`, `description/ar`, `schedule/note/fr`, `notices/0/message/en`: the
/// JSON Pointer of the text without its first `/`). A value without an entry was written by
/// a person, as every value was before provenance existed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Translations(pub BTreeMap<String, Translation>);

impl Translations {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the value of `path` (`name`, `schedule/note`) in `lang` is a machine's.
    pub fn is_machine(&self, path: &str, lang: &str) -> bool {
        self.0
            .get(&format!("{path}/{lang}"))
            .is_some_and(|t| t.by == TranslatedBy::Machine)
    }

    /// The entries of `self` (what a client sent) with `at` and `who` set by the server:
    /// kept from `before` (the stored provenance) where neither the entry's `by` nor the text
    /// it describes changed (`text_before` and `text_now` give a key's text in the stored and
    /// the new record), stamped `now` and `who` otherwise. A client cannot write them itself.
    pub fn stamped(
        &self,
        before: &Translations,
        text_before: impl Fn(&str) -> Option<String>,
        text_now: impl Fn(&str) -> Option<String>,
        who: &str,
        now: DateTime<Utc>,
    ) -> Translations {
        let out = self.0.iter().map(|(key, t)| {
            let kept = before
                .0
                .get(key)
                .filter(|old| old.by == t.by && text_before(key) == text_now(key));
            let entry = match kept {
                Some(old) => old.clone(),
                None => Translation {
                    by: t.by,
                    at: Some(now),
                    who: Some(who.to_owned()),
                },
            };
            (key.clone(), entry)
        });
        Translations(out.collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provenance_is_stamped_when_its_kind_or_its_text_changes() {
        let t0 = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let now = DateTime::parse_from_rfc3339("2026-06-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let entry = |by, who: &str| Translation {
            by,
            at: Some(t0),
            who: Some(who.into()),
        };
        let before = Translations(BTreeMap::from([
            ("name/en".into(), entry(TranslatedBy::Machine, "bot")),
            ("description/en".into(), entry(TranslatedBy::Machine, "bot")),
            ("description/fr".into(), entry(TranslatedBy::Machine, "bot")),
        ]));
        // Sent: name/en flipped to person, description/en unchanged but its text edited,
        // description/fr as it was (with a forged author), a new ar entry.
        let forged = Translation {
            by: TranslatedBy::Machine,
            at: None,
            who: Some("someone-else".into()),
        };
        let sent = Translations(BTreeMap::from([
            (
                "name/en".into(),
                Translation {
                    by: TranslatedBy::Person,
                    at: None,
                    who: None,
                },
            ),
            ("description/en".into(), forged.clone()),
            ("description/fr".into(), forged.clone()),
            ("description/ar".into(), forged),
        ]));
        let old_text = |k: &str| Some(format!("old {k}"));
        let new_text = |k: &str| {
            Some(if k == "description/en" {
                "edited".into()
            } else {
                format!("old {k}")
            })
        };
        let got = sent.stamped(&before, old_text, new_text, "m.rossi", now);
        let at = |k: &str| (got.0[k].by, got.0[k].at, got.0[k].who.clone());
        assert_eq!(
            at("name/en"),
            (TranslatedBy::Person, Some(now), Some("m.rossi".into()))
        );
        assert_eq!(
            at("description/en"),
            (TranslatedBy::Machine, Some(now), Some("m.rossi".into()))
        );
        assert_eq!(
            at("description/fr"),
            (TranslatedBy::Machine, Some(t0), Some("bot".into()))
        );
        assert_eq!(
            at("description/ar"),
            (TranslatedBy::Machine, Some(now), Some("m.rossi".into()))
        );
        assert!(got.is_machine("description", "fr"));
        assert!(!got.is_machine("name", "en"));
        assert!(!got.is_machine("name", "it"), "absent: a person's");
    }

    #[test]
    fn falls_back_requested_then_italian_then_english_then_any() {
        let mut t = I18nText::default();
        t.0.insert("de".into(), "Hallo".into());
        assert_eq!(t.get("ar"), Some(("de", "Hallo")));
        t.0.insert("en".into(), "Hello".into());
        assert_eq!(t.get("ar"), Some(("en", "Hello")));
        t.0.insert("it".into(), "Ciao".into());
        assert_eq!(t.get("ar"), Some(("it", "Ciao")));
        t.0.insert("ar".into(), "مرحبا".into());
        assert_eq!(t.get("ar"), Some(("ar", "مرحبا")));
        t.0.insert("fr".into(), "Salut".into());
        assert_eq!(t.get("fr-CA"), Some(("fr", "Salut")));
        assert_eq!(I18nText::default().get("it"), None);
    }
}
