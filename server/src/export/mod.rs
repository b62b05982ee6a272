//! Writing the directory out: the GeoJSON dataset form (RFC 7946), the CSV form, and comuni
//! boundaries (counter-clockwise outer rings).

use crate::import::dataset::{FORMAT, MEMBER};
use crate::index::Catalog;
use crate::model::{Checked, Comune, Dataset, Id, Location, ServiceAtLocation};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::io::Write;

/// Every record of the catalog (archived included), as a dataset.
pub fn dataset_of(catalog: &Catalog) -> Dataset {
    Dataset {
        metadata: catalog.metadata.clone(),
        organizations: catalog
            .organizations
            .values()
            .map(|o| (**o).clone())
            .collect(),
        locations: catalog.all_locations().map(|l| (**l).clone()).collect(),
        services: catalog.services.values().map(|s| (**s).clone()).collect(),
        service_at_locations: catalog
            .all_service_at_locations()
            .map(|s| (**s).clone())
            .collect(),
        projects: catalog.projects.values().map(|p| (**p).clone()).collect(),
    }
}

fn object(v: impl serde::Serialize) -> Map<String, Value> {
    match serde_json::to_value(v) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// What a dataset's features are built from: each service's fields once, and the services
/// offered at each sportello (archived offers left out).
struct Parts<'a> {
    services: HashMap<&'a Id, Map<String, Value>>,
    by_location: HashMap<&'a Id, Vec<&'a ServiceAtLocation>>,
    locations: Vec<&'a Location>,
}

impl<'a> Parts<'a> {
    fn of(d: &'a Dataset) -> Self {
        let services = d.services.iter().map(|s| (&s.id, object(s))).collect();
        let by_location = d.live_offers_by_location();
        let mut locations: Vec<_> = d.locations.iter().collect();
        locations.sort_by(|a, b| a.id.cmp(&b.id));
        Parts {
            services,
            by_location,
            locations,
        }
    }

    /// One sportello as a Feature, its services ordered by id.
    fn feature(&self, l: &Location) -> Value {
        let mut props = object(l);
        props.remove("id");
        props.remove("point");
        let mut sals = self.by_location.get(&l.id).cloned().unwrap_or_default();
        sals.sort_by(|a, b| a.service_id.cmp(&b.service_id));
        let offered: Vec<Value> = sals
            .into_iter()
            .filter_map(|sal| {
                let mut s = self.services.get(&sal.service_id)?.clone();
                s.insert(
                    "schedule".into(),
                    serde_json::to_value(&sal.schedule).unwrap_or(Value::Null),
                );
                if !sal.notices.is_empty() {
                    s.insert(
                        "notices".into(),
                        serde_json::to_value(&sal.notices).unwrap_or(Value::Null),
                    );
                }
                // The offer's hours confirmation sits beside the service's own fields'.
                if let Some(t) = sal.meta.verified.get(&Checked::Hours) {
                    if let Value::Object(v) = s
                        .entry("verified")
                        .or_insert_with(|| Value::Object(Map::new()))
                    {
                        v.insert(Checked::Hours.as_str().into(), json!(t));
                    }
                }
                // So do its texts' translations (`schedule/note/en`, `notices/0/message/fr`:
                // keys the service's own never use).
                if !sal.meta.translations.is_empty() {
                    if let Value::Object(t) = s
                        .entry("translations")
                        .or_insert_with(|| Value::Object(Map::new()))
                    {
                        t.extend(object(&sal.meta.translations));
                    }
                }
                if sal.id != ServiceAtLocation::derived_id(&l.id, &sal.service_id) {
                    s.insert(
                        "service_at_location_id".into(),
                        Value::String(sal.id.to_string()),
                    );
                }
                Some(Value::Object(s))
            })
            .collect();
        props.insert("services".into(), Value::Array(offered));
        json!({
            "type": "Feature",
            "id": l.id,
            "geometry": {"type": "Point", "coordinates": [l.point.lon(), l.point.lat()]},
            "properties": props,
        })
    }
}

/// The `bussola` member: format, metadata, organisations and projects ordered by id.
fn member(d: &Dataset) -> Value {
    let mut orgs: Vec<_> = d.organizations.iter().collect();
    orgs.sort_by(|a, b| a.id.cmp(&b.id));
    let mut projects: Vec<_> = d.projects.iter().collect();
    projects.sort_by(|a, b| a.id.cmp(&b.id));
    json!({
        "format": FORMAT,
        "metadata": d.metadata,
        "organizations": orgs,
        "projects": projects,
    })
}

/// The dataset as a `bussola-dataset/1` GeoJSON FeatureCollection, sportelli ordered by id.
pub fn dataset_geojson(d: &Dataset) -> Value {
    let parts = Parts::of(d);
    let features: Vec<Value> = parts.locations.iter().map(|l| parts.feature(l)).collect();
    json!({
        "type": "FeatureCollection",
        MEMBER: member(d),
        "features": features,
    })
}

