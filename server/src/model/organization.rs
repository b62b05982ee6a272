//! Organisations that run services (HSDS `organization`).

use super::{I18nText, Id, Meta};
use serde::{Deserialize, Serialize};

/// A public office, NGO, school, health authority… that runs services and owns records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub id: Id,
    pub name: String,
    /// `public`, `ngo`, `school`, `health`, `union`, `private` or `other`.
    #[serde(default = "other")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "I18nText::is_empty")]
    pub description: I18nText,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// An invented organisation in demo data.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fictional: bool,
    /// Set by a coordinator: this organisation's edits publish at once and are reviewed
    /// afterwards. Operators cannot change it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub trusted: bool,
    #[serde(flatten)]
    pub meta: Meta,
}

fn other() -> String {
    "other".to_owned()
}
