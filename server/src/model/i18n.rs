//! Translatable text with a fallback chain.

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

#[cfg(test)]
mod tests {
    use super::*;

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
