//! The real `bussola` binary importing real public boundaries and the demo dataset, on both
//! backends: counts, winding order, rejection reports, and import → export → import.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::Backend;

fn features(geojson: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(geojson).expect("export is JSON");
    v["features"].as_array().expect("features").clone()
}

/// Twice the signed area of a ring (positive = counter-clockwise).
fn signed_area(ring: &[Value]) -> f64 {
    ring.windows(2)
        .map(|w| {
            let (a, b) = (&w[0], &w[1]);
            a[0].as_f64().unwrap() * b[1].as_f64().unwrap()
                - b[0].as_f64().unwrap() * a[1].as_f64().unwrap()
        })
        .sum()
}

fn exported_comuni(b: &Backend) -> Vec<Value> {
    let (code, out, err) = b.run(&["export", "comuni"]);
    assert_eq!(code, 0, "export failed: {err}");
    features(&out)
}

async fn imports_venice_and_veneto_boundaries(b: Backend) {
    let p27 = support::shared_data("istat-boundaries/limits_P_27_municipalities.geojson");
    let (code, _, err) = b.run(&["import", "comuni", p27.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let comuni = exported_comuni(&b);
    assert_eq!(comuni.len(), 44);
    assert!(comuni
        .iter()
        .any(|f| f["properties"]["istat"] == "027042" && f["properties"]["name"] == "Venezia"));
    // The source is clockwise (pre-RFC 7946); the export must be counter-clockwise outside,
    // clockwise inside.
    for f in &comuni {
        for poly in f["geometry"]["coordinates"].as_array().unwrap() {
            let rings = poly.as_array().unwrap();
            assert!(
                signed_area(rings[0].as_array().unwrap()) > 0.0,
                "outer ring of {} is not CCW",
                f["id"]
            );
            for hole in &rings[1..] {
                assert!(
                    signed_area(hole.as_array().unwrap()) < 0.0,
                    "hole of {} is not CW",
                    f["id"]
                );
            }
        }
    }
    let r5 = support::shared_data("istat-boundaries/limits_R_5_municipalities.geojson");
    let (code, _, err) = b.run(&["import", "comuni", r5.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(exported_comuni(&b).len(), 563);
}
on_both_backends!(imports_boundaries, imports_venice_and_veneto_boundaries);

async fn rejects_a_corrupted_copy_and_changes_nothing(b: Backend) {
    let p27 = support::shared_data("istat-boundaries/limits_P_27_municipalities.geojson");
    let (code, _, err) = b.run(&["import", "comuni", p27.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let before = exported_comuni(&b);

    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&p27).unwrap()).unwrap();
    let fs = v["features"].as_array_mut().unwrap();
    // Feature 3: a broken ring (no longer closed). Feature 7: no code. Feature 10: a coordinate that is text.
    let ring = fs[3]["geometry"]["coordinates"][0].as_array_mut().unwrap();
    ring.pop();
    fs[7]["properties"]
        .as_object_mut()
        .unwrap()
        .remove("com_istat_code");
    fs[10]["geometry"]["coordinates"][0][5][1] = Value::String("45.x".into());
    // And make every feature "new" so a partial write would show in the count.
    for f in fs.iter_mut() {
        if let Some(code) = f["properties"]["com_istat_code"].as_str() {
            f["properties"]["com_istat_code"] = Value::String(format!("9{}", &code[1..]));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("corrupted.geojson");
    std::fs::write(&bad, serde_json::to_string(&v).unwrap()).unwrap();

    let (code, _, err) = b.run(&["import", "comuni", bad.to_str().unwrap()]);
    assert_eq!(code, 3, "a rejected file exits with code 3; stderr: {err}");
    assert!(err.contains("3 problem(s)"), "{err}");
    assert!(
        err.contains("feature 3 (Camponogara): geometry.coordinates[0]: broken ring"),
        "{err}"
    );
    assert!(
        err.contains("feature 7 (Chioggia): properties.com_istat_code: missing"),
        "{err}"
    );
    assert!(err.contains("feature 10 (Concordia Sagittaria): geometry.coordinates[0][5][1]: \"45.x\" is not a number"), "{err}");
    assert_eq!(exported_comuni(&b), before, "the store must be unchanged");
}
on_both_backends!(
    rejects_corrupted_boundaries,
    rejects_a_corrupted_copy_and_changes_nothing
);

async fn round_trips_the_demo_dataset(b: Backend) {
    let demo = support::repo_file("data/demo/venezia.geojson");
    let (code, _, err) = b.run(&["import", "services", demo.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (code, first, err) = b.run(&["export", "services"]);
    assert_eq!(code, 0, "{err}");
    let first_v: Value = serde_json::from_str(&first).unwrap();
    let source: Value = serde_json::from_str(&std::fs::read_to_string(&demo).unwrap()).unwrap();
    assert_eq!(
        first_v["features"].as_array().unwrap().len(),
        source["features"].as_array().unwrap().len()
    );

    let dir = tempfile::tempdir().unwrap();
    let exported = dir.path().join("export.geojson");
    std::fs::write(&exported, &first).unwrap();
    // Importing the export into the same store changes nothing: the export lost nothing.
    let (code, _, err) = b.run(&["import", "services", exported.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(" 0 rows written"),
        "re-importing the export must write nothing: {err}"
    );

    // And into a fresh store, it exports identically (store-managed fields aside).
    let fresh = Backend::sqlite();
    let (code, _, err) = fresh.run(&["import", "services", exported.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (_, second, _) = fresh.run(&["export", "services"]);
    assert_eq!(strip_store_fields(&first), strip_store_fields(&second));

    // CSV: export, import into a fresh store, export again: identical text.
    let (code, csv1, err) = b.run(&["export", "services", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let csv_path = dir.path().join("export.csv");
    std::fs::write(&csv_path, &csv1).unwrap();
    let fresh = Backend::sqlite();
    // The CSV form carries no organisations: load them first from the GeoJSON export.
    let (code, _, err) = fresh.run(&["import", "services", exported.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = fresh.run(&["import", "services", csv_path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (_, csv2, _) = fresh.run(&["export", "services", "--format", "csv"]);
    assert_eq!(csv1, csv2);
}
on_both_backends!(round_trip, round_trips_the_demo_dataset);

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

#[test]
fn a_bad_dataset_is_reported_by_feature_and_field() {
    let b = Backend::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.geojson");
    std::fs::write(
        &path,
        r#"{"type":"FeatureCollection","bussola":{"organizations":[{"id":"org-a","name":"A"}]},"features":[
          {"type":"Feature","id":"loc-ok","geometry":{"type":"Point","coordinates":[12.2,45.4]},
           "properties":{"organization_id":"org-a","name":{"it":"Ok"},"address":{"comune_istat":"027042"},
             "services":[{"id":"svc-x","name":{"it":"X"},"categories":["no-such-need"],"cost":"cheap"}]}},
          {"type":"Feature","id":"loc-far","geometry":{"type":"Point","coordinates":[200,45.4]},
           "properties":{"organization_id":"org-zz","name":{"it":"Far"},"address":{"comune_istat":"27042"}}}
        ]}"#,
    )
    .unwrap();
    let (code, _, err) = b.run(&["import", "services", path.to_str().unwrap()]);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("feature 0 (loc-ok): properties.services[0].cost: unknown variant `cheap`"),
        "{err}"
    );
    assert!(
        err.contains("feature 1 (loc-far): geometry: longitude 200 is outside -180..180"),
        "{err}"
    );
    let (_, out, _) = b.run(&["export", "services"]);
    assert_eq!(features(&out).len(), 0, "nothing may be written");
}
