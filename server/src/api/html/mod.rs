//! HTML views of the OGC API - Features resources (the HTML conformance class): the landing
//! page, the collections, one collection, a page of items (a table and a small map) and one
//! item, in the web app's eight UI languages (Arabic and Urdu right to left), for GIS users
//! who open the API in a browser.
//!
//! Each view renders the JSON answer of the same request: the request is passed on to the JSON
//! handler (every parameter, check and error stays the handler's), and a 200 is turned into a
//! page. Chosen by `f=html`, or by a browser's `Accept: text/html` when `f` is absent. Pages use
//! only the server's own stylesheet (`/api/html/style.css`); maps are SVG drawn here; there is
//! no script, and every text from the data is escaped.

mod dates;
mod format;
mod map;
mod notices;
mod page;
mod strings;
mod values;
mod views;
mod words;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::Arc;

/// The stylesheet of the HTML views.
const STYLE: &str = include_str!("style.css");
/// Where it is served.
pub const STYLE_PATH: &str = "/api/html/style.css";
/// Largest JSON answer turned into a page (a page of 10,000 features fits).
const MAX_JSON: usize = 256 * 1024 * 1024;

/// Which resource a path names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum View {
    Landing,
    Collections,
    Collection(String),
    Items(String),
    Item(String, String),
}

impl View {
    /// The view for `path`, if it has one.
    pub fn of(path: &str) -> Option<View> {
        let rest = path.strip_prefix("/api")?;
        let parts: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        match parts.as_slice() {
            [] => Some(View::Landing),
            ["collections"] => Some(View::Collections),
            ["collections", c] => Some(View::Collection(c.to_string())),
            ["collections", c, "items"] => Some(View::Items(c.to_string())),
            ["collections", c, "items", f] => Some(View::Item(c.to_string(), f.to_string())),
            _ => None,
        }
    }
}

/// The `f` values of a query string.
fn formats(query: &str) -> Vec<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k == "f")
        .map(|(_, v)| v.into_owned())
        .collect()
}

/// `f=html`, or no `f` and a browser's Accept header (text/html first).
fn wants_html(query: &str, accept: Option<&str>) -> bool {
    match formats(query).as_slice() {
        [f] => f == "html",
        [] => accept.is_some_and(|a| {
            a.split(',')
                .next()
                .is_some_and(|first| first.trim().starts_with("text/html"))
        }),
        _ => false,
    }
}

/// The query without `f`.
fn without_format(query: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(url::form_urlencoded::parse(query.as_bytes()).filter(|(k, _)| k != "f"))
        .finish()
}

/// The middleware: serves the stylesheet, and answers HTML requests for the views above.
pub async fn negotiate(
    State(origin): State<Arc<super::origin::Origin>>,
    req: Request,
    next: Next,
) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    if req.uri().path() == STYLE_PATH {
        return (
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            STYLE,
        )
            .into_response();
    }
    let query = req.uri().query().unwrap_or("").to_owned();
    let accept = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    let Some(view) = View::of(req.uri().path()) else {
        return next.run(req).await;
    };
    if !wants_html(&query, accept) {
        return next.run(req).await;
    }
    let ui = strings::Ui::negotiate(&query, req.headers());
    let path = req.uri().path().to_owned();
    // Links come from the configured origin (public URL, bind address or a trusted proxy),
    // never from the request's Host, as the JSON answers' links do.
    let base = origin.base(req.headers());
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let (mut parts, _) = req.into_parts();
    let inner_query = without_format(&query);
    let uri = if inner_query.is_empty() {
        parts.uri.path().to_owned()
    } else {
        format!("{}?{inner_query}", parts.uri.path())
    };
    parts.uri = match uri.parse() {
        Ok(u) => u,
        Err(_) => return StatusCode::BAD_REQUEST.into_response(),
    };
    parts.method = Method::GET;
    parts.headers.remove(header::IF_NONE_MATCH);
    parts.headers.remove(header::ACCEPT_ENCODING);
    parts
        .headers
        .insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    let json = next.run(Request::from_parts(parts, Body::empty())).await;
    if json.status() != StatusCode::OK {
        return json;
    }
    let inner_tag = json
        .headers()
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(|t| {
            t.trim_matches('"')
                .trim_start_matches("W/")
                .trim_matches('"')
                .to_owned()
        });
    let content_language = json
        .headers()
        .get(header::CONTENT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // A page for a signed-in viewer is as private as the answer it renders.
    let private = json
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("private"));
    let tag = inner_tag.map(|t| format!("\"{t}-html-{}\"", ui.code()));
    if let (Some(tag), Some(inm)) = (&tag, if_none_match.as_ref().and_then(|v| v.to_str().ok())) {
        if inm.split(',').any(|t| t.trim() == tag) {
            return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag.clone())]).into_response();
        }
    }
    let bytes = match to_bytes(json.into_body(), MAX_JSON).await {
        Ok(b) => b,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let Ok(doc) = serde_json::from_slice::<Value>(&bytes) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let ctx = views::Ctx {
        ui,
        base: &base,
        path: &path,
        query: &inner_query,
        data_lang: content_language.as_deref(),
    };
    let html = views::render(&view, &doc, &ctx);
    let mut r = (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CACHE_CONTROL,
                if private {
                    "private, max-age=60"
                } else {
                    "public, max-age=60"
                },
            ),
            (
                header::VARY,
                if private {
                    "Accept, Accept-Language, Cookie, Authorization"
                } else {
                    "Accept, Accept-Language"
                },
            ),
            (header::CONTENT_LANGUAGE, ui.code()),
        ],
        html,
    )
        .into_response();
    if let Some(tag) = tag.and_then(|t| HeaderValue::from_str(&t).ok()) {
        r.headers_mut().insert(header::ETAG, tag);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_their_views() {
        assert_eq!(View::of("/api"), Some(View::Landing));
        assert_eq!(View::of("/api/"), Some(View::Landing));
        assert_eq!(View::of("/api/collections"), Some(View::Collections));
        assert_eq!(
            View::of("/api/collections/comuni/items/027042"),
            Some(View::Item("comuni".into(), "027042".into()))
        );
        assert_eq!(View::of("/api/collections/comuni/queryables"), None);
        assert_eq!(View::of("/api/conformance"), None);
        assert_eq!(View::of("/apix"), None);
    }

    #[test]
    fn f_wins_over_accept_and_browsers_get_html() {
        let browser = Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        assert!(wants_html("", browser));
        assert!(wants_html("f=html", None));
        assert!(!wants_html("f=json", browser));
        assert!(!wants_html("", Some("application/json")));
        assert!(!wants_html("", None));
        assert_eq!(without_format("f=html&limit=5&lang=en"), "limit=5&lang=en");
    }
}
