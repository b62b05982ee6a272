//! The HTTP API. One module per resource; errors become problem+json in [`error`].

pub mod error;
mod health;
mod items;
pub mod params;
pub mod render;

use crate::app::Directory;
use crate::config::Config;
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub directory: Arc<Directory>,
    pub basemap_style: Option<String>,
}

/// The whole HTTP surface.
pub fn router(directory: Arc<Directory>, config: &Config) -> Router {
    let state = AppState {
        directory,
        basemap_style: config.basemap_style.clone(),
    };
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/api/collections/sportelli/items", get(items::sportelli))
        .with_state(state)
}
