//! `GET /api/stale` on both backends: an organisation of our own, with two sportelli (Venezia
//! and Chioggia) and a service at each whose per-field verified dates are written through the
//! store; what each kind of editor gets back is written out below by hand from those dates
//! and the default thresholds (hours 90, address 365, phone 180, languages 365, cost 180,
//! appointment 180 days). The anonymous public and a viewer are refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::Router;
use bussola::access::{Credential, Viewer};
use bussola::model::{rome_date, Dataset, Id, Role, Username};
use bussola::store::ChangeSet;
use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Europe::Rome;
use serde_json::{json, Value};
use support::client::get;
use support::Backend;

const ORG: &str = "org-fresh-test";

/// Noon in Rome `n` days ago, as a stored timestamp.
fn days_ago(n: i64) -> DateTime<Utc> {
    let d = rome_date(Utc::now()) - Duration::days(n);
    Rome.from_local_datetime(&d.and_hms_opt(12, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

fn dataset() -> Dataset {
    let sportello = |id: &str, comune: &str, meta: Value, services: Value| {
        json!({"type": "Feature", "id": id,
            "geometry": {"type": "Point", "coordinates": [12.3, 45.4]},
            "properties": {"organization_id": ORG, "name": {"it": format!("Sportello {id}")},
                "address": {"street": "Via Prova 1", "postcode": "30100", "comune_istat": comune},
                "phones": [{"number": "+39 041 000000"}],
                "services": services}})
        .as_object()
        .cloned()
        .map(|mut f| {
            let props = f["properties"].as_object_mut().unwrap();
            props.extend(meta.as_object().unwrap().clone());
            Value::Object(f)
        })
        .unwrap()
    };
    let service = |id: &str, verified: Value| {
        json!({"id": id, "name": {"it": format!("Servizio {id}")}, "categories": ["legal-aid"],
            "languages": ["it"], "verified": verified,
            "schedule": {"periods": [{"hours": "Mo-Fr 09:00-12:00"}]}})
    };
    let doc = json!({"type": "FeatureCollection",
    "bussola": {"format": "bussola-dataset/1",
        "organizations": [{"id": ORG, "name": "Fresh test", "kind": "ngo"}]},
    "features": [
        sportello("loc-fresh-a", "027042",
            json!({"verified": {"address": days_ago(10), "phone": days_ago(200)}}),
            json!([service("svc-fresh-a", json!({
                "languages": days_ago(5), "appointment": days_ago(190), "hours": days_ago(100)}))])),
        sportello("loc-fresh-b", "027008",
            json!({"last_verified_at": days_ago(400)}),
            json!([service("svc-fresh-b", json!({
                "languages": days_ago(1), "cost": days_ago(1), "appointment": days_ago(1)}))])),
    ]});
    bussola::import::parse_dataset(&doc.to_string()).expect("the test dataset parses")
}

async fn app_on(b: &Backend) -> Router {
    let (dir, url) = match b {
        Backend::Sqlite(dir) => (dir.path().to_path_buf(), None),
        Backend::Postgres(url) => (std::env::temp_dir(), Some(url.clone())),
    };
    let mut config = support::test_config(&dir);
    config.database_url = url.map(bussola::accounts::Secret::new);
    let directory = bussola::startup::open_directory(&config).await.unwrap();
    directory
        .apply(&ChangeSet {
            dataset: dataset(),
            ..Default::default()
        })
        .await
        .unwrap();
    bussola::api::router(directory, &config)
}

fn signed(role: Role) -> Viewer {
    Viewer::Signed {
        username: Username::parse("tester").unwrap(),
        roles: vec![role],
        via: Credential::Session,
    }
}

/// The entries as (id, field, age in days or null).
async fn stale_as(
    app: &Router,
    v: Option<Viewer>,
    query: &str,
) -> (u16, Vec<(String, String, Value)>) {
    let app = match v {
        Some(v) => app.clone().layer(axum::Extension(v)),
        None => app.clone(),
    };
    let r = get(&app, &format!("/api/stale{query}")).await;
    if r.status != 200 {
        return (r.status.as_u16(), Vec::new());
    }
    let body = r.json();
    let entries = body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap().to_owned(),
                e["field"].as_str().unwrap().to_owned(),
                e["age_days"].clone(),
            )
        })
        .collect();
    (200, entries)
}

/// The raw entries of the list `v` gets.
async fn entries(app: &Router, v: Viewer, query: &str) -> Vec<Value> {
    let app = app.clone().layer(axum::Extension(v));
    let r = get(&app, &format!("/api/stale{query}")).await;
    assert_eq!(r.status, 200);
    r.json()["entries"].as_array().unwrap().clone()
}

