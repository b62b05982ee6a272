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
}

impl Taxonomy {
    /// The taxonomy built into this binary.
    pub fn builtin() -> Result<Self, serde_json::Error> {
        serde_json::from_str(BUILTIN)
    }
    pub fn has_category(&self, id: &str) -> bool {
        self.categories.iter().any(|t| t.id == id)
    }
    pub fn has_audience(&self, id: &str) -> bool {
        self.audiences.iter().any(|t| t.id == id)
    }
}
