//! Update campaigns end to end, on both backends, over real HTTP against the real
//! `bussola serve` (demo data, `BUSSOLA_MAIL_DIR` in a temporary directory, debug logs
//! captured): a coordinator opens a campaign for Mira and Dolo; the one organisation there
//! with an address gets the e-mail; its link opens the form with no session; "nothing
//! changed" confirms its entries' dates (read back through the API); the link cannot be used
//! again nor reach another organisation's entries; a revoked, a closed and an expired link
//! are refused; a reminder sends a fresh link; progress per comune counts right; no token
//! ever reaches the server's log.
//!
//! Expected values come from `data/demo/venezia.geojson`, by hand: in Mira (027023) the
//! sportelli of `org-comune-mira` (no e-mail anywhere) and of `org-voci-mondo` (its Oriago
//! desk writes `voci-mondo-oriago@example.org`); in Dolo (027012) those of `org-comune-dolo`,
//! `org-cpia-venezia`, `org-ulss3` and `org-veneto-lavoro`, none with an e-mail.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use support::Backend;

const MIRA: &str = "027023";
const DOLO: &str = "027012";
const ANSWERING: &str = "org-voci-mondo";
const ADDRESS: &str = "voci-mondo-oriago@example.org";
const SILENT: &str = "org-comune-mira";

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `bussola serve` on `b` with the demo data, mail written to `mail`, debug logs to `log`.
async fn start(b: &Backend, mail: &Path, log: &Path, env: &[(&str, &str)]) -> Server {
    let port = support::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut cmd = b.command();
    cmd.arg("serve")
        .env("BUSSOLA_DEMO", "auto")
        .env("BUSSOLA_BIND", format!("127.0.0.1:{port}"))
        .env("BUSSOLA_PUBLIC_URL", &base)
        .env("BUSSOLA_MAIL_DIR", mail)
        .env("BUSSOLA_LOG", "debug")
        .stdout(Stdio::null())
        .stderr(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .unwrap(),
        );
    for (k, v) in env {
        cmd.env(k, v);
    }
    let server = Server {
        child: cmd.spawn().expect("spawn bussola serve"),
        base,
    };
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let Ok(r) = client.get(format!("{}/readyz", server.base)).send().await {
            if r.status().is_success() {
                return server;
            }
        }
        assert!(Instant::now() < deadline, "server did not become ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A user with one role and an API token for it.
fn token_for(b: &Backend, user: &str, role: &str) -> String {
    let (code, _, err) = b.run(&["user", "add", user, "--role", role]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = b.run(&["token", "create", user, "--role", role, "--name", "test"]);
    assert_eq!(code, 0, "{err}");
    out.split_whitespace()
        .find(|w| w.starts_with("bsl_"))
        .expect("the token is printed")
        .to_owned()
}

struct Http {
    client: reqwest::Client,
    base: String,
}

impl Http {
    async fn api(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let mut req = match method {
            "GET" => self.client.get(url),
            _ => self.client.post(url),
        };
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// GET a link as a browser with no cookie: status, body, and whether a cookie was set.
    async fn open(&self, link: &str) -> (u16, String, bool) {
        let r = self
            .client
            .get(link)
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        let cookie = r.headers().contains_key("set-cookie");
        (r.status().as_u16(), r.text().await.unwrap(), cookie)
    }

    /// POST the form as a browser on this site would.
    async fn answer(&self, link: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in fields {
            form.append_pair(k, v);
        }
        let r = self
            .client
            .post(link)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", &self.base)
            .header("accept", "text/html")
            .body(form.finish())
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }
}

/// The e-mails written so far, by file name.
fn mails(dir: &Path) -> BTreeSet<PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .collect()
        })
        .unwrap_or_default()
}

/// The one e-mail written since `seen`, and its personal link.
fn new_mail(dir: &Path, seen: &mut BTreeSet<PathBuf>, base: &str) -> (String, String) {
    let now = mails(dir);
    let fresh: Vec<&PathBuf> = now.difference(seen).collect();
    assert_eq!(fresh.len(), 1, "one new e-mail, got {fresh:?}");
    let raw = std::fs::read_to_string(fresh[0]).unwrap();
    *seen = now;
    let text = decoded(&raw);
    let prefix = format!("{base}/campaign/");
    let at = text
        .find(&prefix)
        .unwrap_or_else(|| panic!("no link in\n{text}"));
    let token: String = text[at + prefix.len()..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    assert_eq!(token.len(), 64, "a 256-bit token");
    (text, format!("{prefix}{token}"))
}

/// The message's headers followed by its base64-encoded parts, decoded (RFC 4648).
fn decoded(raw: &str) -> String {
    let mut out = String::new();
    let mut parts = raw.split("Content-Transfer-Encoding: base64");
    out.push_str(parts.next().unwrap());
    for part in parts {
        let body: String = part
            .trim_start()
            .lines()
            .take_while(|l| !l.trim().is_empty() && !l.starts_with("--"))
            .collect();
        out.push_str(&base64(&body));
        out.push('\n');
    }
    out
}

fn base64(text: &str) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let (mut bits, mut n, mut bytes) = (0u32, 0, Vec::new());
    for c in text
        .bytes()
        .filter(|c| *c != b'=' && !c.is_ascii_whitespace())
    {
        let v = ABC.iter().position(|a| *a == c).expect("base64") as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            bytes.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    String::from_utf8(bytes).expect("UTF-8 text")
}

fn ids(v: &Value) -> Vec<String> {
    v["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

fn progress_row(v: &Value, comune: &str) -> Value {
    let row = v["progress"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["comune"] == comune)
        .unwrap_or_else(|| panic!("no progress for {comune}: {v}"))
        .clone();
    json!([
        row["recipients"],
        row["answered"],
        row["unchanged"],
        row["changed"],
        row["no_address"]
    ])
}

async fn campaign_flow(b: Backend) {
    let tmp = tempfile::tempdir().unwrap();
    let (mail, log) = (tmp.path().join("mail"), tmp.path().join("server.log"));
    let server = start(&b, &mail, &log, &[]).await;
    // Roles name comuni of the territory, which the first start loads with the demo data.
    let coord = token_for(&b, "coord.riviera", &format!("coordinator:{MIRA},{DOLO}"));
    let operator = token_for(&b, "op.voci", &format!("operator:{ANSWERING}"));
    let http = Http {
        client: reqwest::Client::new(),
        base: server.base.clone(),
    };
    let started = chrono::Utc::now();
    let today = started.date_naive();
    let until = (today + chrono::Duration::days(90)).to_string();
    let new = |comuni: &[&str]| json!({"title": "Orari estivi 2027", "comuni": comuni, "from": today.to_string(), "until": until});

    // Who may open one.
    assert_eq!(
        http.api("POST", "/api/campaigns", None, Some(new(&[MIRA])))
            .await
            .0,
        401
    );
    assert_eq!(
        http.api(
            "POST",
            "/api/campaigns",
            Some(&operator),
            Some(new(&[MIRA]))
        )
        .await
        .0,
        403
    );
    let (s, v) = http
        .api(
            "POST",
            "/api/campaigns",
            Some(&coord),
            Some(new(&["027042"])),
        )
        .await;
    assert_eq!((s, v["pointer"].as_str()), (403, Some("/comuni")), "{v}");
    let (s, v) = http
        .api(
            "POST",
            "/api/campaigns",
            Some(&coord),
            Some(json!({"title": "", "comuni": ["999999"], "from": "x", "until": "2020-01-01"})),
        )
        .await;
    assert_eq!(s, 422, "{v}");
    let pointers: BTreeSet<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/title", "/comuni/0", "/from"].into(), "{v}");

    // Opened: who it asks.
    let (s, v) = http
        .api(
            "POST",
            "/api/campaigns",
            Some(&coord),
            Some(new(&[MIRA, DOLO])),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    let id = v["campaign"]["id"].as_str().unwrap().to_owned();
    let asked: Vec<(String, String, Option<String>)> = v["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["organization_id"].as_str().unwrap().to_owned(),
                r["state"].as_str().unwrap().to_owned(),
                r["email"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let no = |o: &str| (o.to_owned(), "no_address".to_owned(), None);
    assert_eq!(
        asked,
        [
            no("org-comune-dolo"),
            no(SILENT),
            no("org-cpia-venezia"),
            no("org-ulss3"),
            no("org-veneto-lavoro"),
            (
                ANSWERING.to_owned(),
                "waiting".to_owned(),
                Some(ADDRESS.to_owned())
            ),
        ],
        "{v}"
    );
    assert_eq!(progress_row(&v, MIRA), json!([2, 0, 0, 0, 1]));
    assert_eq!(progress_row(&v, DOLO), json!([4, 0, 0, 0, 4]));
    assert_eq!(
        http.api(
            "GET",
            &format!("/api/campaigns/{id}"),
            Some(&operator),
            None
        )
        .await
        .0,
        403
    );

    // Sent: the e-mail lands in the mailbox.
    let mut seen = BTreeSet::new();
    let (s, v) = http
        .api(
            "POST",
            &format!("/api/campaigns/{id}/send"),
            Some(&coord),
            None,
        )
        .await;
    assert_eq!(
        (s, &v),
        (200, &json!({"sent": 1, "bounced": 0, "failed": 0}))
    );
    let (eml, link) = new_mail(&mail, &mut seen, &server.base);
    assert!(eml.contains(&format!("To: {ADDRESS}")), "{eml}");
    for words in ["Orari estivi 2027", "Voci del Mondo", "English:"] {
        assert!(eml.contains(words), "{words:?} in\n{eml}");
    }
    let mut links = vec![link.clone()];

    // The entries it is about, and another organisation's.
    let (s, mine) = http
        .api(
            "GET",
            &format!("/api/records/sportelli?organization={ANSWERING}&comune={MIRA}"),
            Some(&coord),
            None,
        )
        .await;
    assert_eq!(s, 200);
    let mine = ids(&mine);
    assert_eq!(mine.len(), 1, "{mine:?}");
    let (_, theirs) = http
        .api(
            "GET",
            &format!("/api/records/sportelli?organization={SILENT}"),
            Some(&coord),
            None,
        )
        .await;
    let theirs = ids(&theirs);
    assert!(!theirs.is_empty());
    let (_, offers) = http
        .api(
            "GET",
            &format!("/api/records/offers?comune={MIRA}"),
            Some(&coord),
            None,
        )
        .await;
    let my_offers: Vec<String> = offers["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["location_id"] == mine[0].as_str())
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(!my_offers.is_empty());
    let theirs_before = http
        .api(
            "GET",
            &format!("/api/records/sportelli/{}", theirs[0]),
            Some(&coord),
            None,
        )
        .await
        .1;

    // The link opens the form, with no session.
    let (s, page, cookie) = http.open(&link).await;
    assert_eq!(s, 200, "{page}");
    assert!(!cookie, "the form sets no cookie");
    assert!(
        page.contains(&format!("name=\"choice.{}\"", mine[0])),
        "{page}"
    );
    assert!(
        !page.contains(&theirs[0]),
        "another organisation's sportello on the form"
    );

    // A form naming another organisation's entry is refused whole; the link still works.
    let tampered = format!("choice.{}", theirs[0]);
    let (s, page) = http
        .answer(
            &link,
            &[
                (tampered.as_str(), "unchanged"),
                (&format!("choice.{}", mine[0]), "unchanged"),
            ],
        )
        .await;
    assert_eq!(s, 403, "{page}");
    assert_eq!(
        http.api(
            "GET",
            &format!("/api/records/sportelli/{}", theirs[0]),
            Some(&coord),
            None
        )
        .await
        .1,
        theirs_before
    );
    let tampered_offer = format!("hours.{}", "loc-x~svc-y");
    assert_eq!(
        http.answer(
            &link,
            &[("choice.x", "hours"), (&tampered_offer, "Mo 09:00-10:00")]
        )
        .await
        .0,
        403
    );
    assert_eq!(http.open(&link).await.0, 200);

    // A bad closure is shown again with its error, nothing written.
    let (s, page) = http
        .answer(
            &link,
            &[
                (&format!("choice.{}", mine[0]), "closed"),
                (&format!("closed_from.{}", mine[0]), "2027-08-20"),
                (&format!("closed_until.{}", mine[0]), "2027-08-01"),
            ],
        )
        .await;
    assert_eq!(s, 422, "{page}");
    assert!(page.contains("error-summary"), "{page}");

    // "Nothing changed": the verified dates move to now.
    let (s, page) = http.answer(&link, &[("all", "unchanged")]).await;
    assert_eq!(s, 200, "{page}");
    let (_, sportello) = http
        .api(
            "GET",
            &format!("/api/records/sportelli/{}", mine[0]),
            Some(&coord),
            None,
        )
        .await;
    for field in ["address", "phone"] {
        let at: chrono::DateTime<chrono::Utc> = sportello["verified"][field]
            .as_str()
            .unwrap_or_else(|| panic!("{field}: {sportello}"))
            .parse()
            .unwrap();
        assert!(
            at >= started - chrono::Duration::seconds(1),
            "{field} verified at {at}"
        );
    }
    for offer in &my_offers {
        let (_, o) = http
            .api(
                "GET",
                &format!("/api/records/offers/{offer}"),
                Some(&coord),
                None,
            )
            .await;
        let at: chrono::DateTime<chrono::Utc> =
            o["verified"]["hours"].as_str().unwrap().parse().unwrap();
        assert!(
            at >= started - chrono::Duration::seconds(1),
            "{offer}: hours verified at {at}"
        );
    }
    let (_, history) = http
        .api(
            "GET",
            &format!("/api/records/sportelli/{}/history", mine[0]),
            Some(&coord),
            None,
        )
        .await;
    assert_eq!(history["versions"][0]["source"], "campaign", "{history}");
    assert_eq!(history["versions"][0]["author"], format!("campaign.{id}"));

    // The same link cannot be used again.
    let (s, page) = http.answer(&link, &[("all", "unchanged")]).await;
    assert_eq!(s, 410, "{page}");
    assert!(page.contains("già stato usato"), "{page}");
    let (s, page, _) = http.open(&link).await;
    assert_eq!(s, 410);
    assert!(
        !page.contains("Voci") && !page.contains(ANSWERING),
        "a refusal never names the organisation"
    );
    assert_eq!(
        http.open(&format!("{}/campaign/{}", server.base, "0".repeat(64)))
            .await
            .0,
        404
    );
    assert_eq!(
        http.open(&format!("{}/campaign/nope", server.base)).await.0,
        404
    );

    // Progress per comune.
    let (_, v) = http
        .api("GET", &format!("/api/campaigns/{id}"), Some(&coord), None)
        .await;
    assert_eq!(progress_row(&v, MIRA), json!([2, 1, 1, 0, 1]), "{v}");
    assert_eq!(progress_row(&v, DOLO), json!([4, 0, 0, 0, 4]));

    // A second campaign: revoked link, reminder with a fresh one, closed.
    let (_, v) = http
        .api("POST", "/api/campaigns", Some(&coord), Some(new(&[MIRA])))
        .await;
    let second = v["campaign"]["id"].as_str().unwrap().to_owned();
    http.api(
        "POST",
        &format!("/api/campaigns/{second}/send"),
        Some(&coord),
        None,
    )
    .await;
    let (_, old) = new_mail(&mail, &mut seen, &server.base);
    links.push(old.clone());
    let (s, v) = http
        .api(
            "POST",
            &format!("/api/campaigns/{second}/revoke"),
            Some(&coord),
            Some(json!({"organization_id": ANSWERING})),
        )
        .await;
    assert_eq!((s, &v), (200, &json!({"revoked": 1})));
    let (s, page, _) = http.open(&old).await;
    assert_eq!(s, 410);
    assert!(page.contains("revocato"), "{page}");
    let (s, v) = http
        .api(
            "POST",
            &format!("/api/campaigns/{second}/remind"),
            Some(&coord),
            None,
        )
        .await;
    assert_eq!(
        (s, &v),
        (200, &json!({"reminded": 1, "bounced": 0, "failed": 0}))
    );
    let (eml, fresh) = new_mail(&mail, &mut seen, &server.base);
    assert!(eml.contains("Promemoria"), "{eml}");
    links.push(fresh.clone());
    assert_ne!(fresh, old);
    assert_eq!(http.open(&fresh).await.0, 200);
    assert_eq!(
        http.api(
            "POST",
            &format!("/api/campaigns/{second}/close"),
            Some(&coord),
            None
        )
        .await
        .0,
        200
    );
    assert_eq!(http.open(&fresh).await.0, 410, "closed: every link revoked");
    assert_eq!(
        http.api(
            "POST",
            &format!("/api/campaigns/{second}/send"),
            Some(&coord),
            None
        )
        .await
        .0,
        409
    );
    drop(server);

    // An expired link: the same store, links that last one second.
    let server = start(&b, &mail, &log, &[("BUSSOLA_CAMPAIGN_LINK_TTL_SECS", "1")]).await;
    let http = Http {
        client: reqwest::Client::new(),
        base: server.base.clone(),
    };
    let (_, v) = http
        .api("POST", "/api/campaigns", Some(&coord), Some(new(&[MIRA])))
        .await;
    let third = v["campaign"]["id"].as_str().unwrap().to_owned();
    http.api(
        "POST",
        &format!("/api/campaigns/{third}/send"),
        Some(&coord),
        None,
    )
    .await;
    let (_, short) = new_mail(&mail, &mut seen, &server.base);
    links.push(short.clone());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (s, page, _) = http.open(&short).await;
    assert_eq!(s, 410);
    assert!(page.contains("scaduto"), "{page}");
    assert_eq!(http.answer(&short, &[("all", "unchanged")]).await.0, 410);
    drop(server);

    // The log names the campaigns and the requests, never a token.
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("campaign e-mail sent") && text.contains(&id),
        "the log was captured"
    );
    assert!(
        text.contains("/campaign/…"),
        "the form's requests are logged, redacted"
    );
    for l in &links {
        let token = l.rsplit('/').next().unwrap();
        assert!(!text.contains(token), "a token in the log");
    }
}

on_both_backends!(the_campaign_flow, campaign_flow);
