//! Services: what is offered (HSDS `service`).

use super::{I18nText, Id, Meta};
use serde::{Deserialize, Serialize};

/// What a service costs the person who uses it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cost {
    #[default]
    Free,
    Reduced,
    Paid,
}

impl Cost {
    pub fn as_str(&self) -> &'static str {
        match self {
            Cost::Free => "free",
            Cost::Reduced => "reduced",
            Cost::Paid => "paid",
        }
    }
}

/// A service, which may be offered at several sportelli.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub id: Id,
    pub organization_id: Id,
    pub name: I18nText,
    #[serde(default, skip_serializing_if = "I18nText::is_empty")]
    pub description: I18nText,
    /// Category ids from the taxonomy.
    pub categories: Vec<String>,
    /// Languages spoken, BCP 47.
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub cost: Cost,
    #[serde(default, skip_serializing_if = "I18nText::is_empty")]
    pub cost_note: I18nText,
    #[serde(default)]
    pub appointment_required: bool,
    /// What to bring.
    #[serde(default, skip_serializing_if = "I18nText::is_empty")]
    pub documents: I18nText,
    /// Audience ids from the taxonomy (who it is for).
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(flatten)]
    pub meta: Meta,
}
