//! `POST /api/imports/{id}/commit`: the pending import written all or nothing, in one
//! transaction through `Directory::apply` — published (admins, coordinators, a trusted
//! organisation's operator, recorded as published unreviewed) or kept as one pending change
//! request per record (an operator of an organisation that is not trusted), as the editing
//! rules of `crate::access::edit` say.
//!
//! The commit reads the stored file again with the rows the request excludes and the
//! duplicates it resolves, and refuses (422) while any row has a problem, (409) while a
//! likely duplicate is unresolved. Every record's version is checked against the one the dry
//! run saw, inside the transaction: if anything moved on meanwhile, nothing is written.

use super::check::{check, key, records, Decisions};
use super::locate::Form;
use super::{mode_name, pending};
use crate::access::{Viewer, Write};
use crate::api::edit::record::Record;
use crate::api::edit::{answer, body, editor};
use crate::api::error::{Error, Result};
use crate::api::AppState;
use crate::model::{ChangeAction, ChangeRequest, ChangeStatus, Origin, Provenance, Source, Status};
use crate::store::{self, ChangeSet, Expectation, RequestOp};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;
use std::collections::BTreeMap;

/// The `If-Match` of a commit: the report's ETag (428 without it, 412 for another).
fn guard(headers: &HeaderMap, etag: &str) -> Result<()> {
    let Some(v) = headers.get(header::IF_MATCH) else {
        return Err(Error::PreconditionRequired(
            "If-Match: send the ETag of the dry-run report you checked".into(),
        ));
    };
    let sent = v.to_str().unwrap_or("").trim();
    let sent = sent.strip_prefix("W/").unwrap_or(sent).trim_matches('"');
    if sent == etag {
        Ok(())
    } else {
        Err(Error::Stale {
            current_version: None,
        })
    }
}

