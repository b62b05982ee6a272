//! Accounts through the real router (`oneshot`), on embedded SQLite and on PostGIS: sign-in
//! and its cookie, `GET /api/me`, the same hashing work for unknown users, throttling, CSRF
//! on every state-changing route, bearer tokens, and disabling a user.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use bussola::accounts::{manage, Secret};
use bussola::api::AppState;
use bussola::model::Role;
use serde_json::Value;
use tower::ServiceExt;

const PASSWORD: &str = "a long enough passphrase";

struct App {
    _guard: Option<tempfile::TempDir>,
    state: AppState,
    router: Router,
}

async fn app(postgis: bool) -> App {
    let dir = tempfile::tempdir().unwrap();
    let mut config = support::test_config(dir.path());
    config.signin_attempts_per_account = 3;
    config.demo = bussola::config::DemoMode::Never;
    if postgis {
        config.database_url = Some(Secret::new(support::pg_database().await));
    }
    let directory = bussola::startup::open_directory(&config).await.unwrap();
    let state = AppState::new(directory, &config);
    let router = bussola::api::routes(state.clone(), &config);
    let store = state.accounts.store().clone();
    manage::add_user(
        store.as_ref(),
        state.accounts.passwords(),
        "m.rossi",
        Some("Maria Rossi".into()),
        vec![Role::Admin],
        Some(Secret::new(PASSWORD.into())),
    )
    .await
    .unwrap();
    App {
        _guard: Some(dir),
        state,
        router,
    }
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn header(&self, n: &str) -> &str {
        self.headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    fn cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
    fn is_problem(&self, status: StatusCode) {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.header("content-type"), "application/problem+json");
        assert_eq!(self.json()["status"], status.as_u16());
    }
}

async fn send(app: &App, method: Method, uri: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, "bussola.test");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app
        .router
        .clone()
        .oneshot(req.body(Body::from(body.to_owned())).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .unwrap();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// `name=value` of the first Set-Cookie naming `name`.
fn cookie_of(r: &Reply, name: &str) -> Option<String> {
    r.cookies()
        .into_iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(|c| c.split(';').next().unwrap().to_owned())
}

/// Loads the form; returns its token cookie and the hidden field's value.
async fn form(app: &App) -> (String, String) {
    let r = send(app, Method::GET, "/signin", &[], "").await;
    assert_eq!(r.status, StatusCode::OK);
    let cookie = cookie_of(&r, "bussola_signin").expect("form cookie");
    let field = r.body.split("name=\"csrf_token\" value=\"").nth(1).unwrap();
    let value = field.split('"').next().unwrap().to_owned();
    (cookie, value)
}

fn form_body(user: &str, password: &str, token: &str, next: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("username", user)
        .append_pair("password", password)
        .append_pair("csrf_token", token)
        .append_pair("next", next)
        .finish()
}

const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");

async fn sign_in(app: &App, user: &str, password: &str, next: &str) -> Reply {
    let (cookie, token) = form(app).await;
    send(
        app,
        Method::POST,
        "/signin",
        &[FORM, ("cookie", &cookie), ("origin", "http://bussola.test")],
        &form_body(user, password, &token, next),
    )
    .await
}

async fn session_cookie(app: &App) -> String {
    let r = sign_in(app, "m.rossi", PASSWORD, "/").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    cookie_of(&r, "bussola_session").unwrap()
}

async fn me(app: &App, headers: &[(&str, &str)]) -> Reply {
    send(app, Method::GET, "/api/me", headers, "").await
}

async fn signing_in_sets_a_guarded_cookie_and_me_knows_the_user(app: App) {
    let anon = me(&app, &[]).await;
    assert_eq!(anon.json(), serde_json::json!({"signed_in": false}));
    assert_eq!(anon.header("cache-control"), "no-store");
    let r = sign_in(&app, "M.Rossi", PASSWORD, "/#lang=ar&need=legal-aid").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.header("location"), "/#lang=ar&need=legal-aid");
    let set = r
        .cookies()
        .into_iter()
        .find(|c| c.starts_with("bussola_session="))
        .unwrap();
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set.contains(flag), "{set}");
    }
    assert!(!set.contains("Secure"), "http public URL: {set}");
    let cookie = set.split(';').next().unwrap();
    let who = me(&app, &[("cookie", cookie)]).await.json();
    assert_eq!(who["signed_in"], true);
    assert_eq!(who["username"], "m.rossi");
    assert_eq!(who["display_name"], "Maria Rossi");
    assert_eq!(who["roles"], serde_json::json!([{"role": "admin"}]));
    assert_eq!(who["csrf_token"].as_str().unwrap().len(), 64);
    // An absolute or scheme-relative next goes home.
    for evil in ["https://evil.example/", "//evil.example/x"] {
        let r = sign_in(&app, "m.rossi", PASSWORD, evil).await;
        assert_eq!(r.header("location"), "/", "{evil}");
    }
}

