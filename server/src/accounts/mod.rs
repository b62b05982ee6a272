//! Accounts: who may sign in and how they prove it.
//!
//! - [`password`]: argon2id hashing on the blocking pool, the password rules, the dummy hash
//!   that makes an unknown user cost what a known one does;
//! - [`token`]: API tokens `bsl_<id>_<secret>`, stored as SHA-256, shown once;
//! - [`session`]: the `bussola_session` cookie, sliding expiry, the CSRF token bound to it;
//! - [`throttle`]: sign-in attempts per account and per client address (governor);
//! - [`viewer`]: the one extractor that turns a request's credentials into a `Viewer`;
//! - [`csrf`]: the layer that guards every state-changing request;
//! - [`pages`]: `GET`/`POST /signin`, `POST /signout`, `GET /api/me`;
//! - [`manage`]: the `bussola user` and `bussola token` verbs;
//! - [`service`]: the verbs over the store ([`Accounts`]);
//! - [`secret`]: the redacting wrapper every password, id and token travels in.
//!
//! Nothing here stores or logs a secret in the clear: the store keeps hashes, and every
//! clear-text value is a [`Secret`], whose `Debug` and `Display` print `<redacted>`.

pub mod cli;
pub mod csrf;
pub mod error;
pub mod manage;
pub mod pages;
pub mod password;
pub mod random;
pub mod secret;
pub mod service;
pub mod session;
pub mod throttle;
pub mod token;
pub mod viewer;
mod words;

pub use error::{Error, Result};
pub use secret::Secret;
pub use service::{Accounts, SignedIn};
pub use viewer::viewer_from_parts;

/// The sign-in and sign-out pages and `GET /api/me`, for the main router.
pub fn routes() -> axum::Router<crate::api::AppState> {
    route_list()
        .into_iter()
        .fold(axum::Router::new(), |r, (path, _, handler)| {
            r.route(path, handler)
        })
}

/// The account routes, each with the methods its handler answers (what the OpenAPI document
/// and the route tests enumerate) beside the handler itself.
pub fn route_list() -> Vec<(
    &'static str,
    &'static [&'static str],
    axum::routing::MethodRouter<crate::api::AppState>,
)> {
    use axum::routing::{get, post};
    vec![
        (
            "/signin",
            &["get", "post"],
            get(pages::form).post(pages::submit),
        ),
        ("/signout", &["post"], post(pages::signout)),
        ("/api/me", &["get"], get(pages::me)),
    ]
}
