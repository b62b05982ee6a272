//! Every read is for a viewer: restricted, internal and draft records (with known ids, names
//! and places) are added through the one write path, then the same requests are made as the
//! anonymous public and as signed-in viewers (set in the request's extensions, where the
//! accounts layer will put them).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::Router;
use bussola::access::{Credential, Viewer};
use bussola::model::{Id, Location, Role, Service, ServiceAtLocation, Username};
use bussola::store::ChangeSet;
use serde_json::{json, Value};
use support::client::{get, ids, Reply};

/// The hidden records: (id, name, status, visibility).
const HIDDEN: [(&str, &str, &str, &str); 3] = [
    (
        "loc-secret-restricted",
        "Centro Riservato Zeta",
        "published",
        "restricted",
    ),
    (
        "loc-secret-internal",
        "Sportello Interno Kappa",
        "published",
        "internal",
    ),
    ("loc-secret-draft", "Bozza Omega", "draft", "public"),
];
/// An internal service offered at a public sportello.
const HIDDEN_SERVICE: (&str, &str) = ("svc-secret-internal", "Servizio Nascosto Sigma");
const VENICE: &str = "027042";

fn signed(roles: Vec<Role>) -> Viewer {
    Viewer::Signed {
        username: Username::parse("tester").unwrap(),
        roles,
        via: Credential::Session,
    }
}

fn venice_viewer() -> Viewer {
    signed(vec![Role::Viewer {
        comuni: vec![VENICE.to_owned()],
    }])
}

/// The app over the demo data plus the hidden records, and the id of a public sportello
/// in Venice that offers the hidden service.
async fn app_with_hidden() -> (tempfile::TempDir, Router, bussola::config::Config, String) {
    use bussola::model::Dataset;
    let dir = tempfile::tempdir().unwrap();
    let config = support::test_config(dir.path());
    let directory = bussola::startup::open_directory(&config).await.unwrap();
    let c = directory.catalog();
    let public = c
        .sportelli()
        .iter()
        .find(|s| s.location.address.comune_istat == VENICE && !s.offers.is_empty())
        .expect("a public sportello in Venice");
    let mut d = Dataset::default();
    for (i, (id, name, status, visibility)) in HIDDEN.iter().enumerate() {
        let mut v = serde_json::to_value(&*public.location).unwrap();
        v["id"] = json!(id);
        v["name"] = json!({"it": name});
        v["status"] = json!(status);
        v["visibility"] = json!(visibility);
        // Far to the north-east of everything public, so extents show them.
        v["point"] = json!([13.5 + i as f64 * 0.01, 46.5]);
        let loc: Location = serde_json::from_value(v).unwrap();
        d.locations.push(loc);
    }
    let mut svc = serde_json::to_value(&*public.offers[0].service).unwrap();
    svc["id"] = json!(HIDDEN_SERVICE.0);
    svc["name"] = json!({"it": HIDDEN_SERVICE.1});
    svc["visibility"] = json!("internal");
    let svc: Service = serde_json::from_value(svc).unwrap();
    let mut sal = serde_json::to_value(&*public.offers[0].sal).unwrap();
    let sid = Id::parse(HIDDEN_SERVICE.0).unwrap();
    sal["id"] = json!(ServiceAtLocation::derived_id(&public.location.id, &sid).as_str());
    sal["service_id"] = json!(HIDDEN_SERVICE.0);
    let sal: ServiceAtLocation = serde_json::from_value(sal).unwrap();
    d.services.push(svc);
    d.service_at_locations.push(sal);
    let public_id = public.location.id.as_str().to_owned();
    directory
        .apply(&ChangeSet {
            dataset: d,
            ..Default::default()
        })
        .await
        .unwrap();
    let app = bussola::api::router(directory, &config);
    (dir, app, config, public_id)
}

fn as_viewer(app: &Router, v: Viewer) -> Router {
    app.clone().layer(axum::Extension(v))
}

fn text(r: &Reply) -> String {
    String::from_utf8_lossy(&r.body).into_owned()
}

fn leaks(body: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    for (id, name, _, _) in HIDDEN {
        for needle in [id, name] {
            if body.contains(needle) {
                found.push(needle);
            }
        }
    }
    for needle in [HIDDEN_SERVICE.0, HIDDEN_SERVICE.1, ",46.5]"] {
        if body.contains(needle) {
            found.push(needle);
        }
    }
    found
}

