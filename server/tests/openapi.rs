//! The OpenAPI document: checked in (`tests/snapshots/openapi.json`, rewritten with
//! `BUSSOLA_UPDATE_SNAPSHOTS=1`), covering every route of the router and every registered
//! collection, each of which also appears in `/collections`, `/queryables` and the HTML views.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use bussola::api::collection::REGISTRY;
use support::client::{get, get_with};

#[test]
fn the_document_matches_its_snapshot() {
    let path = support::repo_file("server/tests/snapshots/openapi.json");
    let got = serde_json::to_string_pretty(&bussola::api::openapi_document()).unwrap() + "\n";
    if std::env::var("BUSSOLA_UPDATE_SNAPSHOTS").as_deref() == Ok("1") {
        std::fs::write(&path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "the OpenAPI document changed; check the change and rerun with BUSSOLA_UPDATE_SNAPSHOTS=1 \
         to update {}",
        path.display()
    );
}

#[test]
fn every_route_of_the_router_is_documented() {
    let doc = bussola::api::openapi_document();
    let paths = doc["paths"].as_object().unwrap();
    let routes = bussola::api::route_methods();
    assert!(routes.len() >= 19, "{routes:?}");
    let mut documented_paths = std::collections::BTreeSet::new();
    for (route, method) in routes {
        let documented = route
            .replace("{collection}", "{collectionId}")
            .replace("{feature}", "{featureId}");
        // `/api/` is the landing page's alias.
        let documented = match documented.as_str() {
            "/api/" => "/api".to_owned(),
            _ => documented,
        };
        assert!(
            paths[&documented][method].is_object(),
            "{method} {route} is not in the OpenAPI document"
        );
        documented_paths.insert(documented);
    }
    assert_eq!(
        paths
            .keys()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>(),
        documented_paths,
        "the document has exactly the router's paths"
    );
}

#[tokio::test]
async fn every_registered_collection_is_listed_described_and_viewable() {
    let (_d, app) = support::demo_app().await;
    let doc = bussola::api::openapi_document();
    let listed = get(&app, "/api/collections").await.json();
    let listed: Vec<&str> = listed["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let registered: Vec<&str> = REGISTRY.iter().map(|c| c.id()).collect();
    assert_eq!(listed, registered);
    let ids = &doc["paths"]["/api/collections/{collectionId}/items"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "collectionId")
        .unwrap()["schema"]["enum"];
    assert_eq!(ids, &serde_json::json!(registered));
    let html = String::from_utf8(get(&app, "/api/collections?f=html").await.body).unwrap();
    for c in REGISTRY {
        let id = c.id();
        let q = get(&app, &format!("/api/collections/{id}/queryables")).await;
        assert_eq!(q.status, 200, "{id}");
        let props = q.json()["properties"].clone();
        for declared in c.queryables() {
            assert!(props[declared.name].is_object(), "{id}.{}", declared.name);
        }
        let schema = &doc["components"]["schemas"][format!("{id}Queryables")];
        assert_eq!(schema["properties"], props, "{id}");
        assert!(
            html.contains(&format!("/api/collections/{id}/items")),
            "{id}"
        );
        let page = get_with(
            &app,
            &format!("/api/collections/{id}/items?limit=1"),
            &[("accept", "text/html")],
        )
        .await;
        assert_eq!(page.status, 200, "{id}");
        assert!(page.header("content-type").starts_with("text/html"), "{id}");
    }
}
