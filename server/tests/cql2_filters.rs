//! CQL2 on `/api/collections/{id}/items` through the real router: `filter-lang=cql2-json`
//! selects what the same filter in text selects, bad filters get a problem naming `filter` or
//! `filter-lang`, and a wildcard-heavy `LIKE` answers at once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::body::Body;
use axum::http::{header, Request};
use axum::Router;
use serde_json::Value;
use std::time::{Duration, Instant};
use tower::ServiceExt;

async fn get(app: &Router, uri: &str) -> (u16, String, Value) {
    let req = Request::get(uri)
        .header(header::HOST, "bussola.test")
        .body(Body::empty())
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let media = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = axum::body::to_bytes(res.into_body(), 64 << 20)
        .await
        .unwrap();
    let v = serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {}", String::from_utf8_lossy(&body)));
    (status, media, v)
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn items(collection: &str, filter: &str, lang: Option<&str>) -> String {
    let mut uri = format!(
        "/api/collections/{collection}/items?limit=10000&filter={}",
        enc(filter)
    );
    if let Some(l) = lang {
        uri.push_str(&format!("&filter-lang={l}"));
    }
    uri
}

fn ids(v: &Value) -> Vec<String> {
    v["features"]
        .as_array()
        .unwrap_or_else(|| panic!("no features: {v}"))
        .iter()
        .map(|f| f["id"].to_string())
        .collect()
}

#[tokio::test]
async fn cql2_json_selects_what_the_same_text_selects() {
    let (_d, app) = support::demo_app().await;
    let (_, _, all) = get(&app, "/api/collections/sportelli/items?limit=10000").await;
    let total = ids(&all).len();
    for (collection, text, json) in [
        (
            "sportelli",
            "language IN ('ar') AND NOT cost = 'paid'",
            r#"{"op":"and","args":[{"op":"in","args":[{"property":"language"},["ar"]]},{"op":"not","args":[{"op":"=","args":[{"property":"cost"},"paid"]}]}]}"#,
        ),
        (
            "sportelli",
            "S_INTERSECTS(geometry, BBOX(12.2, 45.45, 12.3, 45.52)) OR name LIKE 'CPIA%'",
            r#"{"op":"or","args":[{"op":"s_intersects","args":[{"property":"geometry"},{"bbox":[12.2,45.45,12.3,45.52]}]},{"op":"like","args":[{"property":"name"},"CPIA%"]}]}"#,
        ),
        (
            "sportelli",
            "A_OVERLAPS(language, ('ar', 'ur')) AND NOT A_CONTAINS(category, ('health', 'legal-aid'))",
            r#"{"op":"and","args":[{"op":"a_overlaps","args":[{"property":"language"},["ar","ur"]]},{"op":"not","args":[{"op":"a_contains","args":[{"property":"category"},["health","legal-aid"]]}]}]}"#,
        ),
        (
            "sportelli",
            "CASEI(name) LIKE '%cpia%' OR ACCENTI(CASEI(name)) LIKE '%citta%'",
            r#"{"op":"or","args":[{"op":"like","args":[{"op":"casei","args":[{"property":"name"}]},"%cpia%"]},{"op":"like","args":[{"op":"accenti","args":[{"op":"casei","args":[{"property":"name"}]}]},"%citta%"]}]}"#,
        ),
        (
            "services",
            "updated >= TIMESTAMP('2000-01-01T00:00:00Z') AND appointment_required = FALSE",
            r#"{"op":"and","args":[{"op":">=","args":[{"property":"updated"},{"timestamp":"2000-01-01T00:00:00Z"}]},{"op":"=","args":[{"property":"appointment_required"},false]}]}"#,
        ),
        (
            "comuni",
            "istat BETWEEN '027001' AND '027020' AND NOT name LIKE 'C%'",
            r#"{"op":"and","args":[{"op":"between","args":[{"property":"istat"},"027001","027020"]},{"op":"not","args":[{"op":"like","args":[{"property":"name"},"C%"]}]}]}"#,
        ),
    ] {
        let (s1, _, by_text) = get(&app, &items(collection, text, None)).await;
        let (s2, _, by_text_named) = get(&app, &items(collection, text, Some("cql2-text"))).await;
        let (s3, _, by_json) = get(&app, &items(collection, json, Some("cql2-json"))).await;
        assert_eq!((s1, s2, s3), (200, 200, 200), "{text}: {by_json}");
        let want = ids(&by_text);
        assert!(!want.is_empty(), "{text}: selects nothing on the demo data");
        if collection == "sportelli" {
            assert!(want.len() < total, "{text}: selects everything");
        }
        assert_eq!(ids(&by_text_named), want, "{text}");
        assert_eq!(ids(&by_json), want, "{json}");
    }
}

#[tokio::test]
async fn bad_filters_get_a_problem_naming_the_parameter() {
    let (_d, app) = support::demo_app().await;
    for (uri, parameter, detail) in [
        (
            items("sportelli", "name = 'x'", Some("cql2-json")),
            "filter",
            "not JSON",
        ),
        (
            items(
                "sportelli",
                r#"{"op":"=","args":[{"property":"name"}]}"#,
                Some("cql2-json"),
            ),
            "filter",
            "/args",
        ),
        (
            items(
                "sportelli",
                r#"{"op":"and","args":[true,{"op":"s_crosses","args":[1,2]}]}"#,
                Some("cql2-json"),
            ),
            "filter",
            "/args/1/op",
        ),
        (
            items(
                "sportelli",
                r#"{"op":"=","args":[{"property":"nope"},1]}"#,
                Some("cql2-json"),
            ),
            "filter",
            "unknown property \"nope\"",
        ),
        (
            items("sportelli", "name = 'x'", Some("cql2-yaml")),
            "filter-lang",
            "cql2-json",
        ),
    ] {
        let (status, media, v) = get(&app, &uri).await;
        assert_eq!(status, 400, "{uri}: {v}");
        assert_eq!(media, "application/problem+json", "{uri}");
        assert_eq!(v["parameter"], parameter, "{uri}: {v}");
        let d = v["detail"].as_str().unwrap();
        assert!(d.contains(detail), "{uri}: {d}");
    }
}

#[tokio::test]
async fn conformance_and_openapi_declare_cql2_json() {
    let (_d, app) = support::demo_app().await;
    let (_, _, c) = get(&app, "/api/conformance").await;
    let classes: Vec<&str> = c["conformsTo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(classes.contains(&"http://www.opengis.net/spec/cql2/1.0/conf/cql2-json"));
    for class in [
        "cql2-text",
        "temporal-functions",
        "array-functions",
        "case-insensitive-comparison",
        "accent-insensitive-comparison",
    ] {
        let uri = format!("http://www.opengis.net/spec/cql2/1.0/conf/{class}");
        assert!(classes.contains(&uri.as_str()), "{uri}");
    }
    let (_, _, doc) = get(&app, "/api/openapi.json").await;
    let params = doc["paths"]["/api/collections/{collectionId}/items"]["get"]["parameters"]
        .as_array()
        .unwrap_or_else(|| panic!("no items parameters in {}", doc["paths"]));
    let fl = params
        .iter()
        .find(|p| p["name"] == "filter-lang")
        .expect("filter-lang documented");
    // An empty value means absent, so each query schema also admits "" (anyOf).
    assert_eq!(fl["schema"]["anyOf"][0]["pattern"], "^cql2-(text|json)$");
    assert_eq!(fl["schema"]["anyOf"][1]["maxLength"], 0);
}

#[tokio::test]
async fn a_thirty_wildcard_like_answers_at_once() {
    let (_d, app) = support::demo_app().await;
    let start = Instant::now();
    let filter = format!("name LIKE '{}x'", "%".repeat(30));
    let (status, _, v) = get(&app, &items("sportelli", &filter, None)).await;
    assert_eq!(status, 200, "{v}");
    assert!(ids(&v).is_empty());
    let filter = format!("name LIKE '{}'", "%_".repeat(15));
    let (status, _, v) = get(&app, &items("sportelli", &filter, None)).await;
    assert_eq!(status, 200, "{v}");
    assert!(!ids(&v).is_empty(), "names of 15+ characters match");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}
