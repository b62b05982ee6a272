//! The taxonomy of needs (categories) and of audiences, from `data/taxonomy.json`.

use super::I18nText;
use serde::{Deserialize, Serialize};

/// The taxonomy shipped in the binary.
pub const BUILTIN: &str = include_str!("../../../data/taxonomy.json");

/// A category or audience term.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Term {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<String>,
    pub name: I18nText,
    #[serde(default, skip_serializing_if = "I18nText::is_empty")]
    pub description: I18nText,
}

/// Categories of need and audiences.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Taxonomy {
    #[serde(default)]
    pub version: String,
    pub categories: Vec<Term>,
    pub audiences: Vec<Term>,
    /// The directory's base language (`BUSSOLA_BASE_LANG`, default `it`): the language every
    /// name must have a value in. Not part of the taxonomy file: set from the configuration
    /// ([`Taxonomy::with_base_lang`]), so the validators that take the taxonomy know it.
    #[serde(skip, default = "default_base_lang")]
    pub base_lang: String,
}

fn default_base_lang() -> String {
    "it".to_owned()
}

impl Taxonomy {
    /// The taxonomy built into this binary.
    pub fn builtin() -> Result<Self, serde_json::Error> {
        serde_json::from_str(BUILTIN)
    }
    /// The same taxonomy for a directory whose names are written in `lang`.
    pub fn with_base_lang(mut self, lang: &str) -> Self {
        lang.clone_into(&mut self.base_lang);
        self
    }
    pub fn has_category(&self, id: &str) -> bool {
        self.categories.iter().any(|t| t.id == id)
    }
    pub fn has_audience(&self, id: &str) -> bool {
        self.audiences.iter().any(|t| t.id == id)
    }
}
