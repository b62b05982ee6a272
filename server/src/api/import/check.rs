//! The dry run: an uploaded file read with the import's own reader and validator, checked
//! against the one organisation it is for and what the uploader may edit, and compared with
//! the directory (new / changed / unchanged / archived, likely duplicates).
//!
//! The same function serves the commit, with the rows the uploader excluded and the
//! duplicates they resolved, so a commit writes exactly what a dry run of the same request
//! would have shown.

use super::duplicates::{self, Duplicate};
use super::locate::{csv_without, Form, Locator, RowProblem};
use crate::access::{EditScope, Viewer, Write};
use crate::api::edit::record::Record;
use crate::import::{self, Report};
use crate::index::Catalog;
use crate::model::{Dataset, Id, RecordKind, ServiceAtLocation, Status, Taxonomy};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What the uploader decided in the commit request.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decisions {
    /// CSV lines or GeoJSON feature indexes left out.
    #[serde(default)]
    pub exclude: BTreeSet<u64>,
    /// Each likely duplicate, by the incoming sportello's id: the same sportello (merged
    /// into `existing_id`) or a different one.
    #[serde(default)]
    pub duplicates: Vec<Resolution>,
}

/// One duplicate decided.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    pub sportello_id: String,
    pub resolution: Same,
    /// The existing sportello it is the same as (default: the nearest one reported).
    #[serde(default)]
    pub existing_id: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Same {
    Same,
    Different,
}

/// How many records the import creates, changes, leaves as they are and archives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub archived: u64,
}

/// The outcome of a dry run.
#[derive(Debug, Default)]
pub struct Checked {
    /// The records of the rows without problems (with merges applied).
    pub dataset: Dataset,
    /// Every problem, by row or feature.
    pub problems: Vec<RowProblem>,
    /// Likely duplicates not resolved yet.
    pub duplicates: Vec<Duplicate>,
    /// Totals, and per kind (`sportelli`, `services`, `offers`, …).
    pub counts: Counts,
    pub by_kind: BTreeMap<&'static str, Counts>,
    /// How the commit would go for this viewer (none: they may edit none of it).
    pub mode: Option<Write>,
    /// `kind/id` → the version each record is at now (none: new).
    pub bases: BTreeMap<String, Option<i64>>,
}

/// Reads `text` without the `excluded` rows: the dataset (or the reader's report) and where
/// each record sits.
fn read(form: Form, text: &str, excluded: &BTreeSet<u64>) -> (Result<Dataset, Report>, Locator) {
    match form {
        Form::Csv => {
            let t = csv_without(text, excluded);
            let at = Locator::csv(&t);
            (import::parse_csv(&t), at)
        }
        Form::Geojson => {
            let root: Option<serde_json::Value> =
                serde_json::from_str(import::text::strip_bom(text)).ok();
            let features = root
                .as_ref()
                .and_then(|r| r.get("features"))
                .and_then(|f| f.as_array());
            let (Some(mut root), Some(features)) = (root.clone(), features) else {
                // Not a FeatureCollection: the reader says why.
                return (import::parse_dataset(text), Locator::default());
            };
            let (kept, idx): (Vec<_>, Vec<_>) = features
                .iter()
                .enumerate()
                .filter(|(i, _)| !excluded.contains(&(*i as u64)))
                .map(|(i, f)| (f.clone(), i as u64))
                .unzip();
            let at = Locator::geojson(&kept, idx);
            root["features"] = serde_json::Value::Array(kept);
            (import::parse_dataset(&root.to_string()), at)
        }
    }
}

/// The dry run of `text` for `organization`, as `viewer`, with `decisions` applied.
pub fn check(
    form: Form,
    text: &str,
    organization: &Id,
    viewer: &Viewer,
    catalog: &Catalog,
    taxonomy: &Taxonomy,
    decisions: &Decisions,
) -> Checked {
    let mut bad: BTreeSet<u64> = decisions.exclude.clone();
    let mut problems: Vec<RowProblem> = Vec::new();
    let mut out = Checked::default();
    // Each pass leaves out the rows found bad so far, so the next one checks the rest (a
    // row may fail the validator only once its reader's problems are out of the way).
    for _ in 0..4 {
        let (read, at) = read(form, text, &bad);
        let found = match read {
            Err(report) => report,
            Ok(mut d) => {
                merge(&mut d, decisions, viewer, catalog);
                let mut r = import::validate(&d, taxonomy, catalog);
                r.0.extend(ownership(&d, organization, viewer, catalog).0);
                if r.is_empty() {
                    out.dataset = d;
                    break;
                }
                r
            }
        };
        let placed: Vec<RowProblem> = found.0.iter().map(|p| at.place(p)).collect();
        let fresh: BTreeSet<u64> = placed
            .iter()
            .filter_map(RowProblem::unit)
            .filter(|u| !bad.contains(u))
            .collect();
        let whole_file = placed.iter().any(|p| p.unit().is_none());
        problems.extend(placed);
        if fresh.is_empty() || whole_file {
            break;
        }
        bad.extend(fresh);
    }
    problems.sort();
    problems.dedup();
    out.problems = problems;
    out.mode = mode(&out.dataset, organization, viewer, catalog);
    compare(&mut out, catalog);
    let different: BTreeSet<&str> = decisions
        .duplicates
        .iter()
        .filter(|r| r.resolution == Same::Different)
        .map(|r| r.sportello_id.as_str())
        .collect();
    out.duplicates = duplicates::find(&out.dataset, viewer, catalog)
        .into_iter()
        .filter(|d| !different.contains(d.sportello_id.as_str()))
        .collect();
    out
}

