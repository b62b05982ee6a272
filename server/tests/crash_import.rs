//! Crash safety of the CLI import, on both backends: the real `bussola import` of a large
//! generated file is killed (SIGKILL) while it commits. Reopened, the store holds all of that
//! file or nothing of it, records and history alike, never part; what an earlier import wrote
//! is intact; and a following `bussola serve` counts on `/readyz` what the store holds.
//!
//! "While it commits" is observed from outside, as an operator would see it: on SQLite the
//! write-ahead log growing past what anything but the import's transaction writes, on
//! PostgreSQL `pg_stat_activity` showing the import's transaction writing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/served.rs"]
mod served;
mod support;

use bussola::model::{Status, Visibility};
use bussola::store::{self, Store};
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::Backend;

/// Sportelli in the large file (one service each, so four records a sportello with its offer
/// and a share of the organisations): a commit of a few seconds on either backend.
const LARGE: usize = 30_000;

/// A dataset of `n` sportelli with ids starting `prefix`, in the shape of `bench/gen.py`.
fn dataset(prefix: &str, n: usize) -> String {
    let orgs: Vec<Value> = (0..20)
        .map(|i| json!({"id": format!("org-{prefix}-{i:02}"), "name": format!("Organizzazione {prefix} {i}"),
                        "kind": "ngo", "fictional": true}))
        .collect();
    let features: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "type": "Feature",
                "id": format!("loc-{prefix}-{i:06}"),
                "geometry": {"type": "Point", "coordinates": [12.2 + (i % 1000) as f64 * 1e-4, 45.4 + (i / 1000) as f64 * 1e-4]},
                "properties": {
                    "organization_id": format!("org-{prefix}-{:02}", i % 20),
                    "name": {"it": format!("Sportello {prefix} {i}"), "en": format!("Desk {prefix} {i}")},
                    "address": {"street": format!("Via Roma {}", i % 150 + 1), "postcode": "30100", "comune_istat": "027042"},
                    "phones": [{"number": format!("+39 041 {:07}", i)}],
                    "services": [{
                        "id": format!("svc-{prefix}-{i:06}"),
                        "name": {"it": format!("Servizio {i}"), "en": format!("Service {i}")},
                        "description": {"it": "Informazioni e accompagnamento; servizio di prova generato per il test."},
                        "categories": ["legal-aid"],
                        "languages": ["it", "en", "ar"],
                        "cost": "free",
                        "appointment_required": i % 3 == 0,
                        "schedule": {"periods": [{"valid_from": null, "valid_to": null, "hours": "Mo-Fr 09:00-12:30; Tu,Th 14:30-17:00"}]}
                    }]
                }
            })
        })
        .collect();
    json!({"type": "FeatureCollection", "bussola": {"organizations": orgs}, "features": features})
        .to_string()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_owned()
}

/// What the store holds: records of each kind, versions, and the revision.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
struct Held {
    records: [usize; 5],
    versions: usize,
    public_sportelli: usize,
    revision: i64,
}

async fn held(s: &Arc<dyn Store>) -> Held {
    let snap = s.load().await.unwrap();
    let d = &snap.dataset;
    let versions = s.edits().versions_since(0, 0).await.unwrap();
    Held {
        records: [
            d.organizations.len(),
            d.locations.len(),
            d.services.len(),
            d.service_at_locations.len(),
            d.projects.len(),
        ],
        versions: versions.len(),
        public_sportelli: d
            .locations
            .iter()
            .filter(|l| {
                l.meta.status == Status::Published && l.meta.visibility == Visibility::Public
            })
            .count(),
        revision: snap.revision,
    }
}

async fn open(b: &Backend) -> Arc<dyn Store> {
    let url = match b {
        Backend::Sqlite(dir) => {
            format!("sqlite://{}", dir.path().join("bussola.sqlite3").display())
        }
        Backend::Postgres(url) => url.clone(),
    };
    store::open(&url).await.expect("reopen the store")
}

/// How big the SQLite write-ahead log is (0 when absent: checkpointed away on close).
fn wal_bytes(dir: &Path) -> u64 {
    std::fs::metadata(dir.join("bussola.sqlite3-wal")).map_or(0, |m| m.len())
}

