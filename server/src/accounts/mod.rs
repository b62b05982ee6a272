//! Accounts: who may sign in and how they prove it.
//!
//! - [`password`]: argon2id hashing on the blocking pool, the password rules, the dummy hash
//!   that makes an unknown user cost what a known one does;
//! - [`token`]: API tokens `bsl_<id>_<secret>`, stored as SHA-256, shown once;
//! - [`session`]: the `bussola_session` cookie, sliding expiry, the CSRF token bound to it;
//! - [`throttle`]: sign-in attempts per account and per client address (governor);
//! - [`service`]: the verbs over the store ([`Accounts`]);
//! - [`secret`]: the redacting wrapper every password, id and token travels in.
//!
//! Nothing here stores or logs a secret in the clear: the store keeps hashes, and every
//! clear-text value is a [`Secret`], whose `Debug` and `Display` print `<redacted>`.

pub mod error;
pub mod password;
pub mod random;
pub mod secret;
pub mod service;
pub mod session;
pub mod throttle;
pub mod token;

pub use error::{Error, Result};
pub use secret::Secret;
pub use service::{Accounts, SignedIn};
