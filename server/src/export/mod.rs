//! Writing the directory out: the GeoJSON dataset form (RFC 7946), the CSV form, and comuni
//! boundaries (counter-clockwise outer rings).

use crate::import::dataset::MEMBER;
use crate::index::Catalog;
use crate::model::{Comune, Dataset, Id, ServiceAtLocation, Status};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

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

/// The dataset as a `bussola-dataset/1` GeoJSON FeatureCollection, sportelli ordered by id.
pub fn dataset_geojson(d: &Dataset) -> Value {
    let services: HashMap<&Id, Map<String, Value>> =
        d.services.iter().map(|s| (&s.id, object(s))).collect();
    let mut by_location: HashMap<&Id, Vec<&ServiceAtLocation>> = HashMap::new();
    for sal in d
        .service_at_locations
        .iter()
        .filter(|s| s.meta.status != Status::Archived)
    {
        by_location.entry(&sal.location_id).or_default().push(sal);
    }
    let mut locations: Vec<_> = d.locations.iter().collect();
    locations.sort_by(|a, b| a.id.cmp(&b.id));
    let features: Vec<Value> = locations
        .into_iter()
        .map(|l| {
            let mut props = object(l);
            props.remove("id");
            props.remove("point");
            let mut sals = by_location.remove(&l.id).unwrap_or_default();
            sals.sort_by(|a, b| a.service_id.cmp(&b.service_id));
            let offered: Vec<Value> = sals
                .into_iter()
                .filter_map(|sal| {
                    let mut s = services.get(&sal.service_id)?.clone();
                    s.insert(
                        "schedule".into(),
                        serde_json::to_value(&sal.schedule).unwrap_or(Value::Null),
                    );
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
        })
        .collect();
    let mut orgs: Vec<_> = d.organizations.iter().collect();
    orgs.sort_by(|a, b| a.id.cmp(&b.id));
    let mut projects: Vec<_> = d.projects.iter().collect();
    projects.sort_by(|a, b| a.id.cmp(&b.id));
    json!({
        "type": "FeatureCollection",
        MEMBER: {
            "format": "bussola-dataset/1",
            "metadata": d.metadata,
            "organizations": orgs,
            "projects": projects,
        },
        "features": features,
    })
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