/// True while a session on the database at `url` is inside a transaction that has written
/// (it has a transaction id) and runs a statement.
async fn pg_writing(admin: &mut sqlx::PgConnection, url: &str) -> bool {
    let db = url.rsplit('/').next().unwrap().split('?').next().unwrap();
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND backend_xid IS NOT NULL \
         AND state <> 'idle'",
    )
    .bind(db)
    .fetch_one(admin)
    .await
    .unwrap();
    n > 0
}

/// Waits until the import is inside its commit, then kills it. Returns how long it ran.
async fn kill_while_committing(b: &Backend, child: &mut Child) -> Duration {
    let start = Instant::now();
    let mut admin = match b {
        Backend::Postgres(_) => {
            use sqlx::Connection;
            Some(
                sqlx::PgConnection::connect(&support::pg_admin_url())
                    .await
                    .unwrap(),
            )
        }
        Backend::Sqlite(_) => None,
    };
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the import ended ({status}) before it was seen committing: make LARGE larger");
        }
        let committing = match (b, admin.as_mut()) {
            // Past what SQLite's page cache holds (2 MB), the transaction spills to the log.
            (Backend::Sqlite(dir), _) => wal_bytes(dir.path()) > 4 * 1024 * 1024,
            (Backend::Postgres(url), Some(admin)) => pg_writing(admin, url).await,
            _ => unreachable!(),
        };
        if committing {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "the import never committed"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // A little further into the transaction, so more than the first statement is at stake.
    tokio::time::sleep(Duration::from_millis(200)).await;
    child.kill().expect("SIGKILL the import");
    let status = child.wait().unwrap();
    assert!(!status.success(), "the import was killed, not finished");
    start.elapsed()
}

/// `bussola serve` on the backend; its `/readyz` once ready.
fn readyz_of(b: &Backend) -> Value {
    let port = support::free_port();
    let child = b
        .command()
        .arg("serve")
        .env("BUSSOLA_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn bussola serve");
    let served = served::Served { child, port };
    served::wait_ready(&served, Duration::from_secs(120));
    served::get(port, "/readyz", &[]).json()
}

async fn a_killed_import_leaves_all_or_nothing(b: Backend) {
    let files = tempfile::tempdir().unwrap();
    let small = write(files.path(), "small.geojson", &dataset("s", 50));
    let large = write(files.path(), "large.geojson", &dataset("l", LARGE));
    let (code, _, err) = b.run(&["import", "services", &small]);
    assert_eq!(code, 0, "{err}");
    let s = open(&b).await;
    let before = held(&s).await;
    s.close().await;
    assert_eq!(before.records[1], 50);
    assert_eq!(before.versions, 20 + 50 * 3, "one version a record");
    if let Backend::Sqlite(dir) = &b {
        assert_eq!(
            wal_bytes(dir.path()),
            0,
            "a closed store checkpointed its log"
        );
    }

    let mut child = b
        .command()
        .args(["import", "services", &large])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn bussola import");
    let ran = kill_while_committing(&b, &mut child).await;

    let s = open(&b).await;
    let after = held(&s).await;
    s.close().await;
    let all = Held {
        records: [40, 50 + LARGE, 50 + LARGE, 50 + LARGE, 0],
        versions: before.versions + 20 + LARGE * 3,
        public_sportelli: 50 + LARGE,
        revision: before.revision + 1,
    };
    eprintln!("killed after {ran:?}: before {before:?}, after {after:?}");
    // On PostgreSQL a rolled-back commit burns its sequence value, so a whole import may
    // take a later revision than the next one.
    let whole = Held {
        revision: after.revision,
        ..all
    };
    assert!(
        after == before || (after == whole && after.revision > before.revision),
        "the store holds part of the killed import: before {before:?}, after {after:?}"
    );
    assert_eq!(
        after.versions,
        after.records.iter().sum::<usize>(),
        "history and records agree"
    );

    let ready = readyz_of(&b);
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["sportelli"], after.public_sportelli, "{ready}");
    assert_eq!(ready["revision"], after.revision, "{ready}");

    // The store is usable afterwards: the same file imports whole.
    let (code, _, err) = b.run(&["import", "services", &large]);
    assert_eq!(code, 0, "{err}");
    let s = open(&b).await;
    let again = held(&s).await;
    s.close().await;
    assert_eq!(again.records, all.records);
    assert_eq!(again.versions, all.versions);
}

on_both_backends!(killed_import, a_killed_import_leaves_all_or_nothing);
