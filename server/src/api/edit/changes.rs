//! `/api/changes`: the change requests a viewer follows, each with its field diff, and the
//! decisions on them. An approval is one commit: the proposed record, the decision, and the
//! expectation that the record is still at the version the author edited (409 with both
//! diffs when it moved on).

use super::record::{self, Record};
use super::{answer, editor};
use crate::access::Viewer;
use crate::api::error::{Error, FieldProblem, Result};
use crate::api::AppState;
use crate::model::{
    revision::diff, ChangeAction, ChangeRequest, ChangeStatus, Id, Origin, RecordKind, Source,
    Status,
};
use crate::store::{self, ChangeFilter, ChangeSet, Expectation, RequestOp};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};

/// `GET /api/changes` parameters.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// `pending` (the default), another status, a comma-separated list, or `all`.
    pub status: Option<String>,
    pub organization: Option<String>,
    /// `{kind}/{id}`, the kind as the record paths spell it (`sportelli/loc-x`).
    pub record: Option<String>,
}

fn statuses(q: &Option<String>) -> Result<Vec<ChangeStatus>> {
    let text = q.as_deref().unwrap_or("pending");
    if text == "all" {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|s| {
            ChangeStatus::parse(s.trim()).ok_or_else(|| {
                Error::bad(
                    "status",
                    format!(
                        "{s:?} is no status: use pending, approved, rejected, withdrawn, \
                         published_unreviewed or all"
                    ),
                )
            })
        })
        .collect()
}

fn record_param(q: &Option<String>) -> Result<Option<(RecordKind, Id)>> {
    let Some(text) = q else { return Ok(None) };
    let bad = || Error::bad("record", "use {kind}/{id}, such as sportelli/loc-x");
    let (k, id) = text.split_once('/').ok_or_else(bad)?;
    let kind = record::kind_in_path(k)
        .or_else(|| RecordKind::parse(k))
        .ok_or_else(bad)?;
    Ok(Some((kind, Id::parse(id).map_err(|_| bad())?)))
}

/// May this viewer see this request: its author, its organisation's operators, the
/// coordinators of its comuni, admins.
fn follows(viewer: &Viewer, cr: &ChangeRequest) -> bool {
    viewer.username().is_some_and(|u| u.as_str() == cr.author)
        || viewer.follows(&cr.organization_id, &cr.comuni)
}

/// `GET /api/changes`.
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    editor(&viewer)?;
    let filter = ChangeFilter {
        statuses: statuses(&q.status)?,
        organization: match &q.organization {
            Some(o) => Some(Id::parse(o).map_err(|e| Error::bad("organization", e.to_string()))?),
            None => None,
        },
        record: record_param(&q.record)?,
        ..Default::default()
    };
    let store = state.directory.store().edits();
    let changes: Vec<ChangeRequest> = store
        .change_requests(&filter)
        .await?
        .into_iter()
        .filter(|cr| follows(&viewer, cr))
        .collect();
    Ok(answer(StatusCode::OK, &json!({ "changes": changes })))
}

/// A request the viewer follows (404 otherwise, as for one that never existed).
async fn find(state: &AppState, viewer: &Viewer, id: &str) -> Result<ChangeRequest> {
    let missing = || Error::NotFound(format!("no change request {id}"));
    let cr = state
        .directory
        .store()
        .edits()
        .change_request(id)
        .await?
        .ok_or_else(missing)?;
    if follows(viewer, &cr) {
        Ok(cr)
    } else {
        Err(missing())
    }
}

/// A stored document in the model's own shape (so a diff shows content, not spelling).
fn normalised(kind: RecordKind, doc: &Value) -> Value {
    if doc.is_null() {
        return Value::Null;
    }
    Record::parse(kind, doc)
        .map(|r| r.to_json())
        .unwrap_or_else(|_| doc.clone())
}

