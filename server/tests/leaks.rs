//! The leak test: the demo data holds records nobody anonymous may see — the restricted
//! reception layer (fictional CAS with their managing bodies), draft services, and anything
//! else not both published and public. Crawl every endpoint as an anonymous visitor (every
//! collection, its queryables as filters, guessed ids, the bundle, the OpenAPI document, the
//! HTML views, error bodies, conditional requests, other languages) and look for their ids,
//! names and positions in every answer. None may appear, except where the request itself
//! carried the text (a guessed id echoed in a 404 must read exactly like a never-existing one).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use std::collections::BTreeSet;
use support::client::{get_with, Reply};

/// Texts of records an anonymous visitor must never see, and the ids among them.
struct Secrets {
    texts: BTreeSet<String>,
    ids: BTreeSet<String>,
    positions: Vec<(f64, f64)>,
}

fn hidden(v: &Value) -> bool {
    v["status"].as_str().unwrap_or("published") != "published"
        || v["visibility"].as_str().unwrap_or("public") != "public"
}

fn secrets(demo: &Value) -> Secrets {
    let mut s = Secrets {
        texts: BTreeSet::new(),
        ids: BTreeSet::new(),
        positions: Vec::new(),
    };
    let add = |s: &mut Secrets, rec: &Value, id: &str| {
        s.ids.insert(id.to_owned());
        s.texts.insert(id.to_owned());
        for lang in ["it", "en"] {
            if let Some(n) = rec["name"][lang].as_str() {
                s.texts.insert(n.to_owned());
            }
        }
        if let Some(n) = rec["name"].as_str() {
            s.texts.insert(n.to_owned());
        }
    };
    for o in demo["bussola"]["organizations"].as_array().unwrap() {
        if hidden(o) {
            add(&mut s, o, o["id"].as_str().unwrap());
        }
    }
    for f in demo["features"].as_array().unwrap() {
        let p = &f["properties"];
        if hidden(p) {
            add(&mut s, p, f["id"].as_str().unwrap());
            let c = &f["geometry"]["coordinates"];
            s.positions
                .push((c[0].as_f64().unwrap(), c[1].as_f64().unwrap()));
        }
        for svc in p["services"].as_array().unwrap() {
            if hidden(svc) {
                add(&mut s, svc, svc["id"].as_str().unwrap());
            }
        }
    }
    s
}

/// Where in `body` a secret appears that `uri` did not carry itself.
fn leaks(secrets: &Secrets, uri: &str, body: &str) -> Vec<String> {
    let uri = percent_decode(uri);
    let mut found: Vec<String> = secrets
        .texts
        .iter()
        .filter(|t| body.contains(t.as_str()) && !uri.contains(t.as_str()))
        .cloned()
        .collect();
    for (lon, lat) in &secrets.positions {
        for form in [format!("[{lon},{lat}]"), format!("{lon},{lat}")] {
            if body.contains(&form) && !uri.contains(&form) {
                found.push(form);
            }
        }
    }
    found
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

struct Crawl<'a> {
    app: &'a axum::Router,
    secrets: &'a Secrets,
    visited: usize,
    problems: Vec<String>,
}

impl Crawl<'_> {
    async fn visit(&mut self, uri: &str, headers: &[(&str, &str)]) -> Reply {
        let r = get_with(self.app, uri, headers).await;
        self.visited += 1;
        let body = String::from_utf8_lossy(&r.body).into_owned();
        let mut found = leaks(self.secrets, uri, &body);
        for (name, value) in r.headers.iter() {
            let v = value.to_str().unwrap_or("");
            found.extend(
                leaks(self.secrets, uri, v)
                    .into_iter()
                    .map(|t| format!("{t} (in header {name})")),
            );
        }
        if !found.is_empty() {
            self.problems
                .push(format!("GET {uri} ({}) shows {found:?}", r.status));
        }
        r
    }
}

