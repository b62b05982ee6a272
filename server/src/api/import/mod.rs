//! `/api/imports`: upload a CSV or GeoJSON file for one organisation, read its dry-run
//! report, then commit it all or nothing through the one write path, or discard it
//! (`docs/imports.md`).
//!
//! - [`locate`]: where in the file each problem is (CSV line and column, GeoJSON feature and
//!   JSON Pointer), and leaving rows out without moving the others;
//! - [`check`]: the dry run (the import's own reader and validator, ownership, counts);
//! - [`duplicates`]: likely duplicates within 25 m with similar names;
//! - [`commit`]: the commit, as the editing rules say (published, or change requests).

pub mod check;
mod commit;
pub mod duplicates;
pub mod locate;

use super::edit::{answer, editor};
use super::error::{Error, Result};
use super::AppState;
use crate::access::{EditScope, Viewer, Write};
use crate::config::Config;
use crate::model::Id;
use crate::store::PendingImport;
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use check::{check, Checked, Decisions};
use locate::Form;
use serde::Deserialize;
use serde_json::json;

/// The path uploads are posted to (the one route with its own body limit).
pub const UPLOADS: &str = "/api/imports";

/// The limits of uploads, from [`Config`].
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub max_bytes: usize,
    /// How long a pending import waits for its commit.
    pub ttl: chrono::Duration,
}

impl Limits {
    pub fn new(config: &Config) -> Self {
        Limits {
            max_bytes: config.import_max_bytes,
            ttl: chrono::Duration::seconds(i64::try_from(config.import_ttl_secs).unwrap_or(86400)),
        }
    }
}

/// The routes, each with the methods it answers (for the OpenAPI document and the role
/// matrix) beside its handler.
pub fn route_list() -> Vec<(
    &'static str,
    &'static [&'static str],
    MethodRouter<AppState>,
)> {
    vec![
        (UPLOADS, &["post"], post(upload)),
        (
            "/api/imports/{id}",
            &["get", "delete"],
            get(report).delete(discard),
        ),
        ("/api/imports/{id}/commit", &["post"], post(commit::commit)),
    ]
}

/// The routes, for the API router.
pub fn routes() -> axum::Router<AppState> {
    route_list()
        .into_iter()
        .fold(axum::Router::new(), |r, (path, _, handler)| {
            r.route(path, handler)
        })
}

/// Middleware: the API's body limit ([`crate::api::MAX_BODY`]) for every request but an
/// upload, which the upload handler reads against [`Limits::max_bytes`].
pub async fn limit_bodies(req: Request, next: Next) -> Response {
    use tower::{Layer, ServiceExt};
    if req.method() == Method::POST && req.uri().path() == UPLOADS {
        return next.run(req).await;
    }
    let inner = tower::service_fn(move |r: axum::http::Request<_>| {
        let next = next.clone();
        async move { Ok::<_, std::convert::Infallible>(next.run(r.map(Body::new)).await) }
    });
    let limited = tower_http::limit::RequestBodyLimitLayer::new(crate::api::MAX_BODY).layer(inner);
    match limited.oneshot(req).await {
        Ok(res) => res.map(Body::new),
        Err(never) => match never {},
    }
}

/// `?organization=` (required), `?source=` and `?licence=` of an upload.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    pub organization: String,
    /// Where the records come from (a file name, a dataset title or URL).
    pub source: Option<String>,
    pub licence: Option<String>,
}

/// The form a `Content-Type` names.
fn form_of(headers: &HeaderMap) -> Result<Form> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "text/csv" => Ok(Form::Csv),
        "application/geo+json" | "application/json" => Ok(Form::Geojson),
        _ => Err(Error::Rejected {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            detail: format!(
                "Content-Type {ct:?}: send text/csv (the CSV form) or application/geo+json (a \
                 FeatureCollection in the dataset form)"
            ),
        }),
    }
}

/// The organisation an upload is for, if the viewer may import for it: operators their
/// own, coordinators those in their territory (or with no sportelli yet), admins any.
fn organization(viewer: &Viewer, id: &str, state: &AppState) -> Result<Id> {
    let catalog = state.directory.catalog();
    let unknown = || Error::bad("organization", format!("no organisation {id:?}"));
    let org = Id::parse(id).map_err(|_| unknown())?;
    let Some(o) = catalog.organizations.get(&org) else {
        return Err(unknown());
    };
    let comuni = check::organization_comuni(&catalog, &org);
    let scope = EditScope {
        organization: Some(&org),
        comuni: &comuni,
    };
    if viewer.write(scope, o.trusted).is_some() || (viewer.is_coordinator() && comuni.is_empty()) {
        Ok(org)
    } else {
        Err(Error::Forbidden(format!(
            "you may not import records for organisation {org}: operators import for their own \
             organisation, coordinators for those in their territory"
        )))
    }
}

