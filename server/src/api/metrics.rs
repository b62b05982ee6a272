//! Prometheus metrics: request counts and latency histograms by route; requests refused by
//! reason; connections; store connectivity and replica lag.

use axum::extract::{MatchedPath, Request};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Latency buckets, seconds: fine-grained below 10 ms, where this server lives.
const BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// The process-wide recorder (installed on first use).
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets(BUCKETS)
            .map(|b| b.build_recorder())
            .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder());
        let handle = recorder.handle();
        if let Err(e) = metrics::set_global_recorder(recorder) {
            tracing::warn!(error = %e, "a metrics recorder was already installed; /metrics will be empty");
        }
        handle
    })
}

/// Middleware: counts and times every request by its route template (never the raw path).
pub async fn track(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().to_string();
    let start = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("bussola_http_requests_total", "route" => route.clone(), "method" => method, "status" => status)
        .increment(1);
    metrics::histogram!("bussola_http_request_duration_seconds", "route" => route)
        .record(start.elapsed().as_secs_f64());
    response
}

/// Counts a request refused before a handler answered it. `reason` is one of
/// `connection_cap`, `heavy_cap`, `header_timeout`, `send_timeout`, `request_timeout`,
/// `uri_too_long`, `body_too_large`.
pub fn rejected(reason: &'static str) {
    metrics::counter!("bussola_rejected_requests_total", "reason" => reason).increment(1);
}

/// Counts a build of the offline bundle (one per revision is expected).
pub fn bundle_built() {
    metrics::counter!("bussola_bundle_builds_total").increment(1);
}

/// Counts a connection the server closed, by why.
pub fn connection_closed(reason: &'static str) {
    metrics::counter!("bussola_connections_closed_total", "reason" => reason).increment(1);
}

/// The connection cap in force.
pub fn connection_limit(max: usize) {
    metrics::gauge!("bussola_connection_limit").set(max as f64);
}

/// Whether the store answered its last check, and how many revisions the read model is
/// behind it (`None`: unknown, the store did not answer).
pub fn store_state(up: bool, lag: Option<i64>) {
    metrics::gauge!("bussola_store_up").set(if up { 1.0 } else { 0.0 });
    if let Some(lag) = lag {
        metrics::gauge!("bussola_replica_lag_revisions").set(lag as f64);
    }
}

/// `GET /metrics`.
pub async fn render() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle().render(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_render() {
        let h = super::handle();
        metrics::counter!("bussola_test_total", "route" => "x").increment(1);
        assert!(
            h.render().contains("bussola_test_total"),
            "{:?}",
            h.render()
        );
    }
}
