//! What the command line leaves in the store and says about it: after an import the SQLite
//! file alone is the whole database (the write-ahead log is checkpointed on exit, errors
//! included), and an unreachable PostgreSQL is reported at once, by its address.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};
use support::Backend;

/// The write-ahead log's size: 0 when absent or checkpointed (truncated).
fn wal_bytes(dir: &std::path::Path) -> u64 {
    std::fs::metadata(dir.join("bussola.sqlite3-wal")).map_or(0, |m| m.len())
}

/// Runs the real import once into a fresh data dir (then, if `then_fail`, a rejected import)
/// and returns the number of sportelli a copy of `bussola.sqlite3` alone holds.
fn sportelli_in_a_copy_of_the_main_file(then_fail: bool) -> usize {
    let b = Backend::sqlite();
    let demo = support::repo_file("data/demo/venezia.geojson");
    let (code, _, err) = b.run(&["import", "services", demo.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let Backend::Sqlite(data) = &b else {
        unreachable!()
    };
    if then_fail {
        // A failed command closes the store too.
        let bad = data.path().join("bad.geojson");
        std::fs::write(&bad, "{\"type\": \"FeatureCollection\", \"features\": 7}").unwrap();
        let (code, _, _) = b.run(&["import", "services", bad.to_str().unwrap()]);
        assert_eq!(code, 3);
    }
    assert_eq!(wal_bytes(data.path()), 0, "the WAL must be checkpointed");
    let copy = Backend::sqlite();
    let Backend::Sqlite(copy_dir) = &copy else {
        unreachable!()
    };
    std::fs::copy(
        data.path().join("bussola.sqlite3"),
        copy_dir.path().join("bussola.sqlite3"),
    )
    .unwrap();
    let (code, out, err) = copy.run(&["export", "services"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str::<serde_json::Value>(&out).unwrap()["features"]
        .as_array()
        .unwrap()
        .len()
}

/// Without the explicit close, whether the pool's connections finish closing (and SQLite
/// checkpoints) before the process exits is a race, lost about one time in five here: so
/// the check runs twenty times.
#[test]
fn after_an_import_the_sqlite_file_alone_holds_everything() {
    // Every feature of the demo file (sportelli and reception centres, hidden ones too: the
    // CLI export is the whole store).
    let demo = support::repo_file("data/demo/venezia.geojson");
    let demo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(demo).unwrap()).unwrap();
    let features = demo["features"].as_array().unwrap().len();
    assert!(features > 60, "{features}");
    for i in 0..20 {
        assert_eq!(
            sportelli_in_a_copy_of_the_main_file(i % 2 == 1),
            features,
            "run {i}"
        );
    }
}

#[test]
fn an_unreachable_postgresql_is_named_at_once() {
    let port = support::free_port(); // bound and released: nothing listens there
    let b = Backend::Postgres(format!("postgres://bussola@127.0.0.1:{port}/bussola"));
    let demo = support::repo_file("data/demo/venezia.geojson");
    let started = Instant::now();
    let (code, _, err) = b.run(&["import", "services", demo.to_str().unwrap()]);
    let took = started.elapsed();
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!(
            "cannot connect to PostgreSQL at 127.0.0.1:{port}: connection refused"
        )),
        "{err}"
    );
    assert!(took < Duration::from_secs(3), "took {took:?}");
}
