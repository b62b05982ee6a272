//! The API's one error type, mapped to RFC 9457 `application/problem+json` in one place.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

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
    /// Too many heavy requests are running: try again shortly.
    #[error("the server is busy with other heavy requests; try again in a moment")]
    Busy,
    /// The query ran past its deadline and was stopped.
    #[error("the query took longer than {} s and was stopped; narrow it (a smaller page, a bbox, a simpler filter)", .0.as_secs_f64())]
    Timeout(std::time::Duration),
    /// Anything else: a bug or a failed dependency.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
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
            Error::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy", "Busy"),
            Error::Timeout(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "Query timed out",
            ),
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
        Error::Internal(e.into())
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
        if let Error::BadParameter { parameter, .. } = &self {
            body["parameter"] = json!(parameter);
        }
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body.to_string(),
        )
            .into_response();
        if matches!(self, Error::Busy | Error::Timeout(_)) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
        }
        response
    }
}

/// Result alias for handlers.
pub type Result<T, E = Error> = std::result::Result<T, E>;
