//! `/api/records/{kind}[/{id}]`: list, read, create, replace, archive — and [`submit`], the
//! one way an edit of any route reaches the write path: the editing rules decide whether it
//! publishes at once or waits for review; the version it is based on is checked inside the
//! commit's transaction.

use super::record::{self, Place, Record};
use super::{answer, editor, etag, if_match, json, kind, IfMatch};
use crate::access::{RecordScope, Viewer, Write};
use crate::api::error::{Error, Result};
use crate::api::AppState;
use crate::index::Catalog;
use crate::model::{
    ChangeAction, ChangeRequest, ChangeStatus, Id, Origin, RecordKind, Source, Status,
};
use crate::store::{self, ChangeSet, Expectation, RequestOp};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

/// One edit, ready to be submitted.
pub struct Edit {
    pub action: ChangeAction,
    /// The record to write (for an archive: the current one, archived).
    pub record: Record,
    /// The version it is based on; none: it must not exist yet.
    pub base: Option<i64>,
    pub source: Source,
    pub reason: Option<String>,
}

/// A record's answer: the record, with its version as the ETag.
pub fn record_answer(status: StatusCode, r: &Record) -> Response {
    let mut res = answer(status, &r.to_json());
    res.headers_mut()
        .insert(header::ETAG, etag(r.meta().version));
    res
}

/// The current record a viewer may edit: 404 when it does not exist or the viewer may not
/// see it (as for a record that never existed), 403 when they see it but may not edit it.
pub fn editable(viewer: &Viewer, kind: RecordKind, id: &str, c: &Catalog) -> Result<Record> {
    let missing = || Error::NotFound(format!("no {} {id}", record::path_of(kind)));
    let id = Id::parse(id).map_err(|_| missing())?;
    let current = Record::stored(kind, &id, c).ok_or_else(missing)?;
    let place = current.place(c);
    if viewer.may_edit(place.scope()) {
        return Ok(current);
    }
    let seen = viewer.can_see(RecordScope::of(
        current.meta(),
        place.organization.as_ref(),
        &place.comuni,
    ));
    if seen {
        Err(Error::Forbidden(format!(
            "you may not edit {} {id}: it belongs to another organisation or territory",
            record::path_of(kind)
        )))
    } else {
        Err(missing())
    }
}

/// The version an `If-Match` names, against the current one.
pub fn base_version(m: IfMatch, current: &Record) -> i64 {
    match m {
        IfMatch::Version(v) => v,
        IfMatch::Any => current.meta().version,
    }
}

/// How a viewer's edit goes, from where the record is now (`current`) to where it will be:
/// 403 when they may not make it, naming the field when one field is the reason.
fn decide(
    viewer: &Viewer,
    current: Option<(&Record, &Place)>,
    next: (&Record, &Place),
) -> Result<Write> {
    let (record, place) = next;
    let reviewer = |p: &Place| viewer.may_review(&p.comuni);
    // A new organisation has no sportelli yet: any coordinator (or admin) may create one.
    let creates_organization = current.is_none() && matches!(record, Record::Organization(_));
    let mut mode = if creates_organization && (viewer.is_coordinator() || reviewer(place)) {
        Some(Write::Publish)
    } else {
        viewer.write(place.scope(), place.trusted)
    };
    if let Some((old, old_place)) = current {
        if old.named_owner() != record.named_owner() && !(reviewer(old_place) && reviewer(place)) {
            return Err(Error::ForbiddenField {
                pointer: match record.kind() {
                    RecordKind::Project => "/lead_organization_id".into(),
                    _ => "/organization_id".into(),
                },
                detail: "only a coordinator or an admin may move a record to another organisation"
                    .into(),
            });
        }
        let old_mode = viewer.write(old_place.scope(), old_place.trusted);
        mode = match (old_mode, mode) {
            (Some(a), Some(b)) => Some(weaker(a, b)),
            _ => None,
        };
    }
    let was_trusted = current.is_some_and(|(old, _)| old.trusted());
    if record.trusted() != was_trusted
        && !(creates_organization && viewer.is_coordinator())
        && !reviewer(place)
    {
        return Err(Error::ForbiddenField {
            pointer: "/trusted".into(),
            detail: "only a coordinator or an admin may mark an organisation trusted".into(),
        });
    }
    mode.ok_or_else(|| {
        Error::Forbidden(format!(
            "you may not edit {} {}: it belongs to another organisation or territory",
            record::path_of(record.kind()),
            record.id()
        ))
    })
}

