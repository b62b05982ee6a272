//! The GeoJSON dataset form (`docs/data-format.md`).

use super::fields::{unknown_fields, unknown_schedule_fields, LOCATION_FIELDS, SERVICE_FIELDS};
use super::reasons::{typed, FieldError};
use super::{serde_reason, Report};
use crate::model::limits;
use crate::model::{
    Checked, Dataset, I18nText, Id, Location, LonLat, Meta, Metadata, Notice, Organization,
    Project, ScheduleDoc, Service, ServiceAtLocation, Translations,
};
use bussola_hours::Schedule;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The member of the FeatureCollection that carries everything but the sportelli.
pub const MEMBER: &str = "bussola";

/// The format this version reads and writes.
pub const FORMAT: &str = "bussola-dataset/1";

/// Parses a dataset file. Structural checks only; see [`super::validate`] for references.
/// A leading byte-order mark is ignored, as the CSV reader does.
pub fn parse_dataset(text: &str) -> Result<Dataset, Report> {
    let mut report = Report::default();
    let root: Value = match serde_json::from_str(super::text::strip_bom(text)) {
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
    let extra = match root.get(MEMBER) {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(other) => {
            report.push(
                "file",
                MEMBER,
                format!("expected an object, found {}", kind_of(other)),
            );
            return Err(report);
        }
    };
    match extra.get("format") {
        None => {}
        Some(Value::String(f)) if f == FORMAT => {}
        Some(other) => {
            report.push(
                "file",
                format!("{MEMBER}.format"),
                format!("unknown format {other}; this version reads {FORMAT:?}"),
            );
            return Err(report);
        }
    }
    if let Some(m) = extra.get("metadata").filter(|m| !m.is_null()) {
        match typed::<Metadata>(m) {
            Ok(m) => {
                for v in limits::metadata(&m) {
                    report.push(MEMBER, "metadata", v.reason);
                }
                d.metadata = Some(m);
            }
            Err(e) => report.push(MEMBER, e.field("metadata"), e.reason),
        }
    }
    d.organizations =
        parse_list::<Organization>(&extra, "organizations", limits::organization, &mut report);
    d.projects = parse_list::<Project>(&extra, "projects", limits::project, &mut report);
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

/// `the number 42`, `an array`: what a JSON value is, for messages.
pub(crate) fn kind_of(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the text {s:?}"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn push_violations(report: &mut Report, at: &str, prefix: &str, vs: Vec<limits::Violation>) {
    for v in vs {
        let field = FieldError {
            path: v.field,
            reason: String::new(),
        }
        .field(prefix);
        report.push(at, field, v.reason);
    }
}

fn parse_list<T: serde::de::DeserializeOwned>(
    extra: &Map<String, Value>,
    key: &str,
    check: fn(&T) -> Vec<limits::Violation>,
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
        .filter_map(|(i, v)| {
            let id = v.get("id").and_then(Value::as_str).unwrap_or("?");
            let at = format!("{key}[{i}] ({})", super::label(id));
            match typed::<T>(v) {
                Ok(t) => {
                    push_violations(report, &at, "", check(&t));
                    Some(t)
                }
                Err(e) => {
                    report.push(at, e.path, e.reason);
                    None
                }
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
        if id_text.is_empty() {
            "no id".to_owned()
        } else {
            super::label(id_text)
        }
    );
    match f.get("id") {
        Some(Value::String(_)) => {}
        None | Some(Value::Null) => {
            report.push(at, "id", "missing: every sportello needs a text id");
            return;
        }
        Some(other) => {
            report.push(
                at,
                "id",
                format!("the id must be a string, found {}", kind_of(other)),
            );
            return;
        }
    }
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
    // Unknown fields are reported and reading goes on, so one pass names every problem.
    unknown_fields(report, &at, "properties", props, &LOCATION_FIELDS, true);
    let mut loc = props.clone();
    let services = loc.remove("services");
    loc.insert("id".into(), Value::String(id_text.to_owned()));
    loc.insert(
        "point".into(),
        serde_json::to_value(pt.map(<[f64; 2]>::from).unwrap_or([0.0, 0.0])).unwrap_or_default(),
    );
    let loc = Value::Object(loc);
    // Status, visibility and timestamps are flattened into the record, where serde loses
    // the path: read them on their own first, so an error names its field.
    if let Err(e) = typed::<Meta>(&loc) {
        report.push(&at, e.field("properties"), e.reason);
        return;
    }
    let location = match typed::<Location>(&loc) {
        Ok(l) => l,
        Err(e) if e.path == "id" => {
            report.push(&at, "id", e.reason);
            return;
        }
        Err(e) => {
            report.push(&at, e.field("properties"), e.reason);
            return;
        }
    };
    push_violations(report, &at, "properties", limits::location(&location));
    if pt.is_none() {
        return;
    }
    let services = match services {
        None => Vec::new(),
        Some(Value::Array(a)) => {
            if let Some(v) = limits::count("services", a.len(), limits::SERVICES_PER_SPORTELLO) {
                report.push(&at, "properties.services", v.reason);
                return;
            }
            a
        }
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
        unknown_fields(report, &at, &field, &obj, &SERVICE_FIELDS, true);
        let schedule = obj.remove("schedule");
        if let Some(sch) = &schedule {
            unknown_schedule_fields(report, &at, &format!("{field}.schedule"), sch);
        }
        super::hours_text::check_not_empty(schedule.as_ref(), &at, &field, report);
        let sal_id = obj.remove("service_at_location_id");
        // The offer's own parts: its notices and when its hours were confirmed.
        let notices = match obj.remove("notices").map(|n| typed::<Vec<Notice>>(&n)) {
            None => Vec::new(),
            Some(Ok(n)) => n,
            Some(Err(e)) => {
                report.push(&at, e.field(&format!("{field}.notices")), e.reason);
                continue;
            }
        };
        let mut meta = Meta::default();
        if let Some(Value::Object(v)) = obj.get_mut("verified") {
            if let Some(at_hours) = v.remove(Checked::Hours.as_str()) {
                match typed::<chrono::DateTime<chrono::Utc>>(&at_hours) {
                    Ok(t) => {
                        meta.verified.insert(Checked::Hours, t);
                    }
                    Err(e) => {
                        report.push(&at, format!("{field}.verified.hours"), e.reason);
                        continue;
                    }
                }
            }
        }
        obj.entry("organization_id")
            .or_insert_with(|| Value::String(location.organization_id.to_string()));
        let obj = Value::Object(obj);
        if let Err(e) = typed::<Meta>(&obj) {
            report.push(&at, e.field(&field), e.reason);
            continue;
        }
        let mut service = match typed::<Service>(&obj) {
            Ok(s) => s,
            Err(e) => {
                report.push(&at, e.field(&field), e.reason);
                continue;
            }
        };
        // The offer's texts' translations travel in its service's object (their keys never
        // meet the service's), and the offer came from where its service came from.
        let (offer_texts, own): (BTreeMap<_, _>, BTreeMap<_, _>) =
            std::mem::take(&mut service.meta.translations.0)
                .into_iter()
                .partition(|(k, _)| is_offer_text(k));
        service.meta.translations = Translations(own);
        meta.translations = Translations(offer_texts);
        meta.provenance = service.meta.provenance.clone();
        push_violations(report, &at, &field, limits::service(&service));
        let schedule_field = format!("{field}.schedule");
        let schedule = match schedule.as_ref().map(schedule_doc).transpose() {
            // The undated period first, as the CSV form writes it (the order carries no
            // meaning: a dated period overrides the undated one wherever it is).
            Ok(s) => s.map(undated_first).unwrap_or_default(),
            Err(e) => {
                report.push(&at, e.field(&schedule_field), e.reason);
                continue;
            }
        };
        push_violations(report, &at, &schedule_field, limits::schedule(&schedule));
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
            notices,
            meta,
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

/// Whether a translations key (`schedule/note/en`, `notices/0/message/fr`) names a text of a
/// service at a sportello rather than of the service.
pub(crate) fn is_offer_text(key: &str) -> bool {
    key.starts_with("schedule/") || key.starts_with("notices/")
}

fn same_service(a: &Service, b: &Service) -> bool {
    let strip = |s: &Service| Service {
        meta: s.meta.without_store_fields(),
        ..s.clone()
    };
    strip(a) == strip(b)
}

fn undated_first(mut s: ScheduleDoc) -> ScheduleDoc {
    s.rules
        .periods
        .sort_by_key(|p| p.valid_from.is_some() || p.valid_to.is_some());
    s
}

/// A schedule document; its rules are flattened into it, so they are read on their own to
/// keep the path of an error (`closed_on[0]`).
fn schedule_doc(v: &Value) -> Result<ScheduleDoc, FieldError> {
    let Value::Object(m) = v else {
        return typed::<ScheduleDoc>(v);
    };
    let mut rules = m.clone();
    let note = match rules.remove("note") {
        None | Some(Value::Null) => I18nText::default(),
        Some(n) => typed::<I18nText>(&n).map_err(|e| FieldError {
            path: e.field("note"),
            reason: e.reason,
        })?,
    };
    Ok(ScheduleDoc {
        rules: typed::<Schedule>(&Value::Object(rules))?,
        note,
    })
}
