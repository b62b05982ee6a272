//! The one extractor that tells a handler who is asking: the accounts module decides
//! (`accounts::viewer_from_parts`: a bearer token, else a live session cookie, else the
//! anonymous public; a viewer the server itself put in the request's extensions first, as the
//! tests do — clients cannot set extensions).

use super::error::Error;
use super::AppState;
use crate::access::Viewer;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        crate::accounts::viewer_from_parts(parts, state).await
    }
}
