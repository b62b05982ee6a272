//! The role × endpoint matrix (issue 15), on embedded SQLite and on PostGIS: every route of
//! the router, asked by every kind of caller — anonymous, a viewer of Venezia, an operator of
//! each of two organisations, a coordinator inside and one outside the territory, an admin
//! (each once with a session cookie and once with an API token), a revoked token and an
//! expired session — against the status and the visible records written out below by hand
//! from `data/demo/venezia.geojson` (never computed with the server's own access rules).
//!
//! A cell checks the status, which of the demo data's hidden ids the answer holds (every
//! restricted reception centre, its managing body, every draft service, the archived
//! sportello: each must appear exactly where the visibility rules allow, searched for in the
//! raw body), `numberMatched`, and for answers that depend on the caller `Cache-Control`
//! (`public` only for anonymous callers, otherwise `private` with `Vary` naming the cookie
//! and the authorization), distinct ETags and no 304 across viewers. The routes come from the
//! router itself; a route without rows in the table fails the test with its name. The write
//! routes (issue 16) are probed the same way, with bodies, `If-Match` and a session's CSRF
//! token, each cell independent of the cells before it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use bussola::accounts::{manage, Secret};
use bussola::api::AppState;
use bussola::model::{Id, Role};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use support::Backend;
use tower::ServiceExt;

const PASSWORD: &str = "a long enough passphrase";

// ---------------------------------------------------------------------------------------
// The demo data's hidden records, by hand from data/demo/venezia.geojson.

/// A fictional reception centre (visibility `restricted`).
struct Centre {
    id: &'static str,
    /// Its Italian and English names.
    names: [&'static str; 2],
    /// Its position (lon, lat), as the GeoJSON writes it.
    at: [f64; 2],
}

const fn cas(id: &'static str, names: [&'static str; 2], at: [f64; 2]) -> Centre {
    Centre { id, names, at }
}

/// The reception centres: Mestre and Marghera (027042), Mira (027023), Dolo (027012), managed
/// by org A; San Donà (027033), Portogruaro (027029), Chioggia (027008) and Cavarzere
/// (027006), managed by `org-demo-rifugio-sud`.
const CAS: [Centre; 8] = [
    cas(
        "loc-cas-demo-mestre",
        ["CAS Demo Mestre (fittizio)", "Demo CAS Mestre (fictional)"],
        [12.24, 45.49],
    ),
    cas(
        "loc-cas-demo-marghera",
        [
            "CAS Demo Marghera (fittizio)",
            "Demo CAS Marghera (fictional)",
        ],
        [12.22, 45.47],
    ),
    cas(
        "loc-cas-demo-mira",
        ["CAS Demo Mira (fittizio)", "Demo CAS Mira (fictional)"],
        [12.13, 45.44],
    ),
    cas(
        "loc-cas-demo-dolo",
        ["CAS Demo Dolo (fittizio)", "Demo CAS Dolo (fictional)"],
        [12.08, 45.43],
    ),
    cas(
        "loc-cas-demo-san-dona",
        [
            "CAS Demo San Donà (fittizio)",
            "Demo CAS San Donà (fictional)",
        ],
        [12.57, 45.63],
    ),
    cas(
        "loc-cas-demo-portogruaro",
        [
            "CAS Demo Portogruaro (fittizio)",
            "Demo CAS Portogruaro (fictional)",
        ],
        [12.84, 45.78],
    ),
    cas(
        "loc-cas-demo-chioggia",
        [
            "CAS Demo Chioggia (fittizio)",
            "Demo CAS Chioggia (fictional)",
        ],
        [12.28, 45.22],
    ),
    cas(
        "loc-cas-demo-cavarzere",
        [
            "CAS Demo Cavarzere (fittizio)",
            "Demo CAS Cavarzere (fictional)",
        ],
        [12.08, 45.14],
    ),
];
/// Managing bodies of the reception centres (restricted organisations).
const ORG_A: &str = "org-demo-accoglienza-nord";
const ORG_SUD: &str = "org-demo-rifugio-sud";
/// Operator B's organisation: public, with a draft service at its Mestre sportello.
const ORG_B: &str = "org-casa-comune";
/// Draft services (status `draft`) at public sportelli in Mestre (027042).
const DRAFT_B: &str = "svc-casa-comune-mestre-nuovo-orario";
const DRAFT_FARO: &str = "svc-faro-verde-mestre-nuovo-orario";
const SPORTELLO_B: &str = "loc-casa-comune-mestre";
/// The archived sportello and its (published) service: nobody sees them.
const ARCHIVED: &str = "loc-comune-venezia-vecchio-sportello";
const ARCHIVED_SVC: &str = "svc-comune-venezia-vecchio-sportello-social-secretariat";
/// Published public sportelli in the demo data (77 features, 8 CAS, 1 archived).
const PUBLIC_SPORTELLI: u64 = 68;
/// Published services at those sportelli (105 services: 2 drafts, 1 at the archived one).
const PUBLIC_OFFERS: u64 = 102;

/// Every id the matrix watches for in answers.
fn watched() -> Vec<&'static str> {
    let mut w: Vec<&str> = CAS.iter().map(|c| c.id).collect();
    w.extend([ORG_A, ORG_SUD, DRAFT_B, DRAFT_FARO, ARCHIVED, ARCHIVED_SVC]);
    w
}

/// Texts that betray a reception centre without its id (its names, its position), with the
/// id they betray.
fn betrayals() -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for c in &CAS {
        for n in c.names {
            out.push((n.to_owned(), c.id));
        }
        let [lon, lat] = c.at;
        out.push((format!("[{lon},{lat}]"), c.id));
        out.push((format!("{lon},{lat}"), c.id));
    }
    out
}

// ---------------------------------------------------------------------------------------
// Who asks.

/// The kinds of caller. The signed-in ones hold exactly one role each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Anonymous,
    /// `viewer:027042` (a Prefettura desk in Venezia).
    Viewer,
    /// `operator:org-demo-accoglienza-nord` (the CAS in Venezia, Mira and Dolo).
    OperatorA,
    /// `operator:org-casa-comune` (owns a draft service in Mestre).
    OperatorB,
    /// `coordinator:027042`.
    CoordinatorIn,
    /// `coordinator:027008` (Chioggia).
    CoordinatorOut,
    Admin,
    /// A revoked token of the viewer.
    RevokedToken,
    /// The viewer's session cookie after its expiry.
    ExpiredSession,
}

use Who::*;

impl Who {
    /// The user and role of a signed-in kind.
    fn user(self) -> Option<(&'static str, Role)> {
        let comuni = |c: &str| vec![c.to_owned()];
        let org = |o: &str| Id::parse(o).unwrap();
        Some(match self {
            Viewer => (
                "viewer.venezia",
                Role::Viewer {
                    comuni: comuni("027042"),
                },
            ),
            OperatorA => (
                "op.nord",
                Role::Operator {
                    organization: org(ORG_A),
                },
            ),
            OperatorB => (
                "op.casacomune",
                Role::Operator {
                    organization: org(ORG_B),
                },
            ),
            CoordinatorIn => (
                "coord.venezia",
                Role::Coordinator {
                    comuni: comuni("027042"),
                },
            ),
            CoordinatorOut => (
                "coord.chioggia",
                Role::Coordinator {
                    comuni: comuni("027008"),
                },
            ),
            Admin => ("boss", Role::Admin),
            Anonymous | RevokedToken | ExpiredSession => return None,
        })
    }

