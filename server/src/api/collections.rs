//! `/api/collections`, `/api/collections/{id}` and `/api/collections/{id}/queryables`, over
//! the registered collections, for the viewer asking.

use super::collection::{self, Collection, REGISTRY};
use super::error::Result;
use super::http::{self, JSON};
use super::params::{self, Params, QueryParams};
use super::AppState;
use crate::access::Viewer;
use crate::index::{Catalog, Filter};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{json, Value};

/// The metadata of one collection as `f` (the viewer's filter) sees it, with links.
pub fn describe(col: &dyn Collection, c: &Catalog, f: &Filter, base: &str) -> Value {
    let name = col.id();
    let mut v = json!({
        "id": name,
        "title": col.title(),
        "description": col.description(),
        "itemType": "feature",
        "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"],
        "storageCrs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        "geometryType": col.geometry().as_str(),
        "links": [
            {"href": format!("{base}/api/collections/{name}"), "rel": "self", "type": JSON, "title": "this collection"},
            {"href": format!("{base}/api/collections/{name}/items"), "rel": "items", "type": http::GEOJSON, "title": "the features"},
            {"href": format!("{base}/api/collections/{name}/queryables"), "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables", "type": "application/schema+json", "title": "queryable properties"},
        ],
    });
    let mut ext = json!({});
    if let Some(b) = col.extent(c, f) {
        ext["spatial"] =
            json!({"bbox": [b], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"});
    }
    if let Some(t) = col.updated(c, f) {
        ext["temporal"] = json!({"interval": [[null, super::render::rfc3339(&t)]], "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"});
    }
    if ext.as_object().is_some_and(|m| !m.is_empty()) {
        v["extent"] = ext;
    }
    col.describe_more(c, &mut v);
    v
}

fn check(p: &Params) -> Result<()> {
    collection::query::only(p, &["f", "lang"])?;
    params::format(p, &["json"])
}

fn filter_for(viewer: Viewer) -> Filter {
    Filter {
        viewer,
        ..Filter::default()
    }
}

/// `GET /api/collections`.
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    QueryParams(p): QueryParams,
    headers: HeaderMap,
) -> Result<Response> {
    check(&p)?;
    let c = state.directory.catalog();
    let base = super::base_url(&state, &headers);
    let f = filter_for(viewer);
    let body = json!({
        "links": [{"href": format!("{base}/api/collections"), "rel": "self", "type": JSON, "title": "collections"}],
        "collections": REGISTRY.iter().map(|col| describe(*col, &c, &f, &base)).collect::<Vec<_>>(),
    });
    let tag = http::etag_for(&f.viewer, (c.revision, "collections", &base));
    Ok(http::respond(
        &headers,
        &tag,
        JSON,
        300,
        None,
        &f.viewer,
        || body.to_string().into_bytes(),
    ))
}

/// `GET /api/collections/{collectionId}`.
pub async fn one(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(collection): Path<String>,
    QueryParams(p): QueryParams,
    headers: HeaderMap,
) -> Result<Response> {
    let col = collection::find(&collection)?;
    check(&p)?;
    let c = state.directory.catalog();
    let base = super::base_url(&state, &headers);
    let f = filter_for(viewer);
    let body = describe(col, &c, &f, &base);
    let tag = http::etag_for(&f.viewer, (c.revision, col.id(), &base));
    Ok(http::respond(
        &headers,
        &tag,
        JSON,
        300,
        None,
        &f.viewer,
        || body.to_string().into_bytes(),
    ))
}

/// The JSON Schema of a collection's queryables.
pub fn queryables_schema(
    col: &dyn Collection,
    taxonomy: &crate::model::Taxonomy,
    base: &str,
) -> Value {
    let props: serde_json::Map<String, Value> = col
        .queryables()
        .iter()
        .map(|q| (q.name.to_owned(), q.schema(taxonomy)))
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{base}/api/collections/{}/queryables", col.id()),
        "type": "object",
        "title": col.title(),
        "properties": props,
        "additionalProperties": false,
    })
}

/// `GET /api/collections/{collectionId}/queryables` (JSON Schema).
pub async fn queryables_doc(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(collection): Path<String>,
    QueryParams(p): QueryParams,
    headers: HeaderMap,
) -> Result<Response> {
    let col = collection::find(&collection)?;
    check(&p)?;
    let base = super::base_url(&state, &headers);
    let body = queryables_schema(col, state.directory.taxonomy(), &base);
    let tag = http::etag_for(
        &viewer,
        (
            state.directory.catalog().revision,
            "queryables",
            col.id(),
            &base,
        ),
    );
    Ok(http::respond(
        &headers,
        &tag,
        "application/schema+json",
        300,
        None,
        &viewer,
        || body.to_string().into_bytes(),
    ))
}
