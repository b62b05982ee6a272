//! Response helpers: media types, ETags and conditional requests, cache headers.

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

/// True when the request's `If-None-Match` already names `tag`.
pub fn not_modified(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
}

/// A body with its media type, ETag, cache lifetime and, if given, content language —
/// or a bare 304 when the client already has it.
pub fn respond(
    req_headers: &HeaderMap,
    tag: &str,
    media: &'static str,
    max_age: u32,
    language: Option<&str>,
    body: impl FnOnce() -> Vec<u8>,
) -> Response {
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(tag) {
        headers.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("public, max-age={max_age}")) {
        headers.insert(header::CACHE_CONTROL, v);
    }
    headers.insert(
        header::VARY,
        HeaderValue::from_static("accept, accept-language, accept-encoding"),
    );
    if let Some(v) = language.and_then(|l| HeaderValue::from_str(l).ok()) {
        headers.insert(header::CONTENT_LANGUAGE, v);
    }
    if not_modified(req_headers, tag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    (headers, Body::from(body())).into_response()
}
