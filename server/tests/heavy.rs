//! Heavy requests against the real binary over 100,000 generated sportelli (`bench/gen.py`,
//! the benchmark's own dataset, imported through the CLI into an embedded store): a CQL2
//! `LIKE` with 30 wildcards answers within a budget while `/healthz` stays responsive; the
//! deadline stops a query for real; past the cap heavy requests get 503 with `Retry-After`;
//! large pages are streamed byte for byte as the small pages would write them; 200 clients
//! that never read leave the server's memory bounded; the bundle is built once per revision.
//!
//! Figures printed here (`--nocapture`) are the ones BENCHMARKS.md quotes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/served.rs"]
mod served;
mod support;

use served::{get, Served};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

fn rss_mb(s: &Served) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", s.child.id()))
        .expect("read /proc status");
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS");
    kb / 1024.0
}

/// The value of a Prometheus counter or gauge (summed over its labels), 0 when absent.
fn metric(s: &Served, name: &str) -> f64 {
    get(s.port, "/metrics", &[])
        .text()
        .lines()
        .filter(|l| l.starts_with(name) && !l.starts_with('#'))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// Generates and imports the benchmark's 100,000 sportelli into `dir` (embedded store).
fn dataset(dir: &Path) {
    let started = Instant::now();
    let gen = dir.join("gen");
    let status = std::process::Command::new("python3")
        .arg(support::repo_file("bench/gen.py"))
        .arg(&gen)
        .arg("100000")
        .arg(support::shared_data(
            "istat-boundaries/limits_R_5_municipalities.geojson",
        ))
        .stdout(Stdio::null())
        .status()
        .expect("python3 bench/gen.py");
    assert!(status.success(), "bench/gen.py failed");
    let out = std::process::Command::new(support::bin())
        .env_remove("BUSSOLA_DATABASE_URL")
        .env("BUSSOLA_DEMO", "never")
        .env("BUSSOLA_LOG", "warn")
        .env("BUSSOLA_DATA_DIR", dir)
        .args(["import", "services"])
        .arg(gen.join("services.geojson"))
        .output()
        .expect("bussola import");
    assert!(
        out.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!(
        "generated and imported 100,000 sportelli in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// `filter=` value, percent-encoded.
fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The features of a collection answer.
fn features(r: &served::Reply) -> Vec<serde_json::Value> {
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["features"].as_array().expect("features").clone()
}

#[test]
fn heavy_requests_over_100000_sportelli() {
    let dir = tempfile::tempdir().expect("temp dir");
    dataset(dir.path());
    // Heavy requests queue for a slot as long as they need here, so that every one of the 200
    // slow readers below really gets its page streamed (none is turned away by the cap).
    let server = served::spawn(dir.path(), &[("BUSSOLA_HEAVY_WAIT_MS", "60000")], &[]);
    let port = server.port;

    // 1. LIKE with 30 wildcards, two at once, while /healthz is polled.
    let pattern = format!("name LIKE '{}x'", "%".repeat(30));
    let path = format!(
        "/api/collections/sportelli/items?limit=10&filter={}",
        enc(&pattern)
    );
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let poller = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut worst = Duration::ZERO;
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let t = Instant::now();
                assert_eq!(get(port, "/healthz", &[]).status, 200);
                worst = worst.max(t.elapsed());
                n += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            (worst, n)
        })
    };
    let t = Instant::now();
    let likes: Vec<_> = (0..2)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || get(port, &path, &[]))
        })
        .collect();
    for h in likes {
        let r = h.join().expect("join");
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["type"], "FeatureCollection");
    }
    let like_time = t.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (worst_health, polls) = poller.join().expect("poller");
    eprintln!(
        "two concurrent 30-wildcard LIKE queries over 100,000 sportelli: {:.0} ms; /healthz worst {:.1} ms over {polls} polls",
        like_time.as_secs_f64() * 1000.0,
        worst_health.as_secs_f64() * 1000.0
    );
    assert!(
        like_time < Duration::from_secs(3),
        "LIKE took {like_time:?}"
    );
    assert!(
        worst_health < Duration::from_millis(500),
        "/healthz took {worst_health:?} while LIKE ran"
    );
    assert!(polls > 0);
    // The 30-wildcard pattern means what '%a' means: the same count (names ending in "a",
    // like "… – Venezia", are many; the count is checked not to be empty).
    let count = |filter: &str| {
        let r = get(
            port,
            &format!(
                "/api/collections/sportelli/items?limit=1&filter={}",
                enc(filter)
            ),
            &[],
        );
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["numberMatched"].as_u64().expect("numberMatched")
    };
    let ends_in_a = count("name LIKE '%a'");
    assert!(ends_in_a > 1000, "{ends_in_a}");
    assert_eq!(
        count(&format!("name LIKE '{}a'", "%".repeat(30))),
        ends_in_a
    );
    assert_eq!(count(&pattern), 0);

    // 2. A large page is streamed; its features are those of the small pages written whole.
    for (collection, big, pages) in [("sportelli", 1000, 10), ("services", 300, 3)] {
        let bbox = "bbox=11.5,45.0,12.6,45.8";
        let r = get(
            port,
            &format!("/api/collections/{collection}/items?{bbox}&limit={big}"),
            &[],
        );
        assert_eq!(
            r.header("transfer-encoding"),
            Some("chunked"),
            "a {big}-feature page is streamed"
        );
        assert_eq!(r.json()["numberReturned"], big);
        let streamed = features(&r);
        assert_eq!(streamed.len(), big);
        let mut whole = Vec::new();
        for page in 0..pages {
            let r = get(
                port,
                &format!(
                    "/api/collections/{collection}/items?{bbox}&limit=100&offset={}",
                    page * 100
                ),
                &[],
            );
            assert!(
                r.header("content-length").is_some(),
                "small pages are whole"
            );
            whole.extend(features(&r));
        }
        assert_eq!(streamed, whole, "{collection}");
    }

    // 3. 200 clients ask for 10,000-feature pages and never read. The pages are read once in
    // full first, so the pre-rendered features they hold are cached and what grows below is
    // what the open responses themselves hold.
    for page in 0..9 {
        let r = get(
            port,
            &format!(
                "/api/collections/sportelli/items?limit=10000&offset={}",
                page * 10_000
            ),
            &[],
        );
        assert_eq!(features(&r).len(), 10_000);
    }
    let before = rss_mb(&server);
    let slow: Vec<TcpStream> = (0..200)
        .map(|i| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
            write!(
                s,
                "GET /api/collections/sportelli/items?limit=10000&offset={} HTTP/1.1\r\nHost: x\r\n\r\n",
                (i % 9) * 10_000
            )
            .unwrap();
            s
        })
        .collect();
    // Each reads its status line only (a few bytes), then never reads again.
    let mut slow = slow;
    for s in &mut slow {
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let mut status = [0u8; 12];
        s.read_exact(&mut status).expect("status line");
        assert_eq!(&status, b"HTTP/1.1 200", "a slow reader was not served");
    }
    std::thread::sleep(Duration::from_secs(5));
    let mut peak = rss_mb(&server);
    let t = Instant::now();
    let r = get(
        port,
        "/api/collections/sportelli/items?limit=20&near=12.24,45.49",
        &[],
    );
    let normal = t.elapsed();
    assert_eq!(r.status, 200);
    std::thread::sleep(Duration::from_secs(2));
    peak = peak.max(rss_mb(&server));
    eprintln!(
        "200 clients that never read 10,000-feature pages: RSS {before:.0} MB before, {peak:.0} MB with them open (+{:.0} MB); a nearest-20 query meanwhile took {:.1} ms",
        peak - before,
        normal.as_secs_f64() * 1000.0
    );
    assert!(
        peak - before < 250.0,
        "RSS grew by {:.0} MB with 200 slow readers",
        peak - before
    );
    assert!(
        normal < Duration::from_secs(1),
        "normal request took {normal:?}"
    );
    drop(slow);

    // 4. The bundle is built once per revision; GET, HEAD and every encoding reuse it.
    assert_eq!(metric(&server, "bussola_bundle_builds_total"), 0.0);
    let t = Instant::now();
    let gz = get(port, "/api/bundle", &[("Accept-Encoding", "gzip")]);
    let first = t.elapsed();
    assert_eq!(gz.status, 200);
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    let tag = gz.header("etag").expect("etag").to_string();
    let t = Instant::now();
    let br = get(
        port,
        "/api/bundle",
        &[("Accept-Encoding", "br;q=1, gzip;q=0.5")],
    );
    let second = t.elapsed();
    assert_eq!(br.header("content-encoding"), Some("br"));
    let plain = get(port, "/api/bundle", &[]);
    assert_eq!(plain.header("content-encoding"), None);
    let head = served::raw(
        port,
        format!("HEAD /api/bundle HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
    .expect("HEAD");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("etag"), Some(tag.as_str()));
    assert_eq!(
        get(port, "/api/bundle", &[("If-None-Match", &tag)]).status,
        304
    );
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gz.body[..])
        .read_to_end(&mut unzipped)
        .expect("gunzip");
    let mut unbr = Vec::new();
    brotli::Decompressor::new(&br.body[..], 4096)
        .read_to_end(&mut unbr)
        .expect("brotli");
    assert!(unzipped == plain.body, "gzip bundle differs");
    assert!(unbr == plain.body, "brotli bundle differs");
    assert_eq!(features(&plain).len(), 100_000);
    assert_eq!(metric(&server, "bussola_bundle_builds_total"), 1.0);
    eprintln!(
        "bundle of 100,000 sportelli: {} bytes ({} gzip, {} br); first request (builds and compresses) {:.0} ms, next {:.1} ms",
        plain.body.len(),
        gz.body.len(),
        br.body.len(),
        first.as_secs_f64() * 1000.0,
        second.as_secs_f64() * 1000.0
    );
    drop(server);

    // 5. A deadline of 1 ms stops a CQL2 query (503 problem+json, Retry-After); with one
    // heavy slot and no waiting, concurrent heavy requests beyond it are turned away.
    let strict = served::spawn(
        dir.path(),
        &[
            ("BUSSOLA_QUERY_DEADLINE_MS", "1"),
            ("BUSSOLA_HEAVY_REQUESTS", "1"),
            ("BUSSOLA_HEAVY_WAIT_MS", "0"),
        ],
        &[],
    );
    let port = strict.port;
    let heavy = format!(
        "/api/collections/sportelli/items?filter={}",
        enc("name LIKE '%a%e%'")
    );
    let t = Instant::now();
    let r = get(port, &heavy, &[]);
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "the deadline did not stop the query"
    );
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    assert_eq!(r.header("retry-after"), Some("1"));
    let problem = r.json();
    assert_eq!(problem["status"], 503);
    assert!(
        problem["type"].as_str().unwrap().ends_with("/timeout"),
        "{problem}"
    );
    let results: Vec<(u16, String)> = (0..16)
        .map(|_| {
            let heavy = heavy.clone();
            std::thread::spawn(move || {
                let r = get(port, &heavy, &[]);
                (
                    r.status,
                    r.json()["type"].as_str().unwrap_or("").to_string(),
                )
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    assert!(results.iter().all(|(s, _)| *s == 503), "{results:?}");
    assert!(
        results.iter().any(|(_, t)| t.ends_with("/overloaded")),
        "no request was turned away by the cap: {results:?}"
    );
    assert!(
        metric(
            &strict,
            "bussola_rejected_requests_total{reason=\"deadline\"}"
        ) >= 1.0
    );
    // The cheap path is untouched by the heavy cap.
    let r = get(
        port,
        "/api/collections/sportelli/items?limit=20&near=12.24,45.49",
        &[],
    );
    assert_eq!(r.status, 200);
}
