//! The HTTP contract over real HTTP to the real binary (findings 8 and 9): every error is
//! `application/problem+json` whose `status` is the HTTP status and whose detail names what
//! was wrong; links never come from a client's `Host` or an untrusted proxy header.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/served.rs"]
mod served;
mod support;

use serde_json::Value;
use served::{raw, spawn, Reply};

/// One malformed request and what its problem must say.
struct Case {
    what: &'static str,
    request: Vec<u8>,
    status: u16,
    /// Words the detail must contain.
    detail: &'static [&'static str],
}

fn head(method: &str, target: &str, extra: &str) -> Vec<u8> {
    format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extra}\r\n")
        .into_bytes()
}

fn cases() -> Vec<Case> {
    let long_query = format!(
        "/api/collections/sportelli/items?filter={}",
        "x".repeat(9_000)
    );
    let mut too_big = head("GET", "/api/collections", "Content-Length: 70000\r\n");
    too_big.extend(std::iter::repeat_n(b'a', 70_000));
    vec![
        Case {
            what: "invalid UTF-8 in the collection segment",
            request: head("GET", "/api/collections/%FF/items", ""),
            status: 400,
            detail: &["UTF-8", "collection"],
        },
        Case {
            what: "invalid UTF-8 in the feature id segment",
            request: head("GET", "/api/collections/sportelli/items/%C3%28", ""),
            status: 400,
            detail: &["UTF-8", "feature"],
        },
        Case {
            what: "POST on a read-only collection list",
            request: head("POST", "/api/collections", "Content-Length: 0\r\n"),
            status: 405,
            detail: &["POST", "/api/collections", "GET"],
        },
        Case {
            what: "DELETE on items",
            request: head("DELETE", "/api/collections/sportelli/items", ""),
            status: 405,
            detail: &["DELETE"],
        },
        Case {
            what: "PUT on the web app",
            request: head("PUT", "/", "Content-Length: 0\r\n"),
            status: 405,
            detail: &["PUT", "GET"],
        },
        Case {
            what: "an unknown route under /api",
            request: head("GET", "/api/nothing/here", ""),
            status: 404,
            detail: &["/api/nothing/here"],
        },
        Case {
            what: "an unknown collection",
            request: head("GET", "/api/collections/unicorns/items", ""),
            status: 404,
            detail: &["unicorns"],
        },
        Case {
            what: "a URI over 8 KiB",
            request: head("GET", &long_query, ""),
            status: 414,
            detail: &["URI", "8192"],
        },
        Case {
            what: "a body over 64 KiB",
            request: too_big,
            status: 413,
            detail: &["body", "65536"],
        },
        Case {
            what: "a malformed query parameter",
            request: head("GET", "/api/collections/sportelli/items?limit=many", ""),
            status: 400,
            detail: &["limit"],
        },
        Case {
            what: "a query that is not UTF-8",
            request: head("GET", "/api/collections/sportelli/items?lang=%FF", ""),
            status: 400,
            detail: &[],
        },
    ]
}

#[test]
fn every_error_is_a_problem_whose_status_is_the_http_status() {
    let dir = tempfile::tempdir().unwrap();
    let s = spawn(dir.path(), &[], &[]);
    let mut failures = Vec::new();
    for case in cases() {
        let r = match raw(s.port, &case.request) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{}: no response ({e})", case.what));
                continue;
            }
        };
        if let Err(why) = check(&r, &case) {
            failures.push(format!("{}: {why}", case.what));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

fn check(r: &Reply, case: &Case) -> Result<(), String> {
    if r.status != case.status {
        return Err(format!(
            "status {} (want {}): {}",
            r.status,
            case.status,
            r.text()
        ));
    }
    if r.header("content-type") != Some("application/problem+json") {
        return Err(format!("content-type {:?}", r.header("content-type")));
    }
    if r.header("x-content-type-options") != Some("nosniff") {
        return Err("the security headers are missing".into());
    }
    if case.status == 405 && !r.header("allow").is_some_and(|a| a.contains("GET")) {
        return Err(format!("405 without Allow: {:?}", r.headers));
    }
    let body: Value = serde_json::from_slice(&r.body).map_err(|e| format!("body not JSON: {e}"))?;
    if body["status"] != case.status {
        return Err(format!(
            "body status {} (want {})",
            body["status"], case.status
        ));
    }
    let detail = body["detail"].as_str().unwrap_or("");
    if detail.is_empty() || body["title"].as_str().is_none_or(str::is_empty) {
        return Err(format!("no title or detail: {body}"));
    }
    for word in case.detail {
        if !detail.contains(word) && body["parameter"] != *word {
            return Err(format!(
                "neither detail {detail:?} nor parameter names {word:?}"
            ));
        }
    }
    Ok(())
}

/// Every `href` in a JSON document that points at this server (a `rel=license` link points at
/// the licence's own page, e.g. creativecommons.org, and is left out).
fn hrefs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) if m.get("rel").and_then(Value::as_str) == Some("license") => {}
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("href" | "$id", Value::String(s)) => out.push(s.clone()),
                    _ => hrefs(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| hrefs(x, out)),
        _ => {}
    }
}

