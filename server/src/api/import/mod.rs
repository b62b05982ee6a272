//! `/api/imports`: upload a CSV or GeoJSON file or an HSDS dataset for one organisation, read its dry-run
//! report, then commit it all or nothing through the one write path, or discard it
//! (`docs/imports.md`).
//!
//! - [`locate`]: where in the file each problem is (CSV line and column, GeoJSON feature and
//!   JSON Pointer), and leaving rows out without moving the others;
//! - [`check`]: the dry run (the import's own reader and validator, ownership, counts);
//! - [`duplicates`]: likely duplicates within 25 m with similar names;
//! - [`hsds`]: an HSDS zip or document mapped into the dataset form, with what it dropped;
//! - [`commit`]: the commit, as the editing rules say (published, or change requests).

pub mod check;
mod commit;
pub mod duplicates;
pub mod hsds;
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
    /// What an HSDS zip's tables may hold once decompressed, in bytes.
    pub max_unzipped_bytes: u64,
    /// How long a pending import waits for its commit.
    pub ttl: chrono::Duration,
}

impl Limits {
    pub fn new(config: &Config) -> Self {
        Limits {
            max_bytes: config.import_max_bytes,
            max_unzipped_bytes: config.import_max_unzipped_bytes,
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

/// `?organization=` (required), `?source=` and `?licence=` of an upload; `?format=` to say
/// what a JSON body is, and for an HSDS dataset the options of `bussola import hsds`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    pub organization: String,
    /// Where the records come from (a file name, a dataset title or URL).
    pub source: Option<String>,
    pub licence: Option<String>,
    /// `csv`, `geojson` or `hsds` (default: from the `Content-Type` and the JSON's shape).
    pub format: Option<String>,
    /// HSDS only: the language the dataset's text is in (default `it`).
    pub lang: Option<String>,
    /// HSDS only: put before the HSDS ids of records that carry no Bussola id (default
    /// `hsds`).
    pub id_prefix: Option<String>,
}

/// What an upload is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Upload {
    Csv,
    Geojson,
    Hsds,
}

/// What a `Content-Type`, `?format=` and the body say the upload is: `text/csv` the CSV form,
/// `application/zip` an HSDS datapackage, JSON a FeatureCollection in the dataset form, or an
/// HSDS document (with `format=hsds`, or when it is an object with no `type` that has
/// `hsds_version`, `organizations`, `services` or `locations`).
fn upload_of(headers: &HeaderMap, format: Option<&str>, body: &[u8]) -> Result<Upload> {
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
    let by_type = match essence.as_str() {
        "text/csv" => Upload::Csv,
        "application/zip" | "application/x-zip-compressed" => Upload::Hsds,
        "application/geo+json" | "application/json" => match format {
            Some("hsds") => Upload::Hsds,
            Some(_) => Upload::Geojson,
            None if hsds_shaped(body) => Upload::Hsds,
            None => Upload::Geojson,
        },
        _ => {
            return Err(Error::Rejected {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                detail: format!(
                    "Content-Type {ct:?}: send text/csv (the CSV form), application/geo+json (a \
                     FeatureCollection in the dataset form), application/zip (an HSDS \
                     datapackage) or application/json (an HSDS document)"
                ),
            })
        }
    };
    let named = match format {
        None => return Ok(by_type),
        Some("csv") => Upload::Csv,
        Some("geojson") => Upload::Geojson,
        Some("hsds") => Upload::Hsds,
        Some(other) => {
            return Err(Error::bad(
                "format",
                format!("{other:?}: one of csv, geojson, hsds"),
            ))
        }
    };
    if named == by_type {
        Ok(named)
    } else {
        Err(Error::bad(
            "format",
            format!(
                "format={} does not match Content-Type {ct:?}",
                format.unwrap_or("")
            ),
        ))
    }
}

/// An HSDS document rather than a FeatureCollection: a JSON object without `type` that has
/// one of HSDS's members.
fn hsds_shaped(body: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Shape {
        #[serde(rename = "type")]
        kind: Option<serde::de::IgnoredAny>,
        hsds_version: Option<serde::de::IgnoredAny>,
        organizations: Option<serde::de::IgnoredAny>,
        services: Option<serde::de::IgnoredAny>,
        locations: Option<serde::de::IgnoredAny>,
    }
    let text = crate::import::decode(body)
        .map(crate::import::text::strip_bom)
        .unwrap_or("");
    serde_json::from_str::<Shape>(text).is_ok_and(|s| {
        s.kind.is_none()
            && (s.hsds_version.is_some()
                || s.organizations.is_some()
                || s.services.is_some()
                || s.locations.is_some())
    })
}

/// The organisation an upload is for, if the viewer may import for it: operators their
/// own, coordinators those in their territory (or with no sportelli yet), admins any.
///
/// With `new_allowed` (an HSDS upload), an organisation the directory does not have yet is
/// taken for an admin or a coordinator (who may create organisations): the dataset must then
/// hold it. Returns the id and whether the directory has it.
fn organization(
    viewer: &Viewer,
    id: &str,
    state: &AppState,
    new_allowed: bool,
) -> Result<(Id, bool)> {
    let catalog = state.directory.catalog();
    let unknown = || Error::bad("organization", format!("no organisation {id:?}"));
    let org = Id::parse(id).map_err(|_| unknown())?;
    let Some(o) = catalog.organizations.get(&org) else {
        let creates = viewer.is_coordinator()
            || viewer.write(
                EditScope {
                    organization: Some(&org),
                    comuni: &[],
                },
                false,
            ) == Some(Write::Publish);
        return if new_allowed && creates {
            Ok((org, false))
        } else {
            Err(unknown())
        };
    };
    let comuni = check::organization_comuni(&catalog, &org);
    let scope = EditScope {
        organization: Some(&org),
        comuni: &comuni,
    };
    if viewer.write(scope, o.trusted).is_some() || (viewer.is_coordinator() && comuni.is_empty()) {
        Ok((org, true))
    } else {
        Err(Error::Forbidden(format!(
            "you may not import records for organisation {org}: operators import for their own \
             organisation, coordinators for those in their territory"
        )))
    }
}

/// The upload's bytes, at most `limit` (413 naming the limit).
async fn read_body(body: Body, headers: &HeaderMap, limit: usize) -> Result<axum::body::Bytes> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(Error::BodyTooLarge { limit });
    }
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| Error::BodyTooLarge { limit })
}

