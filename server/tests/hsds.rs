//! Open Referral HSDS 3.0: the export of the whole demo directory and the read API's bodies
//! validate against the HSDS 3.0 JSON schemas (read from ../shared/data/hsds-3.0 at test
//! time); the read API's envelope, lookups, errors, proximity and visibility; the record
//! history as HSDS metadata; and export → import → export through the real binary on both
//! backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use bussola::hsds;
use bussola::index::{Catalog, Filter};
use bussola::model::Taxonomy;
use serde_json::{json, Value};
use support::client::{get, get_with};
use support::Backend;

// ---------------------------------------------------------------------------------------
// The HSDS 3.0 schemas.

const BASE: &str = "https://hsds.test/schema/";

/// Validators for HSDS objects, from the schema files: each file gets an `$id` under one
/// base, so `"$ref": "phone.json"` resolves to its neighbour. The schemas declare no draft;
/// they use only keywords every draft shares, read as 2020-12 with `format` checked (`uuid`,
/// `email`, `uri`, `date-time`).
struct Schemas {
    dir: std::path::PathBuf,
}

impl Schemas {
    fn load() -> Self {
        Schemas {
            dir: support::shared_data("hsds-3.0/schema"),
        }
    }

    fn with_id(&self, file: &str) -> Value {
        let text = std::fs::read_to_string(self.dir.join(file)).unwrap();
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v["$id"] = json!(format!("{BASE}{file}"));
        v
    }

    fn validator(&self, object: &str) -> jsonschema::Validator {
        let mut opts = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true);
        for e in std::fs::read_dir(&self.dir).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".json") && name != "openapi.json" {
                let resource = jsonschema::Resource::from_contents(self.with_id(&name)).unwrap();
                opts = opts.with_resource(format!("{BASE}{name}"), resource);
            }
        }
        opts.build(&self.with_id(&format!("{object}.json")))
            .unwrap_or_else(|e| panic!("schema {object}: {e}"))
    }
}

/// Every error of `v` against `validator`, with where it is.
fn errors(validator: &jsonschema::Validator, v: &Value, what: &str) -> Vec<String> {
    validator
        .iter_errors(v)
        .map(|e| format!("{what} at {}: {e}", e.instance_path))
        .collect()
}

fn demo_catalog() -> (Catalog, Taxonomy) {
    let text = std::fs::read_to_string(support::repo_file("data/demo/venezia.geojson")).unwrap();
    let dataset = bussola::import::parse_dataset(&text).unwrap();
    let comuni = bussola::territory::comuni().unwrap();
    let catalog = Catalog::from_snapshot(bussola::store::Snapshot {
        revision: 1,
        dataset,
        comuni,
    });
    (catalog, Taxonomy::builtin().unwrap())
}

#[test]
fn the_whole_demo_export_validates_against_the_hsds_schemas() {
    let s = Schemas::load();
    let (catalog, taxonomy) = demo_catalog();
    let doc = hsds::document(&catalog, &Filter::default(), &taxonomy, "it");
    let mut bad = Vec::new();
    let mut checked = 0;
    for (member, object) in [
        ("organizations", "organization"),
        ("locations", "location"),
        ("services", "service"),
        ("taxonomies", "taxonomy"),
    ] {
        let v = s.validator(object);
        let items = doc[member].as_array().unwrap();
        assert!(!items.is_empty(), "{member} is empty");
        for (i, item) in items.iter().enumerate() {
            bad.extend(errors(&v, item, &format!("{member}[{i}]")));
            checked += 1;
        }
    }
    assert!(bad.is_empty(), "{} errors:\n{}", bad.len(), bad.join("\n"));
    // The public directory: 68 sportelli, 89 services, every one with where it is offered.
    let public = support::oracle::public_sportelli(&support::oracle::demo()).len();
    assert_eq!(doc["locations"].as_array().unwrap().len(), public);
    let offers: usize = doc["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["service_at_locations"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        offers,
        support::oracle::public_offers(&support::oracle::demo()).len()
    );
    assert!(checked > 150, "{checked}");
    // The source's licence travels with it.
    assert_eq!(doc["source"]["license"], "CC0-1.0");
}

