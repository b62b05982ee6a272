//! The fields the GeoJSON dataset form knows. Serde ignores unknown members (and cannot
//! refuse them through the flattened record metadata), so they are checked here: a
//! misspelt field must be refused, not dropped.

use super::Report;
use serde_json::{Map, Value};

/// Record fields every record has (status, visibility, provenance and what the store
/// manages).
const META_FIELDS: [&str; 9] = [
    "status",
    "visibility",
    "version",
    "created_at",
    "updated_at",
    "last_verified_at",
    "verified",
    "translations",
    "provenance",
];
/// A sportello's properties, besides [`META_FIELDS`].
pub(super) const LOCATION_FIELDS: [&str; 11] = [
    "notices",
    "organization_id",
    "name",
    "description",
    "address",
    "accessibility",
    "phones",
    "emails",
    "website",
    "reception",
    "services",
];
/// A service's fields at a sportello, besides [`META_FIELDS`].
pub(super) const SERVICE_FIELDS: [&str; 17] = [
    "notices",
    "id",
    "organization_id",
    "name",
    "description",
    "categories",
    "languages",
    "cost",
    "cost_note",
    "appointment_required",
    "documents",
    "audiences",
    "phone",
    "email",
    "url",
    "schedule",
    "service_at_location_id",
];
const SCHEDULE_FIELDS: [&str; 4] = ["periods", "closed_on", "public_holidays", "note"];
/// `week` is what the bundle adds (compiled hours); import ignores it.
const PERIOD_FIELDS: [&str; 4] = ["valid_from", "valid_to", "hours", "week"];

/// Reports each member of `obj` that is not a known field: a misspelt name must not drop a
/// value silently.
pub(super) fn unknown_fields(
    report: &mut Report,
    at: &str,
    prefix: &str,
    obj: &Map<String, Value>,
    known: &[&str],
    meta: bool,
) {
    for k in obj.keys() {
        let k_known = known.contains(&k.as_str()) || (meta && META_FIELDS.contains(&k.as_str()));
        if !k_known {
            report.push(
                at,
                format!("{prefix}.{}", super::label(k)),
                "unknown field (see docs/data-format.md for the fields)",
            );
        }
    }
}

/// Checks the fields of a schedule object and of its periods.
pub(super) fn unknown_schedule_fields(report: &mut Report, at: &str, prefix: &str, v: &Value) {
    let Value::Object(m) = v else {
        return;
    };
    unknown_fields(report, at, prefix, m, &SCHEDULE_FIELDS, false);
    if let Some(Value::Array(periods)) = m.get("periods") {
        for (i, p) in periods.iter().enumerate() {
            if let Value::Object(p) = p {
                let field = format!("{prefix}.periods[{i}]");
                unknown_fields(report, at, &field, p, &PERIOD_FIELDS, false);
            }
        }
    }
}
