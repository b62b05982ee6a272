//! Import → export → import is lossless in both forms, on both backends, through the real
//! binary: on the demo data, and on generated data where every optional field is filled,
//! every list has two or more items, phones have labels, text is in several scripts and
//! holds commas, quotes, semicolons, backslashes and newlines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{json, Value};
use support::Backend;

/// Text in five languages and three scripts, with everything CSV and lists must escape.
fn text(what: &str, n: usize) -> Value {
    json!({
        "it": format!("{what} n. {n}, \"centro\"; sede\nsecondo piano \\ scala B"),
        "en": format!("{what} no. {n}, 'centre'"),
        "ar": format!("{what} {n} مكتب المساعدة، الطابق الثاني"),
        "zh": format!("{what} {n} 服务台，二楼"),
        "uk": format!("{what} {n} Служба підтримки, другий поверх"),
    })
}

fn service(i: usize, shared: bool) -> Value {
    let id = if shared {
        "svc-shared".to_owned()
    } else {
        format!("svc-{i}")
    };
    let n = if shared { 0 } else { i };
    json!({
        "id": id,
        "organization_id": "org-b",
        "name": text("Servizio", n),
        "description": text("Descrizione", n),
        "categories": ["legal-aid", "residence-permits"],
        "languages": ["it", "en", "ar", "zh-Hant"],
        "cost": "reduced",
        "cost_note": text("Costo", n),
        "appointment_required": true,
        "documents": text("Documenti", n),
        "audiences": ["refugees", "women"],
        "phone": "+39 041 555 0100",
        "email": format!("servizio{n}@example.org"),
        "url": format!("https://example.org/servizi/{n}?a=1&b=2"),
        "status": if n % 2 == 0 { "published" } else { "draft" },
        "visibility": "restricted",
        "last_verified_at": "2026-10-15T08:30:00Z",
    })
}

fn sportello(i: usize) -> Value {
    let mut own = service(i, false);
    own["schedule"] = json!({
        "periods": [
            {"valid_from": null, "valid_to": null, "hours": "Mo-Fr 09:00-12:30; Tu,Th 14:30-17:00"},
            {"valid_from": "2026-07-01", "valid_to": "2026-08-31", "hours": "Mo,We 09:00-12:00"},
            {"valid_from": "2026-08-10", "valid_to": "2026-08-20", "hours": "Mo-Su off"},
        ],
        "closed_on": ["2026-12-24", "2026-12-31"],
        "public_holidays": "open",
        "note": text("Nota orari", i),
    });
    own["service_at_location_id"] = json!(format!("sal-custom-{i}"));
    own["notices"] = json!([
        {"kind": "saturation", "places": "full", "from": "2026-10-01", "until": "2027-09-12",
         "message": {"it": format!("Corso pieno; riapre | a settembre \\ {i}"), "ar": "الدورة ممتلئة"}},
        {"kind": "hours", "hours": "Mo,We 17:00-19:00", "from": "2027-06-28"},
        {"kind": "saturation", "places": "waiting_list", "from": "2027-09-13"},
    ]);
    own["verified"] = json!({"hours": format!("2026-11-0{i}T09:30:00Z"), "languages": "2026-11-02T10:00:00Z",
        "cost": "2026-05-04T08:00:00Z", "appointment": "2026-11-02T10:00:00Z"});
    let mut shared = service(i, true);
    shared["verified"] =
        json!({"languages": "2026-09-01T00:00:00Z", "hours": format!("2026-08-0{i}T12:00:00Z")});
    shared["notices"] = json!([{"kind": "closed", "from": "2027-01-07", "until": "2027-01-07"}]);
    shared["schedule"] = json!({
        "periods": [{"valid_from": "2026-01-01", "valid_to": null, "hours": "Sa 10:00-13:00"}],
        "closed_on": ["2026-04-06", "2026-11-02"],
        "public_holidays": "closed",
        "note": text("Nota", i),
    });
    json!({
        "type": "Feature",
        "id": format!("loc-{i}"),
        "geometry": {"type": "Point", "coordinates": [coord(12.2 + i as f64 * 0.012345), coord(45.4 + i as f64 * 0.01)]},
        "properties": {
            "organization_id": "org-a",
            "name": text("Sportello", i),
            "description": text("Descrizione sportello", i),
            "address": {
                "street": format!("Via \"Roma\", {i}; scala B"),
                "postcode": "30172",
                "locality": "Mestre, centro",
                "comune_istat": "027042",
            },
            "accessibility": text("Accessibilità", i),
            "phones": [
                {"number": "+39 041 000 0001", "label": {"it": "Centralino; ufficio", "en": "Switchboard \\ desk"}},
                {"number": "+39 041 000 0002", "label": {"it": "Fax"}},
                {"number": "800 000 000"},
            ],
            "emails": [format!("a{i}@example.org"), format!("b{i}@example.org")],
            "website": format!("https://example.org/sportelli/{i}"),
            "status": if i == 2 { "draft" } else { "published" },
            "visibility": if i == 1 { "restricted" } else { "public" },
            "last_verified_at": "2026-10-15T00:00:00Z",
            "verified": {"address": "2026-11-20T07:00:00Z", "phone": "2025-12-01T07:00:00Z"},
            "notices": [
                {"kind": "closed", "from": "2027-08-09", "until": "2027-08-22",
                 "message": {"it": "Chiuso per ferie; \"estive\"", "en": "Closed for the summer"}},
                {"kind": "message", "from": "2027-01-10", "message": {"it": "Nuovo ingresso da via Piave"}},
            ],
            "services": [own, shared],
        }
    })
}

