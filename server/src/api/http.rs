//! Response helpers: media types, ETags and conditional requests, cache headers.
//!
//! Every cacheable answer is for one viewer: its ETag includes the viewer's scope key (see
//! [`etag_for`]), and it is `public` only when the viewer sees nothing beyond the public;
//! otherwise it is `private` and varies on what identifies the viewer.

use crate::access::Viewer;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::hash::{Hash, Hasher};

pub const GEOJSON: &str = "application/geo+json";
pub const JSON: &str = "application/json";
pub const OPENAPI: &str = "application/vnd.oai.openapi+json;version=3.1";
pub const HTML: &str = "text/html; charset=utf-8";

/// A weak ETag from everything the response depends on.
pub fn etag(parts: impl Hash) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    format!("W/\"{:016x}\"", h.finish())
}

/// A weak ETag for what `viewer` is shown: two viewers who see different records never
/// share one.
pub fn etag_for(viewer: &Viewer, parts: impl Hash) -> String {
    etag((viewer.scope_key(), parts))
}

/// `Cache-Control` and `Vary` for an answer to `viewer`.
fn sharing(viewer: &Viewer, max_age: u32) -> (String, &'static str) {
    if viewer.sees_beyond_public() {
        (
            format!("private, max-age={max_age}"),
            "accept, accept-language, accept-encoding, cookie, authorization",
        )
    } else {
        (
            format!("public, max-age={max_age}"),
            "accept, accept-language, accept-encoding",
        )
    }
}

/// True when the request's `If-None-Match` already names `tag`.
pub fn not_modified(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
}

/// The headers every cacheable answer carries: ETag, cache lifetime and sharing, Vary and,
/// if given, the content language.
pub fn cache_headers(
    tag: &str,
    max_age: u32,
    language: Option<&str>,
    viewer: &Viewer,
) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(tag) {
        headers.insert(header::ETAG, v);
    }
    let (control, vary) = sharing(viewer, max_age);
    if let Ok(v) = HeaderValue::from_str(&control) {
        headers.insert(header::CACHE_CONTROL, v);
    }
    headers.insert(header::VARY, HeaderValue::from_static(vary));
    if let Some(v) = language.and_then(|l| HeaderValue::from_str(l).ok()) {
        headers.insert(header::CONTENT_LANGUAGE, v);
    }
    headers
}

/// A bare 304 with the cache headers, when the client already has `tag`.
pub fn not_modified_response(
    req_headers: &HeaderMap,
    tag: &str,
    max_age: u32,
    language: Option<&str>,
    viewer: &Viewer,
) -> Option<Response> {
    not_modified(req_headers, tag).then(|| {
        (
            StatusCode::NOT_MODIFIED,
            cache_headers(tag, max_age, language, viewer),
        )
            .into_response()
    })
}

/// A body of `media` with the cache headers (no conditional check: see [`not_modified_response`]).
pub fn with_body(
    tag: &str,
    media: &'static str,
    max_age: u32,
    language: Option<&str>,
    viewer: &Viewer,
    body: Body,
) -> Response {
    let mut headers = cache_headers(tag, max_age, language, viewer);
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    (headers, body).into_response()
}

/// A body with its media type, ETag, cache lifetime and, if given, content language —
/// or a bare 304 when the client already has it.
pub fn respond(
    req_headers: &HeaderMap,
    tag: &str,
    media: &'static str,
    max_age: u32,
    language: Option<&str>,
    viewer: &Viewer,
    body: impl FnOnce() -> Vec<u8>,
) -> Response {
    not_modified_response(req_headers, tag, max_age, language, viewer)
        .unwrap_or_else(|| with_body(tag, media, max_age, language, viewer, Body::from(body())))
}
