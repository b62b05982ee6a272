//! What the bussola web app needs besides the OGC API: its configuration and the taxonomy
//! (the offline bundle is in [`super::bundle`]).

use super::error::Result;
use super::http::{self, JSON};
use super::AppState;
use crate::access::Viewer;
use crate::index::Filter;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::json;

/// The gazetteer shipped in the binary (comuni, frazioni, localities).
pub const GAZETTEER: &str = include_str!("../../../data/gazetteer.json");

/// `GET /api/config`.
pub async fn config(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
) -> Result<Response> {
    let c = state.directory.catalog();
    let f = Filter {
        viewer,
        ..Filter::default()
    };
    let bbox = c.sportelli_extent(&f);
    let territory = c
        .metadata
        .as_ref()
        .and_then(|m| m.0.get("territory").cloned());
    let attribution = crate::territory::attribution_in(c.metadata.as_ref());
    let body = json!({
        "basemap_style": state.basemap_style,
        "territory": {"name": territory, "bbox": bbox, "attribution": attribution},
        "demo": c.metadata.as_ref().is_some_and(|m| m.is_demo()),
    });
    let tag = http::etag_for(&f.viewer, (c.revision, "config", &state.basemap_style));
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

/// `GET /api/taxonomy` (the same for every viewer).
pub async fn taxonomy(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let body = serde_json::to_vec(state.directory.taxonomy()).unwrap_or_default();
    Ok(http::respond(
        &headers,
        &http::etag(("taxonomy", body.len())),
        JSON,
        3600,
        None,
        &Viewer::Anonymous,
        || body,
    ))
}
