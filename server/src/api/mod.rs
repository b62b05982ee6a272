//! The HTTP API. One module per resource; errors become problem+json in [`error`].

mod app_shell;
mod bundle;
pub mod campaign;
pub mod collection;
mod collections;
mod cql;
pub mod edit;
pub mod error;
mod export;
mod health;
mod hsds;
mod html;
pub mod http;
pub mod import;
mod items;
mod landing;
pub mod lang;
pub mod metrics;
mod openapi;
mod openapi_campaign;
mod openapi_edit;
mod openapi_hsds;
mod openapi_import;
pub mod origin;
pub mod params;
pub mod problem;
pub mod redact;
pub mod render;
mod stale;
mod viewer;
mod web;
pub mod work;

use crate::app::Directory;
use crate::config::Config;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware;
use axum::routing::{get, MethodRouter};
use axum::Router;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use openapi::document as openapi_document;
pub use problem::{MAX_BODY, MAX_URI_LEN};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub directory: Arc<Directory>,
    pub basemap_style: Option<String>,
    /// The cap and deadline of heavy requests.
    pub heavy: work::Gate,
    /// The offline bundle, built once per revision.
    pub bundle: Arc<bundle::Cache>,
    /// Where absolute links point.
    pub origin: Arc<origin::Origin>,
    /// The store's health as the background probe last saw it.
    pub health: Arc<health::StoreHealth>,
    /// Sign-in, sessions and tokens.
    pub accounts: Arc<crate::accounts::Accounts>,
    /// When a tracked field counts as stale.
    pub freshness: Arc<crate::freshness::Thresholds>,
    /// The per-address limit on anonymous feedback.
    pub feedback: Arc<edit::feedback::Limiter>,
    /// Update campaigns: the mail transport, the link rules and their limiter.
    pub campaigns: Arc<crate::campaign::Campaigns>,
    /// The size limit and lifetime of uploads.
    pub imports: import::Limits,
}

impl AppState {
    /// The state for `directory` under `config`.
    pub fn new(directory: Arc<Directory>, config: &Config) -> Self {
        AppState {
            accounts: Arc::new(crate::accounts::Accounts::new(
                directory.store().accounts(),
                config,
            )),
            directory,
            basemap_style: config.basemap_style.clone(),
            origin: Arc::new(origin::Origin::new(config)),
            health: Arc::default(),
            heavy: work::Gate::new(
                config.heavy_requests,
                std::time::Duration::from_millis(config.heavy_wait_ms),
                std::time::Duration::from_millis(config.query_deadline_ms),
            ),
            bundle: Arc::new(bundle::Cache::default()),
            freshness: Arc::new(config.freshness()),
            campaigns: Arc::new(crate::campaign::Campaigns::new(config)),
            feedback: Arc::new(edit::feedback::Limiter::new(
                config.feedback_per_address,
                std::time::Duration::from_secs(config.feedback_refill_secs),
            )),
            imports: import::Limits::new(config),
        }
    }
}

pub use health::probe as probe_store;

/// The base of absolute links (`https://host[/prefix]`): the configured public URL, or the
/// bind address, or what a trusted proxy forwarded — never the request's `Host`.
pub fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    state.origin.base(headers)
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

/// The API's routes: the one list the router is built from and the OpenAPI document is
/// checked against.
fn api_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/api", get(landing::landing)),
        ("/api/", get(landing::landing)),
        ("/api/conformance", get(landing::conformance)),
        ("/api/openapi.json", get(landing::openapi)),
        ("/api/collections", get(collections::list)),
        ("/api/collections/{collection}", get(collections::one)),
        (
            "/api/collections/{collection}/queryables",
            get(collections::queryables_doc),
        ),
        ("/api/collections/{collection}/items", get(items::items)),
        (
            "/api/collections/{collection}/items/{feature}",
            get(items::item),
        ),
        ("/api/config", get(web::config)),
        ("/api/taxonomy", get(web::taxonomy)),
        ("/api/bundle", get(bundle::bundle)),
        ("/hsds/services", get(hsds::services)),
        ("/hsds/services/{id}", get(hsds::service)),
        ("/hsds/organizations", get(hsds::organizations)),
        ("/hsds/organizations/{id}", get(hsds::organization)),
        (
            "/hsds/service_at_locations",
            get(hsds::service_at_locations),
        ),
        (
            "/hsds/service_at_locations/{id}",
            get(hsds::service_at_location),
        ),
        ("/api/stale", get(stale::stale)),
        ("/api/export.geojson", get(export::geojson)),
        ("/api/export.csv", get(export::csv)),
        ("/api/export/hsds.json", get(export::hsds)),
    ]
}

