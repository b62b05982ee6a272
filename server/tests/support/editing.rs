//! The write API's test helpers: the real router over the demo data on a backend, users
//! added as the CLI adds them with an API token each, and requests with a method, headers
//! and a JSON body.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use super::Backend;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use bussola::accounts::{manage, Secret};
use bussola::api::AppState;
use bussola::model::{Id, Role};
use serde_json::Value;
use tower::ServiceExt;

pub const PASSWORD: &str = "a long enough passphrase";
/// A public organisation of the demo data with a sportello in Mestre (027042).
pub const ORG_B: &str = "org-casa-comune";
pub const SPORTELLO_B: &str = "loc-casa-comune-mestre";
/// Its published housing desk, and that service at the sportello.
pub const SERVICE_B: &str = "svc-casa-comune-mestre-housing-desk";
pub const OFFER_B: &str = "loc-casa-comune-mestre~svc-casa-comune-mestre-housing-desk";

/// The application, its state and its users' tokens.
pub struct App {
    pub router: Router,
    pub state: AppState,
    _dir: tempfile::TempDir,
    _backend: Backend,
}

/// An answer.
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    /// The pointers of a 422's `errors`.
    pub fn pointers(&self) -> Vec<String> {
        self.json()["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["pointer"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl App {
    /// The real router over the demo data on `backend`, with `tune` applied to the config.
    pub async fn with(backend: Backend, tune: impl FnOnce(&mut bussola::config::Config)) -> App {
        let dir = tempfile::tempdir().unwrap();
        let mut config = super::test_config(dir.path());
        match &backend {
            Backend::Sqlite(d) => config.data_dir = d.path().to_path_buf(),
            Backend::Postgres(url) => config.database_url = Some(Secret::new(url.clone())),
        }
        config.demo = bussola::config::DemoMode::Auto;
        tune(&mut config);
        let directory = bussola::startup::open_directory(&config).await.unwrap();
        let state = AppState::new(directory, &config);
        let router = bussola::api::routes(state.clone(), &config);
        App {
            router,
            state,
            _dir: dir,
            _backend: backend,
        }
    }

    pub async fn new(backend: Backend) -> App {
        App::with(backend, |_| {}).await
    }

    /// Adds a user with one role; returns an API token of theirs (`Bearer …`).
    pub async fn user(&self, name: &str, role: Role) -> String {
        let store = self.state.accounts.store().clone();
        manage::add_user(
            store.as_ref(),
            self.state.accounts.passwords(),
            name,
            None,
            vec![role.clone()],
            Some(Secret::new(PASSWORD.into())),
        )
        .await
        .unwrap();
        let (_, token) = manage::create_token(store.as_ref(), name, role, "tests", Some(30))
            .await
            .unwrap();
        format!("Bearer {}", token.expose())
    }

    /// Sends a request; `auth` is an `Authorization` value (or empty for none).
    pub async fn send(
        &self,
        method: Method,
        uri: &str,
        auth: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Reply {
        let text = body.map(|v| v.to_string());
        self.send_raw(method, uri, auth, headers, text.as_deref())
            .await
    }

    /// Sends a request with a body as it is (sent as JSON).
    pub async fn send_raw(
        &self,
        method: Method,
        uri: &str,
        auth: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Reply {
        let mut req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, "bussola.test");
        if !auth.is_empty() {
            req = req.header(header::AUTHORIZATION, auth);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_owned())
            }
            None => Body::empty(),
        };
        let res = self
            .router
            .clone()
            .oneshot(req.body(body).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), 64 << 20)
            .await
            .unwrap();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, uri: &str, auth: &str) -> Reply {
        self.send(Method::GET, uri, auth, &[], None).await
    }

    pub async fn post(&self, uri: &str, auth: &str, body: &Value) -> Reply {
        self.send(Method::POST, uri, auth, &[], Some(body)).await
    }

    /// `PUT` with `If-Match: "version"`.
    pub async fn put(&self, uri: &str, auth: &str, version: i64, body: &Value) -> Reply {
        let tag = format!("\"{version}\"");
        self.send(Method::PUT, uri, auth, &[("if-match", &tag)], Some(body))
            .await
    }

    /// `POST` with `If-Match: "version"`.
    pub async fn post_at(&self, uri: &str, auth: &str, version: i64, body: &Value) -> Reply {
        let tag = format!("\"{version}\"");
        self.send(Method::POST, uri, auth, &[("if-match", &tag)], Some(body))
            .await
    }

    /// A record as the write API gives it, and its version (from the ETag).
    pub async fn record(&self, path: &str, auth: &str) -> (Value, i64) {
        let r = self.get(&format!("/api/records/{path}"), auth).await;
        assert_eq!(r.status, 200, "GET /api/records/{path}: {}", r.body);
        let tag = r.header("etag").trim_matches('"').parse().unwrap();
        (r.json(), tag)
    }

    /// Signs in through the real form; returns the session cookie and its CSRF token.
    pub async fn sign_in(&self, user: &str) -> (String, String) {
        let form = self.get("/signin", "").await;
        let cookie_of = |r: &Reply, name: &str| {
            r.headers
                .get_all(header::SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find(|c| c.starts_with(&format!("{name}=")))
                .map(|c| c.split(';').next().unwrap().to_owned())
        };
        let form_cookie = cookie_of(&form, "bussola_signin").expect("sign-in form cookie");
        let token = form
            .body
            .split("name=\"csrf_token\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("form token")
            .to_owned();
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("username", user)
            .append_pair("password", PASSWORD)
            .append_pair("csrf_token", &token)
            .append_pair("next", "/")
            .finish();
        let req = Request::post("/signin")
            .header(header::HOST, "bussola.test")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, form_cookie)
            .header(header::ORIGIN, "http://bussola.test")
            .body(Body::from(body))
            .unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in of {user}");
        let r = Reply {
            status: res.status(),
            headers: res.headers().clone(),
            body: String::new(),
        };
        let cookie = cookie_of(&r, "bussola_session").expect("session cookie");
        let me = self
            .send(Method::GET, "/api/me", "", &[("cookie", &cookie)], None)
            .await
            .json();
        let csrf = me["csrf_token"].as_str().expect("csrf token").to_owned();
        (cookie, csrf)
    }
}

/// The usual cast: an admin, a coordinator of Venezia (027042), an operator of [`ORG_B`], an
/// operator of another organisation, a viewer of Venezia.
pub struct Cast {
    pub admin: String,
    pub coordinator: String,
    pub operator: String,
    pub other_operator: String,
    pub viewer: String,
}

pub async fn cast(app: &App) -> Cast {
    let org = |o: &str| Id::parse(o).unwrap();
    Cast {
        admin: app.user("boss", Role::Admin).await,
        coordinator: app
            .user(
                "coord.venezia",
                Role::Coordinator {
                    comuni: vec!["027042".into()],
                },
            )
            .await,
        operator: app
            .user(
                "op.casacomune",
                Role::Operator {
                    organization: org(ORG_B),
                },
            )
            .await,
        other_operator: app
            .user(
                "op.faro",
                Role::Operator {
                    organization: org("org-faro-verde"),
                },
            )
            .await,
        viewer: app
            .user(
                "viewer.venezia",
                Role::Viewer {
                    comuni: vec!["027042".into()],
                },
            )
            .await,
    }
}
