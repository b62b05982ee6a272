//! What every record carries besides its content.

use super::{Provenance, Translations};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Editorial state of a record. Only `published` records are shown to the public.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Being written or awaiting review.
    Draft,
    /// Visible (subject to [`Visibility`]).
    #[default]
    Published,
    /// Kept for history, hidden everywhere.
    Archived,
}

/// Who may see a published record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Anyone.
    #[default]
    Public,
    /// Viewers and above in its territory (e.g. reception centres); see `crate::access`.
    Restricted,
    /// Its organisation and the coordinators of its territory only.
    Internal,
}

/// Status, visibility, version and timestamps of a record.
///
/// `version` starts at 1 and grows by one with every committed change; the store sets it and
/// the timestamps, whatever a file or a client sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub visibility: Visibility,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_verified_at: Option<DateTime<Utc>>,
    /// When a person last confirmed each field a migrant relies on ("still correct"). Only
    /// the fields the record has: hours on a service at a sportello; address and phone on a
    /// sportello; languages, cost and appointment on a service.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub verified: std::collections::BTreeMap<Checked, DateTime<Utc>>,
    /// Which translated values a machine wrote and which a person wrote or checked
    /// (`docs/editing.md`, "Translations"); absent for a value: a person's.
    #[serde(default, skip_serializing_if = "Translations::is_empty")]
    pub translations: Translations,
    /// The source and licence of the import that last wrote the record's content; absent
    /// for a record typed in through the write API (`docs/imports.md`, "Provenance").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// The fields whose freshness is tracked, each with its own threshold (see `Config`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Checked {
    Hours,
    Address,
    Phone,
    Languages,
    Cost,
    Appointment,
}

impl Checked {
    /// Every tracked field.
    pub const ALL: [Checked; 6] = [
        Checked::Hours,
        Checked::Address,
        Checked::Phone,
        Checked::Languages,
        Checked::Cost,
        Checked::Appointment,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Checked::Hours => "hours",
            Checked::Address => "address",
            Checked::Phone => "phone",
            Checked::Languages => "languages",
            Checked::Cost => "cost",
            Checked::Appointment => "appointment",
        }
    }

    pub fn parse(s: &str) -> Option<Checked> {
        Checked::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Days after which an unconfirmed field counts as stale, by default.
    pub fn default_threshold_days(&self) -> u32 {
        match self {
            Checked::Hours => 90,
            Checked::Address => 365,
            Checked::Phone => 180,
            Checked::Languages => 365,
            Checked::Cost => 180,
            Checked::Appointment => 180,
        }
    }
}

fn is_zero(v: &i64) -> bool {
    *v == 0
}

impl Default for Meta {
    fn default() -> Self {
        Meta {
            status: Status::Published,
            visibility: Visibility::Public,
            version: 0,
            created_at: None,
            updated_at: None,
            last_verified_at: None,
            verified: Default::default(),
            translations: Default::default(),
            provenance: None,
        }
    }
}

impl Meta {
    /// Published and public: what an anonymous visitor may see.
    pub fn is_public(&self) -> bool {
        self.status == Status::Published && self.visibility == Visibility::Public
    }

    /// The same record content, without what the store manages (version, timestamps).
    pub fn without_store_fields(&self) -> Meta {
        Meta {
            version: 0,
            created_at: None,
            updated_at: None,
            ..self.clone()
        }
    }
}