/// A CSV or GeoJSON upload's text.
fn text_of(bytes: &[u8]) -> Result<String> {
    crate::import::decode(bytes)
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
/// `dropped` is what an HSDS mapping left out (empty for the other forms), `hsds` its
/// summary.
fn report_json(
    p: &PendingImport,
    c: &Checked,
    dropped: serde_json::Value,
    hsds: serde_json::Value,
) -> serde_json::Value {
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
        "dropped": dropped,
        "hsds": hsds,
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
    // An empty parameter is one not given, as for `source` and `licence`.
    let given = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let q = UploadQuery {
        format: given(q.format),
        lang: given(q.lang),
        id_prefix: given(q.id_prefix),
        ..q
    };
    let maybe_hsds = q.format.as_deref().is_none_or(|f| f == "hsds");
    let (org, known) = organization(&viewer, &q.organization, &state, maybe_hsds)?;
    let bytes = read_body(body, &headers, state.imports.max_bytes).await?;
    let kind = upload_of(&headers, q.format.as_deref(), &bytes)?;
    if kind != Upload::Hsds {
        if !known {
            return Err(Error::bad(
                "organization",
                format!("no organisation {org:?}"),
            ));
        }
        for (name, given) in [("lang", &q.lang), ("id_prefix", &q.id_prefix)] {
            if given.is_some() {
                return Err(Error::bad(
                    name,
                    format!("{name} applies to HSDS datasets only"),
                ));
            }
        }
    }
    let catalog = state.directory.catalog();
    let source_name = q
        .source
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| match kind {
            Upload::Csv => "upload.csv".to_owned(),
            Upload::Geojson => "upload.geojson".to_owned(),
            Upload::Hsds => "upload.hsds".to_owned(),
        });
    let (form, text, dropped, summary) = if kind == Upload::Hsds {
        let opts = hsds::options(
            q.lang.clone(),
            q.id_prefix.clone(),
            &state.directory.taxonomy().base_lang,
        )?;
        let (catalog, limits, for_org, name) = (
            catalog.clone(),
            state.imports,
            org.clone(),
            source_name.clone(),
        );
        let mapped = tokio::task::spawn_blocking(move || {
            hsds::map(&bytes, &name, &catalog, &opts, &limits, &for_org)
        })
        .await
        .map_err(|e| Error::Internal(e.into()))??;
        if !known && !mapped.names_organization {
            return Err(Error::bad(
                "organization",
                format!(
                    "no organisation {org} in the directory or in the dataset: a new \
                     organisation is imported by naming the dataset's own (by its Bussola id)"
                ),
            ));
        }
        (Form::Geojson, mapped.text, mapped.dropped, mapped.summary)
    } else {
        let form = if kind == Upload::Csv {
            Form::Csv
        } else {
            Form::Geojson
        };
        (form, text_of(&bytes)?, json!([]), serde_json::Value::Null)
    };
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
        format: match kind {
            Upload::Hsds => "hsds".to_owned(),
            _ => form.as_str().to_owned(),
        },
        source: source_name,
        licence: q.licence.filter(|s| !s.trim().is_empty()),
        body: text,
        report: serde_json::Value::Null,
        etag: crate::accounts::random::hex(8)?,
        created_at: now,
        expires_at: now + state.imports.ttl,
    };
    let mut report = report_json(&pending, &checked, dropped, summary);
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
