//! Liveness and readiness. `/healthz` answers whenever the process does. `/readyz` is ready
//! when the read model is loaded *and* the store answered its last check: a background probe
//! ([`probe`]) pings the store every few seconds with a timeout and records the outcome, so
//! `/readyz` itself never waits on the database. Reads keep being answered from the read model
//! while the store is down; readiness tells a load balancer this replica cannot write or
//! follow other replicas.

use super::error::Error;
use super::{metrics, AppState};
use crate::app::Directory;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the last store check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreState {
    /// It answered, at this revision.
    Up { revision: i64 },
    /// It did not answer, for this reason.
    Down { reason: String },
}

/// The store's health as the probe last saw it. Starts up: the read model was just loaded
/// from the store.
#[derive(Debug)]
pub struct StoreHealth(Mutex<Option<StoreState>>);

impl Default for StoreHealth {
    fn default() -> Self {
        StoreHealth(Mutex::new(None))
    }
}

impl StoreHealth {
    /// The last outcome (`None`: not checked yet).
    pub fn get(&self) -> Option<StoreState> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set(&self, state: StoreState) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(state);
    }
}

/// Checks the store every `every` (each check may take as long), forever: a ping, then its
/// revision for the replica-lag metric.
pub async fn probe(health: Arc<StoreHealth>, directory: Arc<Directory>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let store = directory.store().clone();
        let checked = tokio::time::timeout(every, async move {
            store.ping().await?;
            store.revision().await
        })
        .await;
        let state = match checked {
            Ok(Ok(revision)) => StoreState::Up { revision },
            Ok(Err(e)) => StoreState::Down {
                reason: e.to_string(),
            },
            Err(_) => StoreState::Down {
                reason: format!("no answer within {} s", every.as_secs()),
            },
        };
        let lag = match &state {
            StoreState::Up { revision } => Some((revision - directory.catalog().revision).max(0)),
            StoreState::Down { .. } => None,
        };
        metrics::store_state(matches!(state, StoreState::Up { .. }), lag);
        match (&state, health.get()) {
            (StoreState::Down { reason }, Some(StoreState::Up { .. }) | None) => {
                tracing::warn!(reason = %reason, "the store does not answer: not ready")
            }
            (StoreState::Up { .. }, Some(StoreState::Down { .. })) => {
                tracing::info!("the store answers again: ready")
            }
            _ => {}
        }
        health.set(state);
    }
}

/// The process is up.
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// The read model is loaded and the store answers.
pub async fn readyz(State(state): State<AppState>) -> Response {
    if !state.directory.is_ready() {
        return Error::NotReady.into_response();
    }
    let c = state.directory.catalog();
    match state.health.get() {
        Some(StoreState::Down { reason }) => Error::StoreDown(format!(
            "the store does not answer ({reason}); reads are served from the read model at revision {}",
            c.revision
        ))
        .into_response(),
        checked => {
            let store_revision = match checked {
                Some(StoreState::Up { revision }) => Some(revision),
                _ => None,
            };
            Json(json!({
                "status": "ready",
                "store": "up",
                "revision": c.revision,
                "store_revision": store_revision,
                // What the public sees: a probe must not count hidden records.
                "sportelli": c.sportelli().iter().filter(|s| crate::index::Filter::default().sees(s)).count(),
            }))
            .into_response()
        }
    }
}