    /// True for callers the server must treat as signed in.
    fn signed(self) -> bool {
        self.user().is_some()
    }

    /// The reception centres this caller may see (restricted: admin, the managing body's
    /// operators, coordinators and viewers whose territory holds the centre).
    fn reception(self) -> BTreeSet<&'static str> {
        match self {
            Admin => CAS.iter().map(|c| c.id).collect(),
            OperatorA => [
                "loc-cas-demo-mestre",
                "loc-cas-demo-marghera",
                "loc-cas-demo-mira",
                "loc-cas-demo-dolo",
            ]
            .into(),
            Viewer | CoordinatorIn => ["loc-cas-demo-mestre", "loc-cas-demo-marghera"].into(),
            CoordinatorOut => ["loc-cas-demo-chioggia"].into(),
            Anonymous | OperatorB | RevokedToken | ExpiredSession => BTreeSet::new(),
        }
    }

    /// The box (west, south, east, north) of the reception centres this caller sees.
    fn reception_box(self) -> Option<[f64; 4]> {
        match self {
            Admin => Some([12.08, 45.14, 12.84, 45.78]),
            OperatorA => Some([12.08, 45.43, 12.24, 45.49]),
            Viewer | CoordinatorIn => Some([12.22, 45.47, 12.24, 45.49]),
            CoordinatorOut => Some([12.28, 45.22, 12.28, 45.22]),
            Anonymous | OperatorB | RevokedToken | ExpiredSession => None,
        }
    }

    /// The restricted managing bodies this caller may see (their comuni are their centres').
    fn bodies(self) -> BTreeSet<&'static str> {
        match self {
            Admin => [ORG_A, ORG_SUD].into(),
            Viewer | OperatorA | CoordinatorIn => [ORG_A].into(),
            CoordinatorOut => [ORG_SUD].into(),
            Anonymous | OperatorB | RevokedToken | ExpiredSession => BTreeSet::new(),
        }
    }

    /// The draft services this caller may see (draft: admin, the owner's operators,
    /// coordinators of the territory — never viewers).
    fn drafts(self) -> BTreeSet<&'static str> {
        match self {
            Admin | CoordinatorIn => [DRAFT_B, DRAFT_FARO].into(),
            OperatorB => [DRAFT_B].into(),
            _ => BTreeSet::new(),
        }
    }
}

/// How a caller proves who it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Via {
    None,
    Session,
    Token,
}

/// One caller of the matrix: a kind, and the headers it sends.
struct Caller {
    who: Who,
    via: Via,
    headers: Vec<(String, String)>,
    /// A session's CSRF token, sent with the write routes' probes.
    csrf: Option<String>,
}

impl Caller {
    fn label(&self) -> String {
        match self.via {
            Via::None => format!("{:?}", self.who),
            v => format!("{:?} ({v:?})", self.who),
        }
    }
}

// ---------------------------------------------------------------------------------------
// The application and its callers.

struct App {
    _dir: tempfile::TempDir,
    _backend: Backend,
    router: Router,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> String {
        self.headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(", ")
    }
    fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.body).ok()
    }
}

async fn send(app: &App, method: Method, uri: &str, headers: &[(String, String)]) -> Reply {
    send_body(app, method, uri, headers, None).await
}

async fn send_body(
    app: &App,
    method: Method,
    uri: &str,
    headers: &[(String, String)],
    body: Option<String>,
) -> Reply {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, "bussola.test");
    for (k, v) in headers {
        req = req.header(k.as_str(), v.as_str());
    }
    let body = match body {
        Some(b) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Body::from(b)
        }
        None => Body::empty(),
    };
    let res = app
        .router
        .clone()
        .oneshot(req.body(body).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), 64 << 20)
        .await
        .unwrap();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// The real router over the demo data on `backend`.
async fn app(backend: Backend) -> (App, AppState) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = support::test_config(dir.path());
    match &backend {
        Backend::Sqlite(d) => config.data_dir = d.path().to_path_buf(),
        Backend::Postgres(url) => config.database_url = Some(Secret::new(url.clone())),
    }
    config.demo = bussola::config::DemoMode::Auto;
    // Every caller sends feedback; the rate limit has its own test (edit_api.rs).
    config.feedback_per_address = 10_000;
    let directory = bussola::startup::open_directory(&config).await.unwrap();
    let state = AppState::new(directory, &config);
    let router = bussola::api::routes(state.clone(), &config);
    (
        App {
            _dir: dir,
            _backend: backend,
            router,
        },
        state,
    )
}

/// Signs in through the real form; returns the `bussola_session=…` cookie.
async fn sign_in(app: &App, user: &str) -> String {
    let form = send(app, Method::GET, "/signin", &[]).await;
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
    let res = app.router.clone().oneshot(req).await.unwrap();
    let r = Reply {
        status: res.status(),
        headers: res.headers().clone(),
        body: String::new(),
    };
    assert_eq!(r.status, StatusCode::SEE_OTHER, "sign-in of {user}");
    cookie_of(&r, "bussola_session").expect("session cookie")
}

/// Every caller: the users added as the CLI would, signed in through the form, their tokens
/// created as `bussola token create` does; a revoked token; an expired session row.
async fn callers(app: &App, state: &AppState) -> Vec<Caller> {
    let store = state.accounts.store().clone();
    let mut out = vec![Caller {
        who: Anonymous,
        via: Via::None,
        headers: vec![],
        csrf: None,
    }];
    for who in [
        Viewer,
        OperatorA,
        OperatorB,
        CoordinatorIn,
        CoordinatorOut,
        Admin,
    ] {
        let (name, role) = who.user().unwrap();
        manage::add_user(
            store.as_ref(),
            state.accounts.passwords(),
            name,
            None,
            vec![role.clone()],
            Some(Secret::new(PASSWORD.into())),
        )
        .await
        .unwrap();
        let cookie = sign_in(app, name).await;
        let headers = vec![("cookie".into(), cookie)];
        let me = send(app, Method::GET, "/api/me", &headers).await;
        let csrf = me
            .json()
            .and_then(|v| v["csrf_token"].as_str().map(str::to_owned));
        assert!(
            csrf.is_some(),
            "/api/me gives {name}'s session its CSRF token"
        );
        out.push(Caller {
            who,
            via: Via::Session,
            headers,
            csrf,
        });
        let (_, token) = manage::create_token(store.as_ref(), name, role, "matrix", Some(30))
            .await
            .unwrap();
        out.push(Caller {
            who,
            via: Via::Token,
            headers: vec![("authorization".into(), format!("Bearer {}", token.expose()))],
            csrf: None,
        });
    }
    let (viewer, role) = Viewer.user().unwrap();
    let (id, token) = manage::create_token(store.as_ref(), viewer, role, "revoked", None)
        .await
        .unwrap();
    manage::revoke_token(store.as_ref(), &id).await.unwrap();
    out.push(Caller {
        who: RevokedToken,
        via: Via::Token,
        headers: vec![("authorization".into(), format!("Bearer {}", token.expose()))],
        csrf: None,
    });
    let session = "5e".repeat(32);
    let now = chrono::Utc::now();
    store
        .create_session(&bussola::model::SessionRecord {
            id_hash: bussola::accounts::random::sha256_hex(&session),
            username: bussola::model::Username::parse(viewer).unwrap(),
            csrf_hash: bussola::accounts::random::sha256_hex("unused"),
            created_at: now - chrono::Duration::days(8),
            expires_at: now - chrono::Duration::minutes(1),
            last_seen_at: now - chrono::Duration::hours(9),
        })
        .await
        .unwrap();
    out.push(Caller {
        who: ExpiredSession,
        via: Via::Session,
        headers: vec![("cookie".into(), format!("bussola_session={session}"))],
        csrf: None,
    });
    out
}