/// "Same sportello": the incoming sportello takes the existing one's id (its offers follow).
fn merge(d: &mut Dataset, decisions: &Decisions, viewer: &Viewer, catalog: &Catalog) {
    for r in decisions
        .duplicates
        .iter()
        .filter(|r| r.resolution == Same::Same)
    {
        let Some(existing) = r
            .existing_id
            .clone()
            .or_else(|| {
                let l = d
                    .locations
                    .iter()
                    .find(|l| l.id.as_str() == r.sportello_id)?;
                duplicates::candidates(l, viewer, catalog)
                    .first()
                    .map(|c| c.0.to_string())
            })
            .and_then(|s| Id::parse(&s).ok())
        else {
            continue;
        };
        let Some(l) = d
            .locations
            .iter_mut()
            .find(|l| l.id.as_str() == r.sportello_id)
        else {
            continue;
        };
        let incoming = std::mem::replace(&mut l.id, existing.clone());
        for sal in d
            .service_at_locations
            .iter_mut()
            .filter(|s| s.location_id == incoming)
        {
            if sal.id == ServiceAtLocation::derived_id(&incoming, &sal.service_id) {
                sal.id = ServiceAtLocation::derived_id(&existing, &sal.service_id);
            }
            sal.location_id = existing.clone();
        }
    }
}

/// Problems of records that are not the organisation's, or that the viewer may not edit, in
/// the validator's own places.
fn ownership(d: &Dataset, org: &Id, viewer: &Viewer, c: &Catalog) -> Report {
    let mut r = Report::default();
    let trusted = c.organizations.get(org).is_some_and(|o| o.trusted);
    let existing: HashMap<&Id, _> = c.all_locations().map(|l| (&l.id, l)).collect();
    for (i, o) in d.organizations.iter().enumerate() {
        if &o.id != org {
            r.push(
                format!("organizations[{i}] ({})", o.id),
                "id",
                format!("this import is for {org}: another organisation is not imported with it"),
            );
        }
    }
    for (i, l) in d.locations.iter().enumerate() {
        let at = format!("feature {i} ({})", l.id);
        let before = existing.get(&l.id);
        if &l.organization_id != org {
            r.push(
                &at,
                "properties.organization_id",
                format!("must be {org}, the organisation this import is for"),
            );
            continue;
        }
        if let Some(b) = before.filter(|b| &b.organization_id != org) {
            r.push(
                &at,
                "properties.organization_id",
                format!(
                    "sportello {} exists and belongs to {}",
                    l.id, b.organization_id
                ),
            );
            continue;
        }
        let mut comuni = vec![l.address.comune_istat.clone()];
        comuni.extend(before.map(|b| b.address.comune_istat.clone()));
        let scope = EditScope {
            organization: Some(org),
            comuni: &comuni,
        };
        // A comune the directory does not have is the validator's to report.
        let known = c.comuni.is_empty() || c.comuni.contains_key(&l.address.comune_istat);
        if known && viewer.write(scope, trusted).is_none() {
            r.push(
                &at,
                "properties.address.comune_istat",
                format!(
                    "you may not edit {org}'s sportelli in comune {}",
                    l.address.comune_istat
                ),
            );
        }
    }
    for s in &d.services {
        let stored = c.services.get(&s.id);
        if &s.organization_id != org || stored.is_some_and(|x| &x.organization_id != org) {
            r.push(
                format!("service {}", s.id),
                "organization_id",
                format!("must be {org}, the organisation this import is for"),
            );
        }
    }
    for p in &d.projects {
        if p.lead_organization_id.as_ref() != Some(org) {
            r.push(
                format!("project {}", p.id),
                "lead_organization_id",
                format!("must be {org}, the organisation this import is for"),
            );
        }
    }
    r
}

