//! Readiness follows the store (finding 7), on a PostGIS cluster this test starts and stops
//! itself (never the shared test cluster): `/readyz` turns unready within a few seconds of
//! PostgreSQL stopping and ready again after it restarts, `/metrics` says so, and reads are
//! answered from the read model throughout.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/served.rs"]
mod served;
mod support;

use served::{get, Served};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

/// A throwaway cluster from `scripts/pg-cluster.sh`, stopped and deleted on drop.
struct Cluster {
    dir: PathBuf,
    url: String,
}

impl Cluster {
    fn start() -> Self {
        let dir = PathBuf::from(format!("/tmp/bussola-readyz-{}", std::process::id()));
        let script = support::repo_file("scripts/pg-cluster.sh");
        let out = Command::new("bash")
            .arg(&script)
            .arg("start")
            .arg(&dir)
            .output()
            .expect("run pg-cluster.sh");
        assert!(
            out.status.success(),
            "pg-cluster.sh start failed (PostgreSQL 15 + PostGIS are needed; scripts/install-deps.sh installs them):\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let env = std::fs::read_to_string(dir.join("env")).unwrap();
        let url = env
            .lines()
            .find_map(|l| l.strip_prefix("export BUSSOLA_TEST_DATABASE_URL="))
            .expect("database URL in env")
            .to_owned();
        Cluster { dir, url }
    }

    /// Runs `pg_ctl ARGS` as the cluster's owner.
    fn pg_ctl(&self, args: &[&str]) {
        let data = self.dir.join("data");
        let pg_ctl = format!("{PG_BIN}/pg_ctl");
        let mut cmd = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--", &pg_ctl]);
            c
        } else {
            Command::new(&pg_ctl)
        };
        let ok = cmd
            .arg("-D")
            .arg(&data)
            .args(args)
            .current_dir("/")
            .stdout(Stdio::null())
            .status()
            .expect("run pg_ctl")
            .success();
        assert!(ok, "pg_ctl {args:?} failed");
    }

    fn stop(&self) {
        self.pg_ctl(&["-m", "fast", "-w", "stop"]);
    }

    fn restart(&self) {
        let log = self.dir.join("server.log");
        self.pg_ctl(&["-l", log.to_str().unwrap(), "-w", "start"]);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(support::repo_file("scripts/pg-cluster.sh"))
            .arg("stop")
            .arg(&self.dir)
            .status();
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Polls `/readyz` until it answers `status`; returns how long that took.
fn until_readyz(s: &Served, status: u16, within: Duration) -> Duration {
    let start = Instant::now();
    loop {
        let r = get(s.port, "/readyz", &[]);
        if r.status == status {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < within,
            "/readyz still answers {} after {within:?}: {}",
            r.status,
            r.text()
        );
        // Reads never stop, whatever the store does.
        let items = get(s.port, "/api/collections/sportelli/items?limit=5", &[]);
        assert_eq!(items.status, 200, "a read failed: {}", items.text());
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The metric's value once the probe has published `want` (within 5 s), else what it is.
fn metric(s: &Served, name: &str, want: f64) -> Option<f64> {
    let start = Instant::now();
    loop {
        let value = get(s.port, "/metrics", &[])
            .text()
            .lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse().ok());
        if value == Some(want) || start.elapsed() > Duration::from_secs(5) {
            return value;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn readyz_follows_postgres_down_and_up_while_reads_go_on() {
    let cluster = Cluster::start();
    let dir = tempfile::tempdir().unwrap();
    let s = served::spawn(
        dir.path(),
        &[
            ("BUSSOLA_DATABASE_URL", &cluster.url),
            ("BUSSOLA_STORE_PROBE_SECS", "1"),
        ],
        &[],
    );
    until_readyz(&s, 200, Duration::from_secs(5));
    assert_eq!(metric(&s, "bussola_store_up", 1.0), Some(1.0));
    assert_eq!(metric(&s, "bussola_replica_lag_revisions", 0.0), Some(0.0));
    let features = get(s.port, "/api/collections/sportelli/items?limit=5", &[]).json();
    assert_eq!(features["features"].as_array().unwrap().len(), 5);

    cluster.stop();
    let took = until_readyz(&s, 503, Duration::from_secs(5));
    eprintln!("unready {took:?} after PostgreSQL stopped");
    let r = get(s.port, "/readyz", &[]);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    let body = r.json();
    assert_eq!(body["status"], 503);
    assert!(body["detail"].as_str().unwrap().contains("store"), "{body}");
    assert_eq!(metric(&s, "bussola_store_up", 0.0), Some(0.0));
    assert_eq!(get(s.port, "/healthz", &[]).status, 200);

    cluster.restart();
    let took = until_readyz(&s, 200, Duration::from_secs(15));
    eprintln!("ready {took:?} after PostgreSQL restarted");
    assert_eq!(metric(&s, "bussola_store_up", 1.0), Some(1.0));
}
