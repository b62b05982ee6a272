//! The bussola web app, built by `server/build.rs` into `web/dist` and embedded in the binary.
//!
//! Hashed files under `/assets/` are cached for a year; everything else (the page, the service
//! worker, the manifest, icons) is revalidated with its ETag, so a new release reaches phones on
//! their next visit.

use super::error::Error;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../web/dist"]
struct Dist;

/// Shown at `/` when the server was built without the web app (`BUSSOLA_SKIP_WEB_BUILD=1`).
const NO_APP: &str = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Bussola</title>\
<h1>Bussola</h1><p>This server was built without the web app. The API is at <a href=\"/api\">/api</a>.</p></html>";

fn media_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        // The map's context land (data/territory/context-land.geojson), a hashed asset.
        "geojson" => "application/geo+json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Serves an embedded file, or the API's 404 problem for anything else.
pub async fn serve(uri: Uri, headers: HeaderMap) -> Response {
    let path = match uri.path().trim_start_matches('/') {
        "" => "index.html",
        p => p,
    };
    let Some(file) = Dist::get(path) else {
        if path == "index.html" {
            return ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], NO_APP).into_response();
        }
        return Error::NotFound(format!("nothing at {}", uri.path())).into_response();
    };
    let hash = file.metadata.sha256_hash();
    let tag = format!(
        "\"{}\"",
        hash[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let cache = if path.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut out = HeaderMap::new();
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(v) = HeaderValue::from_str(&tag) {
        out.insert(header::ETAG, v);
    }
    if path == "sw.js" {
        // The worker controls the whole origin.
        out.insert("service-worker-allowed", HeaderValue::from_static("/"));
    }
    if super::http::not_modified(&headers, &tag) {
        return (StatusCode::NOT_MODIFIED, out).into_response();
    }
    out.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media_type(path)),
    );
    (out, Body::from(file.data.into_owned())).into_response()
}
