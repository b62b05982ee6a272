//! Provenance on every imported record, through the real router on embedded SQLite and on
//! PostGIS: the demo data and an upload's commit name their source and licence on each record;
//! an operator's edit keeps it and may not set or change it (403 at `/provenance`); the
//! exports carry it (GeoJSON, CSV, HSDS attributes); the public JSON, the pre-rendered
//! sportelli, the HTML view and the offline bundle show it. And the offline bundle carries the
//! translations' provenance of a service at a sportello (its hours' note, its notices).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::body::Body;
use axum::http::{header, Method, Request};
use bussola::demo::SOURCE;
use serde_json::{json, Value};
use support::editing::{cast, App, Reply, OFFER_B, ORG_B, SERVICE_B, SPORTELLO_B};
use support::Backend;
use tower::ServiceExt;

/// The feature of sportello B in the list of every sportello, asked twice (the second answer
/// comes from the fragments the first kept).
async fn listed(app: &App) -> Vec<Value> {
    let mut seen = Vec::new();
    for _ in 0..2 {
        let r = app
            .get("/api/collections/sportelli/items?lang=en&limit=1000", "")
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let page = r.json();
        let f = page["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == SPORTELLO_B)
            .cloned()
            .expect("sportello B listed");
        seen.push(f);
    }
    seen
}

/// The bundle's feature of sportello B.
async fn bundled(app: &App) -> Value {
    let r = app.get("/api/bundle", "").await;
    assert_eq!(r.status, 200);
    r.json()["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == SPORTELLO_B)
        .cloned()
        .expect("sportello B in the bundle")
}

async fn imported_records_name_their_source_and_edits_keep_it(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let path = format!("sportelli/{SPORTELLO_B}");
    let uri = format!("/api/records/{path}");
    let (doc, v) = app.record(&path, &who.operator).await;
    assert_eq!(doc["provenance"]["source"], SOURCE, "{doc}");
    assert_eq!(doc["provenance"]["licence"], "CC0-1.0");
    assert!(doc["provenance"]["imported_at"].is_string());
    let (service, _) = app
        .record(&format!("services/{SERVICE_B}"), &who.operator)
        .await;
    assert_eq!(service["provenance"], doc["provenance"]);
    let (offer, _) = app
        .record(&format!("offers/{OFFER_B}"), &who.operator)
        .await;
    assert_eq!(offer["provenance"], doc["provenance"]);

    // A client may not set or change it, not even an admin; nothing is written.
    let mut forged = doc.clone();
    forged["provenance"]["source"] = json!("Regione del Veneto");
    for auth in [&who.operator, &who.admin] {
        let r = app.put(&uri, auth, v, &forged).await;
        assert_eq!(r.status, 403, "{}", r.body);
        assert_eq!(r.header("content-type"), "application/problem+json");
        assert_eq!(r.json()["pointer"], "/provenance", "{}", r.body);
    }
    let mut new = doc.clone();
    new["id"] = json!("loc-casa-comune-nuovo");
    let r = app.post("/api/records/sportelli", &who.admin, &new).await;
    assert_eq!(r.status, 403, "a create naming a source: {}", r.body);
    assert_eq!(app.record(&path, &who.admin).await.1, v, "nothing written");

    // Sent back as it is, or left out: the edit keeps it (it says where the facts came
    // from; the history says who edited them).
    let mut edited = doc.clone();
    edited["website"] = json!("https://casacomune.example.org/mestre");
    let r = app.put(&uri, &who.coordinator, v, &edited).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["provenance"], doc["provenance"]);
    let (mut again, v) = app.record(&path, &who.coordinator).await;
    again.as_object_mut().unwrap().remove("provenance");
    again["website"] = json!("https://casacomune.example.org/");
    let r = app.put(&uri, &who.coordinator, v, &again).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["provenance"], doc["provenance"]);
    let mut typed = again.clone();
    typed["id"] = json!("loc-casa-comune-nuovo");
    let r = app.post("/api/records/sportelli", &who.admin, &typed).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json().get("provenance").is_none(), "typed in: no source");

    // The public sees the credit: once on the sportello, its services from the same source
    // saying nothing more; the same from the pre-rendered fragments.
    let credit = json!({"source": SOURCE, "licence": "CC0-1.0"});
    let one = app
        .get(
            &format!("/api/collections/sportelli/items/{SPORTELLO_B}?lang=en"),
            "",
        )
        .await
        .json();
    assert_eq!(one["properties"]["provenance"], credit, "{one}");
    assert!(one["properties"]["services"][0].get("provenance").is_none());
    for f in listed(&app).await {
        assert_eq!(f["properties"]["provenance"], credit);
        assert!(f["properties"]["services"][0].get("provenance").is_none());
    }
    let offer = app
        .get(
            &format!("/api/collections/services/items/{OFFER_B}?lang=en"),
            "",
        )
        .await
        .json();
    assert_eq!(offer["properties"]["provenance"], credit);
    let page = app
        .get(
            &format!("/api/collections/sportelli/items/{SPORTELLO_B}?f=html&lang=it"),
            "",
        )
        .await;
    assert!(
        page.body.contains(&format!(
            "<p class=\"source\">Fonte: <span lang=\"it\">{SOURCE} · CC0-1.0</span></p>"
        )),
        "{}",
        page.body
    );
    let f = bundled(&app).await;
    assert_eq!(f["properties"]["provenance"], credit, "compact: no dates");
    assert!(f["properties"]["services"][0].get("provenance").is_none());

    // The exports carry it.
    let g = app.get("/api/export.geojson", "").await.json();
    let f = g["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == SPORTELLO_B)
        .unwrap();
    assert_eq!(f["properties"]["provenance"], doc["provenance"]);
    assert_eq!(
        f["properties"]["services"][0]["provenance"],
        doc["provenance"]
    );
    let csv = app.get("/api/export.csv", "").await.body;
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let header = rdr.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let line = rdr
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == SPORTELLO_B)
        .unwrap();
    assert_eq!(&line[col("source")], SOURCE);
    assert_eq!(&line[col("licence")], "CC0-1.0");
    let hsds = app.get("/api/export/hsds.json", "").await.json();
    let location = hsds["locations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["external_identifier"] == SPORTELLO_B)
        .unwrap();
    let attribute = |code: &str| {
        location["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["taxonomy_term"]["code"] == code)
            .map(|a| a["value"].clone())
    };
    assert_eq!(attribute("provenance-source"), Some(json!(SOURCE)));
    assert_eq!(attribute("provenance-licence"), Some(json!("CC0-1.0")));
}

/// Sends a CSV upload (or, with an ETag, a commit).
async fn send(
    app: &App,
    method: Method,
    uri: &str,
    auth: &str,
    etag: &str,
    ct: &str,
    body: &str,
) -> Reply {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, "bussola.test")
        .header(header::CONTENT_TYPE, ct)
        .header(header::AUTHORIZATION, auth);
    if !etag.is_empty() {
        req = req.header(header::IF_MATCH, etag);
    }
    let res = app
        .router
        .clone()
        .oneshot(req.body(Body::from(body.to_owned())).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn an_uploads_commit_names_its_source_and_licence_on_each_record(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let csv = format!(
        "sportello_id,organization_id,sportello_name@it,street,postcode,comune_istat,lon,lat,\
         service_id,service_name@it,categories,hours\n\
         loc-imp-prov,{ORG_B},Punto nuovo,Via Nuova 1,30171,027042,12.2100,45.4100,\
         svc-imp-prov,Servizio nuovo,housing,Mo-Fr 09:00-12:30\n"
    );
    let up = send(
        &app,
        Method::POST,
        &format!("/api/imports?organization={ORG_B}&source=elenco%20casa.csv&licence=CC-BY-4.0"),
        &who.admin,
        "",
        "text/csv",
        &csv,
    )
    .await;
    assert_eq!(up.status, 201, "{}", up.body);
    let id = up.json()["id"].as_str().unwrap().to_owned();
    let etag = up.header("etag").to_owned();
    let done = send(
        &app,
        Method::POST,
        &format!("/api/imports/{id}/commit"),
        &who.admin,
        &etag,
        "application/json",
        "{}",
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    for path in [
        "sportelli/loc-imp-prov".to_owned(),
        "services/svc-imp-prov".to_owned(),
        "offers/loc-imp-prov~svc-imp-prov".to_owned(),
    ] {
        let (doc, _) = app.record(&path, &who.admin).await;
        let p = &doc["provenance"];
        assert_eq!(
            (
                p["source"].as_str(),
                p["licence"].as_str(),
                p["import"].as_str()
            ),
            (
                Some("elenco casa.csv"),
                Some("CC-BY-4.0"),
                Some(id.as_str())
            ),
            "{path}: {doc}"
        );
    }
    // The same file again: nothing changes, so every record keeps the first import's.
    let up = send(
        &app,
        Method::POST,
        &format!("/api/imports?organization={ORG_B}&source=other.csv"),
        &who.admin,
        "",
        "text/csv",
        &csv,
    )
    .await;
    assert_eq!(up.status, 201, "{}", up.body);
    assert_eq!(up.json()["counts"]["unchanged"], 3, "{}", up.body);
    let again = up.json()["id"].as_str().unwrap().to_owned();
    let etag = up.header("etag").to_owned();
    let done = send(
        &app,
        Method::POST,
        &format!("/api/imports/{again}/commit"),
        &who.admin,
        &etag,
        "application/json",
        "{}",
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let (doc, _) = app.record("sportelli/loc-imp-prov", &who.admin).await;
    assert_eq!(doc["provenance"]["import"], id.as_str());
}

async fn the_bundle_says_who_translated_an_offers_texts(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let path = format!("offers/{OFFER_B}");
    let (mut doc, v) = app.record(&path, &who.admin).await;
    doc["schedule"]["note"] = json!({"it": "Chiuso il venerdì", "en": "Closed on Fridays"});
    doc["notices"] = json!([
        {"kind": "message", "from": "2020-01-01", "until": "2020-01-31",
         "message": {"it": "Vecchio avviso", "en": "Old notice"}},
        {"kind": "message", "from": "2020-01-01",
         "message": {"it": "Nuovo ingresso", "en": "New entrance"}},
    ]);
    doc["translations"] = json!({
        "schedule/note/en": {"by": "machine"},
        "notices/1/message/en": {"by": "machine"},
        "notices/0/message/en": {"by": "person"},
    });
    let r = app
        .put(&format!("/api/records/{path}"), &who.admin, v, &doc)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let f = bundled(&app).await;
    let desk = f["properties"]["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == SERVICE_B)
        .cloned()
        .unwrap();
    // The notice over is left out, and the next one's provenance moves with it.
    assert_eq!(desk["notices"].as_array().unwrap().len(), 1, "{desk}");
    assert_eq!(
        desk["translations"],
        json!({"schedule/note/en": {"by": "machine", "at": r.json()["translations"]["schedule/note/en"]["at"]},
               "notices/0/message/en": {"by": "machine", "at": r.json()["translations"]["notices/1/message/en"]["at"]}}),
        "{desk}"
    );
}

on_both_backends!(
    edits_keep_provenance,
    imported_records_name_their_source_and_edits_keep_it
);
on_both_backends!(
    upload_provenance,
    an_uploads_commit_names_its_source_and_licence_on_each_record
);
on_both_backends!(
    offer_translations_in_bundle,
    the_bundle_says_who_translated_an_offers_texts
);
