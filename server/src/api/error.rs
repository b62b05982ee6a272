//! The API's one error type, mapped to RFC 9457 `application/problem+json` in one place.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The media type of every error response.
pub const PROBLEM: &str = "application/problem+json";

/// Everything a handler can fail with. Client errors name the parameter at fault; server
/// errors are logged in full and shown only as "internal error".
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A query parameter or body field is malformed or out of range.
    #[error("{detail}")]
    BadParameter { parameter: String, detail: String },
    /// The thing asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// Content negotiation failed.
    #[error("{0}")]
    NotAcceptable(String),
    /// The server is starting and cannot answer yet.
    #[error("the directory is still loading")]
    NotReady,
    /// The store does not answer (readiness); reads still come from the read model.
    #[error("{0}")]
    StoreDown(String),
    /// The method is not one the resource answers.
    #[error("method {method} is not allowed on {path}; use {allowed}")]
    MethodNotAllowed {
        method: String,
        path: String,
        allowed: String,
    },
    /// The request URI is longer than the server reads.
    #[error("the request URI is {len} bytes long; at most {limit} are accepted")]
    UriTooLong { len: usize, limit: usize },
    /// The request body is larger than the server reads.
    #[error("the request body is larger than {limit} bytes")]
    BodyTooLarge { limit: usize },
    /// The request took longer than the request timeout.
    #[error("the request took longer than {0} s and was cancelled")]
    Timeout(u64),
    /// A query ran past its deadline and was stopped.
    #[error("the query took longer than {} s and was stopped; narrow it (a smaller page, a bbox, a simpler filter)", .0.as_secs_f64())]
    QueryDeadline(std::time::Duration),
    /// Too much is going on: try again after `retry_after` seconds (503 with `Retry-After`).
    #[error("{what}; try again in {retry_after} s")]
    Overloaded { what: String, retry_after: u64 },
    /// A refusal by the HTTP framework (an extractor's rejection), with its status.
    #[error("{detail}")]
    Rejected { status: StatusCode, detail: String },
    /// No valid credentials: a bad, expired or revoked bearer token, a wrong password.
    #[error("{0}")]
    Unauthorized(String),
    /// Credentials or origin that may not do this (a missing or wrong CSRF token).
    #[error("{0}")]
    Forbidden(String),
    /// Too many attempts: try again after `retry_after` seconds (429 with `Retry-After`).
    #[error("{what}; try again in {retry_after} s")]
    TooManyRequests { what: String, retry_after: u64 },
    /// Fields of a request body that are invalid (422), every one at once.
    #[error("{} field(s) are invalid: {}", .0.len(), .0.iter().map(|p| format!("{}: {}", p.pointer, p.detail)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldProblem>),
    /// A field this caller may not set (403, naming the field by JSON Pointer).
    #[error("{pointer}: {detail}")]
    ForbiddenField { pointer: String, detail: String },
    /// A write that must name the version it is based on did not (`If-Match`, 428).
    #[error("{0}")]
    PreconditionRequired(String),
    /// The record changed since the version the write was based on (412); nothing was written.
    #[error("the record is at version {}, not the one If-Match names; reload it and edit again", current_version.map_or("none".to_owned(), |v| v.to_string()))]
    Stale { current_version: Option<i64> },
    /// The write conflicts with what is stored (409): an id that exists, a change request
    /// already decided, or one whose record moved on (`changes`: base → proposed, `meanwhile`:
    /// base → current).
    #[error("{detail}")]
    Conflict {
        detail: String,
        changes: Option<serde_json::Value>,
        meanwhile: Option<serde_json::Value>,
    },
    /// A request refused because of rows or features of an uploaded file (an import's
    /// commit: 422 while rows have errors, 409 while duplicates are unresolved), each in
    /// `errors` as `{row or feature, field, reason}`.
    #[error("{detail}")]
    Rows {
        status: StatusCode,
        detail: String,
        errors: serde_json::Value,
    },
    /// Anything else: a bug or a failed dependency.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

/// One invalid field of a request body: where (a JSON Pointer into the body) and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FieldProblem {
    pub pointer: String,
    pub detail: String,
}