#[test]
fn the_validator_is_not_vacuous() {
    let s = Schemas::load();
    let v = s.validator("service");
    let good = json!({"id": hsds::ids::uuid("service", "x"), "name": "A", "status": "active"});
    assert!(errors(&v, &good, "good").is_empty());
    for (broken, why) in [
        (
            json!({"id": "svc-x", "name": "A", "status": "active"}),
            "a slug is no uuid",
        ),
        (
            json!({"id": hsds::ids::uuid("service", "x"), "name": "A"}),
            "status is required",
        ),
        (
            json!({"id": hsds::ids::uuid("service", "x"), "name": "A", "status": "active",
                   "phones": [{"id": "nope", "number": "1"}]}),
            "a nested phone is checked through its $ref",
        ),
    ] {
        assert!(!errors(&v, &broken, why).is_empty(), "{why}");
    }
}

#[test]
fn metadata_from_versions_validates() {
    use bussola::model::{Id, Origin, RecordKind, RecordVersion, Source};
    let at = chrono::Utc::now();
    let v = |n: i64, doc: Value| RecordVersion {
        kind: RecordKind::Location,
        id: Id::parse("loc-a").unwrap(),
        version: n,
        revision: n,
        at,
        origin: Origin {
            author: Some("maria".into()),
            source: Source::Api,
            ..Default::default()
        },
        doc,
    };
    let records = hsds::metadata::metadata(&[
        v(1, json!({"name": {"it": "A"}, "phones": []})),
        v(
            2,
            json!({"name": {"it": "B"}, "phones": [{"number": "041 1"}]}),
        ),
    ]);
    assert_eq!(records.len(), 4, "{records:?}");
    let validator = Schemas::load().validator("metadata");
    for (i, r) in records.iter().enumerate() {
        let e = errors(&validator, r, &format!("metadata[{i}]"));
        assert!(e.is_empty(), "{e:?}");
    }
    assert_eq!(records[3]["field_name"], "/phones");
    assert_eq!(records[3]["previous_value"], "[]");
    assert_eq!(records[3]["replacement_value"], r#"[{"number":"041 1"}]"#);
}

// ---------------------------------------------------------------------------------------
// The read API.

#[tokio::test]
async fn the_read_api_bodies_validate_and_page_as_the_hsds_api_says() {
    let s = Schemas::load();
    let (_d, app) = support::demo_app().await;
    let demo = support::oracle::demo();
    let mut bad = Vec::new();
    for (path, object) in [
        ("/hsds/services?per_page=1000", "service"),
        ("/hsds/services?per_page=1000&full=true", "service"),
        (
            "/hsds/organizations?per_page=1000&full=true",
            "organization",
        ),
        (
            "/hsds/service_at_locations?per_page=1000&full=true",
            "service_at_location",
        ),
    ] {
        let r = get(&app, path).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), "application/json");
        let v = r.json();
        let validator = s.validator(object);
        for (i, item) in v["contents"].as_array().unwrap().iter().enumerate() {
            bad.extend(errors(&validator, item, &format!("{path} contents[{i}]")));
        }
        // One by id, fully nested.
        let first = &v["contents"][0];
        let kind = path.split('?').next().unwrap();
        let one = get(&app, &format!("{kind}/{}", first["id"].as_str().unwrap())).await;
        assert_eq!(one.status, 200, "{kind}/{}", first["id"]);
        bad.extend(errors(&validator, &one.json(), kind));
    }
    assert!(bad.is_empty(), "{} errors:\n{}", bad.len(), bad.join("\n"));

    // The envelope: pages of 10 add up to the total.
    let offers = support::oracle::public_offers(&demo).len();
    let all = get(&app, "/hsds/service_at_locations?per_page=1000")
        .await
        .json();
    assert_eq!(all["total_items"], offers);
    let pages = offers.div_ceil(10);
    let mut seen = Vec::new();
    for page in 1..=pages {
        let v = get(
            &app,
            &format!("/hsds/service_at_locations?per_page=10&page={page}"),
        )
        .await
        .json();
        assert_eq!(v["total_items"], offers);
        assert_eq!(v["total_pages"], pages);
        assert_eq!(v["page_number"], page);
        assert_eq!(v["first_page"], page == 1);
        assert_eq!(v["last_page"], page == pages);
        assert_eq!(v["empty"], false);
        let contents = v["contents"].as_array().unwrap();
        assert_eq!(v["size"], contents.len());
        seen.extend(
            contents
                .iter()
                .map(|c| c["id"].as_str().unwrap().to_owned()),
        );
    }
    let want: Vec<String> = all["contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(seen, want, "the pages are the whole list, in order, once");
    let past = get(
        &app,
        &format!("/hsds/service_at_locations?per_page=10&page={}", pages + 1),
    )
    .await
    .json();
    assert_eq!(
        (past["empty"].clone(), past["size"].clone()),
        (json!(true), json!(0))
    );
}

