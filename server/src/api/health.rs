//! Liveness and readiness.

use super::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

/// The process is up.
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// The read model is loaded and queries can be answered.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    if state.directory.is_ready() {
        let c = state.directory.catalog();
        (
            StatusCode::OK,
            Json(
                json!({"status": "ready", "revision": c.revision, "sportelli": c.sportelli().len()}),
            ),
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "loading"})),
        )
    }
}
