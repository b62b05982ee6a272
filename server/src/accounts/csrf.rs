//! CSRF protection for every state-changing request (POST, PUT, PATCH, DELETE — any method
//! but GET, HEAD, OPTIONS), as one middleware over the whole router, so every write route the
//! next issues add is covered without a line of its own.
//!
//! Two checks, both needed to pass:
//! - **origin**: a browser's `Sec-Fetch-Site` must be `same-origin` (or `none`: typed by the
//!   person), else its `Origin` must be this server's origin;
//! - **synchronizer token**: when the request carries a live session cookie, the session's
//!   CSRF token (from `GET /api/me`, or the sign-in form) must come as `X-CSRF-Token` or as
//!   the form field `csrf_token`; its SHA-256 is compared, in constant time, with the one the
//!   session row holds.
//!
//! Requests with `Authorization: Bearer` are exempt from both: a browser never adds that
//! header by itself, and CORS lets no other site send it on a non-GET. `POST /signin` has no
//! session yet; it checks its own pre-session token (login CSRF, `pages.rs`).

use super::random;
use super::session::{self, csrf_token};
use crate::access::{Credential, Viewer};
use crate::api::error::Error as ApiError;
use crate::api::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The header the web app sends the token in.
pub const HEADER: &str = "x-csrf-token";
/// The form field a plain HTML form sends it in.
pub const FIELD: &str = "csrf_token";
/// Paths with their own CSRF check instead of the session's.
const OWN_CHECK: [&str; 1] = ["/signin"];

/// True for methods that change nothing.
pub fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The middleware (see the module documentation).
pub async fn protect(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match check(&state, req).await {
        Ok(req) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

async fn check(state: &AppState, req: Request) -> Result<Request, ApiError> {
    if is_safe(req.method()) || req.headers().contains_key(header::AUTHORIZATION) {
        return Ok(req);
    }
    same_origin(req.headers(), &state.origin.base(req.headers()))?;
    // A campaign link's form has no session: its token in the path is its credential.
    if OWN_CHECK.contains(&req.uri().path()) || req.uri().path().starts_with("/campaign/") {
        return Ok(req);
    }
    let Some(id) = session::cookie(req.headers(), session::COOKIE) else {
        return Ok(req);
    };
    let Some((record, user)) = state.accounts.session(&id).await? else {
        return Ok(req);
    };
    let (mut req, sent) = presented_token(req).await?;
    let expected = csrf_token(&id);
    let ok = sent.is_some_and(|t| {
        random::same(&random::sha256_hex(&t), &record.csrf_hash)
            && random::same(&t, expected.expose())
    });
    if !ok {
        return Err(ApiError::Forbidden(format!(
            "{FIELD}: a state-changing request with a session needs the session's CSRF token \
             in the {HEADER} header or the {FIELD} form field (GET /api/me gives it)"
        )));
    }
    req.extensions_mut().insert(Viewer::Signed {
        username: user.username,
        roles: user.roles,
        via: Credential::Session,
    });
    Ok(req)
}

/// Refuses a browser request sent by another site.
pub fn same_origin(headers: &HeaderMap, base: &str) -> Result<(), ApiError> {
    let text = |n: &str| headers.get(n).and_then(|v| v.to_str().ok());
    let refuse = |why: String| Err(ApiError::Forbidden(why));
    if let Some(site) = text("sec-fetch-site") {
        return match site {
            "same-origin" | "none" => Ok(()),
            other => refuse(format!(
                "Sec-Fetch-Site: a state-changing request must come from this site, not {other:?}"
            )),
        };
    }
    let Some(origin) = text("origin") else {
        return Ok(());
    };
    let ours = url::Url::parse(base)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    if origin.eq_ignore_ascii_case(&ours) {
        Ok(())
    } else {
        refuse(format!(
            "Origin: a state-changing request must come from {ours}, not {origin:?}"
        ))
    }
}

/// The token in `X-CSRF-Token`, or in the `csrf_token` field of a form body (the body is
/// read, at most the API's body limit, and put back).
async fn presented_token(req: Request) -> Result<(Request, Option<String>), ApiError> {
    if let Some(v) = req.headers().get(HEADER) {
        let t = v.to_str().ok().map(|s| s.trim().to_owned());
        return Ok((req, t));
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((req, None));
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, crate::api::MAX_BODY)
        .await
        .map_err(|_| ApiError::BodyTooLarge {
            limit: crate::api::MAX_BODY,
        })?;
    let token = url::form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.into_owned());
    Ok((Request::from_parts(parts, Body::from(bytes)), token))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn other_sites_are_refused() {
        let base = "https://bussola.example.org/app";
        assert!(same_origin(&headers(&[]), base).is_ok());
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")]), base).is_ok());
        assert!(same_origin(&headers(&[("sec-fetch-site", "cross-site")]), base).is_err());
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-site")]), base).is_err());
        assert!(same_origin(&headers(&[("origin", "https://bussola.example.org")]), base).is_ok());
        assert!(same_origin(&headers(&[("origin", "https://evil.example")]), base).is_err());
        assert!(same_origin(&headers(&[("origin", "null")]), base).is_err());
        assert!(same_origin(&headers(&[("origin", "http://bussola.example.org")]), base).is_err());
    }
}
