//! Golden files: the exact GeoJSON of representative queries through the real router, each
//! reviewed against independent sources (the demo GeoJSON, ../shared, the oracle's distances
//! and opening hours) before it is compared with `server/tests/golden/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::client::get;
use support::oracle::{self, demo_nearest};

/// The features of a FeatureCollection, or the one Feature.
fn features(v: &Value) -> Vec<&Value> {
    match v["features"].as_array() {
        Some(a) => a.iter().collect(),
        None => vec![v],
    }
}

/// Each service's `open_now` and `next_change`, and each sportello's `open_now`, against the
/// oracle's evaluation of the demo data's schedule. The request happened between `t0` and
/// `t1`; where the oracle's answer changes in between, either is accepted.
fn check_open_states(
    v: &Value,
    demo: &Value,
    t0: chrono::DateTime<chrono::Utc>,
    t1: chrono::DateTime<chrono::Utc>,
) -> usize {
    let mut checked = 0;
    for f in features(v) {
        let p = &f["properties"];
        // A sportello with embedded services, or one services item (`loc~svc`).
        let (sportello_id, services): (&str, Vec<&Value>) = match p["services"].as_array() {
            Some(list) => (f["id"].as_str().unwrap(), list.iter().collect()),
            None => (p["sportello"]["id"].as_str().unwrap(), vec![p]),
        };
        let mut any_open = [false, false];
        let comune = oracle::sportello(demo, sportello_id)["properties"]["address"]["comune_istat"]
            .as_str()
            .unwrap();
        for s in services {
            let schedule =
                &oracle::service(demo, sportello_id, s["id"].as_str().unwrap())["schedule"];
            let open = [
                oracle::open_in(schedule, comune, t0),
                oracle::open_in(schedule, comune, t1),
            ];
            let next = [
                oracle::next_change(schedule, comune, t0),
                oracle::next_change(schedule, comune, t1),
            ];
            any_open = [any_open[0] || open[0], any_open[1] || open[1]];
            let got_open = s["open_now"].as_bool().unwrap();
            assert!(
                open.contains(&got_open),
                "{sportello_id}/{}: open_now {got_open}, oracle {open:?}",
                s["id"]
            );
            let got_next = match &s["next_change"] {
                Value::Null => None,
                n => Some((
                    chrono::DateTime::parse_from_rfc3339(n["at"].as_str().unwrap())
                        .unwrap()
                        .with_timezone(&chrono::Utc),
                    n["opens"].as_bool().unwrap(),
                )),
            };
            assert!(
                next.contains(&got_next),
                "{sportello_id}/{}: next_change {got_next:?}, oracle {next:?}",
                s["id"]
            );
            checked += 1;
        }
        if p["services"].is_array() {
            let got = p["open_now"].as_bool().unwrap();
            assert!(
                any_open.contains(&got),
                "{sportello_id}: open_now {got}, oracle {any_open:?}"
            );
        }
    }
    checked
}

/// The fields that fall back, from the demo data: every translated field without `lang`
/// falls back to Italian, else English.
fn expected_fallback(texts: &[(&str, &Value)], lang: &str) -> Value {
    let mut out = serde_json::Map::new();
    for (field, t) in texts {
        let Some(t) = t.as_object() else { continue };
        if t.is_empty() || t.contains_key(lang) {
            continue;
        }
        let to = if t.contains_key("it") { "it" } else { "en" };
        out.insert((*field).into(), Value::String(to.into()));
    }
    Value::Object(out)
}

