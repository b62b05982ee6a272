//! The edges of the HTTP contract: every error the server sends is `application/problem+json`
//! (RFC 9457) with the HTTP status in its `status` and a detail naming what was wrong —
//! including the ones handlers never see: the router's 405, extractor rejections, the body
//! limit's 413, the URI limit's 414 and the request timeout's 503.

use super::error::{Error, PROBLEM};
use super::metrics;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// Longest request URI accepted (a long CQL2 filter fits).
pub const MAX_URI_LEN: usize = 8 * 1024;
/// Largest request body accepted.
pub const MAX_BODY: usize = 64 * 1024;

/// What the framework's plain-text refusal bodies may hold (they are one line).
const MAX_REFUSAL_TEXT: usize = 4096;

/// Middleware: any error response that is not problem+json yet becomes one, keeping its
/// status and headers (`Allow`, CORS) and using its text as the detail.
pub async fn ensure(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    let status = response.status();
    // A handler's own HTML page (the campaign form's refusals) is kept as it is.
    if !(status.is_client_error() || status.is_server_error())
        || is_problem(response.headers())
        || is_html(response.headers())
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, MAX_REFUSAL_TEXT)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let error = match status {
        StatusCode::METHOD_NOT_ALLOWED => Error::MethodNotAllowed {
            method: method.to_string(),
            allowed: parts
                .headers
                .get(header::ALLOW)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
                .unwrap_or_else(|| allowed_methods(&path)),
            path,
        },
        StatusCode::PAYLOAD_TOO_LARGE => {
            metrics::rejected("body_too_large");
            Error::BodyTooLarge { limit: MAX_BODY }
        }
        StatusCode::NOT_FOUND if text.is_empty() => Error::NotFound(format!("nothing at {path}")),
        StatusCode::NOT_FOUND => Error::NotFound(text),
        _ => Error::Rejected {
            status,
            detail: if text.is_empty() {
                status.canonical_reason().unwrap_or("error").to_owned()
            } else {
                text
            },
        },
    };
    let mut out = error.into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
            && !out.headers().contains_key(name)
        {
            out.headers_mut().append(name, value.clone());
        }
    }
    out
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

fn is_problem(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM))
}

/// Middleware: a URI longer than [`MAX_URI_LEN`] is refused with 414 before any parsing.
pub async fn limit_uri(req: Request, next: Next) -> Response {
    let len = req.uri().to_string().len();
    if len > MAX_URI_LEN {
        metrics::rejected("uri_too_long");
        return Error::UriTooLong {
            len,
            limit: MAX_URI_LEN,
        }
        .into_response();
    }
    next.run(req).await
}

/// Middleware: a request not answered within the timeout is cancelled and answered 503.
pub async fn timeout(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            metrics::rejected("request_timeout");
            Error::Timeout(limit.as_secs()).into_response()
        }
    }
}

/// Everything no route matches: the web app's files for GET and HEAD, a 404 problem for
/// anything that is not one, a 405 for other methods on the app's files.
pub async fn fallback(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().to_owned();
    let response = super::app_shell::serve(uri, headers).await;
    if method == Method::GET || method == Method::HEAD || response.status() == StatusCode::NOT_FOUND
    {
        return response;
    }
    let allowed = allowed_methods(&path);
    Error::MethodNotAllowed {
        method: method.to_string(),
        path,
        allowed,
    }
    .into_response()
}

/// The methods `path` answers, for a 405's `Allow`: those the account routes declare for
/// their paths, otherwise GET and HEAD (every other route and the app's files).
fn allowed_methods(path: &str) -> String {
    let declared = crate::accounts::route_list()
        .into_iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, methods, _)| methods);
    let Some(methods) = declared else {
        return "GET, HEAD".to_owned();
    };
    let mut out: Vec<String> = Vec::new();
    for m in methods.iter() {
        out.push(m.to_ascii_uppercase());
        if *m == "get" {
            out.push("HEAD".to_owned());
        }
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    async fn problem_of(
        router: axum::Router,
        req: Request,
    ) -> (StatusCode, HeaderMap, serde_json::Value) {
        let r = router
            .layer(axum::middleware::from_fn(ensure))
            .oneshot(req)
            .await
            .unwrap();
        let (parts, body) = r.into_parts();
        let bytes = axum::body::to_bytes(body, 1 << 16).await.unwrap();
        (
            parts.status,
            parts.headers,
            serde_json::from_slice(&bytes).unwrap(),
        )
    }

    #[tokio::test]
    async fn plain_refusals_become_problems_with_their_status() {
        let router = axum::Router::new().route(
            "/t",
            get(|| async {
                (
                    StatusCode::BAD_REQUEST,
                    "Invalid URL: Invalid UTF-8 in `collection`",
                )
            }),
        );
        let (status, headers, body) =
            problem_of(router, Request::get("/t").body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(headers[header::CONTENT_TYPE], PROBLEM);
        assert_eq!(body["status"], 400);
        assert!(
            body["detail"].as_str().unwrap().contains("collection"),
            "{body}"
        );
    }

    #[tokio::test]
    async fn the_routers_405_keeps_allow_and_names_the_method() {
        let router = axum::Router::new().route("/t", get(|| async { "ok" }));
        let (status, headers, body) =
            problem_of(router, Request::post("/t").body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert!(headers[header::ALLOW].to_str().unwrap().contains("GET"));
        assert_eq!(body["status"], 405);
        assert!(body["detail"].as_str().unwrap().contains("POST"), "{body}");
    }

    #[test]
    fn allow_names_each_routes_methods() {
        assert_eq!(allowed_methods("/signin"), "GET, HEAD, POST");
        assert_eq!(allowed_methods("/signout"), "POST");
        assert_eq!(allowed_methods("/api/collections"), "GET, HEAD");
    }

    #[tokio::test]
    async fn a_request_past_the_timeout_is_a_503_problem() {
        let router = axum::Router::new()
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "late"
                }),
            )
            .layer(axum::middleware::from_fn_with_state(
                Duration::from_millis(50),
                timeout,
            ));
        let started = std::time::Instant::now();
        let (status, headers, body) =
            problem_of(router, Request::get("/slow").body(Body::empty()).unwrap()).await;
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(headers[header::CONTENT_TYPE], PROBLEM);
        assert!(headers.contains_key(header::RETRY_AFTER));
        assert_eq!(body["status"], 503);
    }
}
