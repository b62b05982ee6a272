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

/// A layer over every API route: the request's credentials are checked before any handler
/// runs, so a bad, expired or revoked token is a 401 on every route, those whose answer is the
/// same for everyone included (never a silent fall-back to anonymous). The viewer stays in the
/// request's extensions, so the handler's own extractor does not ask the store again.
pub async fn authenticate(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (mut parts, body) = req.into_parts();
    match crate::accounts::viewer_from_parts(&mut parts, &state).await {
        Ok(_) => {
            next.run(axum::extract::Request::from_parts(parts, body))
                .await
        }
        Err(e) => e.into_response(),
    }
}