fn check_fallbacks(v: &Value, demo: &Value, lang: &str) {
    for f in features(v) {
        let id = f["id"].as_str().unwrap();
        let d = &oracle::sportello(demo, id)["properties"];
        let want = expected_fallback(
            &[
                ("name", &d["name"]),
                ("description", &d["description"]),
                ("accessibility", &d["accessibility"]),
            ],
            lang,
        );
        let got = f["properties"]
            .get("fallback")
            .cloned()
            .unwrap_or(Value::Object(Default::default()));
        assert_eq!(got, want, "{id}: fallback");
        for s in f["properties"]["services"].as_array().unwrap() {
            let ds = oracle::service(demo, id, s["id"].as_str().unwrap());
            let want = expected_fallback(
                &[
                    ("name", &ds["name"]),
                    ("description", &ds["description"]),
                    ("documents", &ds["documents"]),
                    ("cost_note", &ds["cost_note"]),
                    ("schedule_note", &ds["schedule"]["note"]),
                ],
                lang,
            );
            let got = s
                .get("fallback")
                .cloned()
                .unwrap_or(Value::Object(Default::default()));
            assert_eq!(got, want, "{id}/{}: fallback", s["id"]);
        }
    }
}

/// Every field of `got` that the demo record `want` also has is `want`'s value, in English
/// where translated (numbers compared as numbers); returns how many leaf values were compared.
fn same_as_in_english(got: &Value, want: &Value, path: &str) -> usize {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) if w.contains_key("en") && !g.contains_key("en") => {
            panic!("{path}: an object where the English text was expected")
        }
        (Value::String(g), Value::Object(w)) => {
            assert_eq!(
                Some(g),
                w.get("en")
                    .and_then(Value::as_str)
                    .map(String::from)
                    .as_ref(),
                "{path}"
            );
            1
        }
        (Value::Object(g), Value::Object(w)) => g
            .iter()
            .filter(|(k, _)| w.contains_key(*k))
            .map(|(k, gv)| same_as_in_english(gv, &w[k], &format!("{path}.{k}")))
            .sum(),
        (Value::Array(g), Value::Array(w)) => {
            assert_eq!(g.len(), w.len(), "{path}: length");
            g.iter()
                .zip(w)
                .enumerate()
                .map(|(i, (gv, wv))| same_as_in_english(gv, wv, &format!("{path}[{i}]")))
                .sum()
        }
        (Value::Number(g), Value::Number(w)) => {
            assert_eq!(g.as_f64(), w.as_f64(), "{path}");
            1
        }
        (g, w) => {
            assert_eq!(g, w, "{path}");
            1
        }
    }
}

