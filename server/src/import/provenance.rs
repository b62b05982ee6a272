//! Provenance on every imported record: the import that writes a record's content names its
//! source and licence on it (`model::Provenance`, `docs/imports.md`).
//!
//! A record the import leaves as it is (its content equals the stored one) keeps the stored
//! provenance, so re-importing a file, or an export, writes nothing; a record the file
//! carries with its own provenance (a Bussola export) keeps that; every other record gets the
//! import's.

use crate::index::Catalog;
use crate::model::{
    Dataset, Location, Meta, Metadata, Organization, Project, Provenance, Service,
    ServiceAtLocation,
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

/// A record kind whose meta the stamp reads and sets.
trait HasMeta: Serialize {
    fn meta(&self) -> &Meta;
    fn meta_mut(&mut self) -> &mut Meta;
}

macro_rules! has_meta {
    ($($t:ty),*) => {$(
        impl HasMeta for $t {
            fn meta(&self) -> &Meta {
                &self.meta
            }
            fn meta_mut(&mut self) -> &mut Meta {
                &mut self.meta
            }
        }
    )*};
}
has_meta!(Organization, Location, Service, ServiceAtLocation, Project);

/// A record document without what the store manages and without its provenance: what
/// "the import leaves it as it is" compares.
pub fn content(mut v: Value) -> Value {
    if let Some(m) = v.as_object_mut() {
        for k in ["version", "created_at", "updated_at", "provenance"] {
            m.remove(k);
        }
    }
    v
}

fn same_content<T: Serialize>(a: &T, b: &T) -> bool {
    match (serde_json::to_value(a), serde_json::to_value(b)) {
        (Ok(a), Ok(b)) => content(a) == content(b),
        _ => false,
    }
}

fn settle<T: HasMeta>(record: &mut T, stored: Option<&T>, p: &Provenance) {
    if let Some(s) = stored.filter(|s| same_content(*s, record)) {
        record.meta_mut().provenance = s.meta().provenance.clone();
    } else if record.meta().provenance.is_none() {
        record.meta_mut().provenance = Some(p.clone());
    }
}

/// Sets the provenance of every record of `d` (see the module's documentation), `c` being
/// the directory the import writes into.
pub fn stamp(d: &mut Dataset, p: &Provenance, c: &Catalog) {
    for r in &mut d.organizations {
        settle(r, c.organizations.get(&r.id).map(|x| &**x), p);
    }
    for r in &mut d.locations {
        settle(r, c.location(r.id.as_str()).map(|x| &**x), p);
    }
    for r in &mut d.services {
        settle(r, c.services.get(&r.id).map(|x| &**x), p);
    }
    for r in &mut d.service_at_locations {
        settle(r, c.service_at_location(r.id.as_str()).map(|x| &**x), p);
    }
    for r in &mut d.projects {
        settle(r, c.projects.get(&r.id).map(|x| &**x), p);
    }
}

/// The provenance of a file's import: `source` and `licence` when given, else what the
/// file's dataset metadata says (its Italian or English `title`, its `license` and
/// `attribution`), else the file's name.
pub fn of_file(
    file: &str,
    metadata: Option<&Metadata>,
    source: Option<&str>,
    licence: Option<&str>,
    at: DateTime<Utc>,
) -> Provenance {
    let meta = |k: &str| metadata.and_then(|m| m.0.get(k));
    let text = |k: &str| meta(k).and_then(Value::as_str).map(str::to_owned);
    let title = meta("title")
        .and_then(|t| serde_json::from_value::<crate::model::I18nText>(t.clone()).ok())
        .and_then(|t| t.get("it").map(|(_, v)| v.to_owned()));
    let source = source
        .map(str::to_owned)
        .or(title)
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| file.to_owned());
    let licence = licence.map(str::to_owned).or_else(|| text("license"));
    let mut p = Provenance::new(&source, licence.as_deref(), at);
    p.attribution = text("attribution").filter(|a| !a.trim().is_empty());
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn the_file_names_the_source_unless_the_importer_does() {
        let m: Metadata = serde_json::from_value(serde_json::json!({
            "title": {"it": "Elenco sportelli", "en": "Desks"}, "license": "CC-BY-4.0",
            "attribution": "Comune di Venezia"
        }))
        .unwrap_or_default();
        let t = at("2026-12-01T10:00:00Z");
        let p = of_file("elenco.geojson", Some(&m), None, None, t);
        assert_eq!(
            (p.source.as_str(), p.licence.as_deref()),
            ("Elenco sportelli", Some("CC-BY-4.0"))
        );
        assert_eq!(p.attribution.as_deref(), Some("Comune di Venezia"));
        let p = of_file("elenco.csv", None, Some("Regione"), Some("CC0-1.0"), t);
        assert_eq!(p.credit(), "Regione · CC0-1.0");
        assert_eq!(
            of_file("elenco.csv", None, None, None, t).source,
            "elenco.csv"
        );
    }

    /// The catalog of a directory holding `d`.
    fn catalog_of(d: &Dataset) -> Catalog {
        Catalog::from_snapshot(crate::store::Snapshot {
            revision: 1,
            dataset: d.clone(),
            comuni: Vec::new(),
        })
    }

    #[test]
    fn an_unchanged_record_keeps_its_provenance_a_changed_one_takes_the_imports() {
        let mut d = crate::import::parse_dataset(crate::demo::DATASET).unwrap_or_default();
        let old = Provenance::new("first.csv", Some("CC0-1.0"), at("2026-01-01T00:00:00Z"));
        stamp(&mut d, &old, &Catalog::default());
        assert!(d
            .locations
            .iter()
            .all(|l| l.meta.provenance.as_ref() == Some(&old)));
        assert!(d
            .service_at_locations
            .iter()
            .all(|o| o.meta.provenance.as_ref() == Some(&old)));
        let c = catalog_of(&d);
        let mut again = crate::import::parse_dataset(crate::demo::DATASET).unwrap_or_default();
        again.locations[0].website = Some("https://example.org/new".into());
        let new = Provenance::new("second.csv", None, at("2026-06-01T00:00:00Z"));
        stamp(&mut again, &new, &c);
        assert_eq!(again.locations[0].meta.provenance.as_ref(), Some(&new));
        assert_eq!(again.locations[1].meta.provenance.as_ref(), Some(&old));
        assert_eq!(again.services[0].meta.provenance.as_ref(), Some(&old));
        // A record that carries its own (an export re-imported elsewhere) keeps it.
        let mut own = crate::import::parse_dataset(crate::demo::DATASET).unwrap_or_default();
        own.locations[0].meta.provenance = Some(old.clone());
        stamp(&mut own, &new, &Catalog::default());
        assert_eq!(own.locations[0].meta.provenance.as_ref(), Some(&old));
        assert_eq!(own.locations[1].meta.provenance.as_ref(), Some(&new));
    }
}
