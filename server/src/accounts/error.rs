//! The accounts layer's one error type. Client errors name the field at fault; the HTTP
//! mapping is in `From<Error> for api::Error`, the CLI's (exit code 3 for bad input) in
//! `cli.rs`.

/// What an account operation can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input is malformed or refused (`field` names it: `password`, `role`, `username`…).
    #[error("{field}: {detail}")]
    Invalid { field: &'static str, detail: String },
    /// The user name and password do not match an active account.
    #[error("wrong user name or password")]
    WrongCredentials,
    /// A bearer token is unknown, malformed, expired or revoked.
    #[error("{0}")]
    BadToken(&'static str),
    /// A state-changing request without the right CSRF token or from another site.
    #[error("{0}")]
    Forbidden(String),
    /// Too many sign-in attempts: try again after `retry_after` seconds.
    #[error("too many sign-in attempts; try again in {retry_after} s")]
    Throttled { retry_after: u64 },
    /// Too many sign-ins are being hashed at once.
    #[error("the server is busy signing other people in")]
    Busy,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] crate::store::Error),
    /// Hashing or the OS random generator failed (a bug or a broken system).
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// A refused input.
    pub fn invalid(field: &'static str, detail: impl Into<String>) -> Self {
        Error::Invalid {
            field,
            detail: detail.into(),
        }
    }
}

/// Result alias for the accounts layer.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<Error> for crate::api::error::Error {
    fn from(e: Error) -> Self {
        use crate::api::error::Error as Api;
        match e {
            Error::Invalid { field, detail } => Api::bad(field, detail),
            Error::WrongCredentials => Api::Unauthorized(e.to_string()),
            Error::BadToken(why) => Api::Unauthorized(why.to_owned()),
            Error::Forbidden(why) => Api::Forbidden(why),
            Error::Throttled { retry_after } => Api::TooManyRequests {
                what: "too many sign-in attempts".into(),
                retry_after,
            },
            Error::Busy => Api::Overloaded {
                what: e.to_string(),
                retry_after: 1,
            },
            Error::Store(s) => Api::from(s),
            Error::Internal(m) => Api::Internal(anyhow::anyhow!(m)),
        }
    }
}