// ---------------------------------------------------------------------------------------
// The table.

/// What a request must answer, for a caller.
#[derive(Clone, Debug)]
struct Cell {
    status: StatusCode,
    /// Watched ids the answer must hold.
    holds: BTreeSet<&'static str>,
    /// Watched ids it may hold as well (an id the request itself named, a visible managing
    /// body); every other watched id is a leak.
    may: BTreeSet<&'static str>,
    /// `numberMatched`, when the answer is a page of items.
    matched: Option<u64>,
    /// The reception collection's spatial extent, when the answer describes it: the box of
    /// the centres the caller sees, or (none) a box with no centre's coordinate in it.
    extent: Option<Option<[f64; 4]>>,
    /// Values at JSON pointers of the answer.
    values: Vec<(&'static str, Value)>,
    /// Headers the answer must have, each containing the text given.
    headers: Vec<(&'static str, String)>,
}

impl Cell {
    fn status(status: StatusCode) -> Self {
        Cell {
            status,
            holds: BTreeSet::new(),
            may: BTreeSet::new(),
            matched: None,
            extent: None,
            values: Vec::new(),
            headers: Vec::new(),
        }
    }
    fn ok() -> Self {
        Cell::status(StatusCode::OK)
    }
    fn holding(mut self, ids: BTreeSet<&'static str>) -> Self {
        self.holds.extend(ids);
        self
    }
    fn allowing(mut self, ids: BTreeSet<&'static str>) -> Self {
        self.may.extend(ids);
        self
    }
    fn matched(mut self, n: usize) -> Self {
        self.matched = Some(n as u64);
        self
    }
    fn header(mut self, name: &'static str, contains: impl Into<String>) -> Self {
        self.headers.push((name, contains.into()));
        self
    }
    fn value(mut self, pointer: &'static str, v: Value) -> Self {
        self.values.push((pointer, v));
        self
    }
    /// The reception extent the caller must get; its corners may be visible centres'.
    fn reception_extent(mut self, who: Who) -> Self {
        self.may.extend(who.reception());
        self.extent = Some(who.reception_box());
        self
    }
}

/// How the answer to a probe depends on the caller.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The same for everyone (probes, the app shell, the account pages): no viewer is read.
    Plain,
    /// An API document the same for every viewer: a bad token is still a 401.
    Api,
    /// An API answer that depends on the viewer: cache headers and ETags are checked too.
    Viewer,
}

/// The rows of a table: probes by route template.
type Rows = BTreeMap<&'static str, Vec<Probe>>;

/// One request of a row.
struct Probe {
    method: Method,
    uri: String,
    /// Extra headers, before the caller's.
    headers: Vec<(String, String)>,
    kind: Kind,
    /// A JSON body; `{caller}` in it becomes a slug of the caller, so each caller creates
    /// its own record.
    body: Option<String>,
    expect: Box<dyn Fn(Who) -> Cell>,
}

fn probe(uri: &str, kind: Kind, expect: impl Fn(Who) -> Cell + 'static) -> Probe {
    Probe {
        method: Method::GET,
        uri: uri.to_owned(),
        headers: vec![],
        kind,
        body: None,
        expect: Box::new(expect),
    }
}

/// The answer of an API route to a revoked token: 401, whatever the route.
fn api(who: Who, cell: Cell) -> Cell {
    if who == RevokedToken {
        Cell::status(StatusCode::UNAUTHORIZED)
    } else {
        cell
    }
}

/// A single item that only `seen_by` may see: 200 holding it, else a 404 (which may echo
/// the id it was asked for).
fn item(id: &'static str, seen_by: impl Fn(Who) -> bool + 'static) -> impl Fn(Who) -> Cell {
    move |who| {
        api(
            who,
            if seen_by(who) {
                Cell::ok()
                    .holding([id].into())
                    .allowing(who.bodies())
                    .allowing(who.drafts())
            } else {
                Cell::status(StatusCode::NOT_FOUND).allowing([id].into())
            },
        )
    }
}

/// The rows for a route template (`{collection}` and `{feature}` filled in by the probes).
fn rows() -> Rows {
    let mut t = Rows::new();
    let none = |_: Who| Cell::ok();
    for (route, uri) in [("/healthz", "/healthz"), ("/readyz", "/readyz"), ("/", "/")] {
        t.insert(route, vec![probe(uri, Kind::Plain, none)]);
    }
    t.insert(
        "/metrics",
        vec![probe("/metrics", Kind::Plain, |_| Cell::ok())],
    );
    for route in [
        "/api",
        "/api/",
        "/api/conformance",
        "/api/openapi.json",
        "/api/config",
        "/api/taxonomy",
    ] {
        t.insert(route, vec![probe(route, Kind::Api, |w| api(w, Cell::ok()))]);
    }
    t.insert(
        "/api/me",
        // The caller's own role may name its organisation.
        vec![probe("/api/me", Kind::Api, |w| {
            api(w, Cell::ok().allowing(w.bodies()))
        })],
    );
    t.insert(
        "/signin",
        vec![
            probe("/signin", Kind::Plain, |_| Cell::ok()),
            // A post without the form's token is refused, whoever sends it.
            Probe {
                method: Method::POST,
                uri: "/signin".into(),
                headers: vec![
                    ("origin".into(), "http://bussola.test".into()),
                    (
                        "content-type".into(),
                        "application/x-www-form-urlencoded".into(),
                    ),
                ],
                kind: Kind::Plain,
                body: None,
                expect: Box::new(|_| Cell::status(StatusCode::FORBIDDEN)),
            },
        ],
    );
    t.insert(
        "/signout",
        vec![Probe {
            // Same origin, no CSRF token: refused for a live session; a token (exempt) or
            // no live session signs out (clears the cookie) and goes home.
            method: Method::POST,
            uri: "/signout".into(),
            headers: vec![("origin".into(), "http://bussola.test".into())],
            kind: Kind::Plain,
            body: None,
            expect: Box::new(|_| Cell::status(StatusCode::SEE_OTHER)),
        }],
    );
    t.insert(
        "/api/collections",
        vec![probe("/api/collections", Kind::Viewer, |w| {
            api(w, Cell::ok().allowing(w.bodies()).reception_extent(w))
        })],
    );
    // The console's page (the app shell's second entry): the page for anyone signed in, with
    // the app's CSP and kept by no shared cache; anyone else is sent to sign in and back.
    for (route, uri) in [
        ("/console", "/console"),
        ("/console/{*rest}", "/console/review"),
    ] {
        t.insert(
            route,
            vec![probe(uri, Kind::Plain, move |w| {
                if w == RevokedToken {
                    // A token that was revoked is refused, not taken for nobody.
                    Cell::status(StatusCode::UNAUTHORIZED)
                } else if w.signed() {
                    Cell::ok()
                        .header("content-security-policy", "script-src 'self'")
                        .header("cache-control", "private")
                        .header("vary", "cookie")
                } else {
                    let next: String =
                        url::form_urlencoded::byte_serialize(uri.as_bytes()).collect();
                    Cell::status(StatusCode::SEE_OTHER)
                        .header("location", format!("/signin?next={next}"))
                        .header("cache-control", "no-store")
                }
            })],
        );
    }
    // The offline bundle holds the sportelli the caller sees, with their services (drafts
    // included where visible); reception centres are no sportelli and never in it (the web
    // app fetches their layer apart, and keeps it privately).
    write_rows(&mut t);
    t.insert(
        "/api/bundle",
        vec![probe("/api/bundle", Kind::Viewer, |w| {
            api(w, Cell::ok().holding(w.drafts()).allowing(w.bodies()))
        })],
    );
    t.extend(hsds_rows());
    // The exports hold what the caller sees, as the HSDS read API and the bundle do.
    for route in [
        "/api/export.geojson",
        "/api/export.csv",
        "/api/export/hsds.json",
    ] {
        t.insert(
            route,
            vec![probe(route, Kind::Viewer, |w| {
                api(w, Cell::ok().holding(w.drafts()).allowing(w.bodies()))
            })],
        );
    }
    // The stale list is the editors' (what they may edit, drafts included); a viewer and the
    // public are refused it.
    t.insert(
        "/api/stale",
        vec![probe("/api/stale", Kind::Viewer, |w| {
            api(
                w,
                match w {
                    OperatorA | OperatorB | CoordinatorIn | CoordinatorOut | Admin => {
                        Cell::ok().allowing(w.drafts()).allowing(w.bodies())
                    }
                    _ => Cell::status(StatusCode::FORBIDDEN),
                },
            )
        })],
    );
    t
}

/// The housing desk of organisation B (public, in Mestre), its offer there, and a change
/// request id that does not exist.
const SERVICE_B: &str = "svc-casa-comune-mestre-housing-desk";
const OFFER_B: &str = "loc-casa-comune-mestre~svc-casa-comune-mestre-housing-desk";
const NO_CHANGE: &str = "cr-00000000000000000000";

/// A write probe with a method, headers and a body.
fn write_probe(
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<serde_json::Value>,
    expect: impl Fn(Who) -> Cell + 'static,
) -> Probe {
    Probe {
        method,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: body.map(|b| b.to_string()),
        ..probe(uri, Kind::Api, expect)
    }
}

/// A write route's answer: 401 for the public (and an expired session, which is no one), 403
/// for a viewer (whose role edits nothing), `ok` for those `may` allows, else `denied`.
fn editing(who: Who, may: impl Fn(Who) -> bool, ok: Cell, denied: StatusCode) -> Cell {
    match who {
        Anonymous | ExpiredSession | RevokedToken => Cell::status(StatusCode::UNAUTHORIZED),
        Viewer => Cell::status(StatusCode::FORBIDDEN),
        w if may(w) => ok,
        _ => Cell::status(denied),
    }
}

/// Who may edit organisation B's records in Mestre: its operators, the coordinator of
/// Venezia, admins.
fn edits_b(w: Who) -> bool {
    matches!(w, OperatorB | CoordinatorIn | Admin)
}

/// Any caller with an editing role (they see their own, possibly empty, lists).
fn any_editor(_: Who) -> bool {
    true
}

/// The write API's rows (`docs/editing.md`). Each probe's answer does not depend on what the
/// probes before it did: writes name a version no record is at (412 for whoever may make
/// them), and creates use an id of their own per caller.
fn write_rows(t: &mut Rows) {
    let stale = [("if-match", "\"999\"")];
    let svc = format!("/api/records/services/{SERVICE_B}");
    let svc_body = serde_json::json!({
        "id": SERVICE_B, "organization_id": ORG_B, "name": {"it": "Sportello casa"},
        "categories": ["housing"]
    });
    let precondition = |status: StatusCode| {
        move |w: Who| editing(w, edits_b, Cell::status(status), StatusCode::FORBIDDEN)
    };
    t.insert(
        "/api/records/{kind}",
        vec![
            probe(
                &format!("/api/records/services?organization={ORG_B}"),
                Kind::Api,
                |w| {
                    let drafts = if edits_b(w) {
                        [DRAFT_B].into()
                    } else {
                        BTreeSet::new()
                    };
                    editing(w, any_editor, Cell::ok().holding(drafts), StatusCode::OK)
                },
            ),
            probe(
                &format!("/api/records/sportelli?organization={ORG_A}"),
                Kind::Api,
                |w| {
                    let centres: BTreeSet<&str> = match w {
                        OperatorA | Admin => [
                            "loc-cas-demo-mestre",
                            "loc-cas-demo-marghera",
                            "loc-cas-demo-mira",
                            "loc-cas-demo-dolo",
                        ]
                        .into(),
                        CoordinatorIn => ["loc-cas-demo-mestre", "loc-cas-demo-marghera"].into(),
                        _ => BTreeSet::new(),
                    };
                    editing(w, any_editor, Cell::ok().holding(centres), StatusCode::OK)
                },
            ),
            // A new service of organisation B per caller: published by a coordinator or an
            // admin, waiting for review from B's operator.
            write_probe(
                Method::POST,
                "/api/records/services",
                &[],
                Some(serde_json::json!({
                    "id": "svc-matrix-{caller}", "organization_id": ORG_B,
                    "name": {"it": "Servizio della matrice"}, "categories": ["housing"]
                })),
                |w| {
                    let ok = if w == OperatorB {
                        Cell::status(StatusCode::ACCEPTED)
                    } else {
                        Cell::ok()
                    };
                    editing(w, edits_b, ok, StatusCode::FORBIDDEN)
                },
            ),
        ],
    );
    t.insert(
        "/api/records/{kind}/{id}",
        vec![
            probe(
                &format!("/api/records/services/{DRAFT_B}"),
                Kind::Api,
                |w| {
                    editing(
                        w,
                        edits_b,
                        Cell::ok().holding([DRAFT_B].into()),
                        StatusCode::NOT_FOUND,
                    )
                },
            ),
            probe(
                "/api/records/sportelli/loc-cas-demo-mestre",
                Kind::Api,
                |w| {
                    editing(
                        w,
                        |w| matches!(w, OperatorA | CoordinatorIn | Admin),
                        Cell::ok()
                            .holding(["loc-cas-demo-mestre"].into())
                            .allowing(w.bodies()),
                        StatusCode::NOT_FOUND,
                    )
                },
            ),
            probe(&svc, Kind::Api, |w| {
                editing(w, edits_b, Cell::ok(), StatusCode::FORBIDDEN)
            }),
            write_probe(
                Method::PUT,
                &svc,
                &stale,
                Some(svc_body.clone()),
                precondition(StatusCode::PRECONDITION_FAILED),
            ),
            write_probe(
                Method::PUT,
                &svc,
                &[],
                Some(svc_body.clone()),
                precondition(StatusCode::PRECONDITION_REQUIRED),
            ),
            write_probe(
                Method::DELETE,
                &svc,
                &stale,
                None,
                precondition(StatusCode::PRECONDITION_FAILED),
            ),
            write_probe(
                Method::DELETE,
                &svc,
                &[],
                None,
                precondition(StatusCode::PRECONDITION_REQUIRED),
            ),
        ],
    );
    t.insert(
        "/api/records/{kind}/{id}/history",
        vec![probe(
            &format!("{svc}/history"),
            Kind::Api,
            precondition(StatusCode::OK),
        )],
    );
    t.insert(
        "/api/records/{kind}/{id}/versions/{version}",
        vec![probe(
            &format!("{svc}/versions/1"),
            Kind::Api,
            precondition(StatusCode::OK),
        )],
    );
    t.insert(
        "/api/records/{kind}/{id}/restore",
        vec![write_probe(
            Method::POST,
            &format!("{svc}/restore"),
            &stale,
            Some(serde_json::json!({"version": 1})),
            precondition(StatusCode::PRECONDITION_FAILED),
        )],
    );
    t.insert(
        "/api/records/{kind}/{id}/verify",
        vec![write_probe(
            Method::POST,
            &format!("/api/records/offers/{OFFER_B}/verify"),
            &stale,
            Some(serde_json::json!({"fields": ["hours"]})),
            precondition(StatusCode::PRECONDITION_FAILED),
        )],
    );
    t.insert(
        "/api/changes",
        vec![probe("/api/changes?status=all", Kind::Api, |w| {
            editing(w, any_editor, Cell::ok(), StatusCode::OK)
        })],
    );
    t.insert(
        "/api/changes/{id}",
        vec![probe(
            &format!("/api/changes/{NO_CHANGE}"),
            Kind::Api,
            |w| {
                editing(
                    w,
                    any_editor,
                    Cell::status(StatusCode::NOT_FOUND),
                    StatusCode::OK,
                )
            },
        )],
    );
    for verb in ["approve", "reject", "withdraw"] {
        t.insert(
            match verb {
                "approve" => "/api/changes/{id}/approve",
                "reject" => "/api/changes/{id}/reject",
                _ => "/api/changes/{id}/withdraw",
            },
            vec![write_probe(
                Method::POST,
                &format!("/api/changes/{NO_CHANGE}/{verb}"),
                &[],
                Some(serde_json::json!({"reason": "matrix"})),
                |w| {
                    editing(
                        w,
                        any_editor,
                        Cell::status(StatusCode::NOT_FOUND),
                        StatusCode::OK,
                    )
                },
            )],
        );
    }
    // Uploads (docs/imports.md): for an organisation the caller may edit; an import that
    // does not exist reads as 404 to every editor.
    t.insert(
        "/api/imports",
        vec![write_probe(
            Method::POST,
            &format!("/api/imports?organization={ORG_B}"),
            &[],
            Some(serde_json::json!({"type": "FeatureCollection", "features": []})),
            |w| {
                editing(
                    w,
                    edits_b,
                    Cell::status(StatusCode::CREATED),
                    StatusCode::FORBIDDEN,
                )
            },
        )],
    );
    let no_import = "/api/imports/imp-00000000000000000000";
    let missing = |w: Who| {
        editing(
            w,
            any_editor,
            Cell::status(StatusCode::NOT_FOUND),
            StatusCode::OK,
        )
    };
    t.insert(
        "/api/imports/{id}",
        vec![
            probe(no_import, Kind::Api, missing),
            write_probe(Method::DELETE, no_import, &[], None, missing),
        ],
    );
    t.insert(
        "/api/imports/{id}/commit",
        vec![write_probe(
            Method::POST,
            &format!("{no_import}/commit"),
            &[("if-match", "\"x\"")],
            Some(serde_json::json!({})),
            missing,
        )],
    );
    t.insert(
        "/api/feedback",
        vec![
            probe("/api/feedback", Kind::Api, |w| {
                editing(w, any_editor, Cell::ok(), StatusCode::OK)
            }),
            // Anonymous, and open to anyone (a revoked token is still refused).
            write_probe(
                Method::POST,
                "/api/feedback",
                &[],
                Some(serde_json::json!({"location_id": SPORTELLO_B, "kind": "right"})),
                |w| api(w, Cell::status(StatusCode::ACCEPTED)),
            ),
        ],
    );
    campaign_rows(t);
}

/// Who runs update campaigns: coordinators (of any territory: each sees their own) and admins.
fn runs_campaigns(w: Who) -> bool {
    matches!(w, CoordinatorIn | CoordinatorOut | Admin)
}

/// The campaign routes (`docs/campaigns.md`): operators and viewers 403, the public 401.
/// Bodies are invalid and the campaign does not exist, so no probe changes anything.
fn campaign_rows(t: &mut Rows) {
    let no_campaign = "/api/campaigns/cmp-0000000000000000";
    t.insert(
        "/api/campaigns",
        vec![
            probe("/api/campaigns", Kind::Api, |w| {
                editing(w, runs_campaigns, Cell::ok(), StatusCode::FORBIDDEN)
            }),
            write_probe(
                Method::POST,
                "/api/campaigns",
                &[],
                Some(serde_json::json!({"title": "", "comuni": ["027042"], "from": "2027-06-01", "until": "2027-09-15"})),
                |w| {
                    editing(
                        w,
                        runs_campaigns,
                        Cell::status(StatusCode::UNPROCESSABLE_ENTITY),
                        StatusCode::FORBIDDEN,
                    )
                },
            ),
        ],
    );
    t.insert(
        "/api/campaigns/{id}",
        vec![probe(no_campaign, Kind::Api, |w| {
            editing(
                w,
                runs_campaigns,
                Cell::status(StatusCode::NOT_FOUND),
                StatusCode::FORBIDDEN,
            )
        })],
    );
    for verb in ["send", "remind", "revoke", "close"] {
        let route: &'static str = match verb {
            "send" => "/api/campaigns/{id}/send",
            "remind" => "/api/campaigns/{id}/remind",
            "revoke" => "/api/campaigns/{id}/revoke",
            _ => "/api/campaigns/{id}/close",
        };
        t.insert(
            route,
            vec![write_probe(
                Method::POST,
                &format!("{no_campaign}/{verb}"),
                &[],
                Some(serde_json::json!({"organization_id": ORG_B})),
                |w| {
                    editing(
                        w,
                        runs_campaigns,
                        Cell::status(StatusCode::NOT_FOUND),
                        StatusCode::FORBIDDEN,
                    )
                },
            )],
        );
    }
}

