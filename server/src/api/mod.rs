//! The HTTP API. One module per resource; errors become problem+json in [`error`].

mod app_shell;
mod bundle;
mod collections;
mod cql;
pub mod error;
mod health;
mod html;
pub mod http;
mod items;
mod landing;
pub mod lang;
pub mod metrics;
mod openapi;
pub mod params;
pub mod redact;
pub mod render;
mod web;
pub mod work;

use crate::app::Directory;
use crate::config::Config;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use openapi::document as openapi_document;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub directory: Arc<Directory>,
    pub basemap_style: Option<String>,
    /// The cap and deadline of heavy requests.
    pub heavy: work::Gate,
    /// The offline bundle, built once per revision.
    pub bundle: Arc<bundle::Cache>,
}

/// Longest request URI accepted (a long CQL2 filter fits).
pub const MAX_URI_LEN: usize = 8 * 1024;
/// Largest request body accepted.
pub const MAX_BODY: usize = 64 * 1024;

/// `http://host` of the request, for absolute links.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .filter(|p| *p == "https")
        .unwrap_or("http");
    format!("{proto}://{host}")
}

/// The Content-Security-Policy: only this origin (plus the configured basemap's).
pub fn content_security_policy(basemap_style: Option<&str>) -> String {
    let basemap = basemap_style
        .and_then(|s| url::Url::parse(s).ok())
        .map(|u| format!(" {}", u.origin().ascii_serialization()))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:{basemap}; \
         font-src 'self'{basemap}; worker-src 'self' blob:; connect-src 'self'{basemap}; object-src 'none'; \
         base-uri 'none'; frame-ancestors 'none'; form-action 'self'; manifest-src 'self'"
    )
}

async fn limit_uri(req: Request, next: Next) -> Response {
    if req.uri().to_string().len() > MAX_URI_LEN {
        let e = error::Error::bad(
            "uri",
            format!("the request URI is longer than {MAX_URI_LEN} bytes"),
        );
        let mut r = e.into_response();
        *r.status_mut() = StatusCode::URI_TOO_LONG;
        return r;
    }
    next.run(req).await
}

/// The whole HTTP surface with its layers.
pub fn router(directory: Arc<Directory>, config: &Config) -> Router {
    let state = AppState {
        directory,
        basemap_style: config.basemap_style.clone(),
        heavy: work::Gate::new(
            config.heavy_requests,
            Duration::from_millis(config.heavy_wait_ms),
            Duration::from_millis(config.query_deadline_ms),
        ),
        bundle: Arc::new(bundle::Cache::default()),
    };
    // Install the metrics recorder before the first request is counted.
    metrics::handle();
    let csp = content_security_policy(config.basemap_style.as_deref());
    let api = Router::new()
        .route("/api", get(landing::landing))
        .route("/api/", get(landing::landing))
        .route("/api/conformance", get(landing::conformance))
        .route("/api/openapi.json", get(landing::openapi))
        .route("/api/collections", get(collections::list))
        .route("/api/collections/{collection}", get(collections::one))
        .route(
            "/api/collections/{collection}/queryables",
            get(collections::queryables_doc),
        )
        .route("/api/collections/{collection}/items", get(items::items))
        .route(
            "/api/collections/{collection}/items/{feature}",
            get(items::item),
        )
        .route("/api/config", get(web::config))
        .route("/api/taxonomy", get(web::taxonomy))
        .route("/api/bundle", get(bundle::bundle))
        .layer(
            CorsLayer::new()
                .allow_methods([Method::GET, Method::HEAD])
                .allow_origin(Any)
                .allow_headers([
                    header::ACCEPT,
                    header::ACCEPT_LANGUAGE,
                    header::IF_NONE_MATCH,
                ])
                .expose_headers([header::ETAG, header::CONTENT_LANGUAGE]),
        );
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::render))
        .merge(api)
        .fallback(app_shell::serve)
        .with_state(state)
        .layer(middleware::from_fn(html::negotiate))
        .layer(middleware::from_fn(metrics::track))
        .layer(middleware::from_fn(limit_uri))
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&csp)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            tracing::info_span!(
                "request",
                method = %req.method(),
                path = %req.uri().path(),
                query = %redact::query(req.uri().query().unwrap_or("")),
            )
        }))
}