/// Six decimals (about 10 cm), as a GPS reading is written.
fn coord(x: f64) -> f64 {
    format!("{x:.6}").parse().unwrap()
}

/// A dataset with every field of every record filled.
fn generated() -> Value {
    json!({
        "type": "FeatureCollection",
        "bussola": {
            "format": "bussola-dataset/1",
            "metadata": {"title": text("Titolo", 0), "demo": false, "territory": "Venezia"},
            "organizations": [
                {"id": "org-a", "name": "Associazione \"A\", Venezia", "kind": "ngo",
                 "description": text("Org", 1), "website": "https://a.example.org",
                 "email": "a@example.org", "phone": "+39 041 111", "fictional": true,
                 "status": "published", "visibility": "public", "last_verified_at": "2026-09-01T00:00:00Z"},
                {"id": "org-b", "name": "Comune B", "kind": "public", "description": text("Org", 2),
                 "website": "https://b.example.org", "email": "b@example.org", "phone": "+39 041 222",
                 "fictional": true, "status": "published", "visibility": "public"},
            ],
            "projects": [{
                "id": "prj-a", "code": "PROG-1", "title": text("Progetto", 1), "fund": "FAMI",
                "programme_period": "2021-2027", "lead_organization_id": "org-a",
                "partners": [{"name": "Comune B", "organization_id": "org-b", "role": "partner"},
                             {"name": "Altro, \"ente\"", "role": "associate"}],
                "start_date": "2023-01-01", "end_date": "2026-12-31", "budget_eur": 123456.78,
                "territory": ["027042", "027012"], "phase": "active", "summary": text("Sintesi", 1),
                "service_ids": ["svc-1", "svc-shared"],
                "indicators": [{"code": "O.1", "label": text("Indicatore", 1), "target": 100.0, "unit": "persone"},
                               {"code": "R.2", "label": text("Indicatore", 2), "target": 0.5, "unit": "%"}],
                "website": "https://example.org/progetto",
                "status": "published", "visibility": "public",
            }],
        },
        "features": (1..=3).map(sportello).collect::<Vec<_>>(),
    })
}

fn strip_store_fields(text: &str) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                for k in ["version", "created_at", "updated_at"] {
                    m.remove(k);
                }
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v: Value = serde_json::from_str(text).unwrap();
    strip(&mut v);
    v
}

fn run_ok(b: &Backend, args: &[&str]) -> (String, String) {
    let (code, out, err) = b.run(args);
    assert_eq!(code, 0, "bussola {args:?}: {err}");
    (out, err)
}

