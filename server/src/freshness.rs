//! How fresh the fields a migrant relies on are: each tracked field ([`Checked`]) has a
//! threshold in days (`Config`, `BUSSOLA_FRESHNESS_*_DAYS`), and [`stale`] lists, for one
//! editor, the fields of the records they may edit that are past it or were never confirmed,
//! oldest first — what to check next.
//!
//! A field's date is its own `meta.verified` entry, else its record's `last_verified_at` (an
//! offer's hours: else its service's).

use crate::access::Viewer;
use crate::index::Catalog;
use crate::model::{Checked, Id, Meta, RecordKind, Role, Status};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Days after which each tracked field counts as stale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thresholds(BTreeMap<Checked, u32>);

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds(
            Checked::ALL
                .into_iter()
                .map(|c| (c, c.default_threshold_days()))
                .collect(),
        )
    }
}

impl Thresholds {
    /// The defaults with `days` instead where given.
    pub fn with(days: impl IntoIterator<Item = (Checked, u32)>) -> Self {
        let mut t = Thresholds::default();
        t.0.extend(days);
        t
    }

    /// The threshold of `field`, in days.
    pub fn days(&self, field: Checked) -> u32 {
        self.0
            .get(&field)
            .copied()
            .unwrap_or_else(|| field.default_threshold_days())
    }
}

/// One field to check again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StaleEntry {
    /// `location`, `service` or `service_at_location`.
    pub kind: RecordKind,
    pub id: Id,
    /// The record's Italian name (an offer's: its service's name at its sportello's).
    pub name: String,
    pub organization_id: Id,
    /// The comuni the record is in (ISTAT codes).
    pub comuni: Vec<String>,
    pub field: Checked,
    /// The day it was last confirmed; null when never.
    pub verified: Option<NaiveDate>,
    /// Days since then; null when never confirmed.
    pub age_days: Option<i64>,
    pub threshold_days: u32,
}

/// When `field` was last confirmed: the first record's own date for it, else the
/// `last_verified_at` of the first of `records` that has one (an offer's hours fall back to
/// its record, then to its service's).
pub fn verified_at<'a>(field: Checked, records: &[&'a Meta]) -> Option<&'a DateTime<Utc>> {
    records
        .first()
        .and_then(|m| m.verified.get(&field))
        .or_else(|| records.iter().find_map(|m| m.last_verified_at.as_ref()))
}

/// Which records to list: those of one organisation, those in one comune.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    pub organization: Option<Id>,
    pub comune: Option<String>,
}

/// A record with its tracked fields, as [`stale`] weighs it.
struct Candidate<'a> {
    kind: RecordKind,
    id: &'a Id,
    name: String,
    organization: &'a Id,
    comuni: Vec<String>,
    /// The record's metadata, then the records its dates fall back to.
    metas: Vec<&'a Meta>,
    fields: &'a [Checked],
}

/// May `viewer` edit a record of `organization` in `comuni`? Admins everything; coordinators
/// what their territory holds; operators their organisation's (as `docs/editing.md` says).
pub fn may_edit(viewer: &Viewer, organization: &Id, comuni: &[String]) -> bool {
    viewer.roles().iter().any(|r| match r {
        Role::Admin => true,
        Role::Coordinator { comuni: t } => comuni.iter().any(|c| t.contains(c)),
        Role::Operator { organization: o } => o == organization,
        Role::Viewer { .. } => false,
    })
}

/// True when `viewer` may edit anything at all (the stale list is theirs).
pub fn is_editor(viewer: &Viewer) -> bool {
    viewer
        .roles()
        .iter()
        .any(|r| !matches!(r, Role::Viewer { .. }))
}

fn italian(t: &crate::model::I18nText) -> String {
    t.get("it").map(|(_, v)| v.to_owned()).unwrap_or_default()
}

