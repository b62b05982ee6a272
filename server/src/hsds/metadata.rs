//! HSDS `metadata` records from the record history: one per field a version changed, with the
//! previous and the replacement value, when, how and by whom.

use super::ids::uuid;
use crate::model::revision::diff;
use crate::model::{RecordKind, RecordVersion, Source};
use chrono::SecondsFormat;
use serde_json::{json, Value};

/// The HSDS object name of a record kind (`resource_type`).
pub fn resource_type(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Organization => "organization",
        RecordKind::Location => "location",
        RecordKind::Service => "service",
        RecordKind::ServiceAtLocation => "service_at_location",
        RecordKind::Project => "program",
    }
}

/// A value as HSDS metadata holds it: text as itself, anything else as JSON, absent as "".
fn as_text(v: &Option<Value>) -> String {
    match v {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// What a version did: `create` (its first), `archive` (it archived the record), `restore`
/// (an earlier version brought back), otherwise `update`.
fn action(v: &RecordVersion, previous: Option<&RecordVersion>) -> &'static str {
    let status = |d: &Value| d.get("status").and_then(Value::as_str).map(str::to_owned);
    match previous {
        None => "create",
        Some(_) if v.origin.source == Source::Restore => "restore",
        Some(p)
            if status(&v.doc).as_deref() == Some("archived")
                && status(&p.doc).as_deref() != Some("archived") =>
        {
            "archive"
        }
        Some(_) => "update",
    }
}

/// The HSDS metadata records of `versions` (any records, any order): for every version, one
/// record per field it changed from the version before it (all fields for the first), in
/// order of record, version and field. `updated_by` is the author, else the source
/// (`import`, `demo`…).
pub fn metadata(versions: &[RecordVersion]) -> Vec<Value> {
    let mut sorted: Vec<&RecordVersion> = versions.iter().collect();
    sorted.sort_by(|a, b| (a.kind, &a.id, a.version).cmp(&(b.kind, &b.id, b.version)));
    let mut out = Vec::new();
    let mut previous: Option<&RecordVersion> = None;
    for v in sorted {
        let before = previous.filter(|p| p.kind == v.kind && p.id == v.id);
        let empty = json!({});
        let changes = diff(before.map_or(&empty, |p| &p.doc), &v.doc);
        let resource_id = uuid(resource_type(v.kind), v.id.as_str());
        let updated_by = v.origin.author.clone().unwrap_or_else(|| {
            serde_json::to_value(v.origin.source)
                .ok()
                .and_then(|s| s.as_str().map(str::to_owned))
                .unwrap_or_default()
        });
        let kind = action(v, before);
        let date = v.at.to_rfc3339_opts(SecondsFormat::Secs, true);
        for c in changes {
            out.push(json!({
                "id": uuid("metadata", &format!("{resource_id}:{}:{}", v.version, c.field)),
                "resource_id": resource_id,
                "resource_type": resource_type(v.kind),
                "last_action_date": date,
                "last_action_type": kind,
                "field_name": c.field,
                "previous_value": as_text(&c.old),
                "replacement_value": as_text(&c.new),
                "updated_by": updated_by,
            }));
        }
        previous = Some(v);
    }
    out
}

/// Adds `metadata` to an HSDS document: the records of `versions` about the organisations,
/// locations, services and services at locations the document holds (so a reader learns the
/// history of nothing it may not see). Without `authors`, `updated_by` is the source
/// (`import`, `api`…) rather than a user name: what the public export shows.
pub fn attach(doc: &mut Value, versions: &[RecordVersion], authors: bool) {
    let mut ids = std::collections::HashSet::new();
    for member in ["organizations", "locations", "services"] {
        for item in doc[member].as_array().into_iter().flatten() {
            ids.extend(item["id"].as_str().map(str::to_owned));
            for sal in item["service_at_locations"]
                .as_array()
                .into_iter()
                .flatten()
            {
                ids.extend(sal["id"].as_str().map(str::to_owned));
            }
        }
    }
    let shown: Vec<&RecordVersion> = versions
        .iter()
        .filter(|v| ids.contains(&uuid(resource_type(v.kind), v.id.as_str())))
        .collect();
    let anonymised: Vec<RecordVersion> = shown
        .into_iter()
        .map(|v| {
            let mut v = v.clone();
            if !authors {
                v.origin.author = None;
            }
            v
        })
        .collect();
    doc["metadata"] = Value::Array(metadata(&anonymised));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Id, Origin};
    use chrono::{TimeZone, Utc};

    fn version(
        id: &str,
        n: i64,
        source: Source,
        author: Option<&str>,
        doc: Value,
    ) -> RecordVersion {
        RecordVersion {
            kind: RecordKind::Service,
            id: Id::parse(id).unwrap(),
            version: n,
            revision: n + 10,
            at: Utc.with_ymd_and_hms(2026, 11, n as u32, 9, 0, 0).unwrap(),
            origin: Origin {
                author: author.map(str::to_owned),
                source,
                ..Default::default()
            },
            doc,
        }
    }

    #[test]
    fn one_record_per_changed_field_with_old_and_new_values() {
        let versions = vec![
            // out of order on purpose: the function sorts by record and version
            version(
                "svc-a",
                2,
                Source::Api,
                Some("maria"),
                json!({"name": {"it": "Corso B"}, "cost": "free", "version": 2, "status": "published"}),
            ),
            version(
                "svc-a",
                1,
                Source::Import,
                None,
                json!({"name": {"it": "Corso A"}, "cost": "free", "version": 1, "status": "published"}),
            ),
            version(
                "svc-a",
                3,
                Source::Api,
                Some("maria"),
                json!({"name": {"it": "Corso B"}, "cost": "free", "version": 3, "status": "archived"}),
            ),
        ];
        let m = metadata(&versions);
        let rows: Vec<(&str, &str, &str, &str, &str)> = m
            .iter()
            .map(|r| {
                (
                    r["last_action_type"].as_str().unwrap(),
                    r["field_name"].as_str().unwrap(),
                    r["previous_value"].as_str().unwrap(),
                    r["replacement_value"].as_str().unwrap(),
                    r["updated_by"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("create", "/cost", "", "free", "import"),
                // A new record's objects are one value each (the diff walks two levels only
                // where both sides have them).
                ("create", "/name", "", r#"{"it":"Corso A"}"#, "import"),
                ("create", "/status", "", "published", "import"),
                ("update", "/name/it", "Corso A", "Corso B", "maria"),
                ("archive", "/status", "published", "archived", "maria"),
            ]
        );
        let resource = uuid("service", "svc-a");
        assert!(m.iter().all(|r| r["resource_id"] == json!(resource)));
        assert!(m.iter().all(|r| r["resource_type"] == "service"));
        assert_eq!(m[3]["last_action_date"], "2026-11-02T09:00:00Z");
        let ids: std::collections::HashSet<&str> =
            m.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), m.len(), "every metadata record has its own id");
    }

    #[test]
    fn versions_of_two_records_are_not_diffed_against_each_other() {
        let mut b = version("svc-b", 1, Source::Demo, None, json!({"cost": "paid"}));
        b.kind = RecordKind::Location;
        let a = version("svc-a", 1, Source::Demo, None, json!({"cost": "free"}));
        let m = metadata(&[a, b]);
        assert_eq!(m.len(), 2);
        assert!(m.iter().all(|r| r["last_action_type"] == "create"));
        // Ordered by kind (a location before a service), then id and version.
        assert_eq!(m[0]["resource_type"], "location");
        assert_eq!(m[0]["replacement_value"], "paid");
        assert_eq!(m[0]["previous_value"], "");
        assert_eq!(m[0]["updated_by"], "demo");
        assert_eq!(m[1]["replacement_value"], "free");
    }

    #[test]
    fn a_restored_version_says_so() {
        let v1 = version("svc-a", 1, Source::Api, Some("a"), json!({"cost": "free"}));
        let v2 = version("svc-a", 2, Source::Api, Some("a"), json!({"cost": "paid"}));
        let v3 = version(
            "svc-a",
            3,
            Source::Restore,
            Some("b"),
            json!({"cost": "free"}),
        );
        let m = metadata(&[v1, v2, v3]);
        assert_eq!(m.last().unwrap()["last_action_type"], "restore");
        assert_eq!(m.last().unwrap()["previous_value"], "paid");
        assert_eq!(m.last().unwrap()["replacement_value"], "free");
    }
}
