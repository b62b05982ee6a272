//! Who is asking: the one place a request's credentials become a [`Viewer`].
//!
//! `Authorization: Bearer bsl_…` wins (a bad, expired or revoked token is a 401, never a
//! silent fall-back to anonymous); otherwise a live `bussola_session` cookie gives the
//! signed-in user with all their roles; otherwise the request is anonymous. A stale or
//! unknown cookie is anonymous too. The result is kept in the request's extensions, so the
//! store is asked once per request however many extractors want the viewer.

use super::secret::Secret;
use super::session;
use crate::access::{Credential, Viewer};
use crate::api::error::Error as ApiError;
use crate::api::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};

/// The viewer of a request (see the module documentation).
pub async fn viewer_from_parts(parts: &mut Parts, state: &AppState) -> Result<Viewer, ApiError> {
    if let Some(v) = parts.extensions.get::<Viewer>() {
        return Ok(v.clone());
    }
    let viewer = viewer_from_headers(&parts.headers, state).await?;
    parts.extensions.insert(viewer.clone());
    Ok(viewer)
}

/// The viewer the request headers prove.
pub async fn viewer_from_headers(
    headers: &HeaderMap,
    state: &AppState,
) -> Result<Viewer, ApiError> {
    if let Some(token) = bearer(headers)? {
        return Ok(state.accounts.token_viewer(&token).await?);
    }
    let Some(id) = session::cookie(headers, session::COOKIE) else {
        return Ok(Viewer::Anonymous);
    };
    Ok(match state.accounts.session(&id).await? {
        Some((_, user)) => Viewer::Signed {
            username: user.username,
            roles: user.roles,
            via: Credential::Session,
        },
        None => Viewer::Anonymous,
    })
}

/// The bearer token of an `Authorization` header; another scheme is a 401.
pub fn bearer(headers: &HeaderMap) -> Result<Option<Secret<String>>, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or("");
    match text.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => {
            Ok(Some(Secret::new(token.trim().to_owned())))
        }
        _ => Err(ApiError::Unauthorized(
            "Authorization: only `Bearer <token>` is accepted".into(),
        )),
    }
}

/// An extractor for this module's own handlers: the request's viewer.
pub struct Caller(pub Viewer);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        viewer_from_parts(parts, state).await.map(Caller)
    }
}
