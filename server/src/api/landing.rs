//! The landing page (JSON or HTML), conformance declaration and the OpenAPI document.

use super::error::{Error, Result};
use super::http::{self, HTML, JSON, OPENAPI};
use super::params::{Params, QueryParams};
use super::AppState;
use crate::access::Viewer;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::Response;
use serde_json::{json, Value};

/// Conformance classes this server implements.
pub const CONFORMANCE: &[&str] = &[
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/array-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/accent-insensitive-comparison",
];

/// HTML or JSON: `f=` wins, then the Accept header (a browser asks for text/html first).
fn wants_html(p: &Params, headers: &HeaderMap) -> Result<bool> {
    match p.get("f").map(String::as_str) {
        Some("html") => Ok(true),
        Some("json") => Ok(false),
        Some(other) => Err(Error::bad(
            "f",
            format!("{other:?} is not available here; use html or json"),
        )),
        None => Ok(headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| {
                a.split(',')
                    .next()
                    .is_some_and(|first| first.trim().starts_with("text/html"))
            })),
    }
}

fn check(p: &Params) -> Result<()> {
    match p.keys().find(|k| !["f", "lang"].contains(&k.as_str())) {
        Some(k) => Err(Error::bad(k, format!("unknown parameter {k:?}"))),
        None => Ok(()),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET /api`.
pub async fn landing(
    State(state): State<AppState>,
    viewer: Viewer,
    QueryParams(p): QueryParams,
    headers: HeaderMap,
) -> Result<Response> {
    check(&p)?;
    let html = wants_html(&p, &headers)?;
    let base = super::base_url(&state, &headers);
    let c = state.directory.catalog();
    let demo = c.metadata.as_ref().is_some_and(|m| m.is_demo());
    let title = "Bussola — directory of services for migrants";
    let links = json!([
        {"href": format!("{base}/api"), "rel": "self", "type": if html { HTML } else { JSON }, "title": "this document"},
        {"href": format!("{base}/api?f={}", if html { "json" } else { "html" }), "rel": "alternate", "type": if html { JSON } else { HTML }, "title": "this document in another format"},
        {"href": format!("{base}/api/openapi.json"), "rel": "service-desc", "type": OPENAPI, "title": "the API definition"},
        {"href": format!("{base}/api/conformance"), "rel": "conformance", "type": JSON, "title": "conformance classes"},
        {"href": format!("{base}/api/collections"), "rel": "data", "type": JSON, "title": "collections"},
    ]);
    let tag = http::etag_for(&viewer, (c.revision, "landing", html, &base));
    if html {
        let mut page = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title></head><body><main><h1>{title}</h1>"
        );
        if demo {
            page.push_str("<p><strong>Demo data:</strong> this directory holds demonstration data, not a live directory.</p>");
        }
        page.push_str("<p>An OGC API - Features service.</p><ul>");
        for l in links.as_array().into_iter().flatten() {
            let href = escape(l["href"].as_str().unwrap_or(""));
            let t = escape(l["title"].as_str().unwrap_or(""));
            page.push_str(&format!("<li><a href=\"{href}\">{t}</a></li>"));
        }
        page.push_str("</ul><h2>Collections</h2><ul>");
        for col in super::collection::REGISTRY {
            page.push_str(&format!(
                "<li><a href=\"{base}/api/collections/{0}/items\">{0}</a></li>",
                escape(col.id())
            ));
        }
        page.push_str("</ul></main></body></html>");
        return Ok(http::respond(
            &headers,
            &tag,
            HTML,
            300,
            None,
            &viewer,
            || page.into_bytes(),
        ));
    }
    let body = json!({
        "title": title,
        "description": "Sportelli (help desks) and services for third-country citizens, with projects and comuni, as GeoJSON.",
        "demo": demo,
        "links": links,
    });
    Ok(http::respond(
        &headers,
        &tag,
        JSON,
        300,
        None,
        &viewer,
        || body.to_string().into_bytes(),
    ))
}

/// `GET /api/conformance`.
pub async fn conformance(QueryParams(p): QueryParams, headers: HeaderMap) -> Result<Response> {
    check(&p)?;
    super::params::format(&p, &["json"])?;
    let body = json!({"conformsTo": CONFORMANCE});
    Ok(http::respond(
        &headers,
        &http::etag("conformance"),
        JSON,
        3600,
        None,
        &Viewer::Anonymous,
        || body.to_string().into_bytes(),
    ))
}

/// `GET /api/openapi.json`.
pub async fn openapi(QueryParams(p): QueryParams, headers: HeaderMap) -> Result<Response> {
    check(&p)?;
    super::params::format(&p, &["json"])?;
    let doc: Value = super::openapi::document();
    let text = doc.to_string();
    Ok(http::respond(
        &headers,
        &http::etag(&text),
        OPENAPI,
        3600,
        None,
        &Viewer::Anonymous,
        || text.into_bytes(),
    ))
}
