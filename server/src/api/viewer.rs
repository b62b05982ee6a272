//! The one extractor that tells a handler who is asking.

use super::AppState;
use crate::access::Viewer;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::convert::Infallible;

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // replaced by accounts (`accounts::viewer_from_parts(parts, state)`): until then, a
        // viewer set by the server itself (a layer inserting it into the request's
        // extensions, as the tests do) or else the anonymous public. Clients cannot set
        // extensions.
        Ok(parts
            .extensions
            .get::<Viewer>()
            .cloned()
            .unwrap_or_default())
    }
}
