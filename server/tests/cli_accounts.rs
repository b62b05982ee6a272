//! `bussola user …` and `bussola token …` through the real binary, on SQLite and PostGIS:
//! bad input exits 3 naming the field and writes nothing; secrets are printed once, on
//! standard output, and never listed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::Write;
use std::process::Stdio;
use support::Backend;

/// Runs `bussola ARGS…` with `input` on standard input.
fn run_with_stdin(b: &Backend, args: &[&str], input: &str) -> (i32, String, String) {
    let mut child = b
        .command()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn refused(outcome: (i32, String, String), words: &[&str]) {
    let (code, _, err) = outcome;
    assert_eq!(code, 3, "{err}");
    for w in words {
        assert!(err.contains(w), "{w:?} not in {err}");
    }
}

async fn accounts_on_the_command_line(b: Backend) {
    let p27 = support::shared_data("istat-boundaries/limits_P_27_municipalities.geojson");
    let (code, _, err) = b.run(&["import", "comuni", p27.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let demo = support::repo_file("data/demo/venezia.geojson");
    let (code, _, err) = b.run(&["import", "services", demo.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");

    let good = "a long enough passphrase\n";
    let add = |role: &str, pw: &str| {
        run_with_stdin(
            &b,
            &[
                "user",
                "add",
                "a.bianchi",
                "--role",
                role,
                "--password-stdin",
            ],
            pw,
        )
    };
    refused(
        add("viewer:999999", good),
        &["role", "unknown comune \"999999\""],
    );
    refused(add("chief", good), &["role", "unknown role \"chief\""]);
    refused(
        add("operator:org-nowhere", good),
        &["role", "unknown organisation"],
    );
    refused(
        add("viewer:027042", "short\n"),
        &["password", "at least 12"],
    );
    refused(
        add("viewer:027042", "a.bianchi-and-more\n"),
        &["password", "user name"],
    );
    refused(
        b.run(&["user", "add", "Bad Name", "--role", "admin"]),
        &["username"],
    );
    let (code, _, err) = b.run(&["user", "list"]);
    assert_eq!(code, 0, "{err}");

    let (code, out, err) = run_with_stdin(
        &b,
        &[
            "user",
            "add",
            "a.bianchi",
            "--role",
            "viewer:027042",
            "--role",
            "operator:org-comune-venezia",
            "--display-name",
            "Anna Bianchi",
            "--password-stdin",
        ],
        good,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "a given password is not printed: {out}");
    refused(add("admin", good), &["username", "taken"]);
    let (_, list, _) = b.run(&["user", "list"]);
    assert!(
        list.contains("a.bianchi\tactive\tAnna Bianchi\tviewer:027042 operator:org-comune-venezia"),
        "{list}"
    );

    // An admin with a generated password, printed once on standard output.
    let (code, out, err) = b.run(&["user", "add", "boss", "--role", "admin"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim().chars().count(), 24, "{out}");
    assert!(!err.contains(out.trim()));

    refused(
        b.run(&[
            "token",
            "create",
            "a.bianchi",
            "--role",
            "admin",
            "--name",
            "qgis",
        ]),
        &["role", "does not hold admin"],
    );
    refused(
        b.run(&[
            "token", "create", "nobody", "--role", "admin", "--name", "qgis",
        ]),
        &["username", "no user nobody"],
    );
    let (code, token, err) = b.run(&[
        "token",
        "create",
        "a.bianchi",
        "--role",
        "viewer:027042",
        "--name",
        "QGIS desk",
        "--expires-days",
        "30",
    ]);
    assert_eq!(code, 0, "{err}");
    let token = token.trim().to_owned();
    assert!(token.starts_with("bsl_") && token.len() == 85, "{token}");
    let id = token[4..20].to_owned();
    let (_, list, _) = b.run(&["token", "list", "a.bianchi"]);
    assert!(
        list.contains(&id) && list.contains("QGIS desk\tviewer:027042"),
        "{list}"
    );
    assert!(
        !list.contains(&token[21..]),
        "a secret in the listing: {list}"
    );
    let (code, _, err) = b.run(&["token", "revoke", &id]);
    assert_eq!(code, 0, "{err}");
    refused(
        b.run(&["token", "revoke", &id]),
        &["id", "no unrevoked token"],
    );

    let (code, out, err) = b.run(&["user", "reset-password", "a.bianchi"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim().chars().count(), 24, "{out}");
    refused(
        run_with_stdin(
            &b,
            &["user", "reset-password", "a.bianchi", "--password-stdin"],
            "tiny\n",
        ),
        &["password"],
    );
    let (code, _, err) = b.run(&["user", "disable", "a.bianchi"]);
    assert_eq!(code, 0, "{err}");
    refused(b.run(&["user", "disable", "nobody"]), &["username"]);
    let (_, list, _) = b.run(&["user", "list"]);
    assert!(list.contains("a.bianchi\tdisabled"), "{list}");
}

on_both_backends!(accounts_cli, accounts_on_the_command_line);
