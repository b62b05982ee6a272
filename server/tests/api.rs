//! The public API through the real router (no socket): OGC API - Features behaviour, filters,
//! proximity, languages, HTTP semantics and errors, on the demo dataset, on both backends (a fresh SQLite directory and a fresh PostGIS database).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::Backend;

use axum::http::StatusCode;
use serde_json::Value;
use support::client::{get, get_with, ids};
use support::oracle::{self, demo_nearest};
async fn landing_conformance_and_collections(b: Backend) {
    let app = support::demo_app_on(&b).await;
    let r = get(&app, "/api").await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["demo"], true, "the API says it serves demo data");
    let rels: Vec<&str> = v["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["rel"].as_str().unwrap())
        .collect();
    for rel in ["self", "service-desc", "conformance", "data"] {
        assert!(rels.contains(&rel), "landing page lacks {rel}");
    }
    let html = get(&app, "/api?f=html&lang=en").await;
    assert!(html.header("content-type").starts_with("text/html"));
    assert!(String::from_utf8_lossy(&html.body).contains("Demo data"));
    let html = get_with(
        &app,
        "/api",
        &[("accept", "text/html,application/xhtml+xml")],
    )
    .await;
    assert!(html.header("content-type").starts_with("text/html"));

    let c = get(&app, "/api/conformance").await.json();
    let classes: Vec<&str> = c["conformsTo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(classes.contains(&"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"));
    assert!(classes.contains(&"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter"));

    let cols = get(&app, "/api/collections").await.json();
    let names: Vec<&str> = cols["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["sportelli", "services", "projects", "comuni", "reception"]
    );
    let sportelli = get(&app, "/api/collections/sportelli").await.json();
    let bbox = &sportelli["extent"]["spatial"]["bbox"][0];
    assert!(
        bbox[0].as_f64().unwrap() > 11.9 && bbox[2].as_f64().unwrap() < 13.2,
        "extent inside the metro area: {bbox}"
    );
    let q = get(&app, "/api/collections/services/queryables").await;
    assert_eq!(q.header("content-type"), "application/schema+json");
    assert!(q.json()["properties"]["category"].is_object());
}

async fn every_collection_pages_with_counts_and_links(b: Backend) {
    let app = support::demo_app_on(&b).await;
    for (collection, at_least) in [
        ("sportelli", 60),
        ("services", 80),
        ("projects", 5),
        ("comuni", 44),
    ] {
        let first = get(
            &app,
            &format!("/api/collections/{collection}/items?limit=7"),
        )
        .await;
        assert_eq!(first.status, 200);
        assert_eq!(first.header("content-type"), "application/geo+json");
        let v = first.json();
        let matched = v["numberMatched"].as_u64().unwrap() as usize;
        assert!(matched >= at_least, "{collection}: {matched}");
        assert_eq!(
            v["numberReturned"].as_u64().unwrap() as usize,
            matched.min(7)
        );
        // Follow next links to the end: every feature once, in a stable order.
        let mut seen = ids(&v);
        let mut next = v["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "next")
            .map(|l| l["href"].as_str().unwrap().to_owned());
        while let Some(href) = next {
            let path = href.strip_prefix("http://bussola.test").unwrap();
            let page = get(&app, path).await.json();
            assert!(page["links"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["rel"] == "prev"));
            seen.extend(ids(&page));
            next = page["links"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["rel"] == "next")
                .map(|l| l["href"].as_str().unwrap().to_owned());
        }
        assert_eq!(
            seen.len(),
            matched,
            "{collection}: paging lost or repeated features"
        );
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), matched);
    }
    // Drafts and archived records never show.
    let all = get(&app, "/api/collections/sportelli/items?limit=1000")
        .await
        .json();
    assert!(!ids(&all).contains(&"loc-comune-venezia-vecchio-sportello".to_owned()));
    let services = get(&app, "/api/collections/services/items?limit=1000")
        .await
        .json();
    assert!(
        !services.to_string().contains("nuovo-orario"),
        "draft services must not be public"
    );
    let one = get(
        &app,
        "/api/collections/sportelli/items/loc-comune-venezia-vecchio-sportello",
    )
    .await;
    assert_eq!(one.status, 404);
}
async fn nearest_is_ordered_by_distance_and_matches_brute_force(b: Backend) {
    let app = support::demo_app_on(&b).await;
    let demo = oracle::demo();
    let from = (12.2381, 45.4903);
    let v = get(
        &app,
        "/api/collections/sportelli/items?near=12.2381,45.4903&limit=5&category=legal-aid",
    )
    .await
    .json();
    let got = ids(&v);
    // Brute force over the demo GeoJSON, with another distance formula.
    let brute = demo_nearest(&demo, from, Some("legal-aid"));
    assert!(
        brute.len() > 5,
        "the demo data has more than 5 legal-aid sportelli"
    );
    assert_eq!(
        got,
        brute
            .iter()
            .take(5)
            .map(|b| b.1.clone())
            .collect::<Vec<_>>()
    );
    for (f, (d, _)) in v["features"].as_array().unwrap().iter().zip(&brute) {
        let got = f["properties"]["distance_m"].as_f64().unwrap();
        assert!(
            (got - d).abs() <= 0.05 + 1e-9,
            "{}: distance_m {got}, oracle {d}",
            f["id"]
        );
    }
    // Only the matching services are embedded, and they really are legal aid.
    for f in v["features"].as_array().unwrap() {
        let services = f["properties"]["services"].as_array().unwrap();
        assert!(
            !services.is_empty(),
            "{} embeds its legal-aid services",
            f["id"]
        );
        for s in services {
            assert!(s["categories"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c == "legal-aid"));
        }
    }
    // Within a radius: nothing farther, and nothing within it missing.
    let within = get(
        &app,
        "/api/collections/sportelli/items?near=12.2381,45.4903&radius=1500&limit=100",
    )
    .await
    .json();
    let want: Vec<String> = demo_nearest(&demo, from, None)
        .into_iter()
        .take_while(|(d, _)| *d <= 1500.0)
        .map(|(_, id)| id)
        .collect();
    assert!(
        want.len() >= 3,
        "several demo sportelli within 1500 m: {want:?}"
    );
    assert_eq!(
        ids(&within),
        want,
        "exactly the sportelli within 1500 m, nearest first"
    );
    assert!(within["features"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["properties"]["distance_m"].as_f64().unwrap() <= 1500.0));
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

async fn filters_simple_and_cql2(b: Backend) {
    let app = support::demo_app_on(&b).await;
    let demo = oracle::demo();
    let offers = oracle::public_offers(&demo);
    let offer_id = |f: &Value, s: &Value| {
        format!(
            "{}~{}",
            f["id"].as_str().unwrap(),
            s["id"].as_str().unwrap()
        )
    };
    let with_cost = |cost: &str| {
        sorted(
            offers
                .iter()
                .filter(|(_, s)| s["cost"] == cost)
                .map(|(f, s)| offer_id(f, s))
                .collect(),
        )
    };
    let free = get(&app, "/api/collections/services/items?limit=1000&free=true")
        .await
        .json();
    let want_free = with_cost("free");
    assert!(want_free.len() > 50, "most demo services are free");
    assert_eq!(sorted(ids(&free)), want_free);
    assert_eq!(free["numberMatched"], want_free.len());
    assert!(free["features"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["properties"]["cost"] == "free"));
    let paid = get(
        &app,
        "/api/collections/services/items?limit=1000&filter=cost%3D%27paid%27",
    )
    .await
    .json();
    let want_paid = with_cost("paid");
    assert!(!want_paid.is_empty());
    assert_eq!(sorted(ids(&paid)), want_paid);
    let all = get(&app, "/api/collections/services/items?limit=1")
        .await
        .json();
    assert_eq!(
        all["numberMatched"],
        offers.len(),
        "every public offer, once"
    );

    let ar = get(
        &app,
        "/api/collections/sportelli/items?limit=1000&language=ar&comune=027033",
    )
    .await
    .json();
    let want_ar: Vec<String> = sorted(
        oracle::public_sportelli(&demo)
            .into_iter()
            .filter(|f| {
                f["properties"]["address"]["comune_istat"] == "027033"
                    && f["properties"]["services"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|s| {
                            s["status"] == "published"
                                && s["languages"].as_array().unwrap().iter().any(|l| l == "ar")
                        })
            })
            .map(|f| f["id"].as_str().unwrap().to_owned())
            .collect(),
    );
    assert!(
        !want_ar.is_empty(),
        "the demo data has Arabic in comune 027033"
    );
    assert_eq!(sorted(ids(&ar)), want_ar);
    for f in ar["features"].as_array().unwrap() {
        assert_eq!(f["properties"]["address"]["comune_istat"], "027033");
        let services = f["properties"]["services"].as_array().unwrap();
        assert!(
            !services.is_empty(),
            "{} embeds its Arabic services",
            f["id"]
        );
        assert!(services.iter().all(|s| s["languages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == "ar")));
    }
    let cql = get(&app, "/api/collections/sportelli/items?limit=1000&filter=language%20IN%20(%27ar%27)%20AND%20comune%3D%27027033%27").await.json();
    assert_eq!(ids(&cql), ids(&ar), "the simple filters and CQL2 agree");

    let inside = get(&app, "/api/collections/sportelli/items?limit=1000&filter=S_INTERSECTS(geometry,BBOX(12.2,45.45,12.3,45.52))").await.json();
    let bbox = get(
        &app,
        "/api/collections/sportelli/items?limit=1000&bbox=12.2,45.45,12.3,45.52",
    )
    .await
    .json();
    let want_bbox: Vec<String> = sorted(
        oracle::public_sportelli(&demo)
            .into_iter()
            .filter(|f| {
                let (lon, lat) = oracle::lon_lat(f);
                (12.2..=12.3).contains(&lon) && (45.45..=45.52).contains(&lat)
            })
            .map(|f| f["id"].as_str().unwrap().to_owned())
            .collect(),
    );
    assert!(want_bbox.len() >= 10);
    assert_eq!(sorted(ids(&bbox)), want_bbox);
    assert_eq!(ids(&inside), ids(&bbox));

    // At 03:00 on a Sunday only round-the-clock services are open: exactly those the
    // oracle finds open in the demo data.
    let night = get(
        &app,
        "/api/collections/services/items?limit=1000&open_at=2026-11-29T03:00:00%2B01:00",
    )
    .await
    .json();
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-29T03:00:00+01:00")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let want_night: Vec<String> = sorted(
        offers
            .iter()
            .filter(|(_, s)| oracle::open_at(&s["schedule"], at))
            .map(|(f, s)| offer_id(f, s))
            .collect(),
    );
    assert!(!want_night.is_empty(), "some demo service is open at night");
    assert_eq!(sorted(ids(&night)), want_night);
    // Projects by CQL2 and datetime on `updated`.
    let p = get(
        &app,
        "/api/collections/projects/items?filter=budget_eur%20%3E%20100000",
    )
    .await
    .json();
    assert_eq!(ids(&p), ["prj-passi"]);
    let future = get(
        &app,
        "/api/collections/sportelli/items?datetime=2999-01-01T00:00:00Z/..",
    )
    .await
    .json();
    assert_eq!(future["numberMatched"], 0);
    let past = get(
        &app,
        "/api/collections/sportelli/items?datetime=../2999-01-01T00:00:00Z&limit=1",
    )
    .await
    .json();
    assert!(past["numberMatched"].as_u64().unwrap() > 60);
}

async fn languages_fall_back_and_say_so(b: Backend) {
    let app = support::demo_app_on(&b).await;
    let r = get(
        &app,
        "/api/collections/sportelli/items/loc-questura-venezia-immigrazione?lang=ar",
    )
    .await;
    assert_eq!(r.header("content-language"), "ar");
    let v = r.json();
    let svc = &v["properties"]["services"][0];
    assert_eq!(svc["name"], "تصريح الإقامة: الإصدار والتجديد");
    assert!(svc.get("fallback").is_none() || svc["fallback"].get("name").is_none());
    assert_eq!(
        v["properties"]["fallback"]["name"], "it",
        "the sportello's name has no Arabic: it falls back to Italian"
    );
    let uk = get_with(
        &app,
        "/api/collections/sportelli/items/loc-questura-venezia-immigrazione",
        &[("accept-language", "uk, en;q=0.5")],
    )
    .await;
    assert_eq!(uk.header("content-language"), "uk");
    assert_eq!(
        uk.json()["properties"]["services"][0]["name"],
        "Дозвіл на проживання: видача та продовження"
    );
    let en = get(&app, "/api/collections/projects/items/prj-passi?lang=en")
        .await
        .json();
    assert_eq!(en["properties"]["code"], "PROG-1170");
    assert_eq!(en["properties"]["budget_eur"], 398329.96);
    assert!(en["properties"]["summary"]
        .as_str()
        .unwrap()
        .starts_with("An 18-month proposal"));
}

async fn bad_input_gets_a_problem_naming_the_parameter(b: Backend) {
    let app = support::demo_app_on(&b).await;
    for (uri, status, parameter) in [
        ("/api/collections/sportelli/items?bbox=1,2,3", 400, "bbox"),
        (
            "/api/collections/sportelli/items?bbox=13,45,12,46",
            400,
            "bbox",
        ),
        ("/api/collections/sportelli/items?near=181,45", 400, "near"),
        ("/api/collections/sportelli/items?near=12,91", 400, "near"),
        (
            "/api/collections/sportelli/items?near=12,45&radius=-5",
            400,
            "radius",
        ),
        ("/api/collections/sportelli/items?radius=5", 400, "radius"),
        ("/api/collections/sportelli/items?limit=10001", 400, "limit"),
        ("/api/collections/sportelli/items?limit=abc", 400, "limit"),
        (
            "/api/collections/sportelli/items?category=nonsense",
            400,
            "category",
        ),
        (
            "/api/collections/sportelli/items?open_at=yesterday",
            400,
            "open_at",
        ),
        (
            "/api/collections/sportelli/items?datetime=2026-13-01T00:00:00Z",
            400,
            "datetime",
        ),
        ("/api/collections/sportelli/items?colour=red", 400, "colour"),
        (
            "/api/collections/sportelli/items?filter=name%20%3D%3D%201",
            400,
            "filter",
        ),
        (
            "/api/collections/sportelli/items?filter=nope%20%3D%201",
            400,
            "filter",
        ),
        ("/api/collections/comuni/items?near=12,45", 400, "near"),
        ("/api/collections/sportelli/items?f=xml", 400, "f"),
    ] {
        let r = get(&app, uri).await;
        assert_eq!(
            r.status.as_u16(),
            status,
            "{uri}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(
            r.header("content-type"),
            "application/problem+json",
            "{uri}"
        );
        let v = r.json();
        assert_eq!(v["parameter"], parameter, "{uri}: {v}");
        assert_eq!(v["status"], status);
        assert!(!v["detail"].as_str().unwrap().is_empty());
    }
    let r = get(
        &app,
        "/api/collections/sportelli/items?filter=name%20%3D%3D%201",
    )
    .await
    .json();
    assert!(r["detail"].as_str().unwrap().contains("position 6"), "{r}");
    let r = get(&app, "/api/collections/nope/items").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), "application/problem+json");
    let r = get(&app, "/api/collections/sportelli/items/loc-nope").await;
    assert_eq!(r.status, 404);
    let long = format!(
        "/api/collections/sportelli/items?filter={}",
        "a".repeat(9000)
    );
    assert_eq!(get(&app, &long).await.status, StatusCode::URI_TOO_LONG);
}

async fn caching_compression_cors_and_security_headers(b: Backend) {
    let app = support::demo_app_on(&b).await;
    let uri = "/api/collections/comuni/items?limit=3";
    let r = get(&app, uri).await;
    let etag = r.header("etag").to_owned();
    assert!(etag.starts_with("W/\""));
    assert!(r.header("cache-control").contains("max-age"));
    let again = get_with(&app, uri, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    let gz = get_with(&app, uri, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gz.header("content-encoding"), "gzip");
    assert!(gz.body.len() < r.body.len() / 2);
    let br = get_with(&app, uri, &[("accept-encoding", "br")]).await;
    assert_eq!(br.header("content-encoding"), "br");
    let cors = get_with(&app, uri, &[("origin", "https://qgis.example")]).await;
    assert_eq!(cors.header("access-control-allow-origin"), "*");
    let csp = r.header("content-security-policy");
    assert!(
        csp.contains("default-src 'self'")
            && csp.contains("frame-ancestors 'none'")
            && !csp.contains("unsafe")
    );
    assert_eq!(r.header("x-content-type-options"), "nosniff");
}

async fn health_readiness_metrics_and_openapi(b: Backend) {
    let app = support::demo_app_on(&b).await;
    assert_eq!(get(&app, "/healthz").await.status, 200);
    let ready = get(&app, "/readyz").await.json();
    assert_eq!(ready["status"], "ready");
    assert!(ready["sportelli"].as_u64().unwrap() >= 60);
    get(&app, "/api/collections/sportelli/items?limit=1").await;
    let m = String::from_utf8(get(&app, "/metrics").await.body).unwrap();
    assert!(m.contains("bussola_http_requests_total"), "metrics: {m:?}");
    assert!(
        m.contains("route=\"/api/collections/{collection}/items\""),
        "metrics are by route template"
    );
    assert!(m.contains("bussola_http_request_duration_seconds_bucket"));
    let doc = get(&app, "/api/openapi.json").await;
    assert!(doc
        .header("content-type")
        .starts_with("application/vnd.oai.openapi+json"));
    let v = doc.json();
    assert!(v["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api",
        "/api/conformance",
        "/api/collections",
        "/api/collections/{collectionId}",
        "/api/collections/{collectionId}/items",
        "/api/collections/{collectionId}/items/{featureId}",
        "/api/collections/{collectionId}/queryables",
    ] {
        assert!(
            v["paths"][path]["get"].is_object(),
            "{path} is not documented"
        );
    }
    let params: Vec<&str> = v["paths"]["/api/collections/{collectionId}/items"]["get"]
        ["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in [
        "limit", "offset", "bbox", "near", "radius", "filter", "lang", "open_now", "datetime",
    ] {
        assert!(params.contains(&p), "items parameter {p} is not documented");
    }
}
async fn the_web_app_is_served_from_the_binary(b: Backend) {
    let app = support::demo_app_on(&b).await;
    let page = get(&app, "/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header("content-type").starts_with("text/html"));
    assert_eq!(page.header("cache-control"), "no-cache");
    let html = String::from_utf8(page.body.clone()).unwrap();
    assert!(html.contains("rel=\"manifest\""), "{html}");
    // Every script and stylesheet the page names is served, hashed and cached for a year,
    // from this origin only.
    let assets: Vec<&str> = html
        .split(['"', '\''])
        .filter(|s| s.starts_with("/assets/"))
        .collect();
    assert!(assets.iter().any(|a| a.ends_with(".js")), "{html}");
    for a in &assets {
        let r = get(&app, a).await;
        assert_eq!(r.status, StatusCode::OK, "{a}");
        assert!(r.header("cache-control").contains("immutable"), "{a}");
    }
    // No URL of another origin — but the inline favicon's SVG namespace is a name, never fetched.
    let fetchable = html.replace("'http://www.w3.org/2000/svg'", "");
    assert!(
        !fetchable.contains("http://") && !fetchable.contains("https://"),
        "{html}"
    );
    let again = get_with(&app, "/", &[("if-none-match", page.header("etag"))]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);

    let manifest = get(&app, "/manifest.webmanifest").await;
    assert_eq!(manifest.header("content-type"), "application/manifest+json");
    let m = manifest.json();
    assert_eq!(m["display"], "standalone");
    for icon in m["icons"].as_array().unwrap() {
        let r = get(&app, icon["src"].as_str().unwrap()).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.header("content-type"), "image/png");
        assert_eq!(&r.body[1..4], b"PNG");
    }
    let sw = get(&app, "/sw.js").await;
    assert_eq!(sw.status, StatusCode::OK);
    assert!(sw.header("content-type").starts_with("text/javascript"));
    let sw = String::from_utf8(sw.body).unwrap();
    for a in &assets {
        assert!(sw.contains(a), "the service worker precaches {a}");
    }
    assert!(sw.contains("/api/bundle"));
    // Not found stays a problem, not the page.
    let missing = get(&app, "/nothing-here.js").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.header("content-type"), "application/problem+json");
}

async fn the_offline_bundle_carries_compiled_hours_and_holidays(b: Backend) {
    let app = support::demo_app_on(&b).await;
    let b = get(&app, "/api/bundle").await.json();
    let features = b["features"].as_array().unwrap();
    let public = get(&app, "/api/collections/sportelli/items?limit=1000")
        .await
        .json();
    assert_eq!(
        features.len(),
        public["numberMatched"].as_u64().unwrap() as usize
    );
    let mut compiled = 0;
    for f in features {
        for s in f["properties"]["services"].as_array().unwrap() {
            for p in s["schedule"]["periods"].as_array().unwrap() {
                let week = p["week"]
                    .as_array()
                    .expect("every period has its compiled week");
                assert_eq!(week.len(), 7);
                compiled += 1;
            }
        }
    }
    assert!(compiled > 60);
    let holidays: Vec<&str> = b["bussola"]["public_holidays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    let year = chrono::Utc::now().format("%Y").to_string();
    assert!(holidays.contains(&format!("{year}-12-25").as_str()));
    assert!(
        b["bussola"]["gazetteer"]["places"]
            .as_array()
            .unwrap()
            .len()
            >= 44
    );
    assert!(b["bussola"]["generated_at"].is_string());
    assert_eq!(b["bussola"]["metadata"]["demo"], true);
}

on_both_backends!(
    landing_conformance_and_collections_on,
    landing_conformance_and_collections
);
on_both_backends!(
    every_collection_pages_with_counts_and_links_on,
    every_collection_pages_with_counts_and_links
);
on_both_backends!(
    nearest_is_ordered_by_distance_and_matches_brute_force_on,
    nearest_is_ordered_by_distance_and_matches_brute_force
);
on_both_backends!(filters_simple_and_cql2_on, filters_simple_and_cql2);
on_both_backends!(
    languages_fall_back_and_say_so_on,
    languages_fall_back_and_say_so
);
on_both_backends!(
    bad_input_gets_a_problem_naming_the_parameter_on,
    bad_input_gets_a_problem_naming_the_parameter
);
on_both_backends!(
    caching_compression_cors_and_security_headers_on,
    caching_compression_cors_and_security_headers
);
on_both_backends!(
    health_readiness_metrics_and_openapi_on,
    health_readiness_metrics_and_openapi
);
on_both_backends!(
    the_web_app_is_served_from_the_binary_on,
    the_web_app_is_served_from_the_binary
);
on_both_backends!(
    the_offline_bundle_carries_compiled_hours_and_holidays_on,
    the_offline_bundle_carries_compiled_hours_and_holidays
);