#[tokio::test]
async fn anonymous_visitors_never_see_restricted_internal_or_draft_records() {
    let demo = support::oracle::demo();
    let secrets = secrets(&demo);
    // The demo must hold what this test is about, or it passes on nothing.
    assert!(
        secrets
            .ids
            .iter()
            .filter(|i| i.starts_with("loc-cas-demo-"))
            .count()
            >= 8,
        "the demo data has the restricted reception layer: {:?}",
        secrets.ids
    );
    assert!(
        secrets.ids.iter().any(|i| i.starts_with("svc-")),
        "the demo data has draft services"
    );
    assert!(
        secrets.ids.iter().any(|i| i.starts_with("org-demo-")),
        "the demo data has restricted managing bodies"
    );
    let (_dir, app) = support::demo_app().await;
    let mut c = Crawl {
        app: &app,
        secrets: &secrets,
        visited: 0,
        problems: Vec::new(),
    };

    for uri in [
        "/",
        "/api",
        "/api/",
        "/api?f=html",
        "/api/conformance",
        "/api/openapi.json",
        "/api/collections",
        "/api/collections?f=html",
        "/api/config",
        "/api/taxonomy",
        "/api/bundle",
        "/api/export.geojson",
        "/api/export.csv",
        "/api/export/hsds.json",
        "/api/export/hsds.json?lang=en",
        "/metrics",
        "/healthz",
        "/readyz",
        "/api/collections/nope/items",
    ] {
        c.visit(uri, &[]).await;
    }
    let collections = c.visit("/api/collections", &[]).await.json();
    let ids: Vec<String> = collections["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(ids.len() >= 4, "{ids:?}");
    let everything = "bbox=10.5,44.5,13.5,46.5";
    for id in &ids {
        let base = format!("/api/collections/{id}");
        c.visit(&base, &[]).await;
        c.visit(&format!("{base}?f=html"), &[]).await;
        let q = c.visit(&format!("{base}/queryables"), &[]).await;
        for lang in ["it", "ar", "uk"] {
            c.visit(&format!("{base}/items?limit=1000&lang={lang}"), &[])
                .await;
        }
        c.visit(&format!("{base}/items?f=html&limit=1000"), &[])
            .await;
        let all = c
            .visit(&format!("{base}/items?limit=1000&{everything}"), &[])
            .await;
        if let Some(etag) = all.headers.get("etag").and_then(|v| v.to_str().ok()) {
            let again = c
                .visit(
                    &format!("{base}/items?limit=1000&{everything}"),
                    &[("if-none-match", etag)],
                )
                .await;
            assert_eq!(again.status, 304, "{base}: a conditional request");
        }
        // Every queryable as a filter: enum values one by one, text with a wildcard.
        if q.status == 200 {
            let q = q.json();
            if let Some(props) = q["properties"].as_object() {
                for (name, schema) in props {
                    let mut filters = Vec::new();
                    if let Some(values) = schema["enum"].as_array() {
                        for v in values {
                            match v {
                                Value::String(s) => filters.push(format!("{name}='{s}'")),
                                other => filters.push(format!("{name}={other}")),
                            }
                        }
                    }
                    if schema["type"] == "string" && schema.get("enum").is_none() {
                        filters.push(format!("{name} LIKE '%a%'"));
                        filters.push(format!("{name} LIKE '%CAS%'"));
                    }
                    for f in filters {
                        c.visit(&format!("{base}/items?limit=1000&filter={}", enc(&f)), &[])
                            .await;
                    }
                }
            }
        }
        // Near each hidden position, and in a small box around it.
        for (lon, lat) in &secrets.positions {
            c.visit(&format!("{base}/items?near={lon},{lat}&limit=5"), &[])
                .await;
            c.visit(
                &format!(
                    "{base}/items?bbox={},{},{},{}",
                    lon - 0.01,
                    lat - 0.01,
                    lon + 0.01,
                    lat + 0.01
                ),
                &[],
            )
            .await;
        }
        // Guessed ids answer exactly like a never-existing id.
        let never = c.visit(&format!("{base}/items/never-existed-0"), &[]).await;
        let never_body = String::from_utf8_lossy(&never.body).replace("never-existed-0", "<id>");
        for secret in &secrets.ids {
            for suffix in ["", "?f=html"] {
                let r = c
                    .visit(&format!("{base}/items/{secret}{suffix}"), &[])
                    .await;
                assert_eq!(r.status, 404, "{base}/items/{secret}{suffix}");
                if suffix.is_empty() {
                    assert_eq!(
                        String::from_utf8_lossy(&r.body).replace(secret.as_str(), "<id>"),
                        never_body,
                        "{base}/items/{secret}: a hidden record reads like one that never existed"
                    );
                }
            }
        }
    }
    assert!(c.visited > 150, "the crawl made {} requests", c.visited);
    assert!(
        c.problems.is_empty(),
        "{} answers show hidden records:\n{}",
        c.problems.len(),
        c.problems.join("\n")
    );
}

#[test]
fn the_leak_check_finds_what_it_looks_for() {
    // The detector itself must be able to fail: a body holding a secret name is a leak,
    // unless the request carried it.
    let demo = support::oracle::demo();
    let s = secrets(&demo);
    let name = s
        .texts
        .iter()
        .find(|t| t.starts_with("CAS Demo"))
        .expect("a CAS name")
        .clone();
    assert_eq!(
        leaks(&s, "/x", &format!("{{\"name\":\"{name}\"}}")),
        vec![name.clone()]
    );
    assert!(leaks(&s, &format!("/x?q={}", enc(&name)), &name).is_empty());
    let (lon, lat) = s.positions[0];
    assert!(!leaks(&s, "/x", &format!("[{lon},{lat}]")).is_empty());
}

/// A pending edit's new values never reach anonymous readers: an operator of a non-trusted
/// organisation proposes new texts for a service and its sportello; every public answer
/// (items, the item, the bundle, the HTML views, error bodies, the editing routes asked
/// anonymously) and the exports keep the published record, on both backends.
async fn a_pending_edit_never_reaches_anonymous_readers(b: support::Backend) {
    use support::editing::{cast, App, SERVICE_B, SPORTELLO_B};
    let app = App::new(b).await;
    let who = cast(&app).await;
    let marker = "PENDING-zq7-marker";
    let mut change_ids = Vec::new();
    for path in [
        format!("services/{SERVICE_B}"),
        format!("sportelli/{SPORTELLO_B}"),
    ] {
        let (mut doc, version) = app.record(&path, &who.operator).await;
        doc["name"]["it"] = serde_json::json!(format!("{marker} nome"));
        doc["description"] =
            serde_json::json!({"it": format!("{marker} descrizione"), "en": marker});
        let r = app
            .put(
                &format!("/api/records/{path}"),
                &who.operator,
                version,
                &doc,
            )
            .await;
        assert_eq!(r.status, 202, "{path}: {}", r.body);
        assert!(
            r.body.contains(marker),
            "the author sees what they proposed"
        );
        change_ids.push(r.json()["change"]["id"].as_str().unwrap().to_owned());
    }
    let offer = format!("{SPORTELLO_B}~{SERVICE_B}");
    let mut uris: Vec<String> = [
        "/api/bundle",
        "/api/export.geojson",
        "/api/export.csv",
        "/api/export/hsds.json",
        "/api/collections/sportelli/items?limit=1000",
        "/api/collections/services/items?limit=1000",
        "/api/collections/sportelli/items?limit=1000&f=html",
        "/api/collections/services/items?limit=1000&lang=en",
        "/api/collections/sportelli/items?filter=name%20LIKE%20%27%25PENDING%25%27",
        "/api/collections/services/items?q=PENDING",
        "/api/changes",
        "/api/feedback",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    for base in ["sportelli", "services"] {
        let id = if base == "sportelli" {
            SPORTELLO_B
        } else {
            &offer
        };
        uris.push(format!("/api/collections/{base}/items/{id}"));
        uris.push(format!("/api/collections/{base}/items/{id}?f=html"));
        uris.push(format!("/api/collections/{base}/items/{id}?lang=en"));
    }
    for id in &change_ids {
        uris.push(format!("/api/changes/{id}"));
    }
    for path in [
        format!("services/{SERVICE_B}"),
        format!("sportelli/{SPORTELLO_B}"),
    ] {
        uris.push(format!("/api/records/{path}"));
        uris.push(format!("/api/records/{path}/history"));
    }
    uris.push("/api/records/services".into());
    let mut seen = Vec::new();
    for uri in &uris {
        for headers in [vec![], vec![("accept", "text/html")]] {
            let r = app
                .send(axum::http::Method::GET, uri, "", &headers, None)
                .await;
            if r.body.contains(marker) {
                seen.push(format!("GET {uri} ({}) {headers:?}", r.status));
            }
        }
    }
    // Error bodies of the write routes, asked anonymously.
    for id in &change_ids {
        for verb in ["approve", "reject", "withdraw"] {
            let r = app
                .post(
                    &format!("/api/changes/{id}/{verb}"),
                    "",
                    &serde_json::json!({}),
                )
                .await;
            assert_eq!(r.status, 401, "{verb}: {}", r.body);
            if r.body.contains(marker) {
                seen.push(format!("POST {verb}"));
            }
        }
    }
    // The exports (GeoJSON and CSV) are made from the published records.
    let catalog = app.state.directory.catalog();
    let d = bussola::export::dataset_of(&catalog);
    let mut geojson = Vec::new();
    bussola::export::write_dataset_geojson(&d, &mut geojson).unwrap();
    let mut csv = Vec::new();
    bussola::csv_form::write(&d, &mut csv).unwrap();
    for (name, bytes) in [("GeoJSON export", geojson), ("CSV export", csv)] {
        assert!(bytes.len() > 1000, "{name} is not empty");
        if String::from_utf8_lossy(&bytes).contains(marker) {
            seen.push(name.to_owned());
        }
    }
    assert!(seen.is_empty(), "a pending edit is shown in: {seen:#?}");
    // The detector can fail: once approved, the new values are public.
    let r = app
        .post(
            &format!("/api/changes/{}/approve", change_ids[0]),
            &who.coordinator,
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let item = app
        .get(&format!("/api/collections/services/items/{offer}"), "")
        .await;
    assert!(item.body.contains(marker), "approved: {}", item.body);
}
on_both_backends!(
    pending_edits,
    a_pending_edit_never_reaches_anonymous_readers
);
