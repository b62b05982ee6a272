//! "Still correct": `POST /api/records/{kind}/{id}/verify` `{"fields": ["hours", …]}` sets
//! each field's verified date to now. It changes no content, so it publishes at once for
//! anyone who may edit the record (no review), checked against `If-Match` like any write.

use super::record::Record;
use super::records::{base_version, editable, record_answer};
use super::{editor, if_match};
use crate::access::Viewer;
use crate::api::error::{Error, FieldProblem, Result};
use crate::api::AppState;
use crate::model::{Checked, Origin, RecordKind, Source};
use crate::store::{ChangeSet, Expectation};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

/// The tracked fields a kind has.
pub fn checked_fields(kind: RecordKind) -> &'static [Checked] {
    match kind {
        RecordKind::ServiceAtLocation => &[Checked::Hours],
        RecordKind::Location => &[Checked::Address, Checked::Phone],
        RecordKind::Service => &[Checked::Languages, Checked::Cost, Checked::Appointment],
        RecordKind::Organization | RecordKind::Project => &[],
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Verify {
    fields: Vec<String>,
}

/// The fields asked for, each one the kind tracks (422 naming each that is not).
fn fields_of(kind: RecordKind, asked: &[String]) -> Result<Vec<Checked>> {
    let valid = checked_fields(kind);
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for (i, f) in asked.iter().enumerate() {
        match Checked::parse(f).filter(|c| valid.contains(c)) {
            Some(c) => out.push(c),
            None => problems.push(FieldProblem {
                pointer: format!("/fields/{i}"),
                detail: format!(
                    "{f:?} is not a field this kind of record tracks: use {}",
                    if valid.is_empty() {
                        "none (nothing of it is tracked)".to_owned()
                    } else {
                        valid
                            .iter()
                            .map(|c| c.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ),
            }),
        }
    }
    if asked.is_empty() {
        problems.push(FieldProblem {
            pointer: "/fields".into(),
            detail: "name at least one field that is still correct".into(),
        });
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Invalid(problems))
    }
}

/// Marks `fields` of `record` confirmed at `now` (and the record's `last_verified_at`), ready
/// to commit: what `verify` does, and an update campaign's "nothing changed".
pub fn confirm(record: &mut Record, fields: &[Checked], now: chrono::DateTime<chrono::Utc>) {
    let meta = record.meta_mut();
    for f in fields {
        meta.verified.insert(*f, now);
    }
    meta.last_verified_at = Some(now);
    let clean = record.meta().without_store_fields();
    *record.meta_mut() = clean;
}

/// `POST /api/records/{kind}/{id}/verify`.
pub async fn verify(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((kind_segment, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let author = editor(&viewer)?.to_string();
    let kind = super::kind(&kind_segment)?;
    let catalog = state.directory.catalog();
    let mut record = editable(&viewer, kind, &id, &catalog)?;
    let m = if_match(&headers)?;
    let asked: Verify = super::body(&body)?;
    let fields = fields_of(kind, &asked.fields)?;
    let base = base_version(m, &record);
    confirm(&mut record, &fields, chrono::Utc::now());
    let names: Vec<&str> = fields.iter().map(|f| f.as_str()).collect();
    let changes = ChangeSet {
        dataset: record.clone().into_dataset(),
        origin: Origin {
            author: Some(author),
            reason: Some(format!("still correct: {}", names.join(", "))),
            source: Source::Api,
            reviewer: None,
        },
        expect: vec![Expectation {
            kind,
            id: record.id().clone(),
            version: Some(base),
        }],
        ..Default::default()
    };
    state.directory.apply(&changes).await?;
    let written = Record::stored(kind, record.id(), &state.directory.catalog()).unwrap_or(record);
    Ok(record_answer(StatusCode::OK, &written))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_fields_a_kind_tracks_may_be_verified() {
        assert_eq!(
            fields_of(RecordKind::ServiceAtLocation, &["hours".into()]).unwrap(),
            [Checked::Hours]
        );
        let Err(Error::Invalid(p)) = fields_of(
            RecordKind::Location,
            &["address".into(), "hours".into(), "x".into()],
        ) else {
            panic!("accepted hours on a sportello");
        };
        let pointers: Vec<&str> = p.iter().map(|p| p.pointer.as_str()).collect();
        assert_eq!(pointers, ["/fields/1", "/fields/2"]);
        assert!(fields_of(RecordKind::Service, &[]).is_err());
    }
}
