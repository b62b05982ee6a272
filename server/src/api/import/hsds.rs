//! Open Referral HSDS datasets through `POST /api/imports`: a zipped datapackage or an HSDS
//! JSON document read by the CLI's own reader and mapping ([`crate::hsds::bytes`],
//! [`crate::hsds::from`]), kept to the one organisation the upload is for, and written in
//! the GeoJSON dataset form, so the dry run, the exclusions, the duplicates and the commit
//! are the dataset form's code. What the mapping left out is the report's `dropped` list,
//! apart from the problems that block a commit.

use super::Limits;
use crate::api::error::{Error, Result};
use crate::hsds::bytes::{load_bytes, ZipLimits};
use crate::hsds::{Options, Outcome};
use crate::index::Catalog;
use crate::model::{Dataset, Id};
use axum::http::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Entries an uploaded zip may have (a datapackage has a few dozen tables at most).
pub const MAX_ZIP_ENTRIES: usize = 1000;

/// What an HSDS upload became: the records kept, in the dataset form, and the report's
/// HSDS parts.
pub struct Mapped {
    /// A `bussola-dataset/1` FeatureCollection: what the import's reader checks.
    pub text: String,
    /// `dropped`: every record or field left out, with its reason.
    pub dropped: Value,
    /// `hsds`: the options and how many records of each kind were read and kept.
    pub summary: Value,
    /// True when the dataset holds organisation `org` itself (by its Bussola id).
    pub names_organization: bool,
}

/// Reads `bytes` (a zip or an HSDS document) for organisation `org`.
pub fn map(
    bytes: &[u8],
    name: &str,
    catalog: &Catalog,
    opts: &Options,
    limits: &Limits,
    org: &Id,
) -> Result<Mapped> {
    let zip = ZipLimits {
        max_entries: MAX_ZIP_ENTRIES,
        max_unzipped_bytes: limits.max_unzipped_bytes,
    };
    let mut outcome = load_bytes(bytes, name, catalog, opts, zip).map_err(|e| match e {
        crate::hsds::Error::TooLarge(detail) => Error::Rejected {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            detail,
        },
        e => Error::bad("body", format!("not an HSDS dataset: {e}")),
    })?;
    let names_organization = scope(&mut outcome, org)?;
    outcome.dataset.metadata = None;
    let read = outcome.read;
    let kept = outcome.kept();
    let mut buf = Vec::new();
    crate::export::write_dataset_geojson(&outcome.dataset, &mut buf)
        .map_err(|e| Error::Internal(e.into()))?;
    let text = String::from_utf8(buf).map_err(|e| Error::Internal(e.into()))?;
    let dropped: Vec<Value> = outcome
        .dropped
        .iter()
        .map(|d| {
            json!({
                "record": d.record,
                "field": d.field,
                "reason": d.reason,
                "left_out": if d.field_only { "field" } else { "record" },
            })
        })
        .collect();
    let counts = |c: crate::hsds::report::Counts| {
        json!({
            "organizations": c.organizations,
            "locations": c.locations,
            "services": c.services,
            "service_at_locations": c.service_at_locations,
        })
    };
    Ok(Mapped {
        text,
        dropped: Value::Array(dropped),
        summary: json!({
            "lang": opts.lang,
            "id_prefix": opts.id_prefix,
            "read": counts(read),
            "kept": counts(kept),
        }),
        names_organization,
    })
}

