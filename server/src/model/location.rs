//! Sportelli (HSDS `location`) and the services offered at each (HSDS `service_at_location`).

use super::{I18nText, Id, LonLat, Meta, Notice};
use serde::{Deserialize, Serialize};

/// A postal address; `comune_istat` ties it to a comune.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub postcode: String,
    /// Frazione or neighbourhood (Mestre, Lido…), when it helps to find the place.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub locality: String,
    /// 6-digit ISTAT code of the comune (empty only in a directory with no territory loaded).
    pub comune_istat: String,
}

/// A phone number with an optional label ("Centralino").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phone {
    pub number: String,
    #[serde(default, skip_serializing_if = "I18nText::is_empty")]
    pub label: I18nText,
}

/// A sportello: a place where people are received.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub id: Id,
    pub organization_id: Id,
    pub name: I18nText,
    #[serde(default, skip_serializing_if = "I18nText::is_empty")]
    pub description: I18nText,
    pub address: Address,
    pub point: LonLat,
    #[serde(default, skip_serializing_if = "I18nText::is_empty")]
    pub accessibility: I18nText,
    #[serde(default)]
    pub phones: Vec<Phone>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub website: Option<String>,
    /// Set when the place is a reception centre rather than a help desk: people live there,
    /// so it is its own layer (`reception`), never a sportello, and never public.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reception: Option<Reception>,
    /// Dated notices for the whole sportello (closures, replacement hours, messages).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<Notice>,
    #[serde(flatten)]
    pub meta: Meta,
}

impl Location {
    /// True for a reception centre (the `reception` layer), false for a sportello.
    pub fn is_reception(&self) -> bool {
        self.reception.is_some()
    }
}

/// What kind of reception centre.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReceptionKind {
    /// Centro di accoglienza straordinaria, run under contract with the Prefettura.
    Cas,
    /// Sistema di accoglienza e integrazione, run by a comune.
    Sai,
    /// Centro di prima accoglienza.
    Cpa,
}

/// A reception centre's facts: its kind and how many people it may host. The managing body
/// is the location's organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reception {
    pub kind: ReceptionKind,
    /// Places under the contract.
    pub capacity: u32,
}

/// Opening hours of a service at a sportello, with a free-text note.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ScheduleDoc {
    #[serde(flatten)]
    pub rules: bussola_hours::Schedule,
    #[serde(default, skip_serializing_if = "I18nText::is_empty")]
    pub note: I18nText,
}

/// A service offered at a sportello, with its own opening hours.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceAtLocation {
    pub id: Id,
    pub service_id: Id,
    pub location_id: Id,
    #[serde(default)]
    pub schedule: ScheduleDoc,
    /// Dated notices for this service here (closures, replacement hours, messages, places).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<Notice>,
    #[serde(flatten)]
    pub meta: Meta,
}

impl ServiceAtLocation {
    /// The id used when a file does not give one: derived from the pair, so re-importing the
    /// same file updates rather than duplicates.
    pub fn derived_id(location: &Id, service: &Id) -> Id {
        // Both ids are valid slugs, and so is their join with "~".
        Id::parse(&format!("{location}~{service}")).unwrap_or_else(|_| location.clone())
    }
}