/// Every position of a (Multi)Polygon, ring closures dropped, sorted: the same set whatever
/// the winding order or the ring's starting point.
fn positions(geometry: &Value) -> Vec<(f64, f64)> {
    let polygons: Vec<&Value> = match geometry["type"].as_str().unwrap() {
        "Polygon" => vec![&geometry["coordinates"]],
        _ => geometry["coordinates"].as_array().unwrap().iter().collect(),
    };
    let mut out = Vec::new();
    for poly in polygons {
        for ring in poly.as_array().unwrap() {
            let ring = ring.as_array().unwrap();
            for p in &ring[..ring.len() - 1] {
                out.push((p[0].as_f64().unwrap(), p[1].as_f64().unwrap()));
            }
        }
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    out
}

/// Golden files: the exact GeoJSON of representative queries. Blanked are only what depends
/// on the clock — the response's `timeStamp`, each record's `updated` (when the demo data was
/// loaded), the open states and next changes (checked here against the oracle at the moment
/// of the request) — and the comuni boundaries (checked here against ../shared, which is not
/// copied into the repository). Distances, fallbacks and counts are checked against the demo
/// GeoJSON too. Only `BLESS=1` rewrites the files; review the diff.
#[tokio::test]
async fn golden_geojson() {
    let (_d, app) = support::demo_app().await;
    let demo = oracle::demo();
    fn redact(v: &mut Value) {
        match v {
            Value::Object(m) => {
                for k in ["timeStamp", "updated", "open_now", "next_change"] {
                    if m.contains_key(k) {
                        m.insert(k.into(), Value::String("…".into()));
                    }
                }
                if m.get("type") == Some(&Value::String("MultiPolygon".into())) {
                    m.insert(
                        "coordinates".into(),
                        Value::String(
                            "(boundary from ../shared, checked by the test, not copied)".into(),
                        ),
                    );
                }
                m.values_mut().for_each(redact);
            }
            Value::Array(a) => a.iter_mut().for_each(redact),
            _ => {}
        }
    }
    let bless = std::env::var("BLESS").as_deref() == Ok("1");
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut states = 0;
    for (name, uri) in [
        (
            "nearest_legal_aid_mestre",
            "/api/collections/sportelli/items?near=12.2381,45.4903&limit=3&category=legal-aid",
        ),
        (
            "sportello_in_arabic",
            "/api/collections/sportelli/items/loc-questura-venezia-immigrazione?lang=ar",
        ),
        (
            "paid_services",
            "/api/collections/services/items?filter=cost%3D%27paid%27&limit=3",
        ),
        (
            "project_passi_en",
            "/api/collections/projects/items/prj-passi?lang=en",
        ),
        (
            "comune_dolo",
            "/api/collections/comuni/items?filter=name%3D%27Dolo%27",
        ),
    ] {
        let t0 = chrono::Utc::now();
        let mut v = get(&app, uri).await.json();
        let t1 = chrono::Utc::now();
        match name {
            "nearest_legal_aid_mestre" => {
                let want = demo_nearest(&demo, (12.2381, 45.4903), Some("legal-aid"));
                for (f, (d, id)) in features(&v).into_iter().zip(&want) {
                    assert_eq!(f["id"], id.as_str());
                    let got = f["properties"]["distance_m"].as_f64().unwrap();
                    assert!((got - d).abs() <= 0.05 + 1e-9, "{id}: {got} vs {d}");
                }
                assert_eq!(features(&v).len(), 3);
                check_fallbacks(&v, &demo, "it");
            }
            "sportello_in_arabic" => check_fallbacks(&v, &demo, "ar"),
            "project_passi_en" => {
                let want = demo["bussola"]["projects"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|p| p["id"] == "prj-passi")
                    .unwrap();
                let compared = same_as_in_english(&v["properties"], want, "prj-passi");
                assert!(compared >= 10, "compared {compared} fields of prj-passi");
            }
            "comune_dolo" => {
                let shared: Value = serde_json::from_str(
                    &std::fs::read_to_string(support::shared_data(
                        "istat-boundaries/limits_P_27_municipalities.geojson",
                    ))
                    .unwrap(),
                )
                .unwrap();
                let dolo = shared["features"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|f| f["properties"]["name"] == "Dolo")
                    .unwrap();
                let f = features(&v)[0];
                assert_eq!(f["id"], dolo["properties"]["com_istat_code"]);
                let (got, want) = (positions(&f["geometry"]), positions(&dolo["geometry"]));
                assert!(want.len() > 50);
                assert_eq!(got, want, "Dolo's boundary is the shared one");
                let in_dolo = oracle::public_sportelli(&demo)
                    .into_iter()
                    .filter(|s| s["properties"]["address"]["comune_istat"] == "027012")
                    .count();
                assert_eq!(f["properties"]["sportelli"], in_dolo);
            }
            _ => {}
        }
        states += check_open_states_if_any(&v, &demo, t0, t1);
        redact(&mut v);
        let text = serde_json::to_string_pretty(&v).unwrap() + "\n";
        let path = dir.join(format!("{name}.json"));
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else {
            let want = std::fs::read_to_string(&path)
                .unwrap_or_else(|_| panic!("missing {}: run with BLESS=1", path.display()));
            assert_eq!(
                text, want,
                "{name} changed; if intended, re-run with BLESS=1 and review the diff"
            );
        }
    }
    assert!(states >= 7, "open states checked for {states} services");
}

/// The open states of sportelli and services answers; 0 for other collections.
fn check_open_states_if_any(
    v: &Value,
    demo: &Value,
    t0: chrono::DateTime<chrono::Utc>,
    t1: chrono::DateTime<chrono::Utc>,
) -> usize {
    let has_states = features(v)
        .iter()
        .any(|f| f["properties"].get("open_now").is_some());
    if has_states {
        check_open_states(v, demo, t0, t1)
    } else {
        0
    }
}