/// The rows of the per-collection routes, for each collection the router serves; a
/// collection with no entry here fails the test.
fn collection_rows(collection: &str) -> Option<Rows> {
    let c = collection;
    let mut t = Rows::new();
    let meta = |w: Who| api(w, Cell::ok().allowing(w.bodies()));
    let reception = c == "reception";
    t.insert(
        "/api/collections/{collection}",
        vec![probe(
            &format!("/api/collections/{c}"),
            Kind::Viewer,
            move |w| {
                let cell = meta(w);
                if reception && w != RevokedToken {
                    cell.reception_extent(w)
                } else {
                    cell
                }
            },
        )],
    );
    t.insert(
        "/api/collections/{collection}/queryables",
        vec![probe(
            &format!("/api/collections/{c}/queryables"),
            Kind::Viewer,
            meta,
        )],
    );
    let items = |q: &str| format!("/api/collections/{c}/items{q}");
    let one = |id: &str| format!("/api/collections/{c}/items/{id}");
    let (list, single): (Vec<Probe>, Vec<Probe>) = match c {
        "reception" => (
            vec![
                probe(&items("?limit=100"), Kind::Viewer, |w| {
                    api(
                        w,
                        Cell::ok()
                            .holding(w.reception())
                            .allowing(w.bodies())
                            .matched(w.reception().len()),
                    )
                }),
                // Around Mestre and Marghera only.
                probe(&items("?bbox=12.2,45.46,12.25,45.5"), Kind::Viewer, |w| {
                    let near: BTreeSet<&str> = w
                        .reception()
                        .into_iter()
                        .filter(|id| ["loc-cas-demo-mestre", "loc-cas-demo-marghera"].contains(id))
                        .collect();
                    api(
                        w,
                        Cell::ok()
                            .matched(near.len())
                            .holding(near)
                            .allowing(w.bodies()),
                    )
                }),
                // The HTML view of the same page.
                Probe {
                    headers: vec![("accept".into(), "text/html".into())],
                    ..probe(&items("?limit=100"), Kind::Viewer, |w| {
                        api(w, Cell::ok().holding(w.reception()).allowing(w.bodies()))
                    })
                },
            ],
            vec![
                probe(
                    &one("loc-cas-demo-mestre"),
                    Kind::Viewer,
                    item("loc-cas-demo-mestre", |w| {
                        matches!(w, Viewer | OperatorA | CoordinatorIn | Admin)
                    }),
                ),
                probe(
                    &one("loc-cas-demo-mira"),
                    Kind::Viewer,
                    item("loc-cas-demo-mira", |w| matches!(w, OperatorA | Admin)),
                ),
                probe(
                    &one("loc-cas-demo-chioggia"),
                    Kind::Viewer,
                    item("loc-cas-demo-chioggia", |w| {
                        matches!(w, CoordinatorOut | Admin)
                    }),
                ),
            ],
        ),
        "sportelli" => (
            vec![probe(&items("?limit=1000"), Kind::Viewer, |w| {
                api(
                    w,
                    Cell::ok()
                        .holding(w.drafts())
                        .matched(PUBLIC_SPORTELLI as usize),
                )
            })],
            vec![
                probe(&one(SPORTELLO_B), Kind::Viewer, |w| {
                    let draft_b = w.drafts().into_iter().filter(|d| *d == DRAFT_B).collect();
                    api(w, Cell::ok().holding(draft_b))
                }),
                probe(&one(ARCHIVED), Kind::Viewer, item(ARCHIVED, |_| false)),
                probe(
                    &one("loc-cas-demo-mestre"),
                    Kind::Viewer,
                    item("loc-cas-demo-mestre", |_| false),
                ),
            ],
        ),
        "services" => (
            // A service is offered at a sportello: its id is `<sportello>~<service>`. 102
            // published offers at public sportelli, and the drafts the caller sees.
            vec![probe(&items("?limit=1000"), Kind::Viewer, |w| {
                api(
                    w,
                    Cell::ok()
                        .holding(w.drafts())
                        .matched(PUBLIC_OFFERS as usize + w.drafts().len()),
                )
            })],
            vec![
                probe(
                    &one(&format!("{SPORTELLO_B}~{DRAFT_B}")),
                    Kind::Viewer,
                    item(DRAFT_B, |w| matches!(w, OperatorB | CoordinatorIn | Admin)),
                ),
                probe(
                    &one(&format!("loc-faro-verde-mestre~{DRAFT_FARO}")),
                    Kind::Viewer,
                    item(DRAFT_FARO, |w| matches!(w, CoordinatorIn | Admin)),
                ),
                probe(
                    &one(&format!("{ARCHIVED}~{ARCHIVED_SVC}")),
                    Kind::Viewer,
                    item(ARCHIVED_SVC, |_| false),
                ),
            ],
        ),
        "projects" => (
            vec![probe(&items("?limit=100"), Kind::Viewer, |w| {
                api(w, Cell::ok().matched(5))
            })],
            vec![probe(&one("prj-capacitymetro"), Kind::Viewer, |w| {
                api(w, Cell::ok())
            })],
        ),
        "comuni" => (
            vec![probe(&items("?limit=100"), Kind::Viewer, |w| {
                api(w, Cell::ok().matched(44))
            })],
            // A comune counts the sportelli in it (Mira has two public ones and a reception
            // centre, which is no sportello; Venezia 24 and two centres).
            vec![
                probe(&one("027023"), Kind::Viewer, |w| {
                    api(w, Cell::ok().value("/properties/sportelli", 2.into()))
                }),
                probe(&one("027042"), Kind::Viewer, |w| {
                    api(w, Cell::ok().value("/properties/sportelli", 24.into()))
                }),
            ],
        ),
        _ => return None,
    };
    t.insert("/api/collections/{collection}/items", list);
    t.insert("/api/collections/{collection}/items/{feature}", single);
    Some(t)
}

