//! The GeoJSON dataset form (`docs/data-format.md`).

use super::{serde_reason, Report};
use crate::model::{
    Dataset, Id, Location, LonLat, Metadata, Organization, Project, ScheduleDoc, Service,
    ServiceAtLocation,
};
use serde_json::{Map, Value};

/// The member of the FeatureCollection that carries everything but the sportelli.
pub const MEMBER: &str = "bussola";

/// Parses a dataset file. Structural checks only; see [`super::validate`] for references.
pub fn parse_dataset(text: &str) -> Result<Dataset, Report> {
    let mut report = Report::default();
    let root: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            report.push(
                format!("line {} column {}", e.line(), e.column()),
                "",
                format!("not valid JSON: {}", serde_reason(&e)),
            );
            return Err(report);
        }
    };
    if root.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        report.push("file", "type", "must be \"FeatureCollection\"");
        return Err(report);
    }
    let mut d = Dataset::default();
    let extra = root
        .get(MEMBER)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(m) = extra.get("metadata").filter(|m| !m.is_null()) {
        match serde_json::from_value::<Metadata>(m.clone()) {
            Ok(m) => d.metadata = Some(m),
            Err(e) => report.push(MEMBER, "metadata", serde_reason(&e)),
        }
    }
    d.organizations = parse_list::<Organization>(&extra, "organizations", &mut report);
    d.projects = parse_list::<Project>(&extra, "projects", &mut report);
    let Some(features) = root.get("features").and_then(Value::as_array) else {
        report.push("file", "features", "must be an array");
        return Err(report);
    };
    // Where each service already sits in `d.services` (a service offered at many sportelli
    // appears once per sportello in the file).
    let mut seen = std::collections::HashMap::new();
    for (i, f) in features.iter().enumerate() {
        parse_feature(i, f, &mut d, &mut seen, &mut report);
    }
    report.into_result(d)
}

fn parse_list<T: serde::de::DeserializeOwned>(
    extra: &Map<String, Value>,
    key: &str,
    report: &mut Report,
) -> Vec<T> {
    let Some(list) = extra.get(key) else {
        return Vec::new();
    };
    let Some(items) = list.as_array() else {
        report.push(MEMBER, key, "must be an array");
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, v)| match serde_json::from_value::<T>(v.clone()) {
            Ok(t) => Some(t),
            Err(e) => {
                let id = v.get("id").and_then(Value::as_str).unwrap_or("?");
                report.push(format!("{key}[{i}] ({id})"), "", serde_reason(&e));
                None
            }
        })
        .collect()
}

fn point(geometry: Option<&Value>) -> Result<LonLat, String> {
    let g = geometry.ok_or("missing")?;
    if g.get("type").and_then(Value::as_str) != Some("Point") {
        return Err("must be a Point".into());
    }
    let c = g
        .get("coordinates")
        .and_then(Value::as_array)
        .ok_or("coordinates must be an array")?;
    let num = |i: usize| {
        c.get(i)
            .and_then(Value::as_f64)
            .ok_or(format!("coordinate {i} is not a number"))
    };
    if c.len() < 2 {
        return Err("a Point needs [lon, lat]".into());
    }
    LonLat::new(num(0)?, num(1)?).map_err(|e| e.to_string())
}

fn parse_feature(
    i: usize,
    f: &Value,
    d: &mut Dataset,
    seen: &mut std::collections::HashMap<Id, usize>,
    report: &mut Report,
) {
    let id_text = f.get("id").and_then(Value::as_str).unwrap_or("");
    let at = format!(
        "feature {i} ({})",
        if id_text.is_empty() { "no id" } else { id_text }
    );
    let Some(props) = f.get("properties").and_then(Value::as_object) else {
        report.push(at, "properties", "must be an object");
        return;
    };
    let pt = match point(f.get("geometry")) {
        Ok(p) => Some(p),
        Err(e) => {
            report.push(&at, "geometry", e);
            None
        }
    };
    let mut loc = props.clone();
    let services = loc.remove("services");
    loc.insert("id".into(), Value::String(id_text.to_owned()));
    loc.insert(
        "point".into(),
        serde_json::to_value(pt.map(<[f64; 2]>::from).unwrap_or([0.0, 0.0])).unwrap_or_default(),
    );
    let location = match serde_json::from_value::<Location>(Value::Object(loc)) {
        Ok(l) => l,
        Err(e) => {
            report.push(&at, "properties", serde_reason(&e));
            return;
        }
    };
    if pt.is_none() {
        return;
    }
    let services = match services {
        None => Vec::new(),
        Some(Value::Array(a)) => a,
        Some(_) => {
            report.push(&at, "properties.services", "must be an array");
            return;
        }
    };
    for (j, s) in services.into_iter().enumerate() {
        let field = format!("properties.services[{j}]");
        let Value::Object(mut obj) = s else {
            report.push(&at, field, "must be an object");
            continue;
        };
        let schedule = obj.remove("schedule");
        super::hours_text::check_not_empty(schedule.as_ref(), &at, &field, report);
        let sal_id = obj.remove("service_at_location_id");
        obj.entry("organization_id")
            .or_insert_with(|| Value::String(location.organization_id.to_string()));
        let service = match serde_json::from_value::<Service>(Value::Object(obj)) {
            Ok(s) => s,
            Err(e) => {
                report.push(&at, field, serde_reason(&e));
                continue;
            }
        };
        let schedule = match schedule
            .map(serde_json::from_value::<ScheduleDoc>)
            .transpose()
        {
            Ok(s) => s.unwrap_or_default(),
            Err(e) => {
                report.push(&at, format!("{field}.schedule"), serde_reason(&e));
                continue;
            }
        };
        let id = match sal_id.as_ref().and_then(Value::as_str).map(Id::parse) {
            Some(Ok(id)) => id,
            Some(Err(e)) => {
                report.push(
                    &at,
                    format!("{field}.service_at_location_id"),
                    e.to_string(),
                );
                continue;
            }
            None => ServiceAtLocation::derived_id(&location.id, &service.id),
        };
        d.service_at_locations.push(ServiceAtLocation {
            id,
            service_id: service.id.clone(),
            location_id: location.id.clone(),
            schedule,
            meta: Default::default(),
        });
        match seen.get(&service.id).map(|&k| &d.services[k]) {
            Some(prev) if !same_service(prev, &service) => report.push(
                &at,
                field,
                format!("service {} differs from its earlier appearance; a service's fields must be the same at every sportello", service.id),
            ),
            Some(_) => {}
            None => {
                seen.insert(service.id.clone(), d.services.len());
                d.services.push(service);
            }
        }
    }
    d.locations.push(location);
}

fn same_service(a: &Service, b: &Service) -> bool {
    let strip = |s: &Service| Service {
        meta: s.meta.without_store_fields(),
        ..s.clone()
    };
    strip(a) == strip(b)
}