/// The comuni that hold an organisation's sportelli.
pub fn organization_comuni(c: &Catalog, org: &Id) -> Vec<String> {
    let mut v: Vec<String> = c
        .all_locations()
        .filter(|l| &l.organization_id == org && l.meta.status != Status::Archived)
        .map(|l| l.address.comune_istat.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The weakest way any record of the import would be written.
fn mode(d: &Dataset, org: &Id, viewer: &Viewer, c: &Catalog) -> Option<Write> {
    let trusted = c.organizations.get(org).is_some_and(|o| o.trusted);
    let mut comuni: Vec<String> = d
        .locations
        .iter()
        .map(|l| l.address.comune_istat.clone())
        .collect();
    if comuni.is_empty() {
        comuni = organization_comuni(c, org);
    }
    comuni.sort();
    comuni.dedup();
    let mut modes = comuni.iter().map(|k| {
        viewer.write(
            EditScope {
                organization: Some(org),
                comuni: std::slice::from_ref(k),
            },
            trusted,
        )
    });
    let first = if comuni.is_empty() {
        viewer.write(
            EditScope {
                organization: Some(org),
                comuni: &[],
            },
            trusted,
        )
    } else {
        modes.next().flatten()
    };
    modes.try_fold(first?, |acc, m| m.map(|m| weaker(acc, m)))
}

fn weaker(a: Write, b: Write) -> Write {
    match (a, b) {
        (Write::Propose, _) | (_, Write::Propose) => Write::Propose,
        (Write::PublishUnreviewed, _) | (_, Write::PublishUnreviewed) => Write::PublishUnreviewed,
        _ => Write::Publish,
    }
}

/// The records of a dataset, as the write API knows them.
pub fn records(d: &Dataset) -> Vec<Record> {
    let mut v: Vec<Record> = Vec::new();
    v.extend(d.organizations.iter().cloned().map(Record::Organization));
    v.extend(d.locations.iter().cloned().map(Record::Location));
    v.extend(d.services.iter().cloned().map(Record::Service));
    v.extend(d.service_at_locations.iter().cloned().map(Record::Offer));
    v.extend(d.projects.iter().cloned().map(Record::Project));
    v
}

/// `kind/id`, the key of a base version.
pub fn key(kind: RecordKind, id: &Id) -> String {
    format!("{}/{id}", kind.as_str())
}

/// Counts and base versions against the directory.
fn compare(out: &mut Checked, c: &Catalog) {
    let locations: HashMap<&Id, Record> = c
        .all_locations()
        .map(|l| (&l.id, Record::Location(l.as_ref().clone())))
        .collect();
    let mut offers_at: HashMap<&Id, Vec<&ServiceAtLocation>> = HashMap::new();
    let mut offers: HashMap<&Id, Record> = HashMap::new();
    for s in c.all_service_at_locations() {
        offers_at.entry(&s.location_id).or_default().push(s);
        offers.insert(&s.id, Record::Offer(s.as_ref().clone()));
    }
    let stored = |r: &Record| -> Option<Record> {
        match r {
            Record::Location(l) => locations.get(&l.id).cloned(),
            Record::Offer(o) => offers.get(&o.id).cloned(),
            other => Record::stored(other.kind(), other.id(), c),
        }
    };
    for r in records(&out.dataset) {
        let before = stored(&r);
        out.bases.insert(
            key(r.kind(), r.id()),
            before.as_ref().map(|b| b.meta().version),
        );
        let counts = out
            .by_kind
            .entry(crate::api::edit::record::path_of(r.kind()))
            .or_default();
        match before {
            None => counts.new += 1,
            // Unchanged: it keeps its provenance, and the commit writes nothing for it.
            Some(b)
                if import::provenance::content(b.content_json())
                    == import::provenance::content(r.content_json()) =>
            {
                counts.unchanged += 1
            }
            Some(b)
                if r.meta().status == Status::Archived && b.meta().status != Status::Archived =>
            {
                counts.archived += 1
            }
            Some(_) => counts.changed += 1,
        }
    }
    // An imported sportello keeps only the services the file lists for it.
    let listed: BTreeSet<&Id> = out
        .dataset
        .service_at_locations
        .iter()
        .map(|s| &s.id)
        .collect();
    for l in &out.dataset.locations {
        let gone = offers_at
            .get(&l.id)
            .into_iter()
            .flatten()
            .filter(|s| s.meta.status != Status::Archived && !listed.contains(&s.id))
            .count() as u64;
        out.by_kind.entry("offers").or_default().archived += gone;
    }
    let mut t = Counts::default();
    for k in out.by_kind.values() {
        t.new += k.new;
        t.changed += k.changed;
        t.unchanged += k.unchanged;
        t.archived += k.archived;
    }
    out.counts = t;
}
