//! One conformance suite, run unchanged against both backends: embedded SQLite and PostGIS.
//! Each case takes a fresh, migrated store.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use bussola::import::{parse_comuni, parse_dataset, ComuniOptions};
use bussola::model::{Dataset, Status};
use bussola::store::{ChangeSet, Store};
use std::sync::Arc;

fn fixture() -> Dataset {
    let text = r#"{
      "type": "FeatureCollection",
      "bussola": {
        "metadata": {"title": {"it": "Prova"}, "demo": true},
        "organizations": [
          {"id": "org-a", "name": "Associazione A (fictional)", "kind": "ngo", "fictional": true},
          {"id": "org-b", "name": "Comune B", "kind": "public"}
        ],
        "projects": [{"id": "prj-1", "title": {"it": "Progetto"}, "fund": "FAMI", "lead_organization_id": "org-b",
                      "territory": ["027042"], "phase": "closed", "service_ids": ["svc-lang"]}]
      },
      "features": [
        {"type": "Feature", "id": "loc-1", "geometry": {"type": "Point", "coordinates": [12.2381, 45.4903]},
         "properties": {"organization_id": "org-a", "name": {"it": "Sportello Uno", "en": "Desk One"},
           "address": {"street": "Via Roma 1", "postcode": "30172", "comune_istat": "027042"},
           "services": [
             {"id": "svc-lang", "organization_id": "org-a", "name": {"it": "Corso di italiano"}, "categories": ["italian-language"],
              "languages": ["it", "ar"], "cost": "free", "appointment_required": false,
              "schedule": {"periods": [{"valid_from": null, "valid_to": null, "hours": "Mo-Fr 09:00-12:00"}]}},
             {"id": "svc-legal", "name": {"it": "Consulenza legale"}, "categories": ["legal-aid"],
              "languages": ["it", "fr"], "cost": "free", "appointment_required": true,
              "schedule": {"periods": [{"valid_from": null, "valid_to": null, "hours": "Tu 14:00-17:00"}], "closed_on": ["2026-12-24"]}}
           ]}},
        {"type": "Feature", "id": "loc-2", "geometry": {"type": "Point", "coordinates": [12.3155, 45.4408]},
         "properties": {"organization_id": "org-b", "name": {"it": "Sportello Due"}, "status": "draft",
           "address": {"street": "", "postcode": "", "comune_istat": "027042"},
           "services": [
             {"id": "svc-lang", "organization_id": "org-a", "name": {"it": "Corso di italiano"}, "categories": ["italian-language"],
              "languages": ["it", "ar"], "cost": "free", "appointment_required": false,
              "schedule": {"periods": [{"valid_from": null, "valid_to": null, "hours": "Sa 09:00-12:00"}]}}
           ]}}
      ]
    }"#;
    parse_dataset(text).expect("fixture parses")
}

fn changes(d: Dataset) -> ChangeSet {
    ChangeSet {
        dataset: d,
        comuni: vec![],
        replace_services_of_locations: true,
        ..Default::default()
    }
}

/// Content only: what the store manages (version, timestamps) set aside.
fn content(d: &Dataset) -> serde_json::Value {
    let mut v = serde_json::to_value((
        &d.organizations,
        &d.locations,
        &d.services,
        &d.service_at_locations,
        &d.projects,
        &d.metadata,
    ))
    .unwrap();
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                for k in ["version", "created_at", "updated_at"] {
                    m.remove(k);
                }
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v
}

fn sorted(mut d: Dataset) -> Dataset {
    d.organizations.sort_by(|a, b| a.id.cmp(&b.id));
    d.locations.sort_by(|a, b| a.id.cmp(&b.id));
    d.services.sort_by(|a, b| a.id.cmp(&b.id));
    d.service_at_locations.sort_by(|a, b| a.id.cmp(&b.id));
    d.projects.sort_by(|a, b| a.id.cmp(&b.id));
    d
}

async fn empty_store_is_empty(s: Arc<dyn Store>) {
    assert!(s.is_empty().await.unwrap());
    assert_eq!(s.revision().await.unwrap(), 0);
    let snap = s.load().await.unwrap();
    assert!(snap.dataset.is_empty() && snap.comuni.is_empty());
    s.migrate().await.expect("migrations are idempotent");
}

async fn writes_read_back_equal(s: Arc<dyn Store>) {
    let d = fixture();
    let c = s.apply(&changes(d.clone())).await.unwrap();
    assert!(c.revision > 0 && c.rows_written > 0);
    assert!(!s.is_empty().await.unwrap());
    let snap = s.load().await.unwrap();
    assert_eq!(snap.revision, c.revision);
    assert_eq!(content(&sorted(snap.dataset.clone())), content(&sorted(d)));
    for l in &snap.dataset.locations {
        assert_eq!(l.meta.version, 1);
        assert!(l.meta.created_at.is_some() && l.meta.created_at == l.meta.updated_at);
    }
    assert!(s.metadata().await.unwrap().unwrap().is_demo());
}

async fn unchanged_records_keep_their_version(s: Arc<dyn Store>) {
    let d = fixture();
    let first = s.apply(&changes(d.clone())).await.unwrap();
    let again = s.apply(&changes(d)).await.unwrap();
    assert_eq!(
        again.rows_written, 0,
        "re-applying identical records writes nothing"
    );
    assert_eq!(again.revision, 0);
    assert_eq!(s.revision().await.unwrap(), first.revision);
    let snap = s.load().await.unwrap();
    assert!(snap.dataset.services.iter().all(|x| x.meta.version == 1));
}