fn row(e: &Value) -> (String, String, Value) {
    (
        e["id"].as_str().unwrap().to_owned(),
        e["field"].as_str().unwrap().to_owned(),
        e["age_days"].clone(),
    )
}

fn want(rows: &[(&str, &str, Value)]) -> Vec<(String, String, Value)> {
    rows.iter()
        .map(|(id, f, age)| (id.to_string(), f.to_string(), age.clone()))
        .collect()
}

async fn the_stale_list_by_role(b: Backend) {
    let app = app_on(&b).await;
    let sal_a = "loc-fresh-a~svc-fresh-a";
    let sal_b = "loc-fresh-b~svc-fresh-b";
    let operator = signed(Role::Operator {
        organization: Id::parse(ORG).unwrap(),
    });
    // Never confirmed first (by kind: services, then offers), then oldest first.
    let all = want(&[
        ("svc-fresh-a", "cost", Value::Null),
        (sal_b, "hours", Value::Null),
        ("loc-fresh-b", "address", json!(400)),
        ("loc-fresh-b", "phone", json!(400)),
        ("loc-fresh-a", "phone", json!(200)),
        ("svc-fresh-a", "appointment", json!(190)),
        (sal_a, "hours", json!(100)),
    ]);
    assert_eq!(
        stale_as(&app, Some(operator.clone()), "").await,
        (200, all.clone())
    );
    let admin = signed(Role::Admin);
    assert_eq!(
        stale_as(&app, Some(admin.clone()), &format!("?organization={ORG}")).await,
        (200, all.clone())
    );
    // Unfiltered, the admin's list is the whole directory's: ours and whatever of the demo's
    // (confirmed on one day of October 2026) has aged past its threshold by now, each entry
    // past its threshold, never-confirmed first and oldest first.
    let whole = entries(&app, admin.clone(), "").await;
    for ours in &all {
        assert!(whole.iter().any(|e| row(e) == *ours), "{ours:?}");
    }
    for e in &whole {
        let age = e["age_days"].as_i64();
        let threshold = e["threshold_days"].as_i64().unwrap();
        assert!(age.is_none_or(|a| a > threshold), "{e}");
    }
    let order: Vec<Option<&str>> = whole.iter().map(|e| e["verified"].as_str()).collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
    let chioggia = signed(Role::Coordinator {
        comuni: vec!["027008".into()],
    });
    assert_eq!(
        stale_as(
            &app,
            Some(chioggia.clone()),
            &format!("?organization={ORG}")
        )
        .await,
        (
            200,
            want(&[
                (sal_b, "hours", Value::Null),
                ("loc-fresh-b", "address", json!(400)),
                ("loc-fresh-b", "phone", json!(400)),
            ])
        )
    );
    let in_chioggia = entries(&app, chioggia, "").await;
    assert!(in_chioggia.iter().any(|e| e["id"] == "loc-fresh-b"));
    let chioggia_only = json!("027008");
    assert!(in_chioggia
        .iter()
        .all(|e| e["comuni"].as_array().unwrap().contains(&chioggia_only)));
    assert_eq!(
        stale_as(
            &app,
            Some(admin.clone()),
            &format!("?organization={ORG}&comune=027042")
        )
        .await,
        (
            200,
            want(&[
                ("svc-fresh-a", "cost", Value::Null),
                ("loc-fresh-a", "phone", json!(200)),
                ("svc-fresh-a", "appointment", json!(190)),
                (sal_a, "hours", json!(100)),
            ])
        )
    );
    let other = signed(Role::Operator {
        organization: Id::parse("org-casa-comune").unwrap(),
    });
    let (status, theirs) = stale_as(&app, Some(other), "").await;
    assert_eq!(status, 200);
    assert!(!theirs.iter().any(|(id, _, _)| id.contains("fresh")));
    // The whole entry, once.
    let r = get(
        &app.clone().layer(axum::Extension(operator.clone())),
        "/api/stale?comune=027042",
    )
    .await;
    let phone = r.json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "phone")
        .cloned()
        .unwrap();
    assert_eq!(
        phone,
        json!({"kind": "location", "id": "loc-fresh-a", "name": "Sportello loc-fresh-a",
            "organization_id": ORG, "comuni": ["027042"], "field": "phone",
            "verified": rome_date(days_ago(200)).to_string(), "age_days": 200, "threshold_days": 180})
    );
    // Refused: the public, a viewer; a bad parameter names itself.
    assert_eq!(stale_as(&app, None, "").await.0, 403);
    let viewer = signed(Role::Viewer {
        comuni: vec!["027042".into()],
    });
    assert_eq!(stale_as(&app, Some(viewer), "").await.0, 403);
    let r = get(
        &app.clone().layer(axum::Extension(admin)),
        "/api/stale?comune=Venezia",
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["parameter"], "comune");
}

on_both_backends!(stale_list, the_stale_list_by_role);