/// The upload's bytes, at most `limit` (413 naming the limit).
async fn read_body(body: Body, headers: &HeaderMap, limit: usize) -> Result<String> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(Error::BodyTooLarge { limit });
    }
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| Error::BodyTooLarge { limit })?;
    crate::import::decode(&bytes)
        .map(str::to_owned)
        .map_err(|e| Error::bad("body", e.to_string()))
}

fn mode_name(m: Option<Write>) -> &'static str {
    match m {
        Some(Write::Publish) => "publish",
        Some(Write::PublishUnreviewed) => "publish_unreviewed",
        Some(Write::Propose) => "propose",
        None => "none",
    }
}

/// The report's JSON (what the uploader sees; the stored one adds the base versions).
fn report_json(p: &PendingImport, c: &Checked) -> serde_json::Value {
    json!({
        "id": p.id,
        "organization_id": p.organization_id,
        "format": p.format,
        "source": p.source,
        "licence": p.licence,
        "created_at": p.created_at,
        "expires_at": p.expires_at,
        "mode": mode_name(c.mode),
        "committable": c.problems.is_empty() && c.duplicates.is_empty() && c.mode.is_some(),
        "problems": c.problems,
        "duplicates": c.duplicates,
        "counts": c.counts,
        "by_kind": c.by_kind,
        "records": check::records(&c.dataset).len(),
    })
}

/// The answer holding a report, with its ETag.
fn report_answer(status: StatusCode, p: &PendingImport) -> Response {
    let mut v = p.report.clone();
    if let Some(m) = v.as_object_mut() {
        m.remove("bases");
    }
    let mut res = answer(status, &v);
    if let Ok(tag) = HeaderValue::from_str(&format!("\"{}\"", p.etag)) {
        res.headers_mut().insert(header::ETAG, tag);
    }
    if let Ok(loc) = HeaderValue::from_str(&format!("/api/imports/{}", p.id)) {
        res.headers_mut().insert(header::LOCATION, loc);
    }
    res
}

/// `POST /api/imports?organization=…`: the file checked (nothing written but the pending
/// import); 201 with the dry-run report.
pub async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response> {
    let author = editor(&viewer)?.to_string();
    let org = organization(&viewer, &q.organization, &state)?;
    let form = form_of(&headers)?;
    let text = read_body(body, &headers, state.imports.max_bytes).await?;
    let catalog = state.directory.catalog();
    let taxonomy = state.directory.taxonomy().clone();
    let (checked, text) = {
        let viewer = viewer.clone();
        let org = org.clone();
        tokio::task::spawn_blocking(move || {
            let c = check(
                form,
                &text,
                &org,
                &viewer,
                &catalog,
                &taxonomy,
                &Decisions::default(),
            );
            (c, text)
        })
        .await
        .map_err(|e| Error::Internal(e.into()))?
    };
    let now = chrono::Utc::now();
    let store = state.directory.store().imports();
    store.purge_imports(now).await?;
    let mut pending = PendingImport {
        id: format!("imp-{}", crate::accounts::random::hex(10)?),
        organization_id: org,
        author,
        format: form.as_str().to_owned(),
        source: q
            .source
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| format!("upload.{}", form.as_str())),
        licence: q.licence.filter(|s| !s.trim().is_empty()),
        body: text,
        report: serde_json::Value::Null,
        etag: crate::accounts::random::hex(8)?,
        created_at: now,
        expires_at: now + state.imports.ttl,
    };
    let mut report = report_json(&pending, &checked);
    report["bases"] = json!(checked.bases);
    pending.report = report;
    store.put_import(&pending).await?;
    Ok(report_answer(StatusCode::CREATED, &pending))
}

/// The pending import `id` of this viewer (404 for anyone else's, as for one that never was).
pub async fn pending(state: &AppState, viewer: &Viewer, id: &str) -> Result<PendingImport> {
    let author = editor(viewer)?;
    let missing = || Error::NotFound(format!("no pending import {id} (it may have expired)"));
    let p = state
        .directory
        .store()
        .imports()
        .pending_import(id, chrono::Utc::now())
        .await?
        .ok_or_else(missing)?;
    if p.author != author.as_str() {
        return Err(missing());
    }
    Ok(p)
}

/// `GET /api/imports/{id}`: the dry-run report again, with its ETag.
pub async fn report(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response> {
    let p = pending(&state, &viewer, &id).await?;
    Ok(report_answer(StatusCode::OK, &p))
}

/// `DELETE /api/imports/{id}`: discarded (204).
pub async fn discard(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response> {
    let p = pending(&state, &viewer, &id).await?;
    state
        .directory
        .store()
        .imports()
        .delete_import(&p.id)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
