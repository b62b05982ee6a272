//! Finding 17: an empty hours text is refused by the real CLI, naming the feature and the
//! field, and nothing is written; the demo data has none, and a closed period reads
//! `Mo-Su off` in the API.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::Backend;

async fn an_empty_hours_text_is_refused_and_nothing_is_written(b: Backend) {
    let mut demo: Value = support::oracle::demo();
    // The first sportello's first service gets a summer period with no hours text.
    let feature = &mut demo["features"][0];
    let id = feature["id"].as_str().unwrap().to_owned();
    let periods = feature["properties"]["services"][0]["schedule"]["periods"]
        .as_array_mut()
        .unwrap();
    periods.push(
        serde_json::json!({"valid_from": "2026-07-01", "valid_to": "2026-08-31", "hours": ""}),
    );
    let k = periods.len() - 1;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty-hours.geojson");
    std::fs::write(&path, demo.to_string()).unwrap();

    let (code, out, err) = b.run(&["import", "services", path.to_str().unwrap()]);
    assert_eq!(code, 3, "stdout: {out}\nstderr: {err}");
    let expected =
        format!("feature 0 ({id}): properties.services[0].schedule.periods[{k}].hours: is empty");
    assert!(
        err.contains(&expected),
        "the report must name the feature and the field:\n{err}"
    );
    let (code, out, err) = b.run(&["export", "services", "--format", "geojson"]);
    assert_eq!(code, 0, "{err}");
    let exported: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        exported["features"].as_array().map(Vec::len),
        Some(0),
        "nothing may be written"
    );
}

on_both_backends!(
    empty_hours,
    an_empty_hours_text_is_refused_and_nothing_is_written
);

#[test]
fn the_demo_data_has_no_empty_hours_text() {
    let demo = support::oracle::demo();
    let mut seen = 0;
    for f in demo["features"].as_array().unwrap() {
        for s in f["properties"]["services"].as_array().into_iter().flatten() {
            for p in s["schedule"]["periods"].as_array().into_iter().flatten() {
                let h = p["hours"].as_str().unwrap();
                assert!(!h.trim().is_empty(), "{}: empty hours", f["id"]);
                seen += 1;
            }
        }
    }
    assert!(seen > 0);
}

/// The demo's closed summer periods read `Mo-Su off` in the API (they read `""` before).
#[tokio::test]
async fn a_closed_period_reads_mo_su_off_in_the_api() {
    let (_dir, app) = support::demo_app().await;
    let v = support::client::get(&app, "/api/collections/sportelli/items?limit=1000")
        .await
        .json();
    let mut closed = 0;
    for f in v["features"].as_array().unwrap() {
        for s in f["properties"]["services"].as_array().unwrap() {
            for p in s["hours"].as_array().unwrap() {
                let h = p["hours"].as_str().unwrap();
                assert_ne!(h.trim(), "", "{} has an empty hours text", f["id"]);
                closed += usize::from(h == "Mo-Su off");
            }
        }
    }
    assert!(
        closed > 0,
        "the demo has closed periods; none reads Mo-Su off"
    );
}
