//! A record's history: every stored version, newest first, each with its field changes
//! against the version before it; one version whole; and restore, which makes a new version
//! equal to an earlier one (through review like any edit).

use super::record::{self, Record};
use super::records::{base_version, editable, submit, Edit};
use super::{answer, editor, if_match};
use crate::access::Viewer;
use crate::api::error::{Error, FieldProblem, Result};
use crate::api::AppState;
use crate::model::{revision::diff, ChangeAction, RecordKind, RecordVersion, Source};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};

/// A stored document in the model's own shape.
fn normalised(kind: RecordKind, doc: &Value) -> Value {
    Record::parse(kind, doc)
        .map(|r| r.to_json())
        .unwrap_or_else(|_| doc.clone())
}

/// Versions (oldest first, as the store gives them) as the API shows them: newest first,
/// each with its origin and its changes against the one before it, without the document.
pub fn entries(kind: RecordKind, versions: &[RecordVersion]) -> Vec<Value> {
    let docs: Vec<Value> = versions.iter().map(|v| normalised(kind, &v.doc)).collect();
    let mut out: Vec<Value> = versions
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let before = if i == 0 { &Value::Null } else { &docs[i - 1] };
            let mut e = json!({
                "version": v.version,
                "revision": v.revision,
                "at": v.at,
                "source": v.origin.source,
                "changes": diff(before, &docs[i]),
            });
            for (k, val) in [
                ("author", &v.origin.author),
                ("reason", &v.origin.reason),
                ("reviewer", &v.origin.reviewer),
            ] {
                if let Some(val) = val {
                    e[k] = json!(val);
                }
            }
            e
        })
        .collect();
    out.reverse();
    out
}

/// `GET /api/records/{kind}/{id}/history`.
pub async fn history(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((kind_segment, id)): Path<(String, String)>,
) -> Result<Response> {
    editor(&viewer)?;
    let kind = super::kind(&kind_segment)?;
    let current = editable(&viewer, kind, &id, &state.directory.catalog())?;
    let versions = state
        .directory
        .store()
        .edits()
        .history(kind, current.id())
        .await?;
    Ok(answer(
        StatusCode::OK,
        &json!({
            "kind": record::path_of(kind),
            "id": current.id(),
            "version": current.meta().version,
            "versions": entries(kind, &versions),
        }),
    ))
}

/// `GET /api/records/{kind}/{id}/versions/{version}`: one stored version, whole.
pub async fn version(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((kind_segment, id, n)): Path<(String, String, String)>,
) -> Result<Response> {
    editor(&viewer)?;
    let kind = super::kind(&kind_segment)?;
    let current = editable(&viewer, kind, &id, &state.directory.catalog())?;
    let missing = || Error::NotFound(format!("{} {id} has no version {n}", record::path_of(kind)));
    let n: i64 = n.parse().map_err(|_| missing())?;
    let v = state
        .directory
        .store()
        .edits()
        .version(kind, current.id(), n)
        .await?
        .ok_or_else(missing)?;
    Ok(answer(StatusCode::OK, &json!(v)))
}

/// `POST …/restore` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Restore {
    version: i64,
    #[serde(default)]
    reason: Option<String>,
}

/// `POST /api/records/{kind}/{id}/restore`: `{"version": n, "reason": "…"}`, a new version
/// whose content is version n's (needs `If-Match`).
pub async fn restore(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((kind_segment, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    editor(&viewer)?;
    let kind = super::kind(&kind_segment)?;
    let catalog = state.directory.catalog();
    let current = editable(&viewer, kind, &id, &catalog)?;
    let m = if_match(&headers)?;
    let asked: Restore = super::body(&body)?;
    let old = state
        .directory
        .store()
        .edits()
        .version(kind, current.id(), asked.version)
        .await?
        .ok_or_else(|| {
            Error::Invalid(vec![FieldProblem {
                pointer: "/version".into(),
                detail: format!(
                    "{} {id} has no version {}",
                    record::path_of(kind),
                    asked.version
                ),
            }])
        })?;
    let mut doc = old.doc;
    if let Some(m) = doc.as_object_mut() {
        for k in ["version", "created_at", "updated_at"] {
            m.remove(k);
        }
    }
    // The restored content must still hold today (its organisation, its comune…).
    let record = record::read(kind, &doc, state.directory.taxonomy(), &catalog)?;
    submit(
        &state,
        &viewer,
        Edit {
            action: ChangeAction::Upsert,
            record,
            base: Some(base_version(m, &current)),
            source: Source::Restore,
            reason: Some(
                asked
                    .reason
                    .map(|r| r.trim().to_owned())
                    .filter(|r| !r.is_empty())
                    .unwrap_or_else(|| format!("restore version {}", asked.version)),
            ),
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn version(n: i64, doc: Value) -> RecordVersion {
        RecordVersion {
            kind: RecordKind::Organization,
            id: crate::model::Id::parse("org-a").unwrap(),
            version: n,
            revision: 10 + n,
            at: chrono::Utc::now(),
            origin: Origin {
                author: Some("m.rossi".into()),
                ..Default::default()
            },
            doc,
        }
    }

    #[test]
    fn history_is_newest_first_with_the_changes_of_each_version() {
        let v1 = version(
            1,
            json!({"id": "org-a", "name": "A", "kind": "ngo", "version": 1}),
        );
        let v2 = version(
            2,
            json!({"id": "org-a", "name": "B", "kind": "ngo", "version": 2}),
        );
        let e = entries(RecordKind::Organization, &[v1, v2]);
        assert_eq!(e[0]["version"], 2);
        assert_eq!(e[0]["author"], "m.rossi");
        assert_eq!(
            e[0]["changes"],
            json!([{"field": "/name", "old": "A", "new": "B"}])
        );
        assert_eq!(e[1]["version"], 1);
        assert_eq!(e[1]["changes"][0]["field"], "/");
    }
}