#[tokio::test]
async fn the_public_sees_no_hidden_record_anywhere() {
    let (_d, app, _c, public_id) = app_with_hidden().await;
    for uri in [
        "/api/collections".to_owned(),
        "/api/collections/sportelli".to_owned(),
        "/api/collections/sportelli/items?limit=10000".to_owned(),
        "/api/collections/services/items?limit=10000".to_owned(),
        "/api/collections/sportelli/items?limit=10000&near=13.5,46.5".to_owned(),
        "/api/collections/sportelli/items?limit=10000&bbox=13,46,14,47".to_owned(),
        format!("/api/collections/sportelli/items?limit=10000&filter=comune='{VENICE}'"),
        format!("/api/collections/sportelli/items/{public_id}"),
        "/api/config".to_owned(),
        "/api/bundle".to_owned(),
        "/api/collections/sportelli/items?f=html&limit=1000".to_owned(),
    ] {
        let r = get(&app, &uri).await;
        assert_eq!(r.status, 200, "{uri}");
        assert_eq!(leaks(&text(&r)), Vec::<&str>::new(), "{uri}");
        assert!(r.header("cache-control").starts_with("public"), "{uri}");
    }
    // A hidden record is a 404 exactly like an id that never existed.
    let never = get(&app, "/api/collections/sportelli/items/loc-never-was").await;
    for (id, _, _, _) in HIDDEN {
        let r = get(&app, &format!("/api/collections/sportelli/items/{id}")).await;
        assert_eq!(r.status, 404, "{id}");
        assert_eq!(text(&r).replace(id, "loc-never-was"), text(&never));
        assert_eq!(r.header("content-type"), never.header("content-type"));
    }
    let sal = format!("{public_id}~{}", HIDDEN_SERVICE.0);
    let r = get(&app, &format!("/api/collections/services/items/{sal}")).await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn a_viewer_of_the_territory_sees_the_restricted_record_only() {
    let (_d, app, _c, _) = app_with_hidden().await;
    let anon = get(&app, "/api/collections/sportelli/items?limit=10000")
        .await
        .json();
    let viewer_app = as_viewer(&app, venice_viewer());
    let seen = get(&viewer_app, "/api/collections/sportelli/items?limit=10000").await;
    assert!(seen.header("cache-control").starts_with("private"));
    assert!(seen.header("vary").contains("cookie"));
    let seen = seen.json();
    let extra: Vec<String> = ids(&seen)
        .into_iter()
        .filter(|id| !ids(&anon).contains(id))
        .collect();
    assert_eq!(extra, ["loc-secret-restricted"]);
    assert_eq!(
        seen["numberMatched"].as_u64().unwrap(),
        anon["numberMatched"].as_u64().unwrap() + 1
    );
    let one = get(
        &viewer_app,
        "/api/collections/sportelli/items/loc-secret-restricted",
    )
    .await;
    assert_eq!(one.status, 200);
    for id in ["loc-secret-internal", "loc-secret-draft"] {
        let r = get(
            &viewer_app,
            &format!("/api/collections/sportelli/items/{id}"),
        )
        .await;
        assert_eq!(r.status, 404, "{id}");
    }
    // Extents, counts per comune and the bundle follow the viewer.
    let ext = |v: &Value| v["extent"]["spatial"]["bbox"][0][2].as_f64().unwrap();
    let anon_ext = get(&app, "/api/collections/sportelli").await.json();
    let viewer_ext = get(&viewer_app, "/api/collections/sportelli").await.json();
    assert!(ext(&anon_ext) < 13.4, "{anon_ext}");
    assert!(ext(&viewer_ext) >= 13.5, "{viewer_ext}");
    let count = |a: &Router| {
        let a = a.clone();
        async move {
            get(&a, &format!("/api/collections/comuni/items/{VENICE}"))
                .await
                .json()["properties"]["sportelli"]
                .as_u64()
                .unwrap()
        }
    };
    assert_eq!(count(&viewer_app).await, count(&app).await + 1);
    let bundle = text(&get(&viewer_app, "/api/bundle").await);
    assert!(bundle.contains("Centro Riservato Zeta"));
    assert!(!bundle.contains("Sportello Interno Kappa") && !bundle.contains("Bozza Omega"));
}

#[tokio::test]
async fn the_owning_operator_sees_internal_and_draft_records_and_the_internal_service() {
    let (_d, app, _c, public_id) = app_with_hidden().await;
    let c = get(
        &app,
        &format!("/api/collections/sportelli/items/{public_id}"),
    )
    .await;
    let org = c.json()["properties"]["organization"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let operator = as_viewer(
        &app,
        signed(vec![Role::Operator {
            organization: Id::parse(&org).unwrap(),
        }]),
    );
    for (id, _, _, _) in HIDDEN {
        let r = get(&operator, &format!("/api/collections/sportelli/items/{id}")).await;
        assert_eq!(r.status, 200, "{id}");
    }
    let r = get(
        &operator,
        &format!("/api/collections/sportelli/items/{public_id}"),
    )
    .await;
    assert!(text(&r).contains(HIDDEN_SERVICE.1));
}

#[tokio::test]
async fn etags_differ_between_viewers_and_never_match_across_them() {
    let (_d, app, _c, public_id) = app_with_hidden().await;
    let viewer_app = as_viewer(&app, venice_viewer());
    for uri in [
        "/api/collections".to_owned(),
        "/api/collections/sportelli".to_owned(),
        "/api/collections/sportelli/queryables".to_owned(),
        "/api/collections/sportelli/items".to_owned(),
        format!("/api/collections/sportelli/items/{public_id}"),
        "/api/config".to_owned(),
        "/api/bundle".to_owned(),
    ] {
        let a = get(&app, &uri).await;
        let b = get(&viewer_app, &uri).await;
        let (ta, tb) = (a.header("etag"), b.header("etag"));
        assert!(!ta.is_empty() && !tb.is_empty(), "{uri}");
        assert_ne!(ta, tb, "{uri}");
        // The public's ETag does not win the viewer a 304, nor the other way round.
        let r = support::client::get_with(&viewer_app, &uri, &[("if-none-match", ta)]).await;
        assert_eq!(r.status, 200, "{uri}");
        let r = support::client::get_with(&app, &uri, &[("if-none-match", tb)]).await;
        assert_eq!(r.status, 200, "{uri}");
        assert!(a.header("cache-control").starts_with("public"), "{uri}");
        assert!(b.header("cache-control").starts_with("private"), "{uri}");
    }
    // A signed-in viewer with no roles sees only the public: the public's answers.
    let nobody = as_viewer(&app, signed(vec![]));
    let a = get(&app, "/api/collections/sportelli/items").await;
    let b = get(&nobody, "/api/collections/sportelli/items").await;
    assert_eq!(a.header("etag"), b.header("etag"));
    assert!(b.header("cache-control").starts_with("public"));
}
