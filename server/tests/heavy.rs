//! Heavy requests against the real binary over 100,000 generated sportelli (`bench/gen.py`,
//! the benchmark's own dataset, imported through the CLI into an embedded store): a CQL2
//! `LIKE` with 30 wildcards answers within a budget while `/healthz` stays responsive; the
//! deadline stops a query for real; past the cap heavy requests get 503 with `Retry-After`;
//! large pages are streamed byte for byte as the small pages would write them; 200 clients
//! that never read leave the server's memory bounded; the bundle is built once per revision.
//!
//! Figures printed here (`--nocapture`) are the ones BENCHMARKS.md quotes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    base: String,
    log: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn rss_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("read /proc status");
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .expect("VmRSS");
        kb / 1024.0
    }
    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

fn start(data: &Path, name: &str, env: &[(&str, &str)]) -> Server {
    let port = support::free_port();
    let log = data.join(format!("{name}.log"));
    let mut cmd = std::process::Command::new(support::bin());
    cmd.env_remove("BUSSOLA_DATABASE_URL")
        .env("BUSSOLA_DEMO", "never")
        .env("BUSSOLA_LOG", "warn,bussola::api::bundle=info")
        .env("BUSSOLA_DATA_DIR", data)
        .env("BUSSOLA_BIND", format!("127.0.0.1:{port}"))
        .args(["serve"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log file"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let server = Server {
        child: cmd.spawn().expect("spawn bussola serve"),
        base: format!("http://127.0.0.1:{port}"),
        log,
    };
    let until = Instant::now() + Duration::from_secs(120);
    loop {
        if let Ok((200, _, _)) = get(&server.base, "/readyz", &[]) {
            return server;
        }
        assert!(Instant::now() < until, "server did not become ready");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A blocking GET over plain HTTP/1.1: (status, headers, body), with `Connection: close`.
fn get(
    base: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> std::io::Result<(u16, String, Vec<u8>)> {
    request("GET", base, path, headers)
}

fn request(
    method: &str,
    base: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> std::io::Result<(u16, String, Vec<u8>)> {
    let addr = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Ok((status, head, body))
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().trim(), 16)
            .expect("chunk size");
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).expect("JSON body")
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

#[test]
fn heavy_requests_over_100000_sportelli() {
    let dir = tempfile::tempdir().expect("temp dir");
    dataset(dir.path());
    let server = start(dir.path(), "main", &[]);
    let base = server.base.clone();

    // 1. LIKE with 30 wildcards, two at once, while /healthz is polled.
    let pattern = format!("name LIKE '{}x'", "%".repeat(30));
    let path = format!(
        "/api/collections/sportelli/items?limit=10&filter={}",
        enc(&pattern)
    );
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let poller = {
        let (base, stop) = (base.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut worst = Duration::ZERO;
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let t = Instant::now();
                let (status, _, _) = get(&base, "/healthz", &[]).expect("healthz");
                assert_eq!(status, 200);
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
            let (base, path) = (base.clone(), path.clone());
            std::thread::spawn(move || get(&base, &path, &[]).expect("LIKE request"))
        })
        .collect();
    for h in likes {
        let (status, _, body) = h.join().expect("join");
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        let v = json(&body);
        assert_eq!(v["type"], "FeatureCollection");
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
        let (status, _, body) = get(
            &base,
            &format!(
                "/api/collections/sportelli/items?limit=1&filter={}",
                enc(filter)
            ),
            &[],
        )
        .unwrap();
        assert_eq!(status, 200);
        json(&body)["numberMatched"]
            .as_u64()
            .expect("numberMatched")
    };
    let ends_in_a = count("name LIKE '%a'");
    assert!(ends_in_a > 1000, "{ends_in_a}");
    assert_eq!(
        count(&format!("name LIKE '{}a'", "%".repeat(30))),
        ends_in_a
    );
    assert_eq!(count(&pattern), 0);

    // 2. A large page is streamed; its features are those of the small pages written whole.
    let bbox = "bbox=11.5,45.0,12.6,45.8";
    let (status, head, big) = get(
        &base,
        &format!("/api/collections/sportelli/items?{bbox}&limit=1000"),
        &[],
    )
    .unwrap();
    assert_eq!(status, 200);
    assert_eq!(
        header(&head, "transfer-encoding"),
        Some("chunked"),
        "a 1,000-feature page is streamed"
    );
    let big = json(&big);
    let big_features = big["features"].as_array().expect("features").clone();
    assert_eq!(big_features.len(), 1000);
    assert_eq!(big["numberReturned"], 1000);
    let mut small_features = Vec::new();
    for page in 0..10 {
        let (status, head, body) = get(
            &base,
            &format!(
                "/api/collections/sportelli/items?{bbox}&limit=100&offset={}",
                page * 100
            ),
            &[],
        )
        .unwrap();
        assert_eq!(status, 200);
        assert!(
            header(&head, "content-length").is_some(),
            "small pages are whole"
        );
        small_features.extend(json(&body)["features"].as_array().unwrap().clone());
    }
    assert_eq!(big_features, small_features);
    // Same for the services collection, whose features are serialised per request.
    let (_, _, svc) = get(
        &base,
        &format!("/api/collections/services/items?{bbox}&limit=300"),
        &[],
    )
    .unwrap();
    let svc = json(&svc)["features"].as_array().unwrap().clone();
    let mut svc_small = Vec::new();
    for page in 0..3 {
        let (_, _, body) = get(
            &base,
            &format!(
                "/api/collections/services/items?{bbox}&limit=100&offset={}",
                page * 100
            ),
            &[],
        )
        .unwrap();
        svc_small.extend(json(&body)["features"].as_array().unwrap().clone());
    }
    assert_eq!(svc.len(), 300);
    assert_eq!(svc, svc_small);

    // 3. 200 clients ask for 10,000-feature pages and never read.
    let before = server.rss_mb();
    let addr = base.trim_start_matches("http://").to_string();
    let slow: Vec<TcpStream> = (0..200)
        .map(|i| {
            let mut s = TcpStream::connect(&addr).expect("connect");
            write!(
                s,
                "GET /api/collections/sportelli/items?limit=10000&offset={} HTTP/1.1\r\nHost: x\r\n\r\n",
                (i % 9) * 10_000
            )
            .unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_secs(5));
    let mut peak = server.rss_mb();
    let t = Instant::now();
    let (status, _, _) = get(
        &base,
        "/api/collections/sportelli/items?limit=20&near=12.24,45.49",
        &[],
    )
    .unwrap();
    let normal = t.elapsed();
    assert_eq!(status, 200);
    std::thread::sleep(Duration::from_secs(2));
    peak = peak.max(server.rss_mb());
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
    let t = Instant::now();
    let (status, head, gz) = get(&base, "/api/bundle", &[("Accept-Encoding", "gzip")]).unwrap();
    let first = t.elapsed();
    assert_eq!(status, 200);
    assert_eq!(header(&head, "content-encoding"), Some("gzip"));
    let tag = header(&head, "etag").expect("etag").to_string();
    let t = Instant::now();
    let (_, head, br) = get(
        &base,
        "/api/bundle",
        &[("Accept-Encoding", "br;q=1, gzip;q=0.5")],
    )
    .unwrap();
    let second = t.elapsed();
    assert_eq!(header(&head, "content-encoding"), Some("br"));
    let (_, head, plain) = get(&base, "/api/bundle", &[]).unwrap();
    assert_eq!(header(&head, "content-encoding"), None);
    let (status, head, nobody) = request("HEAD", &base, "/api/bundle", &[]).unwrap();
    assert_eq!(status, 200);
    assert!(nobody.is_empty());
    assert_eq!(header(&head, "etag"), Some(tag.as_str()));
    let (status, _, _) = get(&base, "/api/bundle", &[("If-None-Match", &tag)]).unwrap();
    assert_eq!(status, 304);
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut unzipped)
        .expect("gunzip");
    let mut unbr = Vec::new();
    brotli::Decompressor::new(&br[..], 4096)
        .read_to_end(&mut unbr)
        .expect("brotli");
    assert_eq!(unzipped, plain);
    assert_eq!(unbr, plain);
    let v = json(&plain);
    assert_eq!(v["features"].as_array().unwrap().len(), 100_000);
    let builds = server
        .log_text()
        .matches("built the offline bundle")
        .count();
    assert_eq!(builds, 1, "the bundle was built {builds} times");
    eprintln!(
        "bundle of 100,000 sportelli: {} bytes ({} gzip, {} br); first request (builds and compresses) {:.0} ms, next {:.1} ms",
        plain.len(),
        gz.len(),
        br.len(),
        first.as_secs_f64() * 1000.0,
        second.as_secs_f64() * 1000.0
    );
    assert!(
        second < first,
        "the second bundle request was not served from the cache"
    );
    drop(server);

    // 5. A deadline of 1 ms stops a CQL2 query (503 problem+json, Retry-After); with one
    // heavy slot and no waiting, concurrent heavy requests beyond it are turned away.
    let strict = start(
        dir.path(),
        "strict",
        &[
            ("BUSSOLA_QUERY_DEADLINE_MS", "1"),
            ("BUSSOLA_HEAVY_REQUESTS", "1"),
            ("BUSSOLA_HEAVY_WAIT_MS", "0"),
        ],
    );
    let heavy = format!(
        "/api/collections/sportelli/items?filter={}",
        enc("name LIKE '%a%e%'")
    );
    let t = Instant::now();
    let (status, head, body) = get(&strict.base, &heavy, &[]).unwrap();
    assert_eq!(status, 503, "{}", String::from_utf8_lossy(&body));
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "the deadline did not stop the query"
    );
    assert_eq!(
        header(&head, "content-type"),
        Some("application/problem+json")
    );
    assert_eq!(header(&head, "retry-after"), Some("1"));
    let problem = json(&body);
    assert_eq!(problem["status"], 503);
    assert!(
        problem["type"].as_str().unwrap().ends_with("/timeout"),
        "{problem}"
    );
    let results: Vec<_> = (0..16)
        .map(|_| {
            let (base, heavy) = (strict.base.clone(), heavy.clone());
            std::thread::spawn(move || {
                let (status, _, body) = get(&base, &heavy, &[]).unwrap();
                (
                    status,
                    json(&body)["type"].as_str().unwrap_or("").to_string(),
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
    // The cheap path is untouched by the heavy cap.
    let (status, _, _) = get(
        &strict.base,
        "/api/collections/sportelli/items?limit=20&near=12.24,45.49",
        &[],
    )
    .unwrap();
    assert_eq!(status, 200);
}