#[tokio::test]
async fn lookups_errors_and_caching() {
    let (_d, app) = support::demo_app().await;
    let slug = "svc-questura-venezia-immigrazione-permit-questura";
    let by_slug = get(&app, &format!("/hsds/services/{slug}")).await;
    assert_eq!(by_slug.status, 200);
    let uuid = hsds::ids::uuid("service", slug);
    let by_uuid = get(&app, &format!("/hsds/services/{uuid}")).await;
    assert_eq!(by_uuid.json(), by_slug.json());
    assert_eq!(by_uuid.json()["id"], uuid);
    assert!(!by_uuid.json()["service_at_locations"]
        .as_array()
        .unwrap()
        .is_empty());

    for path in [
        "/hsds/services/svc-nope",
        "/hsds/organizations/org-nope",
        "/hsds/service_at_locations/00000000-0000-5000-8000-000000000000",
    ] {
        let r = get(&app, path).await;
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.header("content-type"), "application/problem+json");
    }
    for (path, parameter) in [
        ("/hsds/services?per_page=0", "per_page"),
        ("/hsds/services?page=x", "page"),
        ("/hsds/services?colour=red", "colour"),
        ("/hsds/services?format=ndjson", "format"),
        ("/hsds/services?modified_after=yesterday", "modified_after"),
        ("/hsds/service_at_locations?proximity=100", "proximity"),
        (
            "/hsds/service_at_locations?postcode=30171&proximity=-1",
            "proximity",
        ),
        ("/hsds/organizations?full=maybe", "full"),
    ] {
        let r = get(&app, path).await;
        assert_eq!(r.status, 400, "{path}");
        assert_eq!(r.header("content-type"), "application/problem+json");
        assert_eq!(r.json()["parameter"], parameter, "{path}");
    }
    // Anonymous answers are public, and their ETag gives a 304.
    let r = get(&app, "/hsds/organizations").await;
    assert!(r.header("cache-control").starts_with("public"));
    let again = get_with(
        &app,
        "/hsds/organizations",
        &[("if-none-match", r.header("etag"))],
    )
    .await;
    assert_eq!(again.status, 304);
    // Criteria: an organisation's services, a category.
    let org = "org-questura-venezia";
    let v = get(
        &app,
        &format!("/hsds/services?organization_id={org}&per_page=1000"),
    )
    .await
    .json();
    let want = hsds::ids::uuid("organization", org);
    assert!(v["total_items"].as_u64().unwrap() >= 1);
    assert!(v["contents"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["organization_id"] == want));
    let v = get(
        &app,
        "/hsds/services?taxonomy_term_id=italian-language&per_page=1000",
    )
    .await
    .json();
    let n = v["total_items"].as_u64().unwrap();
    assert!(n >= 1);
    let codes = |s: &Value| -> Vec<String> {
        s["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["taxonomy_term"]["taxonomy"] == "bussola-categories")
            .map(|a| a["value"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(v["contents"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| codes(s).contains(&"italian-language".to_owned())));
    let all = get(&app, "/hsds/services?per_page=1000").await.json();
    let by_hand = all["contents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| codes(s).contains(&"italian-language".to_owned()))
        .count();
    assert_eq!(n as usize, by_hand);
}

#[tokio::test]
async fn proximity_is_nearest_first_within_the_distance() {
    let (_d, app) = support::demo_app().await;
    let demo = support::oracle::demo();
    let from = (12.2386, 45.4904); // Mestre
    let r = get(
        &app,
        "/hsds/service_at_locations?near=12.2386,45.4904&proximity=2500&per_page=1000&full=true",
    )
    .await
    .json();
    let contents = r["contents"].as_array().unwrap();
    assert!(contents.len() >= 3, "{}", contents.len());
    let mut last = 0.0;
    for c in contents {
        let loc = &c["location"];
        let at = (
            loc["longitude"].as_f64().unwrap(),
            loc["latitude"].as_f64().unwrap(),
        );
        let d = support::oracle::distance_m(from, at);
        let reported = c["distance"].as_f64().unwrap();
        assert!((d - reported).abs() < 1.0, "{d} vs {reported}");
        assert!(d <= 2500.0 + 1.0, "{d}");
        assert!(reported >= last, "not nearest first");
        last = reported;
    }
    // Exactly the public offers within 2.5 km, by the oracle.
    let within = support::oracle::public_offers(&demo)
        .into_iter()
        .filter(|(f, _)| support::oracle::distance_m(from, support::oracle::lon_lat(f)) <= 2500.0)
        .count();
    assert_eq!(contents.len(), within);
    // A postcode alone filters; with proximity it measures from its sportelli's centroid.
    let v = get(
        &app,
        "/hsds/service_at_locations?postcode=30175&per_page=1000&full=true",
    )
    .await
    .json();
    let items = v["contents"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items
        .iter()
        .all(|c| c["location"]["addresses"][0]["postal_code"] == "30175"));
    let v = get(
        &app,
        "/hsds/service_at_locations?postcode=30175&proximity=100000&per_page=1000",
    )
    .await
    .json();
    assert_eq!(
        v["total_items"],
        support::oracle::public_offers(&demo)
            .iter()
            .filter(|(f, _)| {
                let c = centroid(&demo, "30175");
                support::oracle::distance_m(c, support::oracle::lon_lat(f)) <= 100000.0
            })
            .count()
    );
}

fn centroid(demo: &Value, postcode: &str) -> (f64, f64) {
    let pts: Vec<(f64, f64)> = support::oracle::public_sportelli(demo)
        .into_iter()
        .filter(|f| f["properties"]["address"]["postcode"] == postcode)
        .map(support::oracle::lon_lat)
        .collect();
    let n = pts.len() as f64;
    (
        pts.iter().map(|p| p.0).sum::<f64>() / n,
        pts.iter().map(|p| p.1).sum::<f64>() / n,
    )
}

#[tokio::test]
async fn anonymous_never_sees_reception_centres_or_drafts() {
    let (_d, app) = support::demo_app().await;
    let demo = support::oracle::demo();
    let hidden: Vec<String> = demo["features"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            let p = &f["properties"];
            let mut ids = Vec::new();
            if p["visibility"] != "public" || p["status"] != "published" {
                ids.push(f["id"].as_str().unwrap().to_owned());
            }
            for s in p["services"].as_array().unwrap() {
                if s["status"] == "draft" {
                    ids.push(s["id"].as_str().unwrap().to_owned());
                }
            }
            ids
        })
        .collect();
    assert!(hidden.len() >= 10, "{hidden:?}");
    for path in [
        "/hsds/services?per_page=1000&full=true",
        "/hsds/organizations?per_page=1000&full_service=true",
        "/hsds/service_at_locations?per_page=1000&full=true",
    ] {
        let body = String::from_utf8(get(&app, path).await.body).unwrap();
        for id in &hidden {
            assert!(!body.contains(&format!("\"{id}\"")), "{path} shows {id}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Export → import → export, through the binary.

fn members(doc: &Value) -> Value {
    let mut v = json!({
        "organizations": doc["organizations"],
        "locations": doc["locations"],
        "services": doc["services"],
    });
    // When a record was last changed is the store's, not the data's.
    for s in v["services"].as_array_mut().unwrap() {
        s.as_object_mut().unwrap().remove("last_modified");
    }
    v
}

async fn exports_and_imports_back_the_same_records(a: Backend) {
    let comuni = support::shared_data("istat-boundaries/limits_P_27_municipalities.geojson");
    let comuni = comuni.to_str().unwrap();
    let demo = support::repo_file("data/demo/venezia.geojson");
    assert_eq!(a.run(&["import", "comuni", comuni]).0, 0);
    let (code, _, err) = a.run(&["import", "services", demo.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("directory.hsds.json");
    let file = file.to_str().unwrap();
    let (code, _, err) = a.run(&["export", "hsds", "-o", file]);
    assert_eq!(code, 0, "{err}");
    let first: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    // The history travels as HSDS metadata records, each valid against its schema and about
    // a record of the document.
    let validator = Schemas::load().validator("metadata");
    let meta = first["metadata"].as_array().expect("metadata records");
    assert!(!meta.is_empty());
    let mut ids = std::collections::HashSet::new();
    for k in ["organizations", "locations", "services"] {
        for item in first[k].as_array().unwrap() {
            ids.insert(item["id"].as_str().unwrap().to_owned());
            for sal in item["service_at_locations"]
                .as_array()
                .into_iter()
                .flatten()
            {
                ids.insert(sal["id"].as_str().unwrap().to_owned());
            }
        }
    }
    for (i, r) in meta.iter().enumerate() {
        let e = errors(&validator, r, &format!("metadata[{i}]"));
        assert!(e.is_empty(), "{e:?}");
        assert!(ids.contains(r["resource_id"].as_str().unwrap()), "{r}");
    }
    assert!(meta
        .iter()
        .any(|r| r["resource_type"] == "service_at_location"));

    // Into a directory with the same territory and nothing else: a dry run writes nothing.
    let b = match &a {
        Backend::Sqlite(_) => Backend::sqlite(),
        Backend::Postgres(_) => Backend::postgres().await,
    };
    assert_eq!(b.run(&["import", "comuni", comuni]).0, 0);
    let (code, _, err) = b.run(&["import", "hsds", file, "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("dry run"), "{err}");
    let (_, out, _) = b.run(&["export", "services"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["features"].as_array().unwrap().len(),
        0,
        "the dry run wrote"
    );
    let (code, _, err) = b.run(&["import", "hsds", file]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !err.contains("dropped:"),
        "nothing of a Bussola export is dropped: {err}"
    );
    let again = dir.path().join("again.hsds.json");
    let again = again.to_str().unwrap();
    assert_eq!(b.run(&["export", "hsds", "-o", again]).0, 0);
    let second: Value = serde_json::from_str(&std::fs::read_to_string(again).unwrap()).unwrap();
    let (x, y) = (members(&first), members(&second));
    for k in ["organizations", "locations", "services"] {
        let (xs, ys) = (x[k].as_array().unwrap(), y[k].as_array().unwrap());
        assert_eq!(xs.len(), ys.len(), "{k}");
        for (p, q) in xs.iter().zip(ys) {
            assert_eq!(p, q, "{k} differ");
        }
    }
    // The source is remembered in the dataset metadata.
    let (_, out, _) = b.run(&["export", "services"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let imports = &v["bussola"]["metadata"]["imports"];
    assert_eq!(imports[0]["license"], "CC0-1.0", "{imports}");
    assert_eq!(imports[0]["format"], "HSDS 3.0");
}

on_both_backends!(
    export_import_round_trip,
    exports_and_imports_back_the_same_records
);