pub async fn commit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response> {
    let author = editor(&viewer)?.to_string();
    let p = pending(&state, &viewer, &id).await?;
    guard(&headers, &p.etag)?;
    let decisions: Decisions = body(&bytes)?;
    let form = if p.format == "csv" {
        Form::Csv
    } else {
        Form::Geojson
    };
    let catalog = state.directory.catalog();
    let mut checked = {
        let (text, org, viewer) = (p.body.clone(), p.organization_id.clone(), viewer.clone());
        let taxonomy = state.directory.taxonomy().clone();
        let catalog = catalog.clone();
        tokio::task::spawn_blocking(move || {
            check(form, &text, &org, &viewer, &catalog, &taxonomy, &decisions)
        })
        .await
        .map_err(|e| Error::Internal(e.into()))?
    };
    if !checked.problems.is_empty() {
        return Err(Error::Rows {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            detail: format!(
                "{} problem(s) in the file: fix them and upload again, or list their rows in \
                 \"exclude\"; nothing was written",
                checked.problems.len()
            ),
            errors: json!(checked.problems),
        });
    }
    if !checked.duplicates.is_empty() {
        return Err(Error::Rows {
            status: StatusCode::CONFLICT,
            detail: format!(
                "{} likely duplicate(s): say for each whether it is the same sportello or a \
                 different one in \"duplicates\"; nothing was written",
                checked.duplicates.len()
            ),
            errors: json!(checked.duplicates),
        });
    }
    let Some(mode) = checked.mode else {
        return Err(Error::Forbidden(format!(
            "you may not edit these records of {}",
            p.organization_id
        )));
    };
    // The versions the dry run saw; a record it did not see (merged into, or no longer
    // excluded) is taken as it is now.
    let seen: BTreeMap<String, Option<i64>> =
        serde_json::from_value(p.report["bases"].clone()).unwrap_or_default();
    // Each record the commit writes names the file's source and licence, and this import.
    let mut provenance = Provenance::new(&p.source, p.licence.as_deref(), chrono::Utc::now());
    provenance.import = Some(p.id.clone());
    crate::import::provenance::stamp(&mut checked.dataset, &provenance, &catalog);
    let all = records(&checked.dataset);
    let expect: Vec<Expectation> = all
        .iter()
        .map(|r| {
            let k = key(r.kind(), r.id());
            Expectation {
                kind: r.kind(),
                id: r.id().clone(),
                version: seen
                    .get(&k)
                    .copied()
                    .unwrap_or_else(|| checked.bases.get(&k).copied().flatten()),
            }
        })
        .collect();
    let origin = Origin {
        author: Some(author.clone()),
        reason: Some(match &p.licence {
            Some(l) => format!("import {} of {} (licence {l})", p.id, p.source),
            None => format!("import {} of {}", p.id, p.source),
        }),
        source: Source::Import,
        reviewer: None,
    };
    let status = match mode {
        Write::Propose => Some(ChangeStatus::Pending),
        Write::PublishUnreviewed => Some(ChangeStatus::PublishedUnreviewed),
        Write::Publish => None,
    };
    let mut requests = Vec::new();
    if let Some(status) = status {
        // The comuni of each record, from the file too (its new sportelli are in no catalog
        // yet): they decide which coordinators review the request.
        let comune_of: BTreeMap<&str, &str> = checked
            .dataset
            .locations
            .iter()
            .map(|l| (l.id.as_str(), l.address.comune_istat.as_str()))
            .collect();
        let mut service_comuni: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for o in &checked.dataset.service_at_locations {
            if let Some(c) = comune_of.get(o.location_id.as_str()) {
                service_comuni
                    .entry(o.service_id.as_str())
                    .or_default()
                    .push((*c).to_owned());
            }
        }
        for (r, e) in all.iter().zip(&expect) {
            let mut comuni = r.place(&catalog).comuni;
            match r {
                Record::Location(l) => comuni.push(l.address.comune_istat.clone()),
                Record::Offer(o) => comuni.extend(
                    comune_of
                        .get(o.location_id.as_str())
                        .map(|c| (*c).to_owned()),
                ),
                Record::Service(s) => comuni.extend(
                    service_comuni
                        .get(s.id.as_str())
                        .cloned()
                        .unwrap_or_default(),
                ),
                _ => {}
            }
            comuni.sort();
            comuni.dedup();
            requests.push(RequestOp::Create(ChangeRequest {
                id: format!("cr-{}", crate::accounts::random::hex(10)?),
                kind: r.kind(),
                record_id: r.id().clone(),
                organization_id: p.organization_id.clone(),
                comuni,
                action: if r.meta().status == Status::Archived {
                    ChangeAction::Archive
                } else {
                    ChangeAction::Upsert
                },
                base_version: e.version,
                proposed: r.content_json(),
                author: author.clone(),
                reason: origin.reason.clone(),
                status,
                created_at: chrono::Utc::now(),
                decided_at: None,
                decided_by: None,
                decision_reason: None,
                applied_revision: None,
            }));
        }
    }
    let n_requests = requests.len();
    let changes = ChangeSet {
        dataset: if mode == Write::Propose {
            Default::default()
        } else {
            checked.dataset
        },
        replace_services_of_locations: mode != Write::Propose,
        origin,
        expect,
        requests,
        ..Default::default()
    };
    let committed = state.directory.apply(&changes).await.map_err(|e| match e {
        store::Error::Stale {
            kind, id, actual, ..
        } => Error::Conflict {
            detail: format!(
                "{kind} {id} changed since the dry run (it is at version {}): nothing was \
                 written; upload the file again to check it against the directory as it is now",
                actual.map_or("none".to_owned(), |v| v.to_string())
            ),
            changes: None,
            meanwhile: None,
        },
        e => e.into(),
    })?;
    let store = state.directory.store().imports();
    if let Err(e) = store.delete_import(&p.id).await {
        // Harmless: committing it again fails on the versions it expects.
        tracing::warn!(error = %e, "a committed import could not be deleted");
    }
    Ok(answer(
        StatusCode::OK,
        &json!({
            "id": p.id,
            "revision": committed.revision,
            "mode": mode_name(Some(mode)),
            "counts": checked.counts,
            "by_kind": checked.by_kind,
            "change_requests": n_requests,
        }),
    ))
}
