//! HSDS datasets through `POST /api/imports` (`docs/imports.md`, "HSDS"), on embedded
//! SQLite and on PostGIS, through the real router: Bussola's own HSDS export round-trips,
//! one organisation at a time, into an empty store; the Open Referral sample datapackage
//! (zipped here) gives a report whose figures are counted from its CSV files; the real 211
//! Miami zip gives the drop tallies `hsds::load` gives for the same file; a small Italian
//! datapackage of one organisation goes through the same problems, exclusions, duplicates
//! and commit as any upload; zip bombs are refused with the bound they break.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::body::Body;
use axum::http::{header, Method, Request};
use bussola::model::Role;
use bussola::store::ChangeSet;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write as _;
use support::editing::{cast, App, Reply, ORG_B, SPORTELLO_B};
use support::Backend;
use tower::ServiceExt;

async fn send(
    app: &App,
    method: Method,
    uri: &str,
    auth: &str,
    headers: &[(&str, &str)],
    content_type: &str,
    body: Vec<u8>,
) -> Reply {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, "bussola.test")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::AUTHORIZATION, auth);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app
        .router
        .clone()
        .oneshot(req.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 256 << 20)
        .await
        .unwrap();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn upload(app: &App, auth: &str, query: &str, content_type: &str, body: Vec<u8>) -> Reply {
    send(
        app,
        Method::POST,
        &format!("/api/imports?{query}"),
        auth,
        &[],
        content_type,
        body,
    )
    .await
}

async fn commit(app: &App, auth: &str, report: &Reply, decisions: &Value) -> Reply {
    let id = report.json()["id"].as_str().unwrap().to_owned();
    send(
        app,
        Method::POST,
        &format!("/api/imports/{id}/commit"),
        auth,
        &[("if-match", report.header("etag"))],
        "application/json",
        decisions.to_string().into_bytes(),
    )
    .await
}

/// A zip of `files` (name, content), deflated, built in memory.
fn zip_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in files {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(body).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Every file of a folder, under `prefix/` in the zip.
fn zip_folder(dir: &std::path::Path, prefix: &str) -> Vec<u8> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (format!("{prefix}/{name}"), std::fs::read(&p).unwrap())
        })
        .collect();
    files.sort();
    zip_of(&files)
}

/// (HSDS kind, reason) → records dropped, from a report's `dropped`.
fn tally(dropped: &Value) -> BTreeMap<(String, String), usize> {
    let mut t = BTreeMap::new();
    for d in dropped.as_array().unwrap() {
        if d["left_out"] == "record" {
            let kind = d["record"].as_str().unwrap().split(' ').next().unwrap();
            *t.entry((kind.to_owned(), d["reason"].as_str().unwrap().to_owned()))
                .or_insert(0) += 1;
        }
    }
    t
}

fn rows(text: &str) -> Vec<HashMap<String, String>> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .map(|r| r.unwrap())
        .collect()
}

/// The HSDS document without what a new store cannot share with the old: modification
/// times, the history's metadata records, the dataset's own title and licence.
fn comparable(mut doc: Value) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("last_modified");
                m.remove("metadata");
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut doc);
    json!({"organizations": doc["organizations"], "locations": doc["locations"],
           "services": doc["services"], "taxonomies": doc["taxonomies"]})
}