async fn a_change_bumps_one_version_and_shows_in_the_delta(s: Arc<dyn Store>) {
    let mut d = fixture();
    let first = s.apply(&changes(d.clone())).await.unwrap();
    let svc = d
        .services
        .iter_mut()
        .find(|x| x.id.as_str() == "svc-legal")
        .unwrap();
    svc.languages.push("ur".into());
    let only = Dataset {
        services: vec![svc.clone()],
        ..Default::default()
    };
    let second = s
        .apply(&ChangeSet {
            dataset: only,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(second.revision > first.revision);
    let delta = s.changes_since(first.revision).await.unwrap();
    assert_eq!(delta.revision, second.revision);
    assert_eq!(delta.dataset.services.len(), 1);
    assert_eq!(delta.dataset.services[0].languages, vec!["it", "fr", "ur"]);
    assert_eq!(delta.dataset.services[0].meta.version, 2);
    assert!(delta.dataset.locations.is_empty() && delta.dataset.organizations.is_empty());
    assert!(s
        .changes_since(second.revision)
        .await
        .unwrap()
        .dataset
        .is_empty());
}

async fn replacing_a_sportello_archives_services_no_longer_offered(s: Arc<dyn Store>) {
    let d = fixture();
    s.apply(&changes(d.clone())).await.unwrap();
    let mut d2 = d.clone();
    d2.service_at_locations
        .retain(|x| !(x.location_id.as_str() == "loc-1" && x.service_id.as_str() == "svc-legal"));
    let c = s.apply(&changes(d2)).await.unwrap();
    assert!(c.rows_written >= 1);
    let snap = s.load().await.unwrap();
    let sal = snap
        .dataset
        .service_at_locations
        .iter()
        .find(|x| x.id.as_str() == "loc-1~svc-legal")
        .unwrap();
    assert_eq!(sal.meta.status, Status::Archived);
    assert_eq!(sal.meta.version, 2);
    let kept = snap
        .dataset
        .service_at_locations
        .iter()
        .find(|x| x.id.as_str() == "loc-1~svc-lang")
        .unwrap();
    assert_eq!(kept.meta.status, Status::Published);
}

async fn boundaries_round_trip_exactly(s: Arc<dyn Store>) {
    let text = std::fs::read_to_string(support::shared_data(
        "istat-boundaries/limits_P_27_municipalities.geojson",
    ))
    .unwrap();
    let comuni = parse_comuni(&text, &ComuniOptions::default()).unwrap();
    assert_eq!(comuni.len(), 44);
    s.apply(&ChangeSet {
        comuni: comuni.clone(),
        ..Default::default()
    })
    .await
    .unwrap();
    let snap = s.load().await.unwrap();
    assert_eq!(snap.comuni.len(), 44);
    for (a, b) in comuni.iter().zip(&snap.comuni) {
        assert_eq!(a.istat, b.istat);
        assert_eq!(a.name, b.name);
        assert_eq!(
            a.boundary, b.boundary,
            "boundary of {} changed in the store",
            a.name
        );
    }
    let again = s
        .apply(&ChangeSet {
            comuni,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(again.rows_written, 0);
}

async fn a_failed_commit_writes_nothing(s: Arc<dyn Store>, url: String) {
    use sqlx::Connection;
    let before = s.revision().await.unwrap();
    // Break the last table the commit writes, so the failure comes after earlier tables succeeded.
    async fn exec(url: &str, sql: &str) {
        if url.starts_with("postgres") {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query(sql).execute(&mut c).await.unwrap();
        } else {
            let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query(sql).execute(&mut c).await.unwrap();
        }
    }
    exec(&url, "ALTER TABLE project RENAME TO project_gone").await;
    let err = s.apply(&changes(fixture())).await;
    assert!(err.is_err(), "the commit must fail when a table is missing");
    exec(&url, "ALTER TABLE project_gone RENAME TO project").await;
    assert!(
        s.is_empty().await.unwrap(),
        "nothing of a failed commit may remain"
    );
    assert_eq!(s.revision().await.unwrap(), before);
    assert!(s.load().await.unwrap().dataset.is_empty());
}

async fn large_change_sets_are_chunked(s: Arc<dyn Store>) {
    let mut d = fixture();
    let template = d.locations[0].clone();
    for i in 0..5_000 {
        let mut l = template.clone();
        l.id = bussola::model::Id::parse(&format!("loc-bulk-{i:05}")).unwrap();
        d.locations.push(l);
    }
    let c = s.apply(&changes(d)).await.unwrap();
    assert!(c.rows_written >= 5_002);
    assert_eq!(s.load().await.unwrap().dataset.locations.len(), 5_002);
}

macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    let (_dir, s) = super::support::sqlite().await;
                    super::$case(s).await;
                }
            )*
            #[tokio::test]
            async fn a_failed_commit_writes_nothing() {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
                let s = bussola::store::open(&url).await.unwrap();
                s.migrate().await.unwrap();
                super::a_failed_commit_writes_nothing(s, url).await;
            }
        }
        mod postgis {
            $(
                #[tokio::test]
                async fn $case() {
                    let s = super::support::postgres().await;
                    assert_eq!(s.backend(), bussola::store::Backend::Postgres);
                    super::$case(s).await;
                }
            )*
            #[tokio::test]
            async fn a_failed_commit_writes_nothing() {
                let url = super::support::pg_database().await;
                let s = bussola::store::open(&url).await.unwrap();
                s.migrate().await.unwrap();
                super::a_failed_commit_writes_nothing(s, url).await;
            }
        }
    };
}

conformance!(
    empty_store_is_empty,
    writes_read_back_equal,
    unchanged_records_keep_their_version,
    a_change_bumps_one_version_and_shows_in_the_delta,
    replacing_a_sportello_archives_services_no_longer_offered,
    boundaries_round_trip_exactly,
    large_change_sets_are_chunked,
);
