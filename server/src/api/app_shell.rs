//! The bussola web app, built by `server/build.rs` into `web/dist` and embedded in the binary,
//! and the operators' console (`/console`, the same build's second page, `web/console.html`).
//!
//! Hashed files under `/assets/` are cached for a year; everything else (the page, the service
//! worker, the manifest, icons) is revalidated with its ETag, so a new release reaches phones on
//! their next visit. The console's page is served only at `/console` and below, only to a
//! signed-in person: anyone else is sent to the sign-in form, which brings them back.

use super::error::Error;
use super::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

/// The console's page in `web/dist` (not served under its own name).
const CONSOLE_PAGE: &str = "console.html";

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
    // The console's page only at /console, where the viewer is checked first.
    let file = (path != CONSOLE_PAGE).then(|| Dist::get(path)).flatten();
    let Some(file) = file else {
        if path == "index.html" {
            return ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], NO_APP).into_response();
        }
        return Error::NotFound(format!("nothing at {}", uri.path())).into_response();
    };
    file_response(path, file, &headers, "no-cache")
}

/// `GET /console` and every path below it: the console's page for a signed-in person (the
/// console routes its sub-paths itself), a 303 to `/signin?next=<this path>` for anyone else.
/// The page varies with the cookie and is never kept by a shared cache.
pub async fn console(State(state): State<AppState>, req: axum::extract::Request) -> Response {
    let (mut parts, _) = req.into_parts();
    let viewer = match crate::accounts::viewer_from_parts(&mut parts, &state).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let uri = parts.uri;
    if viewer.is_anonymous() {
        let here = uri.path_and_query().map_or("/console", |p| p.as_str());
        let next: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
        return (
            StatusCode::SEE_OTHER,
            [
                (header::LOCATION, format!("/signin?next={next}")),
                (header::CACHE_CONTROL, "no-store".to_owned()),
                (header::VARY, "cookie, authorization".to_owned()),
            ],
        )
            .into_response();
    }
    let mut out = match Dist::get(CONSOLE_PAGE) {
        Some(file) => file_response(CONSOLE_PAGE, file, &parts.headers, "private, no-cache"),
        None => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], NO_APP).into_response(),
    };
    out.headers_mut().insert(
        header::VARY,
        HeaderValue::from_static("cookie, authorization"),
    );
    out
}

/// An embedded file with its ETag, caching (`cache` unless it is a hashed asset) and type.
fn file_response(
    path: &str,
    file: rust_embed::EmbeddedFile,
    headers: &HeaderMap,
    cache: &'static str,
) -> Response {
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
        cache
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
    if super::http::not_modified(headers, &tag) {
        return (StatusCode::NOT_MODIFIED, out).into_response();
    }
    out.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media_type(path)),
    );
    (out, Body::from(file.data.into_owned())).into_response()
}