// ---------------------------------------------------------------------------------------
// The routes of the router.

/// A route template with its parameters unnamed (`/items/{}`), so the router's, the OpenAPI
/// document's and the table's spellings compare equal.
fn template(route: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for ch in route.chars() {
        match ch {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if inside => {}
            c => out.push(c),
        }
    }
    out
}

/// Every route (method and template, parameters unnamed) the router serves: its one list of
/// routes and methods, the OpenAPI document's operations (which must be the same), `GET /`
/// (the app shell, the router's fallback) and the console's page.
async fn router_routes(app: &App) -> BTreeSet<(String, String)> {
    let doc = send(app, Method::GET, "/api/openapi.json", &[]).await;
    let doc = doc.json().expect("the OpenAPI document");
    let mut routes = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("operations").keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                routes.insert((method.to_uppercase(), template(path)));
            }
        }
    }
    for (path, method) in bussola::api::route_methods() {
        routes.insert((method.to_uppercase(), template(path)));
    }
    routes.insert(("GET".into(), "/".into()));
    // The console's page, beside the app shell (outside the API's route list).
    for path in ["/console", "/console/{*rest}"] {
        routes.insert(("GET".into(), template(path)));
    }
    routes
}

/// The routes (method, template) a table has probes for.
fn covered(rows: &Rows) -> impl Iterator<Item = (String, String)> + '_ {
    rows.iter().flat_map(|(route, probes)| {
        probes
            .iter()
            .map(move |p| (p.method.as_str().to_owned(), template(route)))
    })
}

