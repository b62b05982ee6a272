//! Shared test helpers: real stores (a fresh SQLite file, a fresh PostGIS database cloned from
//! the template the test script prepares), the real binary, and the shared public datasets.
#![allow(dead_code)]

pub mod client;
pub mod editing;
pub mod oracle;
pub mod serving;

use bussola::store::{self, Store};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// A file under `../shared/data/` (the read-only public datasets beside the repo).
pub fn shared_data(rel: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data")
        .join(rel);
    assert!(
        p.exists(),
        "missing shared dataset {} — the tests read ../shared/data beside the repository",
        p.display()
    );
    p
}

/// A file of this repository.
pub fn repo_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(rel)
}

/// A fresh embedded store in a temporary directory (kept alive by the returned guard).
pub async fn sqlite() -> (tempfile::TempDir, Arc<dyn Store>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
    let s = store::open(&url).await.expect("open sqlite");
    s.migrate().await.expect("migrate sqlite");
    (dir, s)
}

/// The PostGIS server URL the test script exported. The PostGIS half never skips silently.
pub fn pg_admin_url() -> String {
    std::env::var("BUSSOLA_TEST_PG_ADMIN_URL").expect(
        "BUSSOLA_TEST_PG_ADMIN_URL is not set: run the suite with ./scripts/test.sh, which starts a throwaway PostGIS",
    )
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh, uniquely named PostGIS database cloned from the template; returns its URL.
pub async fn pg_database() -> String {
    use sqlx::Connection;
    let admin = pg_admin_url();
    let template =
        std::env::var("BUSSOLA_TEST_PG_TEMPLATE").unwrap_or_else(|_| "bussola_template".into());
    let name = format!(
        "t_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        chrono::Utc::now().timestamp_micros() % 1_000_000
    );
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("connect to the PostGIS admin database");
    // CREATE DATABASE … TEMPLATE fails if another session is using the template at that moment.
    for attempt in 0..50 {
        match sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .execute(&mut conn)
            .await
        {
            Ok(_) => break,
            Err(e) if attempt < 49 && e.to_string().contains("being accessed") => {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await
            }
            Err(e) => panic!("cannot create test database: {e}"),
        }
    }
    let base = url::Url::parse(&admin).expect("admin URL");
    let mut u = base.clone();
    u.set_path(&format!("/{name}"));
    u.to_string()
}

/// A fresh PostGIS store, migrated.
pub async fn postgres() -> Arc<dyn Store> {
    let url = pg_database().await;
    let s = store::open(&url).await.expect("open postgres");
    s.migrate().await.expect("migrate postgres");
    s
}

/// Path of the real `bussola` binary built for this test run.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_bussola"))
}

/// A free loopback port.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Where a spawned `bussola` keeps its data.
pub enum Backend {
    Sqlite(tempfile::TempDir),
    Postgres(String),
}

impl Backend {
    pub fn sqlite() -> Self {
        Backend::Sqlite(tempfile::tempdir().expect("temp dir"))
    }
    pub async fn postgres() -> Self {
        Backend::Postgres(pg_database().await)
    }
    /// The real binary, pointed at this backend, demo data off, quiet logs.
    pub fn command(&self) -> std::process::Command {
        let mut c = std::process::Command::new(bin());
        c.env_remove("BUSSOLA_DATABASE_URL")
            .env("BUSSOLA_DEMO", "never")
            .env("BUSSOLA_LOG", "warn");
        match self {
            Backend::Sqlite(dir) => c.env("BUSSOLA_DATA_DIR", dir.path()),
            Backend::Postgres(url) => c.env("BUSSOLA_DATABASE_URL", url),
        };
        c
    }
    /// Runs `bussola ARGS…` and returns (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = self.command().args(args).output().expect("run bussola");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

/// Runs the body once on a fresh SQLite backend and once on a fresh PostGIS backend.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread")]
            async fn sqlite() {
                super::$body(super::support::Backend::sqlite()).await;
            }
            #[tokio::test(flavor = "multi_thread")]
            async fn postgis() {
                super::$body(super::support::Backend::postgres().await).await;
            }
        }
    };
}

/// The real application (router over a directory on a fresh SQLite store) loaded with the
/// demo dataset and the Venice comuni boundaries from ../shared.
pub async fn demo_app() -> (tempfile::TempDir, axum::Router) {
    use bussola::store::ChangeSet;
    let dir = tempfile::tempdir().expect("temp dir");
    let config = test_config(dir.path());
    let directory = bussola::startup::open_directory(&config)
        .await
        .expect("open directory");
    let text = std::fs::read_to_string(shared_data(
        "istat-boundaries/limits_P_27_municipalities.geojson",
    ))
    .unwrap();
    let comuni = bussola::import::parse_comuni(&text, &Default::default()).unwrap();
    directory
        .apply(&ChangeSet {
            comuni,
            ..Default::default()
        })
        .await
        .unwrap();
    (dir, bussola::api::router(directory, &config))
}

/// The real application on `b` (a fresh SQLite directory or a fresh PostGIS database),
/// loaded at start-up with the demo dataset and the shipped territory, as `bussola serve`
/// starts on an empty store.
pub async fn demo_app_on(b: &Backend) -> axum::Router {
    let (dir, url) = match b {
        Backend::Sqlite(dir) => (dir.path().to_path_buf(), None),
        Backend::Postgres(url) => (std::env::temp_dir(), Some(url.clone())),
    };
    let mut config = test_config(&dir);
    config.database_url = url.map(bussola::accounts::Secret::new);
    let directory = bussola::startup::open_directory(&config)
        .await
        .expect("open directory");
    bussola::api::router(directory, &config)
}

/// A configuration on an embedded store in `data_dir`, demo data on.
pub fn test_config(data_dir: &std::path::Path) -> bussola::config::Config {
    use clap::Parser;
    #[derive(Parser)]
    struct Args {
        #[command(flatten)]
        config: bussola::config::Config,
    }
    let mut c = Args::parse_from(["bussola"]).config;
    c.database_url = None;
    c.data_dir = data_dir.to_path_buf();
    c.demo = bussola::config::DemoMode::Auto;
    // Links come from the configured public URL, never from the request's Host.
    c.public_url = Some("http://bussola.test".parse().expect("public URL"));
    c
}
