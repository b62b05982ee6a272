//! How editing rows (`migrations/*/0003_edits.sql`) read back as model values, for both
//! backends. Enumerations are stored as the names they serialise to (`pending`, `api`…);
//! JSON columns are read as text (`Dialect::json_out`).

use super::{Error, Result};
use crate::model::{ChangeRequest, Feedback, Id, Origin, RecordKind, RecordVersion};
use chrono::{DateTime, Utc};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use sqlx::{ColumnIndex, Decode, Row, Type};

pub(super) fn corrupt(kind: &'static str, id: &str, reason: impl ToString) -> Error {
    Error::Corrupt {
        kind,
        id: id.to_owned(),
        reason: reason.to_string(),
    }
}

/// The name an enumeration serialises to (`published_unreviewed`, `import`…).
pub(super) fn name_of<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The enumeration value a stored name names.
fn parse_name<T: DeserializeOwned>(table: &'static str, id: &str, name: &str) -> Result<T> {
    serde_json::from_value(Value::String(name.to_owned()))
        .map_err(|_| corrupt(table, id, format!("unknown value {name:?}")))
}

/// A list of strings as the one JSON parameter `Dialect::json_array_elements` reads.
pub(super) fn json_list<S: AsRef<str>>(v: &[S]) -> String {
    Value::Array(v.iter().map(|s| Value::String(s.as_ref().into())).collect()).to_string()
}

fn parse_id(table: &'static str, id: &str) -> Result<Id> {
    Id::parse(id).map_err(|e| corrupt(table, id, e))
}

fn parse_json<T: DeserializeOwned>(table: &'static str, id: &str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| corrupt(table, id, e))
}

/// A `record_version` row joined with its `revision_log` row (`author`, `reason`, `source`,
/// `reviewer`). The document gets its store-managed fields back, as a record read from its
/// table does.
pub(super) fn version_from_row<R>(r: &R) -> Result<RecordVersion>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> DateTime<Utc>: Decode<'r, R::Database> + Type<R::Database>,
{
    const T: &str = "record_version";
    let id: String = r.try_get("id")?;
    let kind: String = r.try_get("kind")?;
    let version: i64 = r.try_get("version")?;
    let created_at: DateTime<Utc> = r.try_get("created_at")?;
    let at: DateTime<Utc> = r.try_get("at")?;
    let doc: String = r.try_get("doc")?;
    let mut doc: Value = parse_json(T, &id, &doc)?;
    let map = doc
        .as_object_mut()
        .ok_or_else(|| corrupt(T, &id, "not an object"))?;
    map.insert("version".into(), version.into());
    map.insert(
        "created_at".into(),
        serde_json::to_value(created_at).unwrap_or_default(),
    );
    map.insert(
        "updated_at".into(),
        serde_json::to_value(at).unwrap_or_default(),
    );
    let source: Option<String> = r.try_get("source")?;
    Ok(RecordVersion {
        kind: RecordKind::parse(&kind)
            .ok_or_else(|| corrupt(T, &id, format!("unknown kind {kind:?}")))?,
        version,
        revision: r.try_get("revision")?,
        at,
        origin: Origin {
            author: r.try_get("author")?,
            reason: r.try_get("reason")?,
            source: source
                .map(|s| parse_name(T, &id, &s))
                .transpose()?
                .unwrap_or_default(),
            reviewer: r.try_get("reviewer")?,
        },
        doc,
        id: parse_id(T, &id)?,
    })
}

/// A `change_request` row (`comuni` and `proposed` read as JSON text).
pub(super) fn request_from_row<R>(r: &R) -> Result<ChangeRequest>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> DateTime<Utc>: Decode<'r, R::Database> + Type<R::Database>,
{
    const T: &str = "change_request";
    let id: String = r.try_get("id")?;
    let kind: String = r.try_get("kind")?;
    let record_id: String = r.try_get("record_id")?;
    let organization_id: String = r.try_get("organization_id")?;
    let comuni: String = r.try_get("comuni")?;
    let proposed: String = r.try_get("proposed")?;
    let action: String = r.try_get("action")?;
    let status: String = r.try_get("status")?;
    Ok(ChangeRequest {
        kind: parse_name(T, &id, &kind)?,
        record_id: parse_id(T, &record_id)?,
        organization_id: parse_id(T, &organization_id)?,
        comuni: parse_json(T, &id, &comuni)?,
        action: parse_name(T, &id, &action)?,
        base_version: r.try_get("base_version")?,
        proposed: parse_json(T, &id, &proposed)?,
        author: r.try_get("author")?,
        reason: r.try_get("reason")?,
        status: parse_name(T, &id, &status)?,
        created_at: r.try_get("created_at")?,
        decided_at: r.try_get("decided_at")?,
        decided_by: r.try_get("decided_by")?,
        decision_reason: r.try_get("decision_reason")?,
        applied_revision: r.try_get("applied_revision")?,
        id,
    })
}

/// A `feedback` row.
pub(super) fn feedback_from_row<R>(r: &R) -> Result<Feedback>
where
    R: Row,
    for<'a> &'a str: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> DateTime<Utc>: Decode<'r, R::Database> + Type<R::Database>,
{
    const T: &str = "feedback";
    let location: String = r.try_get("location_id")?;
    let organization: String = r.try_get("organization_id")?;
    let kind: String = r.try_get("kind")?;
    Ok(Feedback {
        location_id: parse_id(T, &location)?,
        organization_id: parse_id(T, &organization)?,
        comune_istat: r.try_get("comune_istat")?,
        kind: parse_name(T, &location, &kind)?,
        at: r.try_get("at")?,
    })
}