/// The collections the router serves: its registry.
fn collections() -> Vec<String> {
    bussola::api::collection::REGISTRY
        .iter()
        .map(|c| c.id().to_owned())
        .collect()
}

// ---------------------------------------------------------------------------------------
// Running the matrix.

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

/// Checks one cell; writes what is wrong to `bad`. Returns the ETag of a 200.
fn check(
    bad: &mut Vec<String>,
    probe: &Probe,
    caller: &Caller,
    cell: &Cell,
    r: &Reply,
) -> Option<String> {
    let at = format!("{} {} as {}", probe.method, probe.uri, caller.label());
    // A session is refused by the sign-out's CSRF check; everyone else gets the cell.
    let status =
        if probe.uri == "/signout" && caller.via == Via::Session && caller.who != ExpiredSession {
            StatusCode::FORBIDDEN
        } else {
            cell.status
        };
    if r.status != status {
        let body: String = r.body.chars().take(200).collect();
        bad.push(format!(
            "{at}: status {} (expected {status}): {body}",
            r.status
        ));
        return None;
    }
    if status == StatusCode::UNAUTHORIZED
        && !lower(&r.header("www-authenticate")).contains("bearer")
    {
        bad.push(format!("{at}: 401 without WWW-Authenticate: Bearer"));
    }
    let found: BTreeSet<&str> = watched()
        .into_iter()
        .filter(|id| r.body.contains(id))
        .collect();
    let missing: Vec<_> = cell.holds.difference(&found).collect();
    if !missing.is_empty() {
        bad.push(format!("{at}: does not hold {missing:?}"));
    }
    // An id the request itself named may be echoed (a 404 names what it did not find).
    let allowed =
        |id: &str| cell.holds.contains(id) || cell.may.contains(id) || probe.uri.contains(id);
    let mut leaked: Vec<String> = found
        .iter()
        .filter(|id| !allowed(id))
        .map(|id| id.to_string())
        .collect();
    for (text, id) in betrayals() {
        if !allowed(id) && r.body.contains(&text) && !probe.uri.contains(&text) {
            leaked.push(format!("{text} (of {id})"));
        }
    }
    if !leaked.is_empty() {
        bad.push(format!("{at}: LEAKS {leaked:?}"));
    }
    if let Some(n) = cell.matched {
        let got = r.json().and_then(|v| v["numberMatched"].as_u64());
        if got != Some(n) {
            bad.push(format!("{at}: numberMatched {got:?} (expected {n})"));
        }
    }
    for (pointer, want) in &cell.values {
        let got = r.json().and_then(|v| v.pointer(pointer).cloned());
        if got.as_ref() != Some(want) {
            bad.push(format!("{at}: {pointer} is {got:?} (expected {want})"));
        }
    }
    for (name, want) in &cell.headers {
        if !r.header(name).contains(want.as_str()) {
            bad.push(format!(
                "{at}: {name} {:?} (expected it to hold {want:?})",
                r.header(name)
            ));
        }
    }
    if let Some(expected) = cell.extent {
        check_extent(bad, &at, r, expected);
    }
    if probe.kind == Kind::Viewer && status == StatusCode::OK {
        let cc = lower(&r.header("cache-control"));
        let vary = lower(&r.header("vary"));
        if caller.who.signed() {
            if cc.contains("public") || !cc.contains("private") {
                bad.push(format!("{at}: Cache-Control {cc:?} (expected private)"));
            }
            if !(vary.contains("cookie") && vary.contains("authorization")) {
                bad.push(format!(
                    "{at}: Vary {vary:?} does not name cookie and authorization"
                ));
            }
        } else if !cc.contains("public") {
            bad.push(format!("{at}: Cache-Control {cc:?} (expected public)"));
        }
    }
    (status == StatusCode::OK)
        .then(|| r.header("etag"))
        .filter(|t| !t.is_empty())
}