async fn unknown_users_cost_one_verification_like_known_ones(app: App) {
    let count = || app.state.accounts.passwords().verifications();
    let before = count();
    let r = sign_in(&app, "m.rossi", "wrong password here", "/").await;
    r.is_problem(StatusCode::UNAUTHORIZED);
    assert_eq!(count(), before + 1);
    let r = sign_in(&app, "nobody.here", PASSWORD, "/").await;
    r.is_problem(StatusCode::UNAUTHORIZED);
    assert_eq!(count(), before + 2);
    let r = sign_in(&app, "not a valid name!", PASSWORD, "/").await;
    r.is_problem(StatusCode::UNAUTHORIZED);
    assert_eq!(count(), before + 3);
    // A browser sees the form again, with the error summary linked to the field.
    let (cookie, token) = form(&app).await;
    let r = send(
        &app,
        Method::POST,
        "/signin",
        &[
            FORM,
            ("cookie", &cookie),
            ("accept", "text/html"),
            ("accept-language", "en"),
        ],
        &form_body("m.rossi", "", &token, "/"),
    )
    .await;
    assert!(
        r.body
            .contains("<a href=\"#password\">Enter your password.</a>"),
        "{}",
        r.body
    );
}

async fn throttling_refuses_even_the_right_password(app: App) {
    for _ in 0..3 {
        sign_in(&app, "m.rossi", "wrong password here", "/")
            .await
            .is_problem(StatusCode::UNAUTHORIZED);
    }
    let r = sign_in(&app, "m.rossi", PASSWORD, "/").await;
    r.is_problem(StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.header("retry-after").parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Still locked: the refused attempt opened no session.
    assert_eq!(
        cookie_of(
            &sign_in(&app, "m.rossi", PASSWORD, "/").await,
            "bussola_session"
        ),
        None
    );
}

async fn state_changing_requests_need_the_csrf_token(app: App) {
    let cookie = session_cookie(&app).await;
    let token = me(&app, &[("cookie", &cookie)]).await.json()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    // Every route of the OpenAPI document, the account pages and an unknown path, with every
    // state-changing method: refused without the token.
    let doc = send(&app, Method::GET, "/api/openapi.json", &[], "")
        .await
        .json();
    let mut paths: Vec<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    assert!(paths.len() >= 5, "{paths:?}");
    paths.extend(["/signout", "/api/me", "/nowhere"].map(String::from));
    // POST /signin is the one exception: it has no session yet to bind a token to, and is
    // guarded by its own form token instead (`the_signin_form_is_protected_against_login_csrf`).
    paths.retain(|p| p != "/signin");
    for path in &paths {
        let path = path
            .replace("{collection}", "sportelli")
            .replace("{feature}", "x");
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            let r = send(&app, method.clone(), &path, &[("cookie", &cookie)], "").await;
            r.is_problem(StatusCode::FORBIDDEN);
            assert!(
                r.json()["detail"].as_str().unwrap().contains("csrf_token"),
                "{method} {path}"
            );
        }
    }
    let wrong = "0".repeat(64);
    send(
        &app,
        Method::POST,
        "/signout",
        &[("cookie", &cookie), ("x-csrf-token", &wrong)],
        "",
    )
    .await
    .is_problem(StatusCode::FORBIDDEN);
    // The right token, from another site: refused by the origin check.
    send(
        &app,
        Method::POST,
        "/signout",
        &[
            ("cookie", &cookie),
            ("x-csrf-token", &token),
            ("origin", "https://evil.example"),
        ],
        "",
    )
    .await
    .is_problem(StatusCode::FORBIDDEN);
    send(
        &app,
        Method::POST,
        "/signout",
        &[
            ("cookie", &cookie),
            ("x-csrf-token", &token),
            ("sec-fetch-site", "cross-site"),
        ],
        "",
    )
    .await
    .is_problem(StatusCode::FORBIDDEN);
    assert_eq!(
        me(&app, &[("cookie", &cookie)]).await.json()["signed_in"],
        true
    );
    // The right token in the form field: accepted, and the session is gone.
    let r = send(
        &app,
        Method::POST,
        "/signout",
        &[FORM, ("cookie", &cookie), ("origin", "http://bussola.test")],
        &format!("csrf_token={token}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(cookie_of(&r, "bussola_session").is_some_and(|c| c == "bussola_session="));
    // What the browser cached while signed in goes too.
    assert_eq!(r.header("clear-site-data"), "\"cache\"");
    assert_eq!(
        me(&app, &[("cookie", &cookie)]).await.json()["signed_in"],
        false
    );
}

async fn the_signin_form_is_protected_against_login_csrf(app: App) {
    let (cookie, token) = form(&app).await;
    let body = form_body("m.rossi", PASSWORD, &token, "/");
    // No form cookie (another site posting its own form), or a token of another form.
    send(&app, Method::POST, "/signin", &[FORM], &body)
        .await
        .is_problem(StatusCode::FORBIDDEN);
    let (other_cookie, _) = form(&app).await;
    send(
        &app,
        Method::POST,
        "/signin",
        &[FORM, ("cookie", &other_cookie)],
        &body,
    )
    .await
    .is_problem(StatusCode::FORBIDDEN);
    send(
        &app,
        Method::POST,
        "/signin",
        &[
            FORM,
            ("cookie", &cookie),
            ("origin", "https://evil.example"),
        ],
        &body,
    )
    .await
    .is_problem(StatusCode::FORBIDDEN);
    let ok = send(
        &app,
        Method::POST,
        "/signin",
        &[FORM, ("cookie", &cookie)],
        &body,
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
}

async fn bearer_tokens_act_with_their_role_until_revoked(app: App) {
    let store = app.state.accounts.store().clone();
    let (id, token) =
        manage::create_token(store.as_ref(), "m.rossi", Role::Admin, "qgis", Some(30))
            .await
            .unwrap();
    let bearer = format!("Bearer {}", token.expose());
    let who = me(&app, &[("authorization", &bearer)]).await.json();
    assert_eq!(who["signed_in"], true);
    assert_eq!(who["via"], "token");
    assert!(who.get("csrf_token").is_none());
    let listed = store.tokens(None).await.unwrap();
    assert!(listed[0].last_used_at.is_some(), "last use recorded");
    // A token is exempt from CSRF (browsers never add it): a POST reaches the router's 405.
    let r = send(
        &app,
        Method::POST,
        "/api/collections",
        &[("authorization", &bearer)],
        "",
    )
    .await;
    r.is_problem(StatusCode::METHOD_NOT_ALLOWED);
    for bad in [
        "Bearer bsl_nonsense".to_owned(),
        format!("Bearer {}0", token.expose()),
        format!("Basic {}", token.expose()),
        format!("Bearer bsl_{id}_{}", "a".repeat(64)),
    ] {
        let r = me(&app, &[("authorization", &bad)]).await;
        r.is_problem(StatusCode::UNAUTHORIZED);
        assert!(!r.body.contains(token.expose()));
    }
    // An expired token (stored as the CLI would, with a past expiry) is a 401 too.
    let issued = bussola::accounts::token::issue().unwrap();
    let now = chrono::Utc::now();
    store
        .create_token(&bussola::model::TokenRecord {
            id: issued.id.clone(),
            username: bussola::model::Username::parse("m.rossi").unwrap(),
            name: "old".into(),
            secret_hash: issued.secret_hash.clone(),
            role: Role::Admin,
            created_at: now - chrono::Duration::days(10),
            expires_at: Some(now - chrono::Duration::days(1)),
            last_used_at: None,
            revoked_at: None,
        })
        .await
        .unwrap();
    let expired = format!("Bearer {}", issued.token.expose());
    me(&app, &[("authorization", &expired)])
        .await
        .is_problem(StatusCode::UNAUTHORIZED);
    manage::revoke_token(store.as_ref(), &id).await.unwrap();
    me(&app, &[("authorization", &bearer)])
        .await
        .is_problem(StatusCode::UNAUTHORIZED);
    // A token whose role the user no longer holds is refused at creation.
    let err = manage::create_token(
        store.as_ref(),
        "m.rossi",
        Role::Viewer {
            comuni: vec!["027042".into()],
        },
        "x",
        None,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().starts_with("role:"), "{err}");
}

async fn an_expired_session_is_anonymous(app: App) {
    let id = "ab".repeat(32);
    let now = chrono::Utc::now();
    let store = app.state.accounts.store().clone();
    store
        .create_session(&bussola::model::SessionRecord {
            id_hash: bussola::accounts::random::sha256_hex(&id),
            username: bussola::model::Username::parse("m.rossi").unwrap(),
            csrf_hash: bussola::accounts::random::sha256_hex("x"),
            created_at: now - chrono::Duration::days(8),
            expires_at: now - chrono::Duration::minutes(1),
            last_seen_at: now - chrono::Duration::hours(9),
        })
        .await
        .unwrap();
    let cookie = format!("bussola_session={id}");
    assert_eq!(
        me(&app, &[("cookie", &cookie)]).await.json()["signed_in"],
        false
    );
    // With nothing to protect, a state-changing request with the stale cookie is not a CSRF
    // refusal: it reaches the router (here its 405).
    let r = send(
        &app,
        Method::POST,
        "/api/collections",
        &[("cookie", &cookie)],
        "",
    )
    .await;
    r.is_problem(StatusCode::METHOD_NOT_ALLOWED);
}

async fn disabling_a_user_ends_its_session_at_once(app: App) {
    let cookie = session_cookie(&app).await;
    assert_eq!(
        me(&app, &[("cookie", &cookie)]).await.json()["signed_in"],
        true
    );
    let store = app.state.accounts.store().clone();
    manage::disable_user(store.as_ref(), "m.rossi")
        .await
        .unwrap();
    assert_eq!(
        me(&app, &[("cookie", &cookie)]).await.json()["signed_in"],
        false
    );
    sign_in(&app, "m.rossi", PASSWORD, "/")
        .await
        .is_problem(StatusCode::UNAUTHORIZED);
}

/// Behind https (the public URL says so) the session cookie is `Secure`.
#[tokio::test(flavor = "multi_thread")]
async fn cookies_are_secure_behind_https() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = support::test_config(dir.path());
    config.demo = bussola::config::DemoMode::Never;
    config.public_url = Some("https://bussola.example.org".parse().unwrap());
    let directory = bussola::startup::open_directory(&config).await.unwrap();
    let state = AppState::new(directory, &config);
    let router = bussola::api::routes(state.clone(), &config);
    let store = state.accounts.store().clone();
    manage::add_user(
        store.as_ref(),
        state.accounts.passwords(),
        "m.rossi",
        None,
        vec![Role::Admin],
        Some(Secret::new(PASSWORD.into())),
    )
    .await
    .unwrap();
    let app = App {
        _guard: Some(dir),
        state,
        router,
    };
    let (cookie, token) = form(&app).await;
    let r = send(
        &app,
        Method::POST,
        "/signin",
        &[
            FORM,
            ("cookie", &cookie),
            ("origin", "https://bussola.example.org"),
        ],
        &form_body("m.rossi", PASSWORD, &token, "/"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let set = r
        .cookies()
        .into_iter()
        .find(|c| c.starts_with("bussola_session="))
        .unwrap();
    assert!(set.contains("; Secure"), "{set}");
}

macro_rules! both {
    ($($name:ident),*) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread")]
            async fn sqlite() {
                super::$name(super::app(false).await).await;
            }
            #[tokio::test(flavor = "multi_thread")]
            async fn postgis() {
                super::$name(super::app(true).await).await;
            }
        }
    )*};
}

both!(
    signing_in_sets_a_guarded_cookie_and_me_knows_the_user,
    unknown_users_cost_one_verification_like_known_ones,
    throttling_refuses_even_the_right_password,
    state_changing_requests_need_the_csrf_token,
    the_signin_form_is_protected_against_login_csrf,
    bearer_tokens_act_with_their_role_until_revoked,
    an_expired_session_is_anonymous,
    disabling_a_user_ends_its_session_at_once
);
