//! Projects (e.g. FAMI-funded): who runs them, with whom, when, where, for how much.

use super::{I18nText, Id, Meta};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a project is in its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Planned,
    #[default]
    Active,
    Closed,
}

/// A partner of a project; `organization_id` when the partner is in the directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    pub name: String,
    #[serde(default)]
    pub organization_id: Option<Id>,
    #[serde(default = "partner")]
    pub role: String,
}

fn partner() -> String {
    "partner".to_owned()
}

/// A FAMI-style output or result indicator with its target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub code: String,
    pub label: I18nText,
    #[serde(default)]
    pub target: Option<f64>,
    #[serde(default)]
    pub unit: Option<String>,
}

/// A funded project and the services it funds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub id: Id,
    #[serde(default)]
    pub code: Option<String>,
    pub title: I18nText,
    pub fund: String,
    #[serde(default)]
    pub programme_period: Option<String>,
    #[serde(default)]
    pub lead_organization_id: Option<Id>,
    #[serde(default)]
    pub partners: Vec<Partner>,
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    #[serde(default)]
    pub budget_eur: Option<f64>,
    /// ISTAT codes of the comuni covered.
    #[serde(default)]
    pub territory: Vec<String>,
    #[serde(default)]
    pub phase: Phase,
    #[serde(default, skip_serializing_if = "I18nText::is_empty")]
    pub summary: I18nText,
    #[serde(default)]
    pub service_ids: Vec<Id>,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(flatten)]
    pub meta: Meta,
}