const PAGES: &[&str] = &[
    "/api",
    "/api/collections",
    "/api/collections/sportelli",
    "/api/collections/sportelli/queryables",
    "/api/collections/sportelli/items?limit=2",
];

const HOSTILE: &[(&str, &str)] = &[
    ("Host", "evil.example"),
    ("X-Forwarded-Proto", "https"),
    ("X-Forwarded-Host", "evil.example"),
    ("Forwarded", "proto=https;host=evil.example"),
];

/// The links of every page, asked with `headers` (the raw client sends its own `Host` only
/// when `headers` has none, so the hostile `Host` is the only one).
fn links(port: u16, headers: &[(&str, &str)]) -> Vec<String> {
    let mut all = Vec::new();
    for page in PAGES {
        let r = get_as(port, page, headers);
        assert_eq!(r.status, 200, "{page}: {}", r.text());
        let before = all.len();
        hrefs(&r.json(), &mut all);
        assert!(all.len() > before, "{page} has no links");
    }
    let html = get_as(port, "/api?f=html", headers).text();
    let mut absolute = 0;
    for part in html.split("href=\"").skip(1) {
        let href = part.split('"').next().unwrap_or("");
        // A root-relative link (the stylesheet) names no host, so no header can steer it.
        if href.starts_with('/') && !href.starts_with("//") {
            continue;
        }
        all.push(href.to_owned());
        absolute += 1;
    }
    assert!(absolute > 0, "the HTML landing page has no absolute links");
    all
}

fn get_as(port: u16, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut req = format!("GET {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        req.push_str("Host: 127.0.0.1\r\n");
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    raw(port, req.as_bytes()).unwrap()
}

#[test]
fn host_and_untrusted_forwarding_headers_never_reach_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let s = spawn(dir.path(), &[], &[]);
    let base = format!("http://127.0.0.1:{}/", s.port);
    for link in links(s.port, HOSTILE) {
        assert!(link.starts_with(&base), "{link} does not start with {base}");
    }
    // The same with a public URL: it is the only source, whoever sends what.
    let dir = tempfile::tempdir().unwrap();
    let s = spawn(
        dir.path(),
        &[
            ("BUSSOLA_PUBLIC_URL", "https://bussola.example.org/"),
            ("BUSSOLA_TRUSTED_PROXIES", "127.0.0.1"),
        ],
        &[],
    );
    for link in links(s.port, HOSTILE) {
        assert!(link.starts_with("https://bussola.example.org/"), "{link}");
    }
}

#[test]
fn a_trusted_proxy_is_believed() {
    let dir = tempfile::tempdir().unwrap();
    let s = spawn(
        dir.path(),
        &[("BUSSOLA_TRUSTED_PROXIES", "10.0.0.0/8,127.0.0.1")],
        &[],
    );
    let forwarded = [
        ("Host", "evil.example"),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Host", "bussola.example.org"),
    ];
    for link in links(s.port, &forwarded) {
        assert!(link.starts_with("https://bussola.example.org/"), "{link}");
    }
}
