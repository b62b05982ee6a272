//! Uploads through `/api/imports` (`docs/imports.md`), on embedded SQLite and on PostGIS,
//! through the real router: a 5,000-row CSV with exactly three bad rows of different kinds,
//! whose dry run lists exactly those rows and fields; a commit refused while they are in,
//! refused while a likely duplicate is unresolved, failing whole when a record changed since
//! the dry run, then written all or nothing once they are excluded and the duplicate merged;
//! provenance in every record's history; and who may import for which organisation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::body::Body;
use axum::http::{header, Method, Request};
use bussola::api::edit::record::Record;
use bussola::model::{Id, RecordKind, Status};
use serde_json::{json, Value};
use std::fmt::Write as _;
use support::editing::{cast, App, Reply, OFFER_B, ORG_B, SPORTELLO_B};
use support::Backend;
use tower::ServiceExt;

const HEADER: &str =
    "sportello_id,organization_id,sportello_name@it,street,postcode,comune_istat,lon,lat,\
     service_id,service_name@it,categories,hours";

/// Data rows `i` (on CSV line `i + 2`) where the generator plants a problem.
const UNKNOWN_COMUNE: usize = 100;
const BAD_HOURS: usize = 2000;
const NO_CATEGORY: usize = 4000;
/// The last row: the demo's Casa Comune desk in Mestre again, under a new id.
const DUPLICATE: usize = 4999;

/// `n` rows of organisation B, one sportello and service each, on a grid south of Mestre
/// (about 80 m apart, away from the demo sportelli), with the planted problems.
fn csv(n: usize) -> String {
    let mut s = format!("{HEADER}\n");
    for i in 0..n {
        let (lon, lat) = (
            12.20 + (i % 100) as f64 * 0.001,
            45.40 + (i / 100) as f64 * 0.001,
        );
        let comune = if i == UNKNOWN_COMUNE {
            "099999"
        } else {
            "027042"
        };
        let hours = if i == BAD_HOURS {
            "every other tuesday"
        } else {
            "Mo-Fr 09:00-12:30"
        };
        let category = if i == NO_CATEGORY { "" } else { "housing" };
        if i == DUPLICATE {
            writeln!(
                s,
                "loc-imp-dup,{ORG_B},\"Casa Comune – sportello casa di Mestre (fittizio)\",Via Piave 1,30171,027042,12.2338,45.4948,svc-imp-dup,Sportello casa bis,housing,{hours}"
            )
            .unwrap();
            continue;
        }
        writeln!(
            s,
            "loc-imp-{i:04},{ORG_B},Punto prova {i},Via Prova {i},30171,{comune},{lon:.4},{lat:.4},svc-imp-{i:04},Servizio prova {i},{category},{hours}"
        )
        .unwrap();
    }
    s
}

/// Sends `body` as `content_type` (or JSON when `content_type` is empty).
async fn send(
    app: &App,
    method: Method,
    uri: &str,
    auth: &str,
    headers: &[(&str, &str)],
    content_type: &str,
    body: &str,
) -> Reply {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, "bussola.test")
        .header(
            header::CONTENT_TYPE,
            if content_type.is_empty() {
                "application/json"
            } else {
                content_type
            },
        );
    if !auth.is_empty() {
        req = req.header(header::AUTHORIZATION, auth);
    }
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
    let bytes = axum::body::to_bytes(res.into_body(), 64 << 20)
        .await
        .unwrap();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn upload(app: &App, auth: &str, org: &str, source: &str, text: &str) -> Reply {
    send(
        app,
        Method::POST,
        &format!("/api/imports?organization={org}&source={source}&licence=CC-BY-4.0"),
        auth,
        &[],
        "text/csv",
        text,
    )
    .await
}

async fn commit(app: &App, auth: &str, id: &str, etag: &str, decisions: &Value) -> Reply {
    let headers: Vec<(&str, &str)> = if etag.is_empty() {
        vec![]
    } else {
        vec![("if-match", etag)]
    };
    send(
        app,
        Method::POST,
        &format!("/api/imports/{id}/commit"),
        auth,
        &headers,
        "",
        &decisions.to_string(),
    )
    .await
}