impl Error {
    /// A bad parameter.
    pub fn bad(parameter: &str, detail: impl Into<String>) -> Self {
        Error::BadParameter {
            parameter: parameter.to_owned(),
            detail: detail.into(),
        }
    }

    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            Error::StoreDown(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "store-unavailable",
                "Store unavailable",
            ),
            Error::MethodNotAllowed { .. } => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "Method not allowed",
            ),
            Error::UriTooLong { .. } => (StatusCode::URI_TOO_LONG, "uri-too-long", "URI too long"),
            Error::BodyTooLarge { .. } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "body-too-large",
                "Body too large",
            ),
            Error::Timeout(_) => (StatusCode::SERVICE_UNAVAILABLE, "timeout", "Timed out"),
            Error::QueryDeadline(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "Query timed out",
            ),
            Error::Overloaded { .. } => {
                (StatusCode::SERVICE_UNAVAILABLE, "overloaded", "Overloaded")
            }
            Error::Rejected { status, .. } => (
                *status,
                if status.is_server_error() {
                    "server-error"
                } else {
                    "bad-request"
                },
                status.canonical_reason().unwrap_or("Error"),
            ),
            Error::BadParameter { .. } => (
                StatusCode::BAD_REQUEST,
                "invalid-parameter",
                "Invalid parameter",
            ),
            Error::NotFound(_) => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            Error::NotAcceptable(_) => (
                StatusCode::NOT_ACCEPTABLE,
                "not-acceptable",
                "Not acceptable",
            ),
            Error::NotReady => (StatusCode::SERVICE_UNAVAILABLE, "not-ready", "Not ready"),
            Error::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized", "Unauthorized"),
            Error::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Forbidden"),
            Error::TooManyRequests { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "too-many-requests",
                "Too many requests",
            ),
            Error::Invalid(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-fields",
                "Invalid fields",
            ),
            Error::ForbiddenField { .. } => (StatusCode::FORBIDDEN, "forbidden", "Forbidden"),
            Error::PreconditionRequired(_) => (
                StatusCode::PRECONDITION_REQUIRED,
                "precondition-required",
                "Precondition required",
            ),
            Error::Stale { .. } => (
                StatusCode::PRECONDITION_FAILED,
                "stale",
                "Precondition failed",
            ),
            Error::Conflict { .. } => (StatusCode::CONFLICT, "conflict", "Conflict"),
            Error::Rows { status, .. } => (*status, "rejected-rows", "Rejected rows"),
            Error::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
            ),
        }
    }
}

impl From<crate::store::Error> for Error {
    fn from(e: crate::store::Error) -> Self {
        match e {
            // An expectation of the write did not hold inside its transaction.
            crate::store::Error::Stale { actual, .. } => Error::Stale {
                current_version: actual,
            },
            e => Error::Internal(e.into()),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, kind, title) = self.parts();
        if let Error::Internal(e) = &self {
            tracing::error!(error = %format!("{e:#}"), "request failed");
        }
        let mut body = json!({
            "type": format!("https://bussola.example/problems/{kind}"),
            "title": title,
            "status": status.as_u16(),
            "detail": self.to_string(),
        });
        match &self {
            Error::BadParameter { parameter, .. } => body["parameter"] = json!(parameter),
            Error::Invalid(errors) => body["errors"] = json!(errors),
            Error::Rows { errors, .. } => body["errors"] = errors.clone(),
            Error::ForbiddenField { pointer, .. } => body["pointer"] = json!(pointer),
            Error::Stale { current_version } => body["current_version"] = json!(current_version),
            Error::Conflict {
                changes, meanwhile, ..
            } => {
                if let Some(c) = changes {
                    body["changes"] = c.clone();
                }
                if let Some(m) = meanwhile {
                    body["meanwhile"] = m.clone();
                }
            }
            _ => {}
        }
        let mut response =
            (status, [(header::CONTENT_TYPE, PROBLEM)], body.to_string()).into_response();
        let headers = response.headers_mut();
        match &self {
            Error::Overloaded { retry_after, .. } | Error::TooManyRequests { retry_after, .. } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
            }
            Error::Timeout(_) | Error::QueryDeadline(_) | Error::StoreDown(_) | Error::NotReady => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(1u64));
            }
            Error::Unauthorized(_) => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            Error::MethodNotAllowed { allowed, .. } => {
                if let Ok(v) = HeaderValue::from_str(allowed) {
                    headers.insert(header::ALLOW, v);
                }
            }
            _ => {}
        }
        response
    }
}

/// Result alias for handlers.
pub type Result<T, E = Error> = std::result::Result<T, E>;