/// Writes what [`dataset_geojson`] returns, one feature at a time (one per line), so a large
/// directory is never held as one JSON tree or one string.
pub fn write_dataset_geojson(d: &Dataset, out: impl Write) -> std::io::Result<()> {
    write_dataset_geojson_with(d, out, |_| {}, |_| {})
}

/// [`write_dataset_geojson`], with the `bussola` member passed through `edit_member` and each
/// feature through `edit_feature` before it is written (how the offline bundle adds its
/// extras and compiled hours without building the whole document as one tree).
pub fn write_dataset_geojson_with(
    d: &Dataset,
    mut out: impl Write,
    edit_member: impl FnOnce(&mut Value),
    mut edit_feature: impl FnMut(&mut Value),
) -> std::io::Result<()> {
    let parts = Parts::of(d);
    let mut m = member(d);
    edit_member(&mut m);
    write!(out, "{{\"type\":\"FeatureCollection\",\"{MEMBER}\":")?;
    serde_json::to_writer(&mut out, &m)?;
    out.write_all(b",\"features\":[")?;
    for (i, l) in parts.locations.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        let mut f = parts.feature(l);
        edit_feature(&mut f);
        serde_json::to_writer(&mut out, &f)?;
    }
    out.write_all(b"\n]}\n")
}

/// Comuni as a GeoJSON FeatureCollection with properties `istat`, `name`, `province`,
/// `population`, `foreign_population`; rings as stored (counter-clockwise outside).
pub fn comuni_geojson<'a>(comuni: impl IntoIterator<Item = &'a Comune>) -> Value {
    let features: Vec<Value> = comuni
        .into_iter()
        .map(|c| {
            json!({
                "type": "Feature",
                "id": c.istat,
                "geometry": geojson::Geometry::new(geojson::Value::from(&c.boundary)),
                "properties": {
                    "istat": c.istat, "name": c.name, "province": c.province,
                    "population": c.population, "foreign_population": c.foreign_population,
                },
            })
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}

/// The CSV form of a dataset.
pub fn dataset_csv(d: &Dataset) -> Result<String, csv::Error> {
    let mut buf = Vec::new();
    crate::csv_form::write(d, &mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// What `filter`'s viewer may see of the catalog, as a dataset: the sportelli, services,
/// services at sportelli and organisations of [`crate::hsds::visible::Visible`] (so the
/// GeoJSON, CSV and HSDS exports over HTTP hold the same records), the projects the viewer
/// may see, and the dataset metadata. Archived records, reception centres and restricted
/// layers the viewer may not see are left out; pending change requests are no records.
pub fn visible_dataset(catalog: &Catalog, filter: &crate::index::Filter) -> Dataset {
    use crate::access::RecordScope;
    let v = crate::hsds::visible::Visible::of(catalog, filter);
    Dataset {
        metadata: catalog.metadata.clone(),
        organizations: v.organizations.iter().map(|o| (*o).clone()).collect(),
        locations: v.sportelli.iter().map(|s| (*s.location).clone()).collect(),
        services: v.services.iter().map(|s| (*s).clone()).collect(),
        service_at_locations: v.offers.iter().map(|(_, o)| (*o.sal).clone()).collect(),
        projects: catalog
            .projects
            .values()
            .filter(|p| {
                filter.viewer.can_see(RecordScope::of(
                    &p.meta,
                    p.lead_organization_id.as_ref(),
                    &p.territory,
                ))
            })
            .map(|p| (**p).clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_streamed_geojson_is_the_built_one() {
        let text = include_str!("../../../data/demo/venezia.geojson");
        let d = crate::import::parse_dataset(text).expect("demo parses");
        let mut out = Vec::new();
        write_dataset_geojson(&d, &mut out).expect("write");
        let streamed: Value = serde_json::from_slice(&out).expect("valid JSON");
        assert_eq!(streamed, dataset_geojson(&d));
        let lines = out.iter().filter(|&&b| b == b'\n').count();
        assert_eq!(lines, d.locations.len() + 2, "one feature per line");
    }

    #[test]
    fn an_offers_translations_and_provenance_come_back_from_its_services_object() {
        let text = include_str!("../../../data/demo/venezia.geojson");
        let mut d = crate::import::parse_dataset(text).expect("demo parses");
        let t: crate::model::Translations =
            serde_json::from_value(json!({"schedule/note/en": {"by": "machine"}})).expect("t");
        d.service_at_locations[0]
            .schedule
            .note
            .0
            .insert("en".into(), "Note".into());
        d.service_at_locations[0].meta.translations = t.clone();
        let p = crate::model::Provenance::new("elenco.csv", Some("CC-BY-4.0"), chrono::Utc::now());
        for s in &mut d.services {
            s.meta.provenance = Some(p.clone());
        }
        let back = crate::import::parse_dataset(&dataset_geojson(&d).to_string()).expect("reads");
        let offer = &d.service_at_locations[0].id;
        let sal = back
            .service_at_locations
            .iter()
            .find(|s| &s.id == offer)
            .expect("the offer");
        assert_eq!(sal.meta.translations, t);
        assert_eq!(sal.meta.provenance.as_ref(), Some(&p));
        assert!(back.services.iter().all(|s| s.meta.translations.is_empty()));
    }
}