fn weaker(a: Write, b: Write) -> Write {
    match (a, b) {
        (Write::Propose, _) | (_, Write::Propose) => Write::Propose,
        (Write::PublishUnreviewed, _) | (_, Write::PublishUnreviewed) => Write::PublishUnreviewed,
        _ => Write::Publish,
    }
}

/// An edit checked against the editing rules, ready to commit: what [`submit`] applies, or
/// one part of a commit that writes several edits at once (a campaign's answer).
pub enum Prepared {
    /// A proposal that changes nothing waits for nobody: the record as it is.
    Unchanged(Record),
    /// The commit's parts: the record (when it publishes), the expected version, the change
    /// request (pending, or published-unreviewed for a trusted organisation), its origin.
    Commit {
        kind: RecordKind,
        id: Id,
        /// A create (no base version): a stale answer means the record exists.
        creates: bool,
        /// The pending change request it waits as (none: it publishes).
        pending: Option<ChangeRequest>,
        changes: ChangeSet,
    },
}

/// Prepares an edit: decides, as the editing rules say, whether it publishes at once or
/// waits for review (403 when the viewer may not make it; 409 for a create whose record
/// exists; 412 for a proposal of no change on a stale base). Nothing is written.
pub fn prepare(state: &AppState, viewer: &Viewer, mut edit: Edit) -> Result<Prepared> {
    let author = editor(viewer)?.to_string();
    let catalog = state.directory.catalog();
    let kind = edit.record.kind();
    let id = edit.record.id().clone();
    let current = Record::stored(kind, &id, &catalog);
    if edit.base.is_none() && current.is_some() {
        return Err(Error::Conflict {
            detail: format!(
                "{} {id} exists: PUT it with If-Match instead",
                record::path_of(kind)
            ),
            changes: None,
            meanwhile: None,
        });
    }
    if let Some(cur) = &current {
        // What only "still correct" changes stays as it is.
        let keep = cur.meta().clone();
        let meta = edit.record.meta_mut();
        meta.verified = keep.verified;
        meta.last_verified_at = keep.last_verified_at;
    }
    // Where a record came from is its import's to say (`docs/editing.md`, "Provenance"): a
    // write keeps the stored one, and a client may not set or change it.
    let stored = current.as_ref().and_then(|c| c.meta().provenance.clone());
    let sent = edit.record.meta_mut().provenance.take();
    if edit.source == Source::Api && sent.is_some() && sent != stored {
        return Err(Error::ForbiddenField {
            pointer: "/provenance".into(),
            detail: "only an import sets where a record came from: leave provenance out, or \
                     send it as the record has it"
                .into(),
        });
    }
    edit.record.meta_mut().provenance = stored;
    record::stamp_translations(
        &mut edit.record,
        current.as_ref(),
        &author,
        chrono::Utc::now(),
    );
    let place = edit.record.place(&catalog);
    let current_place = current.as_ref().map(|c| c.place(&catalog));
    let mode = decide(
        viewer,
        current.as_ref().zip(current_place.as_ref()),
        (&edit.record, &place),
    )?;
    // A proposal that changes nothing waits for nobody.
    if let Some(cur) = current.as_ref().filter(|_| mode == Write::Propose) {
        if cur.content_json() == edit.record.content_json() {
            return if edit.base == Some(cur.meta().version) {
                Ok(Prepared::Unchanged(cur.clone()))
            } else {
                Err(Error::Stale {
                    current_version: Some(cur.meta().version),
                })
            };
        }
    }
    let expect = vec![Expectation {
        kind,
        id: id.clone(),
        version: edit.base,
    }];
    let origin = Origin {
        author: Some(author.clone()),
        reason: edit.reason.clone(),
        source: edit.source,
        reviewer: None,
    };
    let organization = place
        .organization
        .clone()
        .or_else(|| current_place.as_ref().and_then(|p| p.organization.clone()))
        .unwrap_or_else(|| id.clone());
    let mut comuni = place.comuni.clone();
    comuni.extend(current_place.iter().flat_map(|p| p.comuni.iter().cloned()));
    comuni.sort();
    comuni.dedup();
    let request = |status: ChangeStatus| -> Result<ChangeRequest> {
        Ok(ChangeRequest {
            id: format!("cr-{}", crate::accounts::random::hex(10)?),
            kind,
            record_id: id.clone(),
            organization_id: organization.clone(),
            comuni: comuni.clone(),
            action: edit.action,
            base_version: edit.base,
            proposed: match edit.action {
                ChangeAction::Upsert => edit.record.content_json(),
                ChangeAction::Archive => serde_json::Value::Null,
            },
            author: author.clone(),
            reason: edit.reason.clone(),
            status,
            created_at: chrono::Utc::now(),
            decided_at: None,
            decided_by: None,
            decision_reason: None,
            applied_revision: None,
        })
    };
    let creates = edit.base.is_none();
    if mode == Write::Propose {
        let cr = request(ChangeStatus::Pending)?;
        return Ok(Prepared::Commit {
            kind,
            id: id.clone(),
            creates,
            pending: Some(cr.clone()),
            changes: ChangeSet {
                origin,
                expect,
                requests: vec![RequestOp::Create(cr)],
                ..Default::default()
            },
        });
    }
    let requests = match mode {
        Write::PublishUnreviewed => vec![RequestOp::Create(request(
            ChangeStatus::PublishedUnreviewed,
        )?)],
        _ => Vec::new(),
    };
    Ok(Prepared::Commit {
        kind,
        id: id.clone(),
        creates,
        pending: None,
        changes: ChangeSet {
            dataset: edit.record.into_dataset(),
            origin,
            expect,
            requests,
            ..Default::default()
        },
    })
}