/// The tracked fields of the records `viewer` may edit within `scope` that are past their
/// threshold at `now` or were never confirmed: never-confirmed first, then oldest first (ties
/// by kind, id and field). Archived records and reception centres are left out.
pub fn stale(
    catalog: &Catalog,
    viewer: &Viewer,
    thresholds: &Thresholds,
    scope: &Scope,
    now: DateTime<Utc>,
) -> Vec<StaleEntry> {
    const LOCATION: [Checked; 2] = [Checked::Address, Checked::Phone];
    const ADDRESS: [Checked; 1] = [Checked::Address];
    const SERVICE: [Checked; 3] = [Checked::Languages, Checked::Cost, Checked::Appointment];
    const OFFER: [Checked; 1] = [Checked::Hours];
    let today = crate::model::rome_date(now);
    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    let mut service_comuni: BTreeMap<&Id, BTreeSet<String>> = BTreeMap::new();
    for s in catalog.sportelli() {
        let l = &s.location;
        let comune = l.address.comune_istat.clone();
        candidates.push(Candidate {
            kind: RecordKind::Location,
            id: &l.id,
            name: italian(&l.name),
            organization: &l.organization_id,
            comuni: vec![comune.clone()],
            metas: vec![&l.meta],
            // A sportello without a phone has no phone to check.
            fields: if l.phones.is_empty() {
                &ADDRESS
            } else {
                &LOCATION
            },
        });
        for o in &s.offers {
            service_comuni
                .entry(&o.service.id)
                .or_default()
                .insert(comune.clone());
            candidates.push(Candidate {
                kind: RecordKind::ServiceAtLocation,
                id: &o.sal.id,
                name: format!("{} — {}", italian(&o.service.name), italian(&l.name)),
                organization: &o.service.organization_id,
                comuni: vec![comune.clone()],
                metas: vec![&o.sal.meta, &o.service.meta],
                fields: &OFFER,
            });
        }
    }
    // A service offered at no live sportello reaches nobody: nothing to check.
    for svc in catalog
        .services
        .values()
        .filter(|s| service_comuni.contains_key(&s.id))
    {
        candidates.push(Candidate {
            kind: RecordKind::Service,
            id: &svc.id,
            name: italian(&svc.name),
            organization: &svc.organization_id,
            comuni: service_comuni
                .get(&svc.id)
                .map(|c| c.iter().cloned().collect())
                .unwrap_or_default(),
            metas: vec![&svc.meta],
            fields: &SERVICE,
        });
    }
    let mut out: Vec<StaleEntry> = candidates
        .into_iter()
        .filter(|c| c.metas[0].status != Status::Archived)
        .filter(|c| may_edit(viewer, c.organization, &c.comuni))
        .filter(|c| {
            scope
                .organization
                .as_ref()
                .is_none_or(|o| o == c.organization)
        })
        .filter(|c| scope.comune.as_ref().is_none_or(|k| c.comuni.contains(k)))
        .flat_map(|c| {
            c.fields
                .iter()
                .filter_map(|&field| {
                    let at = verified_at(field, &c.metas);
                    let verified = at.map(|t| crate::model::rome_date(*t));
                    let age_days = verified.map(|d| (today - d).num_days());
                    let threshold_days = thresholds.days(field);
                    let fresh = age_days.is_some_and(|a| a <= i64::from(threshold_days));
                    (!fresh).then(|| StaleEntry {
                        kind: c.kind,
                        id: c.id.clone(),
                        name: c.name.clone(),
                        organization_id: c.organization.clone(),
                        comuni: c.comuni.clone(),
                        field,
                        verified,
                        age_days,
                        threshold_days,
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort_by(|a, b| {
        a.verified
            .cmp(&b.verified)
            .then(a.kind.cmp(&b.kind))
            .then(a.id.cmp(&b.id))
            .then(a.field.cmp(&b.field))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_default_to_the_models_and_take_overrides() {
        let t = Thresholds::default();
        assert_eq!(t.days(Checked::Hours), 90);
        assert_eq!(t.days(Checked::Address), 365);
        let t = Thresholds::with([(Checked::Hours, 30)]);
        assert_eq!(t.days(Checked::Hours), 30);
        assert_eq!(t.days(Checked::Phone), 180);
    }
}