/// The diffs of a request: `changes` (base → proposed) and, when the record moved on since
/// its base, `meanwhile` (base → current).
async fn diffs(state: &AppState, cr: &ChangeRequest) -> Result<(Value, Option<Value>)> {
    let base = match cr.base_version {
        Some(v) => state
            .directory
            .store()
            .edits()
            .version(cr.kind, &cr.record_id, v)
            .await?
            .map(|rv| normalised(cr.kind, &rv.doc))
            .unwrap_or(Value::Null),
        None => Value::Null,
    };
    let proposed = match cr.action {
        ChangeAction::Upsert => normalised(cr.kind, &cr.proposed),
        ChangeAction::Archive => {
            let mut b = base.clone();
            if let Some(m) = b.as_object_mut() {
                m.insert("status".into(), json!("archived"));
            }
            b
        }
    };
    let changes = json!(diff(&base, &proposed));
    let current = Record::stored(cr.kind, &cr.record_id, &state.directory.catalog());
    let moved = current.as_ref().map(|r| r.meta().version) != cr.base_version;
    let meanwhile = match (moved, current) {
        (true, Some(r)) => Some(json!(diff(&base, &r.to_json()))),
        (true, None) => Some(json!([])),
        (false, _) => None,
    };
    Ok((changes, meanwhile))
}

fn with_diffs(cr: &ChangeRequest, changes: Value, meanwhile: Option<Value>) -> Value {
    let mut v = json!(cr);
    v["changes"] = changes;
    if let Some(m) = meanwhile {
        v["meanwhile"] = m;
    }
    v
}

/// `GET /api/changes/{id}`: the request with its diffs.
pub async fn one(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response> {
    editor(&viewer)?;
    let cr = find(&state, &viewer, &id).await?;
    let (changes, meanwhile) = diffs(&state, &cr).await?;
    Ok(answer(StatusCode::OK, &with_diffs(&cr, changes, meanwhile)))
}

/// A decision's body: a comment (approve) or the reason (reject, required).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Decision {
    #[serde(default)]
    reason: Option<String>,
}

fn reviewer_of<'a>(viewer: &'a Viewer, state: &AppState, cr: &ChangeRequest) -> Result<&'a str> {
    let me = editor(viewer)?;
    let mut comuni = cr.comuni.clone();
    if let Some(r) = Record::stored(cr.kind, &cr.record_id, &state.directory.catalog()) {
        comuni.extend(r.place(&state.directory.catalog()).comuni);
    }
    if viewer.may_review(&comuni) {
        Ok(me.as_str())
    } else {
        Err(Error::Forbidden(
            "only a coordinator of the record's territory or an admin decides change requests"
                .into(),
        ))
    }
}

fn not_pending(cr: &ChangeRequest) -> Error {
    Error::Conflict {
        detail: format!(
            "change request {} is {}, no longer pending",
            cr.id,
            cr.status.as_str()
        ),
        changes: None,
        meanwhile: None,
    }
}

async fn moved_on(state: &AppState, cr: &ChangeRequest) -> Result<Error> {
    let (changes, meanwhile) = diffs(state, cr).await?;
    Ok(Error::Conflict {
        detail: format!(
            "the record changed since version {} this request is based on: compare `changes` \
             with `meanwhile`, then propose again from the current version",
            cr.base_version.unwrap_or(0)
        ),
        changes: Some(changes),
        meanwhile: Some(meanwhile.unwrap_or_else(|| json!([]))),
    })
}

async fn reread(state: &AppState, id: &str) -> Result<ChangeRequest> {
    state
        .directory
        .store()
        .edits()
        .change_request(id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("no change request {id}")))
}