/// Keeps the dataset to organisation `org`. A dataset that holds `org` (a Bussola export
/// carries its ids) keeps only `org`'s records; one whose records are all of a single other
/// organisation is taken to be `org`'s (its own organisation record is left out: `org` keeps
/// its own). With records of several organisations and none of them `org`, the upload is
/// refused (400 naming `organization`). Whatever is left out is reported as dropped. Returns
/// whether the dataset holds `org`.
fn scope(out: &mut Outcome, org: &Id) -> Result<bool> {
    let d = &mut out.dataset;
    let owners: BTreeSet<Id> = d
        .locations
        .iter()
        .map(|l| l.organization_id.clone())
        .chain(d.services.iter().map(|s| s.organization_id.clone()))
        .collect();
    let named = owners.contains(org) || d.organizations.iter().any(|o| &o.id == org);
    let mut dropped: Vec<(String, String)> = Vec::new();
    if named {
        let other =
            |o: &Id| format!("of organisation {o}, not {org}, the organisation this import is for");
        d.organizations.retain(|o| {
            let keep = &o.id == org;
            if !keep {
                dropped.push((record("organization", &o.id, &o.name), other(&o.id)));
            }
            keep
        });
        d.locations.retain(|l| {
            let keep = &l.organization_id == org;
            if !keep {
                let name = l.name.get("it").map(|(_, n)| n).unwrap_or("");
                dropped.push((record("location", &l.id, name), other(&l.organization_id)));
            }
            keep
        });
        d.services.retain(|s| {
            let keep = &s.organization_id == org;
            if !keep {
                let name = s.name.get("it").map(|(_, n)| n).unwrap_or("");
                dropped.push((record("service", &s.id, name), other(&s.organization_id)));
            }
            keep
        });
    } else if owners.len() > 1 {
        let list: Vec<String> = owners.iter().map(Id::to_string).collect();
        return Err(Error::bad(
            "organization",
            format!(
                "the dataset holds the records of {} organisations ({}) and {org} is none of \
                 them: upload it for one of them, or import it with `bussola import hsds`",
                owners.len(),
                list.join(", ")
            ),
        ));
    } else {
        d.organizations.retain(|o| {
            dropped.push((
                record("organization", &o.id, &o.name),
                format!("its records are imported as {org}'s, the organisation this import is for"),
            ));
            false
        });
        for l in &mut d.locations {
            l.organization_id = org.clone();
        }
        for s in &mut d.services {
            s.organization_id = org.clone();
        }
    }
    for (r, why) in dropped {
        out.drop(r, "organization_id", &why);
    }
    offered_only(out);
    Ok(named)
}

/// The dataset form carries a service with the sportelli it is offered at: offers whose
/// sportello or service was left out go, and so do the services offered at no sportello
/// kept, each reported.
fn offered_only(out: &mut Outcome) {
    let d: &mut Dataset = &mut out.dataset;
    let locations: BTreeSet<Id> = d.locations.iter().map(|l| l.id.clone()).collect();
    let services: BTreeSet<Id> = d.services.iter().map(|s| s.id.clone()).collect();
    let mut dropped: Vec<(String, &'static str, &'static str)> = Vec::new();
    d.service_at_locations.retain(|o| {
        let keep = locations.contains(&o.location_id) && services.contains(&o.service_id);
        if !keep {
            dropped.push((
                format!("service_at_location {}", o.id),
                "location_id",
                "its sportello or its service is not imported",
            ));
        }
        keep
    });
    let offered: BTreeSet<Id> = d
        .service_at_locations
        .iter()
        .map(|o| o.service_id.clone())
        .collect();
    d.services.retain(|s| {
        let keep = offered.contains(&s.id);
        if !keep {
            let name = s.name.get("it").map(|(_, n)| n).unwrap_or("");
            dropped.push((
                record("service", &s.id, name),
                "service_at_locations",
                "offered at no sportello of the import (an upload carries each service with \
                 the sportelli it is offered at)",
            ));
        }
        keep
    });
    for (r, field, why) in dropped {
        out.drop(r, field, why);
    }
}

fn record(kind: &str, id: &Id, name: &str) -> String {
    if name.is_empty() {
        format!("{kind} {id}")
    } else {
        format!("{kind} {id} ({})", crate::import::label(name))
    }
}

/// The options of an HSDS upload, as `bussola import hsds` takes them, for a directory whose
/// names need `base_lang`.
pub fn options(
    lang: Option<String>,
    id_prefix: Option<String>,
    base_lang: &str,
) -> Result<Options> {
    let lang = lang.unwrap_or_else(|| "it".into());
    if !crate::import::is_language_tag(&lang) {
        return Err(Error::bad(
            "lang",
            "must be a BCP 47 language tag, such as it or en: the language the dataset's text is in",
        ));
    }
    let id_prefix = id_prefix.unwrap_or_else(|| "hsds".into());
    if Id::parse(&format!("{id_prefix}-org-x")).is_err() {
        return Err(Error::bad(
            "id_prefix",
            "must be lower-case letters, digits and dashes, such as miami: it starts the ids \
             of records that carry no Bussola id",
        ));
    }
    Ok(Options {
        lang,
        id_prefix,
        base_lang: base_lang.to_owned(),
    })
}