/// Submits an edit: published at once (200 with the record and its ETag) or kept as a
/// change request (202 with it), as the editing rules say. Nothing is written when the
/// record moved on from `base` (412, with the current version) or, for a create, exists (409).
pub async fn submit(state: &AppState, viewer: &Viewer, edit: Edit) -> Result<Response> {
    let (kind, id, creates, pending, changes) = match prepare(state, viewer, edit)? {
        Prepared::Unchanged(r) => return Ok(record_answer(StatusCode::OK, &r)),
        Prepared::Commit {
            kind,
            id,
            creates,
            pending,
            changes,
        } => (kind, id, creates, pending, changes),
    };
    let stale = |e: store::Error| match e {
        store::Error::Stale { actual, .. } if creates => Error::Conflict {
            detail: format!(
                "{} {id} exists (version {}): PUT it with If-Match instead",
                record::path_of(kind),
                actual.unwrap_or(0)
            ),
            changes: None,
            meanwhile: None,
        },
        e => e.into(),
    };
    state.directory.apply(&changes).await.map_err(stale)?;
    if let Some(cr) = pending {
        return Ok(answer(StatusCode::ACCEPTED, &json!({ "change": cr })));
    }
    let written = Record::stored(kind, &id, &state.directory.catalog()).ok_or_else(|| {
        Error::Internal(anyhow::anyhow!(
            "{kind} {id} was written but is not in the read model"
        ))
    })?;
    Ok(record_answer(StatusCode::OK, &written))
}

/// `?reason=` of a write: why the change was made, kept in the history and shown to the
/// reviewer (at most [`REASON_MAX`] characters; blank is none).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonQuery {
    pub reason: Option<String>,
}

/// The longest reason a write takes.
pub const REASON_MAX: usize = 500;

impl ReasonQuery {
    fn reason(self) -> Result<Option<String>> {
        let r = self
            .reason
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty());
        if r.as_ref().is_some_and(|r| r.chars().count() > REASON_MAX) {
            return Err(Error::bad(
                "reason",
                format!("at most {REASON_MAX} characters"),
            ));
        }
        Ok(r)
    }
}