/// `POST /api/changes/{id}/approve`: publishes the proposal.
pub async fn approve(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response> {
    editor(&viewer)?;
    let cr = find(&state, &viewer, &id).await?;
    let me = reviewer_of(&viewer, &state, &cr)?.to_owned();
    let decision: Decision = super::body(&body)?;
    if cr.status != ChangeStatus::Pending {
        return Err(not_pending(&cr));
    }
    let catalog = state.directory.catalog();
    let current = Record::stored(cr.kind, &cr.record_id, &catalog);
    if current.as_ref().map(|r| r.meta().version) != cr.base_version {
        return Err(moved_on(&state, &cr).await?);
    }
    let mut record = match (cr.action, current) {
        (ChangeAction::Upsert, current) => {
            let mut r = record::read(cr.kind, &cr.proposed, state.directory.taxonomy(), &catalog)?;
            if let Some(cur) = current {
                let meta = r.meta_mut();
                meta.verified = cur.meta().verified.clone();
                meta.last_verified_at = cur.meta().last_verified_at;
            }
            r
        }
        (ChangeAction::Archive, Some(mut cur)) => {
            cur.meta_mut().status = Status::Archived;
            cur
        }
        (ChangeAction::Archive, None) => return Err(moved_on(&state, &cr).await?),
    };
    let clean = record.meta().without_store_fields();
    *record.meta_mut() = clean;
    let changes = ChangeSet {
        dataset: record.into_dataset(),
        origin: Origin {
            author: Some(cr.author.clone()),
            reason: cr.reason.clone(),
            source: Source::Review,
            reviewer: Some(me.clone()),
        },
        expect: vec![Expectation {
            kind: cr.kind,
            id: cr.record_id.clone(),
            version: cr.base_version,
        }],
        requests: vec![RequestOp::Decide {
            id: cr.id.clone(),
            from: ChangeStatus::Pending,
            to: ChangeStatus::Approved,
            by: me,
            reason: decision.reason.filter(|r| !r.trim().is_empty()),
            at: chrono::Utc::now(),
        }],
        ..Default::default()
    };
    if let Err(e) = state.directory.apply(&changes).await {
        return Err(match e {
            store::Error::Stale { .. } => {
                let now = reread(&state, &id).await?;
                if now.status != ChangeStatus::Pending {
                    not_pending(&now)
                } else {
                    moved_on(&state, &now).await?
                }
            }
            e => e.into(),
        });
    }
    let decided = reread(&state, &id).await?;
    let record = Record::stored(cr.kind, &cr.record_id, &state.directory.catalog())
        .map(|r| r.to_json())
        .unwrap_or(Value::Null);
    Ok(answer(
        StatusCode::OK,
        &json!({ "change": decided, "record": record }),
    ))
}

/// One decision that writes no record (reject, withdraw).
async fn decide(
    state: &AppState,
    cr: &ChangeRequest,
    to: ChangeStatus,
    by: String,
    reason: Option<String>,
) -> Result<Response> {
    if cr.status != ChangeStatus::Pending {
        return Err(not_pending(cr));
    }
    let changes = ChangeSet {
        origin: Origin {
            author: Some(by.clone()),
            reason: reason.clone(),
            source: Source::Review,
            reviewer: (to == ChangeStatus::Rejected).then(|| by.clone()),
        },
        requests: vec![RequestOp::Decide {
            id: cr.id.clone(),
            from: ChangeStatus::Pending,
            to,
            by,
            reason,
            at: chrono::Utc::now(),
        }],
        ..Default::default()
    };
    if let Err(e) = state.directory.apply(&changes).await {
        return Err(match e {
            store::Error::Stale { .. } => not_pending(&reread(state, &cr.id).await?),
            e => e.into(),
        });
    }
    let decided = reread(state, &cr.id).await?;
    Ok(answer(StatusCode::OK, &json!({ "change": decided })))
}

/// `POST /api/changes/{id}/reject`: `{"reason": "…"}`, required; the author sees it.
pub async fn reject(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response> {
    editor(&viewer)?;
    let cr = find(&state, &viewer, &id).await?;
    let me = reviewer_of(&viewer, &state, &cr)?.to_owned();
    let decision: Decision = super::body(&body)?;
    let Some(reason) = decision
        .reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty())
    else {
        return Err(Error::Invalid(vec![FieldProblem {
            pointer: "/reason".into(),
            detail: "a rejection needs a reason: the author reads it".into(),
        }]));
    };
    decide(&state, &cr, ChangeStatus::Rejected, me, Some(reason)).await
}

/// `POST /api/changes/{id}/withdraw`: its author takes it back.
pub async fn withdraw(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response> {
    let me = editor(&viewer)?.to_string();
    let cr = find(&state, &viewer, &id).await?;
    if cr.author != me {
        return Err(Error::Forbidden(
            "only the author of a change request may withdraw it".into(),
        ));
    }
    decide(&state, &cr, ChangeStatus::Withdrawn, me, None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_default_to_pending_and_all_means_any() {
        assert_eq!(statuses(&None).unwrap(), [ChangeStatus::Pending]);
        assert!(statuses(&Some("all".into())).unwrap().is_empty());
        assert_eq!(
            statuses(&Some("rejected,approved".into())).unwrap(),
            [ChangeStatus::Rejected, ChangeStatus::Approved]
        );
        assert!(statuses(&Some("nope".into())).is_err());
    }

    #[test]
    fn a_record_parameter_names_kind_and_id() {
        assert_eq!(
            record_param(&Some("sportelli/loc-x".into())).unwrap(),
            Some((RecordKind::Location, Id::parse("loc-x").unwrap()))
        );
        assert!(record_param(&Some("loc-x".into())).is_err());
        assert!(record_param(&Some("comuni/027042".into())).is_err());
    }
}
