//! The connection layer through the real binary (finding 2 and the serve half of finding 6):
//! idle connections past the open-file limit, slowloris, kept-alive idling, the connection
//! cap's 503, and a SIGTERM that completes within its bound and leaves `bussola.sqlite3`
//! holding everything.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/served.rs"]
mod served;
mod support;

use served::{get, sigterm, spawn, wait_exit};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn connect(port: u16) -> TcpStream {
    TcpStream::connect(("127.0.0.1", port)).expect("connect")
}

/// True when the server has closed `s` (a read sees EOF or a reset) within `within`.
fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    s.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 1024];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return false
            }
            Err(_) => return true,
        }
    }
}

/// A connection with `n` pipelined requests for the largest demo page, never read: the server
/// ends up blocked writing to it, a request in flight.
fn unread_pipeline(port: u16, n: usize) -> TcpStream {
    let mut s = connect(port);
    let one = format!(
        "GET /api/collections/sportelli/items?limit=10000 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    );
    for _ in 0..n {
        if s.write_all(one.as_bytes()).is_err() {
            break;
        }
    }
    s
}

#[test]
fn two_thousand_idle_connections_under_a_1024_file_limit_leave_requests_answered() {
    // The test itself needs room for 2,000 sockets.
    bussola::serve::rlimit::raise_for(2_100);
    let dir = tempfile::tempdir().unwrap();
    let s = spawn(dir.path(), &[], &["prlimit", "--nofile=1024:1024", "--"]);
    let mut idle = Vec::new();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], s.port));
    for _ in 0..2_000 {
        // A server that stopped accepting leaves connects hanging in the backlog: bound them.
        if let Ok(c) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) {
            idle.push(c);
        }
    }
    assert!(
        idle.len() >= 1_900,
        "only {} connections opened",
        idle.len()
    );
    std::thread::sleep(Duration::from_millis(300));
    for i in 0..20 {
        let start = Instant::now();
        let r = get(s.port, "/api/collections", &[]);
        assert_eq!(r.status, 200, "request {i}: {}", r.text());
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "request {i} took {:?} with 2,000 idle connections open",
            start.elapsed()
        );
    }
    let metrics = get(s.port, "/metrics", &[]).text();
    assert!(
        metrics.contains("bussola_connection_limit 960"),
        "the cap was not fitted under the file limit:\n{metrics}"
    );
    assert!(
        metrics.contains("bussola_connections_closed_total{reason=\"evicted\"}"),
        "no idle connection was evicted:\n{metrics}"
    );
    drop(idle);
}

#[test]
fn slowloris_is_closed_by_the_header_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let s = spawn(dir.path(), &[("BUSSOLA_HEADER_TIMEOUT_SECS", "2")], &[]);
    let mut c = connect(s.port);
    let head = b"GET /api HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: one-byte-per-second\r\n\r\n";
    let start = Instant::now();
    let mut sent = 0;
    let closed = loop {
        if c.write_all(&head[sent..sent + 1]).is_err() {
            break true;
        }
        sent += 1;
        if closed_within(&mut c, Duration::from_secs(1)) {
            break true;
        }
        if sent == head.len() {
            break false;
        }
    };
    assert!(
        closed,
        "the whole head was sent one byte a second and never cut"
    );
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(1_500) && took < Duration::from_millis(3_500),
        "closed after {took:?}, the header timeout is 2 s"
    );
    assert!(sent < head.len());
    let metrics = get(s.port, "/metrics", &[]).text();
    assert!(metrics.contains("bussola_rejected_requests_total{reason=\"header_timeout\"}"));
}

#[test]
fn a_kept_alive_connection_idles_for_the_keepalive_timeout_not_the_header_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let s = spawn(
        dir.path(),
        &[
            ("BUSSOLA_HEADER_TIMEOUT_SECS", "1"),
            ("BUSSOLA_KEEPALIVE_TIMEOUT_SECS", "3"),
        ],
        &[],
    );
    let mut c = connect(s.port);
    c.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = [0u8; 4096];
    let n = c.read(&mut buf).unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    let answered = Instant::now();
    assert!(
        !closed_within(&mut c, Duration::from_millis(2_000)),
        "closed before the keep-alive timeout"
    );
    assert!(
        closed_within(&mut c, Duration::from_millis(2_000)),
        "still open after the keep-alive timeout"
    );
    assert!(answered.elapsed() < Duration::from_millis(4_500));
}