/// The reception collection's extent (in its own metadata, or in the list of collections)
/// against the box of the centres the caller sees.
fn check_extent(bad: &mut Vec<String>, at: &str, r: &Reply, expected: Option<[f64; 4]>) {
    let Some(v) = r.json() else {
        bad.push(format!("{at}: not JSON"));
        return;
    };
    let meta = match v["collections"].as_array() {
        Some(list) => match list.iter().find(|c| c["id"] == "reception") {
            Some(c) => c.clone(),
            None => return,
        },
        None => v,
    };
    let got: Option<Vec<f64>> = meta["extent"]["spatial"]["bbox"][0]
        .as_array()
        .map(|b| b.iter().filter_map(Value::as_f64).collect());
    let near = |a: f64, b: f64| (a - b).abs() < 1e-9;
    match (expected, &got) {
        (Some(e), Some(g)) if g.len() == 4 && e.iter().zip(g).all(|(a, b)| near(*a, *b)) => {}
        (Some(e), _) => bad.push(format!("{at}: reception extent {got:?} (expected {e:?})")),
        (None, None) => {}
        (None, Some(g)) => {
            let betrays = g
                .iter()
                .any(|x| CAS.iter().any(|c| near(*x, c.at[0]) || near(*x, c.at[1])));
            if betrays {
                bad.push(format!(
                    "{at}: LEAKS the reception extent {g:?}, drawn around centres it may not see"
                ));
            }
        }
    }
}

/// Runs every probe of `rows` for every caller.
async fn run_rows(
    app: &App,
    callers: &[Caller],
    rows: &Rows,
    bad: &mut Vec<String>,
    cells: &mut usize,
) {
    for probes in rows.values() {
        for probe in probes {
            let mut anonymous_tag: Option<String> = None;
            for caller in callers {
                let mut headers = probe.headers.clone();
                headers.extend(caller.headers.iter().cloned());
                // The write routes' probes carry a session's CSRF token (the sign-out's does
                // not: it checks the refusal).
                if probe.method != Method::GET && probe.uri.starts_with("/api/") {
                    if let Some(t) = &caller.csrf {
                        headers.push(("x-csrf-token".into(), t.clone()));
                    }
                }
                let slug: String = caller
                    .label()
                    .to_ascii_lowercase()
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect();
                let body = probe.body.as_ref().map(|b| b.replace("{caller}", &slug));
                let r = send_body(app, probe.method.clone(), &probe.uri, &headers, body).await;
                let cell = (probe.expect)(caller.who);
                *cells += 1;
                let tag = check(bad, probe, caller, &cell, &r);
                if probe.kind != Kind::Viewer {
                    continue;
                }
                let Some(tag) = tag else { continue };
                if caller.who == Anonymous {
                    // The anonymous answer is cacheable as such: its own ETag gives a 304.
                    let mut h = headers.clone();
                    h.push(("if-none-match".into(), tag.clone()));
                    let again = send(app, probe.method.clone(), &probe.uri, &h).await;
                    if again.status != StatusCode::NOT_MODIFIED {
                        bad.push(format!(
                            "{} as Anonymous: its own ETag answered {} (expected 304)",
                            probe.uri, again.status
                        ));
                    }
                    anonymous_tag = Some(tag);
                } else if caller.who.signed() {
                    let Some(anon) = &anonymous_tag else { continue };
                    if &tag == anon {
                        bad.push(format!(
                            "{} as {}: the same ETag as anonymous ({tag})",
                            probe.uri,
                            caller.label()
                        ));
                    }
                    // The anonymous ETag is no proof of having this viewer's answer.
                    let mut h = headers.clone();
                    h.push(("if-none-match".into(), anon.clone()));
                    let again = send(app, probe.method.clone(), &probe.uri, &h).await;
                    if again.status != StatusCode::OK {
                        bad.push(format!(
                            "{} as {} with the anonymous ETag: {} (expected 200)",
                            probe.uri,
                            caller.label(),
                            again.status
                        ));
                    }
                }
            }
        }
    }
}