async fn the_hsds_export_round_trips_into_an_empty_store(b: Backend) {
    let demo = App::new(Backend::sqlite()).await;
    let exported = demo.get("/api/export/hsds.json", "").await;
    assert_eq!(exported.status, 200, "{}", exported.body);
    let doc = exported.json();
    let body = exported.body.clone().into_bytes();

    let app = App::with(b, |c| c.demo = bussola::config::DemoMode::Never).await;
    app.state
        .directory
        .apply(&ChangeSet {
            comuni: bussola::territory::comuni().unwrap(),
            ..Default::default()
        })
        .await
        .unwrap();
    let admin = app.user("boss", Role::Admin).await;
    // The dataset holds many organisations: one it does not hold is refused, naming it.
    let r = upload(
        &app,
        &admin,
        "organization=org-nobody",
        "application/json",
        body.clone(),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.json()["parameter"], "organization");

    let orgs: Vec<String> = doc["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            o["organization_identifiers"][0]["identifier"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(orgs.len() > 5, "{orgs:?}");
    for org in &orgs {
        // JSON without `format`: told from a FeatureCollection by its shape.
        let r = upload(
            &app,
            &admin,
            &format!("organization={org}&source=demo.hsds.json"),
            "application/json",
            body.clone(),
        )
        .await;
        assert_eq!(r.status, 201, "{org}: {}", r.body);
        let report = r.json();
        assert_eq!(report["format"], "hsds");
        assert_eq!(report["problems"], json!([]), "{org}: {report}");
        // All that is left out is the other organisations' records (and so their offers).
        for d in report["dropped"].as_array().unwrap() {
            let reason = d["reason"].as_str().unwrap();
            let offer = d["record"]
                .as_str()
                .unwrap()
                .starts_with("service_at_location ");
            assert!(
                reason.contains(&format!("not {org}"))
                    || (offer && reason == "its sportello or its service is not imported"),
                "{org}: {d}"
            );
        }
        let different: Vec<Value> = report["duplicates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| json!({"sportello_id": d["sportello_id"], "resolution": "different"}))
            .collect();
        let done = commit(&app, &admin, &r, &json!({"duplicates": different})).await;
        assert_eq!(done.status, 200, "{org}: {}", done.body);
    }
    let again = app.get("/api/export/hsds.json", "").await;
    assert_eq!(again.status, 200);
    assert_eq!(comparable(again.json()), comparable(doc));
}
on_both_backends!(round_trip, the_hsds_export_round_trips_into_an_empty_store);

async fn the_sample_datapackage_reports_what_its_files_say(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let dir = support::shared_data("hsds-sample-datapackage/simple");
    let file = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let r = upload(
        &app,
        &who.coordinator,
        &format!("organization={ORG_B}&lang=en&id_prefix=sample&source=sample.zip"),
        "application/zip",
        zip_folder(&dir, "simple"),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let report = r.json();

    let orgs = rows(&file("organizations.csv"));
    let locations = rows(&file("locations.csv"));
    let services = rows(&file("services.csv"));
    let offers = rows(&file("services_at_location.csv"));
    let org_ids: BTreeSet<&str> = orgs.iter().map(|o| o["id"].as_str()).collect();
    let service_ids: BTreeSet<&str> = services.iter().map(|s| s["id"].as_str()).collect();
    let location_ids: BTreeSet<&str> = locations.iter().map(|l| l["id"].as_str()).collect();
    let read = &report["hsds"]["read"];
    assert_eq!(read["organizations"], orgs.len());
    assert_eq!(read["locations"], location_ids.len());
    assert_eq!(read["services"], services.len());
    let offered = offers
        .iter()
        .filter(|o| service_ids.contains(o["service_id"].as_str()))
        .count();
    assert_eq!(read["service_at_locations"], offered);

    // What the files say: Example City is nowhere in the Venice territory, and no service
    // has a taxonomy term, so nothing is kept and every record says why.
    let mut expected: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut add = |kind: &str, reason: &str| {
        *expected
            .entry((kind.to_owned(), reason.to_owned()))
            .or_insert(0) += 1;
    };
    for l in &locations {
        let coordinate = |k: &str| l.get(k).and_then(|v| v.trim().parse::<f64>().ok());
        if coordinate("latitude").is_some() && coordinate("longitude").is_some() {
            add("location", "outside the territory: its city is no comune of the directory, nor does any comune contain its point");
        } else {
            add(
                "location",
                "no valid latitude/longitude: a sportello must be on the map",
            );
        }
    }
    for s in &services {
        if org_ids.contains(s["organization_id"].as_str()) {
            add(
                "service",
                "no taxonomy term maps to a Bussola category of need",
            );
        } else {
            add("service", "names no organisation of the dataset");
        }
    }
    let given: BTreeSet<&str> = locations
        .iter()
        .chain(&services)
        .map(|r| r["organization_id"].as_str())
        .collect();
    for o in &orgs {
        if given.contains(o["id"].as_str()) {
            add("organization", "none of its services or locations was kept");
        } else {
            add(
                "organization",
                "the dataset has no service or location of it",
            );
        }
    }
    assert_eq!(tally(&report["dropped"]), expected, "{}", report["dropped"]);
    let kept = &report["hsds"]["kept"];
    assert_eq!(kept["locations"], 0);
    assert_eq!(kept["services"], 0);
    assert_eq!(report["records"], 0);
    // Dropped records are no problems: nothing blocks the commit.
    assert_eq!(report["problems"], json!([]));
}
on_both_backends!(sample, the_sample_datapackage_reports_what_its_files_say);

async fn the_miami_zip_drops_what_the_cli_drops(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let path = support::shared_data("hsds-211-miami-real/datapackage-1566177582.zip");
    let r = upload(
        &app,
        &who.admin,
        &format!("organization={ORG_B}&lang=en&id_prefix=miami"),
        "application/zip",
        std::fs::read(&path).unwrap(),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let report = r.json();
    let opts = bussola::hsds::Options {
        lang: "en".into(),
        id_prefix: "miami".into(),
        base_lang: app.state.directory.taxonomy().base_lang.clone(),
    };
    let cli = bussola::hsds::load(&path, &app.state.directory.catalog(), &opts).unwrap();
    let cli_tally: BTreeMap<(String, String), usize> = cli.tally().into_iter().collect();
    assert!(!cli_tally.is_empty());
    assert_eq!(tally(&report["dropped"]), cli_tally);
    let fields = report["dropped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["left_out"] == "field")
        .count();
    assert_eq!(fields, cli.dropped.iter().filter(|d| d.field_only).count());
    assert_eq!(report["hsds"]["read"]["services"], cli.read.services);
    assert_eq!(report["hsds"]["read"]["locations"], cli.read.locations);
    assert_eq!(report["records"], 0);
}
on_both_backends!(miami, the_miami_zip_drops_what_the_cli_drops);

/// One organisation's datapackage in Italian, in the territory: its records are imported as
/// the organisation's the upload is for, through the problems, exclusions, duplicates and
/// commit of every upload.
async fn one_organisations_datapackage_goes_through_the_usual_commit(b: Backend) {
    let app = App::new(b).await;
    let who = cast(&app).await;
    let f = |name: &str, text: &str| (format!("pkg/{name}"), text.as_bytes().to_vec());
    let zip = zip_of(&[
        f("organizations.csv", "id,name\no1,Associazione Esempio\n"),
        f(
            "locations.csv",
            "id,organization_id,name,latitude,longitude\n\
             l1,o1,Sportello Esempio Mestre,45.4904,12.2386\n\
             l3,o1,Casa Comune sportello casa di Mestre (fittizio),45.4948,12.2338\n\
             l4,o1,Sportello Esempio Marghera,45.4700,12.2300\n",
        ),
        f(
            "addresses.csv",
            "id,location_id,address_1,city,postal_code\n\
             a1,l1,Via Piave 1,Venezia,30171\na3,l3,Via Piave 3,Venezia,30171\n\
             a4,l4,Via Fratelli Bandiera 4,Venezia,30175\n",
        ),
        f(
            "services.csv",
            "id,organization_id,name\ns1,o1,Consulenza legale\ns3,o1,Sportello casa\n\
             s4,o1,Servizio sconosciuto\n",
        ),
        f(
            "service_at_locations.csv",
            "id,service_id,location_id\nsl1,s1,l1\nsl3,s3,l3\nsl4,s4,l4\n",
        ),
        f(
            "taxonomy_terms.csv",
            "id,code,name,taxonomy\nt1,legal-aid,Legal aid,bussola-categories\n\
             t3,housing,Housing,bussola-categories\nt4,astrology,Astrology,bussola-categories\n",
        ),
        f(
            "attributes.csv",
            "id,link_id,taxonomy_term_id,link_type\nx1,s1,t1,service\nx3,s3,t3,service\n\
             x4,s4,t4,service\n",
        ),
    ]);
    let r = upload(
        &app,
        &who.coordinator,
        &format!("organization={ORG_B}&id_prefix=esempio&licence=CC0-1.0"),
        "application/zip",
        zip,
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let report = r.json();
    assert_eq!(report["format"], "hsds");
    assert_eq!(report["licence"], "CC0-1.0");
    // The dataset's one organisation is taken to be B: its own record is left out.
    let dropped = report["dropped"].as_array().unwrap();
    assert_eq!(dropped.len(), 1, "{}", report["dropped"]);
    assert!(dropped[0]["record"]
        .as_str()
        .unwrap()
        .starts_with("organization esempio-org-o1"));
    // The unknown category is a problem of its feature (features are ordered by id).
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{}", report["problems"]);
    assert_eq!(problems[0]["feature"], 2);
    assert_eq!(problems[0]["record"], "esempio-loc-l4");
    assert_eq!(problems[0]["field"], "/properties/services/0/categories");
    let dups = report["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1, "{}", report["duplicates"]);
    assert_eq!(dups[0]["sportello_id"], "esempio-loc-l3");
    assert_eq!(dups[0]["existing_id"], SPORTELLO_B);

    let refused = commit(&app, &who.coordinator, &r, &json!({})).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let undecided = commit(&app, &who.coordinator, &r, &json!({"exclude": [2]})).await;
    assert_eq!(undecided.status, 409, "{}", undecided.body);
    let done = commit(
        &app,
        &who.coordinator,
        &r,
        &json!({"exclude": [2], "duplicates": [{"sportello_id": "esempio-loc-l3", "resolution": "different"}]}),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let c = app.state.directory.catalog();
    let l1 = c.sportello("esempio-loc-l1").expect("imported");
    assert_eq!(l1.location.organization_id.as_str(), ORG_B);
    assert_eq!(l1.location.address.comune_istat, "027042");
    assert!(c.sportello("esempio-loc-l3").is_some());
    assert!(c.sportello("esempio-loc-l4").is_none());
    assert!(!c
        .organizations
        .keys()
        .any(|o| o.as_str() == "esempio-org-o1"));
}
on_both_backends!(
    one_organisation,
    one_organisations_datapackage_goes_through_the_usual_commit
);

async fn zip_bombs_and_bad_options_are_refused(b: Backend) {
    let app = App::with(b, |c| c.import_max_unzipped_bytes = 1_000_000).await;
    let who = cast(&app).await;
    let query = format!("organization={ORG_B}");
    // 50 MB of one byte, deflated to a few tens of kilobytes.
    let bomb = zip_of(&[("organizations.csv".into(), vec![b'a'; 50_000_000])]);
    assert!(bomb.len() < 200_000, "{}", bomb.len());
    let r = upload(&app, &who.admin, &query, "application/zip", bomb).await;
    assert_eq!(r.status, 413, "{}", r.body);
    assert_eq!(r.header("content-type"), "application/problem+json");
    assert!(
        r.json()["detail"].as_str().unwrap().contains("1000000"),
        "{}",
        r.body
    );
    // More entries than a datapackage ever has.
    let many: Vec<(String, Vec<u8>)> = (0..1001).map(|i| (format!("f{i}.txt"), vec![])).collect();
    let r = upload(&app, &who.admin, &query, "application/zip", zip_of(&many)).await;
    assert_eq!(r.status, 413, "{}", r.body);
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap()
            .contains("at most 1000"),
        "{}",
        r.body
    );
    // Not a zip nor HSDS JSON.
    let r = upload(
        &app,
        &who.admin,
        &query,
        "application/zip",
        b"PK\x03\x04 torn".to_vec(),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.json()["parameter"], "body");
    let r = upload(
        &app,
        &who.admin,
        &format!("{query}&format=hsds"),
        "application/json",
        b"[1]".to_vec(),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    // The options are checked and belong to HSDS only.
    let doc = br#"{"organizations": [], "services": []}"#.to_vec();
    for (q, parameter) in [
        ("&lang=not%20a%20tag", "lang"),
        ("&id_prefix=No%20Way", "id_prefix"),
        ("&format=xml", "format"),
    ] {
        let r = upload(
            &app,
            &who.admin,
            &format!("{query}{q}"),
            "application/json",
            doc.clone(),
        )
        .await;
        assert_eq!(r.status, 400, "{q}: {}", r.body);
        assert_eq!(r.json()["parameter"], parameter, "{q}");
    }
    let csv = b"sportello_id\n".to_vec();
    let r = upload(
        &app,
        &who.admin,
        &format!("{query}&lang=en"),
        "text/csv",
        csv.clone(),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.json()["parameter"], "lang");
    let r = upload(
        &app,
        &who.admin,
        &format!("{query}&format=hsds"),
        "text/csv",
        csv,
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.json()["parameter"], "format");
}
on_both_backends!(bounds, zip_bombs_and_bad_options_are_refused);