#[test]
fn at_the_cap_with_every_connection_busy_a_new_one_gets_503_with_retry_after() {
    let dir = tempfile::tempdir().unwrap();
    let s = spawn(dir.path(), &[("BUSSOLA_MAX_CONNECTIONS", "2")], &[]);
    let _busy: Vec<TcpStream> = (0..2).map(|_| unread_pipeline(s.port, 300)).collect();
    std::thread::sleep(Duration::from_millis(500));
    let mut c = connect(s.port);
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut bytes = Vec::new();
    let _ = c.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(text.contains("retry-after: 1"), "{text}");
    assert!(text.contains("application/problem+json"), "{text}");
    assert!(text.contains("\"status\":503"), "{text}");
}

#[test]
fn a_client_that_stops_reading_is_dropped_after_the_send_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let s = spawn(dir.path(), &[("BUSSOLA_SEND_TIMEOUT_SECS", "2")], &[]);
    let mut stuck = unread_pipeline(s.port, 300);
    let start = Instant::now();
    let counted = "bussola_rejected_requests_total{reason=\"send_timeout\"}";
    while !get(s.port, "/metrics", &[]).text().contains(counted) {
        assert!(
            start.elapsed() < Duration::from_secs(6),
            "a response stuck on a client that does not read was kept past the send timeout"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(start.elapsed() >= Duration::from_millis(1_500));
    // What was written before is still delivered, then the connection ends.
    assert!(closed_within(&mut stuck, Duration::from_secs(5)));
}

#[test]
fn sigterm_completes_within_its_bound_with_partial_heads_and_slow_requests_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(
        dir.path(),
        &[
            ("BUSSOLA_SHUTDOWN_TIMEOUT_SECS", "3"),
            ("BUSSOLA_HEADER_TIMEOUT_SECS", "120"),
            ("BUSSOLA_SEND_TIMEOUT_SECS", "120"),
        ],
        &[],
    );
    let mut partial: Vec<TcpStream> = (0..3).map(|_| connect(s.port)).collect();
    for c in &mut partial {
        c.write_all(b"GET /api/collections HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .unwrap();
    }
    let _slow: Vec<TcpStream> = (0..2).map(|_| unread_pipeline(s.port, 300)).collect();
    std::thread::sleep(Duration::from_millis(500));
    let before = get(s.port, "/readyz", &[]);
    assert_eq!(before.status, 200);
    sigterm(&s);
    let start = Instant::now();
    let status = wait_exit(&mut s, Duration::from_secs(6))
        .expect("SIGTERM did not complete within 6 s (bound 3 s)");
    assert!(status.success(), "exit status {status:?}");
    assert!(start.elapsed() < Duration::from_millis(5_000));
}

#[test]
fn after_sigterm_the_sqlite_file_alone_holds_all_the_demo_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(dir.path(), &[], &[]);
    let ready = get(s.port, "/readyz", &[]).json();
    let sportelli = ready["sportelli"].as_u64().unwrap();
    assert!(sportelli > 0, "{ready}");
    // Another process has the database open (a backup tool, a sqlite3 shell), so the server's
    // last connection closing is not SQLite's last: only an explicit checkpoint empties the WAL.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let original = format!("sqlite://{}", dir.path().join("bussola.sqlite3").display());
    let watcher = rt.block_on(async {
        let store = bussola::store::open(&original).await.unwrap();
        store.ping().await.unwrap();
        store
    });
    sigterm(&s);
    let status = wait_exit(&mut s, Duration::from_secs(12)).expect("no exit within 12 s");
    assert!(status.success(), "exit status {status:?}");

    let copy = tempfile::tempdir().unwrap();
    let file = copy.path().join("bussola.sqlite3");
    std::fs::copy(dir.path().join("bussola.sqlite3"), &file).unwrap();
    let snapshot = rt.block_on(async {
        let store = bussola::store::open(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        store
            .load()
            .await
            .expect("the copied file alone is a database")
    });
    let kept = snapshot
        .dataset
        .locations
        .iter()
        // What /readyz counts: the sportelli the public sees (reception centres are no
        // sportelli, and hidden records are not counted).
        .filter(|l| l.meta.is_public() && !l.is_reception())
        .count();
    assert_eq!(kept as u64, sportelli);
    drop(watcher);
}