/// Writes `v`'s organisations (and projects, if asked) without any sportello: the CSV form
/// carries neither, so a fresh store gets them from the GeoJSON form.
fn members_only(v: &Value, projects: bool) -> Value {
    let mut m = v.clone();
    m["features"] = json!([]);
    if !projects {
        m["bussola"]["projects"] = json!([]);
    }
    m
}

/// The whole trip for one source file: GeoJSON → store A → export GeoJSON (g1) and CSV (c1);
/// re-importing either into A writes nothing; c1 into a fresh store B (organisations and
/// projects from g1 around it) exports the same GeoJSON and the same CSV.
async fn trip(a: &Backend, b: &Backend, source: &std::path::Path) {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    run_ok(a, &["import", "services", source.to_str().unwrap()]);
    let (g1, _) = run_ok(a, &["export", "services"]);
    let (c1, _) = run_ok(a, &["export", "services", "--format", "csv"]);
    std::fs::write(path("g1.geojson"), &g1).unwrap();
    std::fs::write(path("c1.csv"), &c1).unwrap();
    for f in ["g1.geojson", "c1.csv"] {
        let (_, err) = run_ok(a, &["import", "services", &path(f)]);
        assert!(
            err.contains(" 0 rows written"),
            "re-importing {f} must write nothing: {err}"
        );
    }

    let g1v: Value = serde_json::from_str(&g1).unwrap();
    std::fs::write(path("orgs.geojson"), members_only(&g1v, false).to_string()).unwrap();
    std::fs::write(path("all.geojson"), members_only(&g1v, true).to_string()).unwrap();
    run_ok(b, &["import", "services", &path("orgs.geojson")]);
    run_ok(b, &["import", "services", &path("c1.csv")]);
    run_ok(b, &["import", "services", &path("all.geojson")]);
    let (g2, _) = run_ok(b, &["export", "services"]);
    assert_eq!(
        strip_store_fields(&g1),
        strip_store_fields(&g2),
        "GeoJSON → CSV → GeoJSON"
    );
    let (c2, _) = run_ok(b, &["export", "services", "--format", "csv"]);
    assert_eq!(c1, c2, "CSV → CSV");
}

async fn the_demo_data_round_trips(a: Backend) {
    let b = Backend::sqlite();
    trip(&a, &b, &support::repo_file("data/demo/venezia.geojson")).await;
}
on_both_backends!(demo, the_demo_data_round_trips);

async fn generated_data_with_every_field_round_trips(a: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("generated.geojson");
    let v = generated();
    std::fs::write(&source, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    // The other backend as the fresh store, so each trip crosses backends.
    let b = match &a {
        Backend::Sqlite(_) => Backend::postgres().await,
        Backend::Postgres(_) => Backend::sqlite(),
    };
    trip(&a, &b, &source).await;
    // And the export still holds what was generated (nothing dropped on the first import).
    let (g, _) = run_ok(&b, &["export", "services"]);
    let g: Value = serde_json::from_str(&g).unwrap();
    let f = &g["features"][0]["properties"];
    assert_eq!(f["phones"], v["features"][0]["properties"]["phones"]);
    assert_eq!(f["name"], v["features"][0]["properties"]["name"]);
    assert_eq!(f["services"][0]["service_at_location_id"], "sal-custom-1");
    // Each record names the file it was first imported from, through the CSV form too.
    assert_eq!(
        f["provenance"]["source"],
        v["bussola"]["metadata"]["title"]["it"]
    );
    assert_eq!(f["services"][0]["provenance"], f["provenance"]);
    // Notices and verified dates came through the CSV form (store B was filled from it).
    assert_eq!(f["notices"], v["features"][0]["properties"]["notices"]);
    assert_eq!(f["verified"], v["features"][0]["properties"]["verified"]);
    let own = &v["features"][0]["properties"]["services"][0];
    assert_eq!(f["services"][0]["notices"], own["notices"]);
    assert_eq!(f["services"][0]["verified"], own["verified"]);
    assert_eq!(
        f["services"][0]["schedule"]["periods"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}
on_both_backends!(generated, generated_data_with_every_field_round_trips);
