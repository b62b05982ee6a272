//! What the command line leaves in the store and says about it: after an import the SQLite
//! file alone is the whole database (the write-ahead log is checkpointed on exit, errors
//! included), and an unreachable PostgreSQL is reported at once, by its address.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};
use support::Backend;

fn wal_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("-wal") || n.contains("-shm"))
        .collect()
}

#[test]
fn after_an_import_the_sqlite_file_alone_holds_everything() {
    let b = Backend::sqlite();
    let demo = support::repo_file("data/demo/venezia.geojson");
    let (code, _, err) = b.run(&["import", "services", demo.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let Backend::Sqlite(data) = &b else {
        unreachable!()
    };
    let (_, first, _) = b.run(&["export", "services"]);
    // A failed command closes the store too: a rejected file after the import.
    let bad = data.path().join("bad.geojson");
    std::fs::write(&bad, "{\"type\": \"FeatureCollection\", \"features\": 7}").unwrap();
    let (code, _, _) = b.run(&["import", "services", bad.to_str().unwrap()]);
    assert_eq!(code, 3);
    assert!(
        wal_files(data.path()).is_empty(),
        "the WAL must be checkpointed and removed: {:?}",
        wal_files(data.path())
    );

    // Copy the main file alone to another data dir: every record is there.
    let copy = Backend::sqlite();
    let Backend::Sqlite(copy_dir) = &copy else {
        unreachable!()
    };
    std::fs::copy(
        data.path().join("bussola.sqlite3"),
        copy_dir.path().join("bussola.sqlite3"),
    )
    .unwrap();
    let (code, second, err) = copy.run(&["export", "services"]);
    assert_eq!(code, 0, "{err}");
    let count = |t: &str| {
        serde_json::from_str::<serde_json::Value>(t).unwrap()["features"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(count(&second), 69);
    assert_eq!(first, second);
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
