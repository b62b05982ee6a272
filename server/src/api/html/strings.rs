//! The language of a page's own words: one of the web app's eight UI languages, chosen from
//! `lang=` or Accept-Language exactly as the JSON API chooses the data's language
//! (`api::lang::negotiate`, then the primary subtag, then Italian, then English), so a page
//! and the JSON of the same request agree. The words themselves are in `words.rs`.

use super::words::{Words, LANGUAGES};
use crate::model::FALLBACK_CHAIN;
use axum::http::HeaderMap;

/// One of the UI languages (an index into `LANGUAGES`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ui(usize);

impl Ui {
    /// Every UI language, in the web app's order.
    pub fn all() -> impl Iterator<Item = Ui> {
        (0..LANGUAGES.len()).map(Ui)
    }

    /// The UI language for a BCP 47 tag: the tag, its primary subtag, else the data's
    /// fallback chain (Italian, then English).
    pub fn for_tag(tag: &str) -> Ui {
        let tag = tag.to_ascii_lowercase();
        let primary = tag.split('-').next().unwrap_or("");
        let found = [tag.as_str(), primary]
            .into_iter()
            .chain(FALLBACK_CHAIN)
            .find_map(|t| LANGUAGES.iter().position(|(code, ..)| *code == t));
        Ui(found.unwrap_or(0))
    }

    /// From the request's `lang` parameter or Accept-Language.
    pub fn negotiate(query: &str, headers: &HeaderMap) -> Ui {
        let lang = url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.into_owned());
        Ui::for_tag(&crate::api::lang::negotiate(lang.as_deref(), headers))
    }

    /// The BCP 47 tag.
    pub fn code(self) -> &'static str {
        LANGUAGES[self.0].0
    }

    /// The language's own name for itself.
    pub fn native_name(self) -> &'static str {
        LANGUAGES[self.0].1
    }

    /// `ltr` or `rtl` (Arabic and Urdu).
    pub fn dir(self) -> &'static str {
        LANGUAGES[self.0].2
    }

    /// The fixed texts.
    pub fn w(self) -> &'static Words {
        LANGUAGES[self.0].3
    }

    /// The name of a collection Bussola serves, or None for another id.
    pub fn collection_name(self, id: &str) -> Option<&'static str> {
        let w = self.w();
        match id {
            "sportelli" => Some(w.sportelli),
            "services" => Some(w.services),
            "projects" => Some(w.projects),
            "comuni" => Some(w.comuni),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_fall_back_to_their_primary_language_then_italian() {
        assert_eq!(Ui::for_tag("ar").code(), "ar");
        assert_eq!(Ui::for_tag("fr-CA").code(), "fr");
        assert_eq!(Ui::for_tag("zh-Hant").code(), "zh");
        assert_eq!(Ui::for_tag("de").code(), "it");
        assert_eq!(Ui::for_tag("ur").dir(), "rtl");
        assert_eq!(Ui::for_tag("bn").dir(), "ltr");
        assert_eq!(Ui::all().count(), 8);
    }
}