/// `?organization=` and `?comune=` of the list.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub organization: Option<String>,
    pub comune: Option<String>,
}

/// `GET /api/records/{kind}`: the records of that kind the viewer may edit.
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(kind_segment): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    editor(&viewer)?;
    let kind = kind(&kind_segment)?;
    let catalog = state.directory.catalog();
    let records: Vec<serde_json::Value> = Record::all(kind, &catalog)
        .into_iter()
        .filter_map(|r| {
            let place = r.place(&catalog);
            let wanted = viewer.may_edit(place.scope())
                && q.organization
                    .as_deref()
                    .is_none_or(|o| place.organization.as_ref().is_some_and(|p| p.as_str() == o))
                && q.comune
                    .as_deref()
                    .is_none_or(|c| place.comuni.iter().any(|x| x == c));
            wanted.then(|| r.to_json())
        })
        .collect();
    Ok(answer(
        StatusCode::OK,
        &json!({ "kind": record::path_of(kind), "records": records }),
    ))
}

/// `GET /api/records/{kind}/{id}`: one record the viewer may edit, with its ETag.
pub async fn one(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((kind_segment, id)): Path<(String, String)>,
) -> Result<Response> {
    editor(&viewer)?;
    let kind = kind(&kind_segment)?;
    let r = editable(&viewer, kind, &id, &state.directory.catalog())?;
    Ok(record_answer(StatusCode::OK, &r))
}

/// `POST /api/records/{kind}`: a new record (its id in the body).
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(kind_segment): Path<String>,
    Query(why): Query<ReasonQuery>,
    body: Bytes,
) -> Result<Response> {
    editor(&viewer)?;
    let kind = kind(&kind_segment)?;
    let reason = why.reason()?;
    let v = json(&body)?;
    let catalog = state.directory.catalog();
    let mut r = record::read(kind, &v, state.directory.taxonomy(), &catalog)?;
    let clean = r.meta().without_store_fields();
    *r.meta_mut() = clean;
    submit(
        &state,
        &viewer,
        Edit {
            action: ChangeAction::Upsert,
            record: r,
            base: None,
            source: Source::Api,
            reason,
        },
    )
    .await
}

/// `PUT /api/records/{kind}/{id}`: the record replaced (needs `If-Match`).
pub async fn replace(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((kind_segment, id)): Path<(String, String)>,
    Query(why): Query<ReasonQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    editor(&viewer)?;
    let kind = kind(&kind_segment)?;
    let reason = why.reason()?;
    let catalog = state.directory.catalog();
    let current = editable(&viewer, kind, &id, &catalog)?;
    let m = if_match(&headers)?;
    let v = json(&body)?;
    let r = record::read(kind, &v, state.directory.taxonomy(), &catalog)?;
    if r.id().as_str() != id {
        return Err(Error::Invalid(vec![crate::api::error::FieldProblem {
            pointer: "/id".into(),
            detail: format!("must be {id}, the id in the path (ids never change)"),
        }]));
    }
    submit(
        &state,
        &viewer,
        Edit {
            action: ChangeAction::Upsert,
            record: r,
            base: Some(base_version(m, &current)),
            source: Source::Api,
            reason,
        },
    )
    .await
}

/// `DELETE /api/records/{kind}/{id}`: the record archived (needs `If-Match`); kept for
/// history, hidden everywhere.
pub async fn archive(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((kind_segment, id)): Path<(String, String)>,
    Query(why): Query<ReasonQuery>,
    headers: HeaderMap,
) -> Result<Response> {
    editor(&viewer)?;
    let kind = kind(&kind_segment)?;
    let reason = why.reason()?;
    let catalog = state.directory.catalog();
    let mut current = editable(&viewer, kind, &id, &catalog)?;
    let m = if_match(&headers)?;
    let base = base_version(m, &current);
    current.meta_mut().status = Status::Archived;
    submit(
        &state,
        &viewer,
        Edit {
            action: ChangeAction::Archive,
            record: current,
            base: Some(base),
            source: Source::Api,
            reason,
        },
    )
    .await
}