/// (row, field) of each problem of a report or a refusal.
fn rows(problems: &Value) -> Vec<(u64, String)> {
    problems
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert!(
                !p["reason"].as_str().unwrap_or("").is_empty(),
                "a reason: {p}"
            );
            (
                p["row"].as_u64().expect("a CSV row"),
                p["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn exists(app: &App, kind: RecordKind, id: &str) -> bool {
    Record::stored(
        kind,
        &Id::parse(id).unwrap(),
        &app.state.directory.catalog(),
    )
    .is_some()
}

async fn five_thousand_rows_with_three_bad_ones(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let coord = who.coordinator.as_str();
    let text = csv(5000);
    let line = |i: usize| (i + 2) as u64;
    let bad = vec![
        (line(UNKNOWN_COMUNE), "comune_istat".to_owned()),
        (line(BAD_HOURS), "hours".to_owned()),
        (line(NO_CATEGORY), "categories".to_owned()),
    ];
    let revision = app.state.directory.catalog().revision;

    let r = upload(&app, coord, ORG_B, "venezia-5000.csv", &text).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let report = r.json();
    let (id, etag) = (
        report["id"].as_str().unwrap().to_owned(),
        r.header("etag").to_owned(),
    );
    assert_eq!(rows(&report["problems"]), bad, "{}", report["problems"]);
    assert!(report["problems"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("099999"));
    let dups = report["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1, "{}", report["duplicates"]);
    assert_eq!(dups[0]["sportello_id"], "loc-imp-dup");
    assert_eq!(dups[0]["existing_id"], SPORTELLO_B);
    assert!(dups[0]["distance_m"].as_f64().unwrap() < 25.0);
    assert_eq!(report["by_kind"]["sportelli"]["new"], 4997, "{report}");
    assert_eq!(report["by_kind"]["offers"]["new"], 4997);
    assert_eq!(report["committable"], false);
    assert_eq!(report["mode"], "publish");
    // The dry run wrote nothing.
    assert_eq!(app.state.directory.catalog().revision, revision);
    assert!(!exists(&app, RecordKind::Location, "loc-imp-0000"));

    // The guard: the report's ETag, and nothing else.
    assert_eq!(commit(&app, coord, &id, "", &json!({})).await.status, 428);
    assert_eq!(
        commit(&app, coord, &id, "\"x\"", &json!({})).await.status,
        412
    );
    // Refused while the bad rows are in, naming them.
    let refused = commit(&app, coord, &id, &etag, &json!({})).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(refused.header("content-type"), "application/problem+json");
    assert_eq!(rows(&refused.json()["errors"]), bad);
    // Refused while the duplicate is unresolved.
    let exclude: Vec<u64> = bad.iter().map(|b| b.0).collect();
    let undecided = commit(&app, coord, &id, &etag, &json!({"exclude": exclude})).await;
    assert_eq!(undecided.status, 409, "{}", undecided.body);
    assert_eq!(undecided.json()["errors"][0]["sportello_id"], "loc-imp-dup");

    // Meanwhile someone creates one of the file's sportelli: the commit, based on a dry run
    // that saw it new, fails whole.
    let meanwhile = app
        .post(
            "/api/records/sportelli",
            &who.admin,
            &json!({"id": "loc-imp-0007", "organization_id": ORG_B,
                   "name": {"it": "Creato nel frattempo"},
                   "address": {"street": "Via Piave 2", "postcode": "30171", "comune_istat": "027042"},
                   "point": [12.207, 45.40]}),
        )
        .await;
    assert_eq!(meanwhile.status, 200, "{}", meanwhile.body);
    let before = app.state.directory.catalog().revision;
    let live_offers = Record::all(
        RecordKind::ServiceAtLocation,
        &app.state.directory.catalog(),
    )
    .into_iter()
    .filter(|r| matches!(r, Record::Offer(o) if o.location_id.as_str() == SPORTELLO_B))
    .filter(|r| r.meta().status != Status::Archived)
    .count();
    assert!(live_offers >= 1);
    let decisions = json!({
        "exclude": exclude,
        "duplicates": [{"sportello_id": "loc-imp-dup", "resolution": "same"}]
    });
    let stale = commit(&app, coord, &id, &etag, &decisions).await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert!(stale.body.contains("loc-imp-0007"), "{}", stale.body);
    assert_eq!(app.state.directory.catalog().revision, before);
    assert!(!exists(&app, RecordKind::Location, "loc-imp-0000"));
    assert!(!exists(&app, RecordKind::Location, "loc-imp-4998"));

    // Checked again against the directory as it is now, the same decisions commit.
    let again = upload(&app, coord, ORG_B, "venezia-5000.csv", &text).await;
    assert_eq!(again.status, 201, "{}", again.body);
    let report = again.json();
    assert_eq!(rows(&report["problems"]), bad);
    assert_eq!(report["by_kind"]["sportelli"]["new"], 4996);
    assert_eq!(report["by_kind"]["sportelli"]["changed"], 1);
    let id = report["id"].as_str().unwrap().to_owned();
    let done = commit(&app, coord, &id, again.header("etag"), &decisions).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let done = done.json();
    assert_eq!(done["mode"], "publish");
    // 4,996 rows new, one that existed changed, the duplicate merged into Casa Comune's
    // sportello, whose other offers the file does not list (archived).
    assert_eq!(done["by_kind"]["sportelli"]["new"], 4995, "{done}");
    assert_eq!(done["by_kind"]["offers"]["archived"], live_offers, "{done}");
    let c = app.state.directory.catalog();
    // One revision (PostgreSQL's sequence may skip the one the failed commit took).
    let committed = done["revision"].as_i64().unwrap();
    assert!(committed > before);
    assert_eq!(c.revision, committed);
    for id in ["loc-imp-0000", "loc-imp-4998", SPORTELLO_B] {
        let h = app
            .get(&format!("/api/records/sportelli/{id}/history"), coord)
            .await
            .json();
        assert_eq!(h["versions"][0]["revision"], committed, "{id}: {h}");
    }
    for i in [0, 7, 99, 101, 4998] {
        assert!(
            exists(&app, RecordKind::Location, &format!("loc-imp-{i:04}")),
            "{i}"
        );
    }
    for i in [UNKNOWN_COMUNE, BAD_HOURS, NO_CATEGORY] {
        assert!(
            !exists(&app, RecordKind::Location, &format!("loc-imp-{i:04}")),
            "{i}"
        );
        assert!(
            !exists(&app, RecordKind::Service, &format!("svc-imp-{i:04}")),
            "{i}"
        );
    }
    assert!(!exists(&app, RecordKind::Location, "loc-imp-dup"));
    let merged = c.sportello(SPORTELLO_B).expect("the merged sportello");
    let offered: Vec<&str> = merged
        .offers
        .iter()
        .map(|o| o.service.id.as_str())
        .collect();
    assert_eq!(offered, ["svc-imp-dup"]);
    let Some(Record::Offer(old)) = Record::stored(
        RecordKind::ServiceAtLocation,
        &Id::parse(OFFER_B).unwrap(),
        &c,
    ) else {
        panic!("the old offer is kept, archived");
    };
    assert_eq!(old.meta.status, Status::Archived);

    // Provenance: each imported record's history names the file and its licence.
    let h = app
        .get("/api/records/sportelli/loc-imp-0000/history", coord)
        .await
        .json();
    let v = &h["versions"][0];
    assert_eq!(v["source"], "import", "{h}");
    let reason = v["reason"].as_str().unwrap();
    assert!(
        reason.contains("venezia-5000.csv") && reason.contains("CC-BY-4.0"),
        "{reason}"
    );
    // A committed import is gone.
    assert_eq!(
        app.get(&format!("/api/imports/{id}"), coord).await.status,
        404
    );
}
on_both_backends!(acceptance, five_thousand_rows_with_three_bad_ones);

async fn who_may_import_for_whom(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let text = csv(2);
    // Only for an organisation the uploader may edit.
    assert_eq!(upload(&app, "", ORG_B, "f.csv", &text).await.status, 401);
    assert_eq!(
        upload(&app, &who.viewer, ORG_B, "f.csv", &text)
            .await
            .status,
        403
    );
    let other = upload(&app, &who.other_operator, ORG_B, "f.csv", &text).await;
    assert_eq!(other.status, 403, "{}", other.body);
    assert_eq!(other.header("content-type"), "application/problem+json");
    let unknown = upload(&app, &who.admin, "org-nobody", "f.csv", &text).await;
    assert_eq!(unknown.status, 400, "{}", unknown.body);
    assert_eq!(unknown.json()["parameter"], "organization");
    // A file for another organisation than the one named is refused row by row.
    let theirs = upload(&app, &who.other_operator, "org-faro-verde", "f.csv", &text).await;
    assert_eq!(theirs.status, 201, "{}", theirs.body);
    let p = theirs.json();
    assert_eq!(
        rows(&p["problems"]),
        vec![
            (2, "organization_id".to_owned()),
            (2, "service_organization_id".to_owned()),
            (3, "organization_id".to_owned()),
            (3, "service_organization_id".to_owned())
        ],
        "{}",
        p["problems"]
    );
    // Operator B (not trusted): the import becomes change requests; the public sees nothing.
    let r = upload(&app, &who.operator, ORG_B, "f.csv", &text).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let report = r.json();
    assert_eq!(report["mode"], "propose");
    assert_eq!(report["committable"], true, "{report}");
    let id = report["id"].as_str().unwrap();
    // Nobody else sees or commits it.
    assert_eq!(
        app.get(&format!("/api/imports/{id}"), &who.admin)
            .await
            .status,
        404
    );
    let seen = app.get(&format!("/api/imports/{id}"), &who.operator).await;
    assert_eq!(seen.status, 200);
    assert_eq!(seen.header("etag"), r.header("etag"));
    let done = commit(&app, &who.operator, id, r.header("etag"), &json!({})).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.json()["change_requests"], 6);
    assert!(!exists(&app, RecordKind::Location, "loc-imp-0000"));
    let pending = app
        .get("/api/changes?status=pending", &who.coordinator)
        .await
        .json();
    assert_eq!(pending["changes"].as_array().unwrap().len(), 6, "{pending}");
    // Discard.
    let r = upload(&app, &who.operator, ORG_B, "f.csv", &text).await;
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let gone = send(
        &app,
        Method::DELETE,
        &format!("/api/imports/{id}"),
        &who.operator,
        &[],
        "",
        "",
    )
    .await;
    assert_eq!(gone.status, 204, "{}", gone.body);
    assert_eq!(
        app.get(&format!("/api/imports/{id}"), &who.operator)
            .await
            .status,
        404
    );
    // Not a CSV nor GeoJSON.
    let wrong = send(
        &app,
        Method::POST,
        &format!("/api/imports?organization={ORG_B}"),
        &who.operator,
        &[],
        "text/plain",
        &text,
    )
    .await;
    assert_eq!(wrong.status, 415, "{}", wrong.body);
}
on_both_backends!(roles, who_may_import_for_whom);

async fn an_upload_past_the_limit_is_413(b: Backend) {
    let app = App::with(b, |c| c.import_max_bytes = 1000).await;
    let who = cast(&app).await;
    let r = upload(&app, &who.admin, ORG_B, "f.csv", &csv(40)).await;
    assert_eq!(r.status, 413, "{}", r.body);
    assert_eq!(r.header("content-type"), "application/problem+json");
    assert!(
        r.json()["detail"].as_str().unwrap().contains("1000"),
        "{}",
        r.body
    );
    // Below it, a file much larger than the API's other bodies is taken.
    let app = App::new(Backend::sqlite()).await;
    let who = cast(&app).await;
    let big = csv(2000);
    assert!(big.len() > bussola::api::MAX_BODY);
    assert_eq!(
        upload(&app, &who.admin, ORG_B, "f.csv", &big).await.status,
        201
    );
}
on_both_backends!(size_limit, an_upload_past_the_limit_is_413);

/// A GeoJSON upload names features and JSON Pointers.
async fn geojson_problems_name_the_feature(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let fc = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "loc-geo-a", "geometry": {"type": "Point", "coordinates": [12.21, 45.41]},
         "properties": {"organization_id": ORG_B, "name": {"it": "Punto A"},
                        "address": {"street": "Via A", "postcode": "30171", "comune_istat": "027042"}}},
        {"type": "Feature", "id": "loc-geo-b", "geometry": {"type": "Point", "coordinates": [12.22, 45.41]},
         "properties": {"organization_id": ORG_B, "name": {"it": "Punto B"},
                        "address": {"street": "Via B", "postcode": "30171", "comune_istat": "099999"}}}
    ]});
    let r = send(
        &app,
        Method::POST,
        &format!("/api/imports?organization={ORG_B}"),
        &who.admin,
        &[],
        "application/geo+json",
        &fc.to_string(),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let report = r.json();
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{report}");
    assert_eq!(problems[0]["feature"], 1);
    assert_eq!(problems[0]["field"], "/properties/address/comune_istat");
    let id = report["id"].as_str().unwrap();
    let done = commit(
        &app,
        &who.admin,
        id,
        r.header("etag"),
        &json!({"exclude": [1]}),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(exists(&app, RecordKind::Location, "loc-geo-a"));
    assert!(!exists(&app, RecordKind::Location, "loc-geo-b"));
}
on_both_backends!(geojson, geojson_problems_name_the_feature);