/// `GET /api/me` names each signed-in caller with its one role and how it proved it.
async fn me_names_every_caller(app: &App, callers: &[Caller], bad: &mut Vec<String>) {
    for caller in callers {
        let r = send(app, Method::GET, "/api/me", &caller.headers).await;
        let Some(v) = r.json() else {
            bad.push(format!("/api/me as {}: not JSON", caller.label()));
            continue;
        };
        let ok = match caller.who.user() {
            Some((name, role)) => {
                v["signed_in"] == true
                    && v["username"] == name
                    && v["roles"] == serde_json::json!([role])
                    && v["via"]
                        == match caller.via {
                            Via::Token => "token",
                            _ => "session",
                        }
            }
            None if caller.who == RevokedToken => r.status == StatusCode::UNAUTHORIZED,
            None => v == serde_json::json!({"signed_in": false}),
        };
        if !ok {
            bad.push(format!("/api/me as {}: {}", caller.label(), r.body));
        }
    }
}

async fn the_matrix(backend: Backend) {
    let (app, state) = app(backend).await;
    let callers = callers(&app, &state).await;
    let mut bad = Vec::new();
    let mut cells = 0;

    // Every route of the router has rows; every row names a route of the router.
    let routes = router_routes(&app).await;
    let table = rows();
    let collections = collections();
    let per_collection: Vec<(String, Option<Rows>)> = collections
        .iter()
        .map(|c| (c.clone(), collection_rows(c)))
        .collect();
    let mut covered: BTreeSet<(String, String)> = covered(&table).collect();
    for (c, rows) in &per_collection {
        match rows {
            Some(rows) => covered.extend(self::covered(rows)),
            None => bad.push(format!(
                "collection {c:?} is served but has no rows in the matrix"
            )),
        }
    }
    for (method, route) in routes.difference(&covered) {
        bad.push(format!("route {method} {route} has no rows in the matrix"));
    }
    for (method, route) in covered.difference(&routes) {
        bad.push(format!(
            "the matrix has rows for {method} {route}, which the router does not serve"
        ));
    }
    for name in ["reception", "sportelli", "services"] {
        if !collections.iter().any(|c| c == name) {
            bad.push(format!("the router serves no {name:?} collection"));
        }
    }

    me_names_every_caller(&app, &callers, &mut bad).await;
    run_rows(&app, &callers, &table, &mut bad, &mut cells).await;
    for (_, rows) in per_collection {
        if let Some(rows) = rows {
            run_rows(&app, &callers, &rows, &mut bad, &mut cells).await;
        }
    }
    assert!(cells > 300, "only {cells} cells");
    if !bad.is_empty() {
        let mut msg = format!("{} problems in {cells} cells:\n", bad.len());
        for b in &bad {
            let _ = writeln!(msg, "  {b}");
        }
        panic!("{msg}");
    }
}

// ---------------------------------------------------------------------------------------
// The HSDS read API (`/hsds/*`): the same records as the collections, as HSDS objects.

/// Published public services at published public sportelli (89 distinct services among the
/// 102 offers).
const PUBLIC_SERVICES: u64 = 89;
/// Published public organisations (42, less the two restricted managing bodies).
const PUBLIC_ORGANIZATIONS: u64 = 40;

/// The HSDS envelope's total.
fn total(n: u64) -> (&'static str, Value) {
    ("/total_items", Value::from(n))
}

fn hsds_rows() -> Rows {
    let mut t = Rows::new();
    t.insert(
        "/hsds/services",
        vec![probe("/hsds/services?per_page=1000", Kind::Viewer, |w| {
            let (p, v) = total(PUBLIC_SERVICES + w.drafts().len() as u64);
            api(w, Cell::ok().holding(w.drafts()).value(p, v))
        })],
    );
    t.insert(
        "/hsds/services/{id}",
        vec![
            probe(
                &format!("/hsds/services/{DRAFT_B}"),
                Kind::Viewer,
                item(DRAFT_B, |w| matches!(w, OperatorB | CoordinatorIn | Admin)),
            ),
            probe(
                &format!("/hsds/services/{ARCHIVED_SVC}"),
                Kind::Viewer,
                item(ARCHIVED_SVC, |_| false),
            ),
        ],
    );
    t.insert(
        "/hsds/organizations",
        vec![probe(
            "/hsds/organizations?per_page=1000",
            Kind::Viewer,
            |w| {
                let (p, v) = total(PUBLIC_ORGANIZATIONS + w.bodies().len() as u64);
                api(w, Cell::ok().holding(w.bodies()).value(p, v))
            },
        )],
    );
    t.insert(
        "/hsds/organizations/{id}",
        vec![
            // A managing body of reception centres: its sportelli (none) and services, never
            // its centres.
            probe(
                &format!("/hsds/organizations/{ORG_A}"),
                Kind::Viewer,
                item(ORG_A, |w| {
                    matches!(w, Viewer | OperatorA | CoordinatorIn | Admin)
                }),
            ),
            probe(&format!("/hsds/organizations/{ORG_B}"), Kind::Viewer, |w| {
                api(
                    w,
                    Cell::ok().holding(w.drafts().into_iter().filter(|d| *d == DRAFT_B).collect()),
                )
            }),
        ],
    );
    t.insert(
        "/hsds/service_at_locations",
        vec![
            probe(
                "/hsds/service_at_locations?per_page=1000",
                Kind::Viewer,
                |w| {
                    let (p, v) = total(PUBLIC_OFFERS + w.drafts().len() as u64);
                    api(w, Cell::ok().holding(w.drafts()).value(p, v))
                },
            ),
            // Around the Mestre reception centre: sportelli only, nearest first.
            probe(
                "/hsds/service_at_locations?near=12.24,45.49&proximity=3000&per_page=1000",
                Kind::Viewer,
                |w| {
                    let drafts = w.drafts().into_iter().collect();
                    api(w, Cell::ok().allowing(drafts))
                },
            ),
        ],
    );
    t.insert(
        "/hsds/service_at_locations/{id}",
        vec![
            probe(
                &format!("/hsds/service_at_locations/{SPORTELLO_B}~{DRAFT_B}"),
                Kind::Viewer,
                item(DRAFT_B, |w| matches!(w, OperatorB | CoordinatorIn | Admin)),
            ),
            probe(
                &format!("/hsds/service_at_locations/{ARCHIVED}~{ARCHIVED_SVC}"),
                Kind::Viewer,
                item(ARCHIVED_SVC, |_| false),
            ),
        ],
    );
    t
}

on_both_backends!(role_by_endpoint, the_matrix);
