//! Browser sessions: a random id in the `bussola_session` cookie, stored only as its SHA-256,
//! with sliding expiry (idle timeout) under an absolute lifetime.
//!
//! The cookie is `HttpOnly` (no script reads it), `Path=/`, `SameSite=Lax` and `Secure` when
//! the server is reached over https (public URL, or a trusted proxy forwarding `https`).
//! `Lax` rather than `Strict`: with `Strict` a person following a link to the app from an
//! e-mail or a chat would arrive signed out; `Lax` already keeps the cookie off cross-site
//! POSTs, and every state-changing request also needs the CSRF token (`csrf.rs`).
//!
//! The CSRF token is derived from the session id (SHA-256 of a label and the id), so it is
//! bound to the session, unguessable without the cookie, and recomputable on every request;
//! the store keeps its hash in `SessionRecord::csrf_hash`.

use super::error::Result;
use super::random;
use super::secret::Secret;
use axum::http::{header, HeaderMap};
use chrono::{DateTime, Duration, Utc};

/// The session cookie's name.
pub const COOKIE: &str = "bussola_session";
const ID_BYTES: usize = 32;

/// How long sessions live.
#[derive(Clone, Copy, Debug)]
pub struct Lifetimes {
    /// Without activity for this long, a session ends.
    pub idle: Duration,
    /// However active, a session ends this long after sign-in.
    pub absolute: Duration,
}

impl Lifetimes {
    /// When a session created at `created` and seen at `now` expires.
    pub fn expiry(&self, created: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
        (now + self.idle).min(created + self.absolute)
    }
}

/// A new random session id (256 bits).
pub fn new_id() -> Result<Secret<String>> {
    Ok(Secret::new(random::hex(ID_BYTES)?))
}

/// The CSRF token of the session whose id is `id`.
pub fn csrf_token(id: &Secret<String>) -> Secret<String> {
    Secret::new(random::sha256_hex(&format!(
        "bussola-csrf\0{}",
        id.expose()
    )))
}

/// The value of cookie `name` in the request, if present and well-formed (hex).
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<Secret<String>> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(|v| Secret::new(v.to_owned()))
}

/// A `Set-Cookie` value; `max_age` of zero deletes the cookie.
pub fn set_cookie(
    name: &str,
    value: &str,
    path: &str,
    max_age: i64,
    secure: bool,
    same_site: &str,
) -> String {
    format!(
        "{name}={value}; Path={path}; Max-Age={}; HttpOnly; SameSite={same_site}{}",
        max_age.max(0),
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn expiry_slides_but_never_past_the_absolute_lifetime() {
        let l = Lifetimes {
            idle: Duration::hours(8),
            absolute: Duration::days(7),
        };
        let t0 = Utc::now();
        assert_eq!(l.expiry(t0, t0), t0 + Duration::hours(8));
        let later = t0 + Duration::days(3);
        assert_eq!(l.expiry(t0, later), later + Duration::hours(8));
        let last_day = t0 + Duration::days(7) - Duration::hours(1);
        assert_eq!(l.expiry(t0, last_day), t0 + Duration::days(7));
    }

    #[test]
    fn cookies_are_found_by_name_and_checked() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; bussola_session=ab12 ; b=2"),
        );
        assert_eq!(cookie(&h, COOKIE).unwrap().expose(), "ab12");
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("bussola_session=<script>"),
        );
        assert!(cookie(&h, COOKIE).is_none());
        let c = set_cookie(COOKIE, "ab", "/", 60, true, "Lax");
        assert_eq!(
            c,
            "bussola_session=ab; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure"
        );
        let id = new_id().unwrap();
        assert_ne!(
            csrf_token(&id).expose(),
            csrf_token(&new_id().unwrap()).expose()
        );
        assert_eq!(csrf_token(&id).expose().len(), 64);
    }
}
