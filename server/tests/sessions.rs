//! Sessions through the real `bussola serve`: a session survives a restart (two server
//! processes one after the other on one data directory), `bussola user disable` ends it at
//! once while the server runs, and no password, token or session id reaches any log line
//! (server and CLI logs captured at `debug`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/served.rs"]
mod served;
mod support;

use served::{raw, Reply, Served};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const PASSWORD: &str = "correct horse battery staple";

fn bussola(data: &Path, log: &Path) -> Command {
    let mut c = Command::new(support::bin());
    c.env_remove("BUSSOLA_DATABASE_URL")
        .env("BUSSOLA_DATA_DIR", data)
        .env("BUSSOLA_DEMO", "auto")
        .env("BUSSOLA_LOG", "debug")
        .stderr(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .unwrap(),
        );
    c
}

fn cli(data: &Path, log: &Path, args: &[&str], input: &str) -> String {
    let mut child = bussola(data, log)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "bussola {args:?} failed; see {}",
        log.display()
    );
    String::from_utf8(out.stdout).unwrap()
}

fn serve(data: &Path, log: &Path) -> Served {
    let port = support::free_port();
    let child = bussola(data, log)
        .arg("serve")
        .env("BUSSOLA_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let s = Served { child, port };
    served::wait_ready(&s, Duration::from_secs(60));
    s
}

fn stop(mut s: Served) {
    served::sigterm(&s);
    assert!(served::wait_exit(&mut s, Duration::from_secs(20)).is_some());
}

fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    head.push_str(body);
    raw(port, head.as_bytes()).unwrap()
}

fn set_cookie(r: &Reply, name: &str) -> Option<String> {
    r.headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .map(|(_, v)| v.split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with(&format!("{name}=")))
}

fn sign_in(port: u16, user: &str, password: &str) -> Reply {
    let form = request(port, "GET", "/signin", &[], "");
    let cookie = set_cookie(&form, "bussola_signin").unwrap();
    let text = form.text();
    let token = text
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("username", user)
        .append_pair("password", password)
        .append_pair("csrf_token", token)
        .finish();
    request(
        port,
        "POST",
        "/signin",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("cookie", &cookie),
        ],
        &body,
    )
}

fn me(port: u16, headers: &[(&str, &str)]) -> serde_json::Value {
    request(port, "GET", "/api/me", headers, "").json()
}

#[test]
fn sessions_survive_restarts_die_with_disable_and_never_reach_the_logs() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let log = dir.path().join("log.txt");
    cli(
        &data,
        &log,
        &[
            "user",
            "add",
            "m.rossi",
            "--role",
            "admin",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    let token = cli(
        &data,
        &log,
        &[
            "token", "create", "m.rossi", "--role", "admin", "--name", "ci",
        ],
        "",
    );
    let token = token.trim().to_owned();

    let first = serve(&data, &log);
    let refused = sign_in(first.port, "m.rossi", "not the password at all");
    assert_eq!(refused.status, 401, "{}", refused.text());
    let ok = sign_in(first.port, "m.rossi", PASSWORD);
    assert_eq!(ok.status, 303, "{}", ok.text());
    let cookie = set_cookie(&ok, "bussola_session").unwrap();
    let session_id = cookie.trim_start_matches("bussola_session=").to_owned();
    let who = me(first.port, &[("cookie", &cookie)]);
    assert_eq!(who["username"], "m.rossi");
    let csrf = who["csrf_token"].as_str().unwrap().to_owned();
    assert_eq!(
        me(first.port, &[("authorization", &format!("Bearer {token}"))])["via"],
        "token"
    );
    let bad = request(
        first.port,
        "GET",
        "/api/me",
        &[("authorization", &format!("Bearer {token}x"))],
        "",
    );
    assert_eq!(bad.status, 401);
    stop(first);

    let second = serve(&data, &log);
    assert_eq!(
        me(second.port, &[("cookie", &cookie)])["signed_in"],
        true,
        "the session survives a restart"
    );
    cli(&data, &log, &["user", "disable", "m.rossi"], "");
    assert_eq!(
        me(second.port, &[("cookie", &cookie)])["signed_in"],
        false,
        "disabled: at once"
    );
    let r = request(
        second.port,
        "GET",
        "/api/me",
        &[("authorization", &format!("Bearer {token}"))],
        "",
    );
    assert_eq!(r.status, 401, "its tokens are revoked too");
    stop(second);

    let logs = std::fs::read_to_string(&log).unwrap();
    assert!(logs.contains("DEBUG"), "logs were not captured at debug");
    assert!(logs.contains("signed in"), "{logs}");
    let secret_of_token = &token[21..];
    for (what, secret) in [
        ("password", PASSWORD),
        ("wrong password", "not the password at all"),
        ("token", secret_of_token),
        ("session id", session_id.as_str()),
        ("csrf token", csrf.as_str()),
    ] {
        assert!(!logs.contains(secret), "the {what} is in the logs");
    }
}
