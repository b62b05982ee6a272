//! `GET /api/export.geojson`, `/api/export.csv` and `/api/export/hsds.json`: what
//! `bussola export services|hsds` writes, for the viewer — the records they may see
//! ([`crate::export::visible_dataset`], the HSDS read API's `Visible`), never archived
//! records, reception centres they may not see, or pending change requests. Each answer has
//! an ETag per catalog revision and viewer scope, and a 304 for a client that has it.

use super::error::{Error, Result};
use super::{http, AppState};
use crate::access::Viewer;
use crate::index::Filter;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

/// How long a client may keep an export without asking again, in seconds.
const MAX_AGE: u32 = 60;

/// `?lang=` of the HSDS export (default Italian).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HsdsQuery {
    pub lang: Option<String>,
}

/// Builds an export off the async threads.
async fn build<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("export: {e}")))?
}

/// `GET /api/export.geojson`: the dataset form, as `bussola export services` writes it.
pub async fn geojson(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response> {
    dataset(
        state,
        viewer,
        headers,
        "export.geojson",
        http::GEOJSON,
        |d, out| {
            crate::export::write_dataset_geojson(d, out).map_err(|e| Error::Internal(e.into()))
        },
    )
    .await
}

/// `GET /api/export.csv`: the CSV form, as `bussola export services --format csv` writes it.
pub async fn csv(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response> {
    dataset(
        state,
        viewer,
        headers,
        "export.csv",
        "text/csv; charset=utf-8",
        |d, out| crate::csv_form::write(d, out).map_err(|e| Error::Internal(e.into())),
    )
    .await
}

/// What the viewer may see of the catalog, written by `write` as `content_type`, with an
/// ETag per revision, viewer and `name`.
async fn dataset(
    state: AppState,
    viewer: Viewer,
    headers: HeaderMap,
    name: &'static str,
    content_type: &'static str,
    write: fn(&crate::model::Dataset, &mut Vec<u8>) -> Result<()>,
) -> Result<Response> {
    let catalog = state.directory.catalog();
    let tag = http::etag_for(&viewer, (catalog.revision, name));
    if let Some(r) = http::not_modified_response(&headers, &tag, MAX_AGE, None, &viewer) {
        return Ok(r);
    }
    let filter = Filter {
        viewer: viewer.clone(),
        ..Filter::default()
    };
    let body = build(move || {
        let d = crate::export::visible_dataset(&catalog, &filter);
        let mut out = Vec::new();
        write(&d, &mut out)?;
        Ok(out)
    })
    .await?;
    Ok(http::with_body(
        &tag,
        content_type,
        MAX_AGE,
        None,
        &viewer,
        body.into(),
    ))
}

/// `GET /api/export/hsds.json`: the HSDS 3.0 document, as `bussola export hsds` writes it,
/// with the `metadata` records of what it holds (user names only for signed-in viewers).
pub async fn hsds(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HsdsQuery>,
    headers: HeaderMap,
) -> Result<Response> {
    let lang = q.lang.unwrap_or_else(|| "it".into());
    if !crate::import::is_language_tag(&lang) {
        return Err(Error::bad(
            "lang",
            "must be a BCP 47 language tag, such as it or en",
        ));
    }
    let catalog = state.directory.catalog();
    let tag = http::etag_for(&viewer, (catalog.revision, "export/hsds.json", &lang));
    if let Some(r) = http::not_modified_response(&headers, &tag, MAX_AGE, None, &viewer) {
        return Ok(r);
    }
    let versions = state.directory.store().edits().versions_since(0, 0).await?;
    let filter = Filter {
        viewer: viewer.clone(),
        ..Filter::default()
    };
    let taxonomy = state.directory.taxonomy().clone();
    let authors = !viewer.is_anonymous();
    let body = build(move || {
        let mut doc = crate::hsds::document(&catalog, &filter, &taxonomy, &lang);
        crate::hsds::metadata::attach(&mut doc, &versions, authors);
        serde_json::to_vec(&doc).map_err(|e| Error::Internal(e.into()))
    })
    .await?;
    Ok(http::with_body(
        &tag,
        http::JSON,
        MAX_AGE,
        None,
        &viewer,
        body.into(),
    ))
}