/// Health and metrics, outside the API's CORS layer.
fn probe_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/healthz", get(health::healthz)),
        ("/readyz", get(health::readyz)),
        ("/metrics", get(metrics::render)),
    ]
}

/// Every route path the router serves (GET and HEAD); `{collection}` and `{feature}` are
/// the OpenAPI document's `{collectionId}` and `{featureId}`.
pub fn route_paths() -> Vec<&'static str> {
    probe_routes()
        .into_iter()
        .chain(api_routes())
        .map(|(path, _)| path)
        .collect()
}

/// Every (path, method) the router serves: the GET routes above, the account and the write
/// routes with their methods (the `{collection}`/`{feature}` spelling, as in [`route_paths`]).
pub fn route_methods() -> Vec<(&'static str, &'static str)> {
    route_paths()
        .into_iter()
        .map(|p| (p, "get"))
        .chain(
            crate::accounts::route_list()
                .into_iter()
                .flat_map(|(p, methods, _)| methods.iter().map(move |m| (p, *m))),
        )
        .chain(
            edit::route_list()
                .into_iter()
                .flat_map(|(p, methods, _)| methods.iter().map(move |m| (p, *m))),
        )
        .chain(
            campaign::route_list()
                .into_iter()
                .flat_map(|(p, methods, _)| methods.iter().map(move |m| (p, *m))),
        )
        .chain(
            import::route_list()
                .into_iter()
                .flat_map(|(p, methods, _)| methods.iter().map(move |m| (p, *m))),
        )
        .collect()
}

/// The whole HTTP surface with its layers, over a fresh state for `directory`.
pub fn router(directory: Arc<Directory>, config: &Config) -> Router {
    routes(AppState::new(directory, config), config)
}

/// The whole HTTP surface with its layers, over `state`.
pub fn routes(state: AppState, config: &Config) -> Router {
    let origin = state.origin.clone();
    // Install the metrics recorder before the first request is counted.
    metrics::handle();
    let csp = content_security_policy(config.basemap_style.as_deref());
    let api = api_routes()
        .into_iter()
        .fold(Router::new(), |r, (path, handler)| r.route(path, handler))
        .merge(edit::routes())
        .merge(campaign::routes())
        .merge(import::routes())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            viewer::authenticate,
        ))
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
    probe_routes()
        .into_iter()
        .fold(Router::new(), |r, (path, handler)| r.route(path, handler))
        .merge(api)
        .merge(crate::accounts::routes())
        .merge(campaign::form::routes())
        .route("/console", get(app_shell::console))
        .route("/console/", get(app_shell::console))
        .route("/console/{*rest}", get(app_shell::console))
        .fallback(problem::fallback)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::accounts::csrf::protect,
        ))
        .with_state(state)
        .layer(middleware::from_fn_with_state(
            origin.clone(),
            html::negotiate,
        ))
        .layer(middleware::from_fn(metrics::track))
        .layer(middleware::from_fn_with_state(origin, origin::sift))
        .layer(middleware::from_fn(import::limit_bodies))
        .layer(middleware::from_fn_with_state(
            config.request_timeout(),
            problem::timeout,
        ))
        .layer(middleware::from_fn(problem::limit_uri))
        .layer(middleware::from_fn(problem::ensure))
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
                path = %redact::path(req.uri().path()),
                query = %redact::query(req.uri().query().unwrap_or("")),
            )
        }))
}
