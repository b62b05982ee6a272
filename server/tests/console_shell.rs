//! The operators' console page (`/console` and below) through the real router: anonymous
//! visitors (and stale cookies) are sent to the sign-in form with the path to come back to;
//! a signed-in person gets the console's page with the app's CSP, never cached by a shared
//! cache; the page is not served under its file name.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use bussola::access::{Credential, Viewer};
use bussola::model::{Id, Role, Username};
use tower::ServiceExt;

async fn router() -> (tempfile::TempDir, axum::Router) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = support::test_config(dir.path());
    config.demo = bussola::config::DemoMode::Never;
    let directory = bussola::startup::open_directory(&config).await.unwrap();
    (dir, bussola::api::router(directory, &config))
}

fn operator() -> Viewer {
    Viewer::Signed {
        username: Username::parse("o.verdi").unwrap(),
        roles: vec![Role::Operator {
            organization: Id::parse("org-demo").unwrap(),
        }],
        via: Credential::Session,
    }
}

async fn get(
    app: &axum::Router,
    uri: &str,
    viewer: Option<Viewer>,
    cookie: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut req = Request::get(uri).header(header::HOST, "bussola.test");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let mut req = req.body(Body::empty()).unwrap();
    if let Some(v) = viewer {
        req.extensions_mut().insert(v);
    }
    let res = app.clone().oneshot(req).await.unwrap();
    let (parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    (
        parts.status,
        parts.headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in_and_back() {
    let (_dir, app) = router().await;
    for (uri, next) in [
        ("/console", "%2Fconsole"),
        ("/console/", "%2Fconsole%2F"),
        ("/console/review", "%2Fconsole%2Freview"),
        (
            "/console/edit/services/svc-1?lang=en",
            "%2Fconsole%2Fedit%2Fservices%2Fsvc-1%3Flang%3Den",
        ),
    ] {
        for cookie in [None, Some("bussola_session=not-a-live-session")] {
            let (status, headers, body) = get(&app, uri, None, cookie).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{uri} ({cookie:?}): {body}");
            assert_eq!(
                headers[header::LOCATION],
                format!("/signin?next={next}"),
                "{uri}"
            );
            assert_eq!(headers[header::CACHE_CONTROL], "no-store");
            assert!(
                !body.contains("<script"),
                "{uri}: no console code for anonymous visitors"
            );
        }
    }
}

#[tokio::test]
async fn a_signed_in_person_gets_the_console_page_with_the_apps_csp() {
    let (_dir, app) = router().await;
    for uri in [
        "/console",
        "/console/",
        "/console/review",
        "/console/edit/sportelli/loc-1",
    ] {
        let (status, headers, body) = get(&app, uri, Some(operator()), None).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        assert!(headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert!(
            body.contains("id=\"console\""),
            "{uri}: the console's page (web/console.html): {body}"
        );
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(!csp.contains("unsafe"), "{csp}");
        let cache = headers[header::CACHE_CONTROL].to_str().unwrap();
        assert!(
            cache.contains("private") && cache.contains("no-cache"),
            "{cache}"
        );
        assert!(headers[header::VARY]
            .to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("cookie"));
    }
}

#[tokio::test]
async fn the_console_page_is_not_served_by_its_file_name() {
    let (_dir, app) = router().await;
    for viewer in [None, Some(operator())] {
        let (status, _, body) = get(&app, "/console.html", viewer, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    }
    // The public app's page is still the public app's.
    let (status, _, body) = get(&app, "/", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.contains("id=\"console\""));
}
