//! Campaign rules that need the clock, a second replica or a missing transport, in process on
//! both backends (the real router and state over the demo data): scheduled reminders
//! (`api::campaign::remind::remind_due` driven with a `now` days ahead, two replicas racing
//! on one store, a restart, a closed and an expired campaign, one short real run of the
//! background task); a server without a mail transport (503, nothing marked sent); and a
//! campaign answer over several entries written in one revision, all or nothing.
//!
//! From `data/demo/venezia.geojson`, by hand: in Mira (027023) only `org-voci-mondo` has an
//! address (its Oriago desk, two services there); it also has a desk on the Lido, in
//! Venezia (027042).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::body::Body;
use axum::http::{header, Method, Request};
use bussola::accounts::{manage, Secret};
use bussola::api::campaign::remind::{remind_due, run, Reminded};
use bussola::api::AppState;
use bussola::campaign::model::{Answer, Link, RecipientState};
use bussola::campaign::tokens;
use bussola::model::{Id, Role};
use chrono::{Duration, SubsecRound, Utc};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use support::Backend;
use tower::ServiceExt;

const MIRA: &str = "027023";
const VENEZIA: &str = "027042";
const ORG: &str = "org-voci-mondo";
const ORIAGO: &str = "loc-voci-mondo-oriago";
const LIDO: &str = "loc-voci-mondo-lido";

/// One server process: its state and router over the shared store.
struct Replica {
    state: AppState,
    router: axum::Router,
}

/// Opens replicas of one directory (the demo data loaded by the first) on `b`.
struct Cluster {
    _dir: tempfile::TempDir,
    _backend: Backend,
    mail: PathBuf,
    config: bussola::config::Config,
}

impl Cluster {
    async fn new(b: Backend, tune: impl FnOnce(&mut bussola::config::Config)) -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        let mail = dir.path().join("mail");
        let mut config = support::test_config(dir.path());
        match &b {
            Backend::Sqlite(d) => config.data_dir = d.path().to_path_buf(),
            Backend::Postgres(url) => config.database_url = Some(Secret::new(url.clone())),
        }
        config.smtp_url = None;
        config.mail_dir = Some(mail.clone());
        tune(&mut config);
        Cluster {
            _dir: dir,
            _backend: b,
            mail,
            config,
        }
    }

    /// A replica: a directory of its own over the store, as a second `bussola serve` opens.
    async fn replica(&self) -> Replica {
        let directory = bussola::startup::open_directory(&self.config)
            .await
            .unwrap();
        let state = AppState::new(directory, &self.config);
        let router = bussola::api::routes(state.clone(), &self.config);
        Replica { state, router }
    }
}

impl Replica {
    async fn admin(&self) -> String {
        let store = self.state.accounts.store().clone();
        let _ = manage::add_user(
            store.as_ref(),
            self.state.accounts.passwords(),
            "boss",
            None,
            vec![Role::Admin],
            Some(Secret::new("a long enough passphrase".into())),
        )
        .await;
        let (_, token) = manage::create_token(store.as_ref(), "boss", Role::Admin, "t", Some(3))
            .await
            .unwrap();
        format!("Bearer {}", token.expose())
    }

    async fn call(
        &self,
        method: Method,
        uri: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, String)>,
    ) -> (u16, String, String) {
        let mut req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, "bussola.test");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let body = match body {
            Some((kind, text)) => {
                req = req.header(header::CONTENT_TYPE, kind);
                Body::from(text)
            }
            None => Body::empty(),
        };
        let res = self
            .router
            .clone()
            .oneshot(req.body(body).unwrap())
            .await
            .unwrap();
        let status = res.status().as_u16();
        let kind = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = axum::body::to_bytes(res.into_body(), 16 << 20)
            .await
            .unwrap();
        (status, kind, String::from_utf8_lossy(&bytes).into_owned())
    }

    async fn api(
        &self,
        method: Method,
        uri: &str,
        auth: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let (s, _, text) = self
            .call(
                method,
                uri,
                &[("authorization", auth)],
                body.map(|b| ("application/json", b.to_string())),
            )
            .await;
        (
            s,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// Opens a campaign over `comuni` lasting `days`, reminding every `every` days.
    async fn open(&self, admin: &str, comuni: &[&str], days: i64, every: i64) -> String {
        let today = Utc::now().date_naive();
        let (s, v) = self
            .api(
                Method::POST,
                "/api/campaigns",
                admin,
                Some(json!({"title": "Orari estivi", "comuni": comuni, "from": today.to_string(),
                    "until": (today + Duration::days(days)).to_string(), "remind_every_days": every})),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        v["campaign"]["id"].as_str().unwrap().to_owned()
    }

    async fn recipient(&self, campaign: &str, org: &str) -> bussola::campaign::model::Recipient {
        let all = self
            .state
            .directory
            .store()
            .campaigns()
            .recipients(campaign)
            .await
            .unwrap();
        all.into_iter()
            .find(|r| r.organization_id.as_str() == org)
            .expect("recipient")
    }
}

fn mails(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| {
        d.filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "eml")
        })
        .count()
    })
}

fn sum(a: Reminded, b: Reminded) -> u32 {
    a.reminded + b.reminded
}

/// Records that `org` was e-mailed a link (hash `hash`) of `campaign` at `at`.
async fn sent_at(r: &Replica, campaign: &str, hash: &str, at: chrono::DateTime<Utc>) {
    r.state
        .directory
        .store()
        .campaigns()
        .issue_link(
            &Link {
                token_hash: hash.to_owned(),
                campaign_id: campaign.to_owned(),
                organization_id: Id::parse(ORG).unwrap(),
                created_at: at,
                expires_at: at + Duration::days(30),
                revoked_at: None,
                used_at: None,
            },
            RecipientState::Sent,
        )
        .await
        .unwrap();
}

async fn scheduled_reminders(b: Backend) {
    let cluster = Cluster::new(b, |_| {}).await;
    let (one, two) = (cluster.replica().await, cluster.replica().await);
    let admin = one.admin().await;
    let org = Id::parse(ORG).unwrap();
    let store = one.state.directory.store().campaigns();
    let id = one.open(&admin, &[MIRA], 60, 7).await;
    let (_, first) = tokens::fresh().unwrap();
    let now = Utc::now();
    sent_at(&one, &id, &first, now).await;

    // Not due yet.
    assert_eq!(remind_due(&one.state, now).await.unwrap().reminded, 0);
    assert_eq!(mails(&cluster.mail), 0);

    // Eight days on, two replicas check at once: one reminder, with a fresh link.
    let later = now + Duration::days(8);
    let (a, b) = tokio::join!(remind_due(&one.state, later), remind_due(&two.state, later));
    assert_eq!(
        sum(a.unwrap(), b.unwrap()),
        1,
        "exactly one replica reminds"
    );
    assert_eq!(mails(&cluster.mail), 1);
    let r = one.recipient(&id, ORG).await;
    assert_eq!(r.state, RecipientState::Reminded);
    assert_eq!(r.reminded_at, Some(later.trunc_subsecs(6)));
    let old = store.link(&first).await.unwrap().unwrap();
    assert!(old.revoked_at.is_some(), "the link before is revoked");

    // The same moment again, and after a restart: nothing more.
    assert_eq!(remind_due(&two.state, later).await.unwrap().reminded, 0);
    let restarted = cluster.replica().await;
    assert_eq!(
        remind_due(&restarted.state, later + Duration::days(6))
            .await
            .unwrap()
            .reminded,
        0
    );
    assert_eq!(mails(&cluster.mail), 1);
    // A week after the last e-mail: reminded again.
    let again = later + Duration::days(7);
    assert_eq!(
        remind_due(&restarted.state, again).await.unwrap().reminded,
        1
    );
    assert_eq!(mails(&cluster.mail), 2);
    // Answered: never reminded.
    store
        .record_answer(&id, &org, Answer::Unchanged, &json!({}), Utc::now())
        .await
        .unwrap();
    assert_eq!(
        remind_due(&one.state, again + Duration::days(20))
            .await
            .unwrap()
            .reminded,
        0
    );

    // A closed campaign reminds nobody.
    let closed = one.open(&admin, &[MIRA], 60, 1).await;
    one.api(
        Method::POST,
        &format!("/api/campaigns/{closed}/send"),
        &admin,
        None,
    )
    .await;
    one.api(
        Method::POST,
        &format!("/api/campaigns/{closed}/close"),
        &admin,
        None,
    )
    .await;
    // One whose period is over neither; the day before its end it still does.
    let short = one.open(&admin, &[MIRA], 3, 1).await;
    one.api(
        Method::POST,
        &format!("/api/campaigns/{short}/send"),
        &admin,
        None,
    )
    .await;
    assert_eq!(mails(&cluster.mail), 4);
    let n = remind_due(&one.state, now + Duration::days(10))
        .await
        .unwrap();
    assert_eq!(n.reminded, 0, "closed or over: {n:?}");
    assert_eq!(mails(&cluster.mail), 4);
    let n = remind_due(&one.state, now + Duration::days(2))
        .await
        .unwrap();
    assert_eq!(
        n.reminded, 1,
        "only the short campaign, still in its period"
    );
    assert_eq!(mails(&cluster.mail), 5);

    // The background task itself, with a short interval: a recipient sent to two days ago.
    let task = one.open(&admin, &[MIRA], 60, 1).await;
    let (_, hash) = tokens::fresh().unwrap();
    sent_at(&one, &task, &hash, Utc::now() - Duration::days(2)).await;
    let running = tokio::spawn(run(two.state.clone(), std::time::Duration::from_millis(50)));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while one.recipient(&task, ORG).await.state != RecipientState::Reminded {
        assert!(
            std::time::Instant::now() < deadline,
            "the task did not remind"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    running.abort();
    assert_eq!(mails(&cluster.mail), 6, "one reminder, however many checks");
}

on_both_backends!(reminders_go_out_on_schedule_once, scheduled_reminders);

async fn no_transport(b: Backend) {
    let cluster = Cluster::new(b, |c| {
        c.mail_dir = None;
        c.smtp_url = None;
    })
    .await;
    let one = cluster.replica().await;
    let admin = one.admin().await;
    let id = one.open(&admin, &[MIRA], 60, 1).await;
    let (s, v) = one
        .api(Method::GET, &format!("/api/campaigns/{id}"), &admin, None)
        .await;
    assert_eq!(s, 200);
    assert!(
        v["recipients"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["organization_id"] == ORG && r["state"] == "waiting"),
        "{v}"
    );
    for verb in ["send", "remind"] {
        let (s, kind, body) = one
            .call(
                Method::POST,
                &format!("/api/campaigns/{id}/{verb}"),
                &[("authorization", &admin)],
                None,
            )
            .await;
        assert_eq!(s, 503, "{verb}: {body}");
        assert_eq!(kind, "application/problem+json", "{verb}");
        let p: Value = serde_json::from_str(&body).unwrap();
        let detail = p["detail"].as_str().unwrap();
        for var in ["BUSSOLA_SMTP_URL", "BUSSOLA_MAIL_DIR"] {
            assert!(detail.contains(var), "{verb}: {detail}");
        }
    }
    assert_eq!(
        remind_due(&one.state, Utc::now() + Duration::days(30))
            .await
            .unwrap(),
        Reminded::default()
    );
    let (_, v) = one
        .api(Method::GET, &format!("/api/campaigns/{id}"), &admin, None)
        .await;
    assert!(v["campaign"]["sent_at"].is_null(), "{v}");
    for r in v["recipients"].as_array().unwrap() {
        assert!(r["state"] == "waiting" || r["state"] == "no_address", "{r}");
        assert!(r["sent_at"].is_null() && r["reminded_at"].is_null(), "{r}");
    }
}

on_both_backends!(without_a_transport_nothing_is_sent, no_transport);

/// POSTs the form at `token` as a browser on the site would.
async fn answer(r: &Replica, token: &str, fields: &[(String, String)]) -> (u16, String) {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        form.append_pair(k, v);
    }
    let (s, _, body) = r
        .call(
            Method::POST,
            &format!("/campaign/{token}"),
            &[("origin", "http://bussola.test"), ("accept", "text/html")],
            Some(("application/x-www-form-urlencoded", form.finish())),
        )
        .await;
    (s, body)
}

/// A record's newest version: (revision, source, how many notices it has).
async fn newest(r: &Replica, admin: &str, path: &str) -> (i64, String, usize) {
    let (_, h) = r
        .api(
            Method::GET,
            &format!("/api/records/{path}/history"),
            admin,
            None,
        )
        .await;
    let (_, rec) = r
        .api(Method::GET, &format!("/api/records/{path}"), admin, None)
        .await;
    (
        h["versions"][0]["revision"].as_i64().unwrap(),
        h["versions"][0]["source"].as_str().unwrap().to_owned(),
        rec["notices"].as_array().map_or(0, Vec::len),
    )
}

async fn state_of(r: &Replica, admin: &str, paths: &[String]) -> Vec<(i64, String, usize)> {
    let mut out = Vec::new();
    for p in paths {
        out.push(newest(r, admin, p).await);
    }
    out
}

async fn atomic_answer(b: Backend) {
    let cluster = Cluster::new(b, |_| {}).await;
    let (one, two) = (cluster.replica().await, cluster.replica().await);
    let admin = one.admin().await;
    // A trusted organisation: its notices publish at once.
    let (s, mut org) = one
        .api(
            Method::GET,
            &format!("/api/records/organizations/{ORG}"),
            &admin,
            None,
        )
        .await;
    assert_eq!(s, 200);
    org["trusted"] = json!(true);
    let (s, _, body) = one
        .call(
            Method::PUT,
            &format!("/api/records/organizations/{ORG}"),
            &[("authorization", &admin), ("if-match", "*")],
            Some(("application/json", org.to_string())),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    two.state.directory.catch_up().await.unwrap();

    let id = one.open(&admin, &[MIRA, VENEZIA], 60, 7).await;
    let (token, hash) = tokens::fresh().unwrap();
    sent_at(&one, &id, &hash, Utc::now()).await;
    let token = token.expose().to_owned();
    let catalog = one.state.directory.catalog();
    let offers: Vec<String> = catalog
        .sportelli()
        .iter()
        .find(|s| s.location.id.as_str() == ORIAGO)
        .unwrap()
        .offers
        .iter()
        .map(|o| o.sal.id.to_string())
        .collect();
    assert_eq!(offers.len(), 2, "{offers:?}");
    let f = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    let fields = vec![
        f(&format!("choice.{ORIAGO}"), "hours"),
        f(&format!("hours.{}", offers[0]), "Mo-Fr 09:00-12:00"),
        f(&format!("hours.{}", offers[1]), "Tu 14:00-16:00"),
        f(&format!("choice.{LIDO}"), "closed"),
        f(&format!("closed_from.{LIDO}"), "2027-08-10"),
        f(&format!("closed_until.{LIDO}"), "2027-08-24"),
    ];
    let paths = [
        format!("offers/{}", offers[0]),
        format!("offers/{}", offers[1]),
        format!("sportelli/{LIDO}"),
    ];
    let before = state_of(&one, &admin, &paths).await;
    // Another replica changes the second offer meanwhile: this one's read model has not
    // caught up, so the answer is based on a version that is no longer current.
    let (s, _, body) = two
        .call(
            Method::POST,
            &format!("/api/records/offers/{}/verify", offers[1]),
            &[("authorization", &admin), ("if-match", "*")],
            Some(("application/json", json!({"fields": ["hours"]}).to_string())),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let (s, page) = answer(&one, &token, &fields).await;
    assert_eq!(s, 412, "{page}");
    one.state.directory.catch_up().await.unwrap();
    let mut want = before.clone();
    want[1] = newest(&two, &admin, &paths[1]).await;
    assert_eq!(
        state_of(&one, &admin, &paths).await,
        want,
        "nothing written"
    );
    let (s, _, page) = one
        .call(Method::GET, &format!("/campaign/{token}"), &[], None)
        .await;
    assert_eq!(s, 200, "the link is still usable: {page}");

    // One entry invalid as the write API checks it (a sportello stored without its Italian
    // name, as an old import could leave it): the whole answer is refused, nothing written.
    let mut lido = bussola::api::edit::record::Record::stored(
        bussola::model::RecordKind::Location,
        &Id::parse(LIDO).unwrap(),
        &one.state.directory.catalog(),
    )
    .unwrap()
    .into_dataset();
    let good_name = lido.locations[0].name.clone();
    lido.locations[0].name.0.remove("it");
    let clean = lido.locations[0].meta.without_store_fields();
    lido.locations[0].meta = clean;
    let raw = |d: bussola::model::Dataset| bussola::store::ChangeSet {
        dataset: d,
        ..Default::default()
    };
    one.state.directory.apply(&raw(lido.clone())).await.unwrap();
    want[2] = newest(&one, &admin, &paths[2]).await;
    let (s, page) = answer(&one, &token, &fields).await;
    assert_eq!(s, 422, "{page}");
    assert!(page.contains(LIDO), "the problem names the entry: {page}");
    assert_eq!(
        state_of(&one, &admin, &paths).await,
        want,
        "nothing written"
    );
    lido.locations[0].name = good_name;
    one.state.directory.apply(&raw(lido)).await.unwrap();

    // Valid: one revision holds every entry of the answer.
    let (s, page) = answer(&one, &token, &fields).await;
    assert_eq!(s, 200, "{page}");
    let after = state_of(&one, &admin, &paths).await;
    let revision = after[0].0;
    for ((rev, source, notices), (_, _, had)) in after.iter().zip(&want) {
        assert_eq!(*rev, revision, "one revision: {after:?}");
        assert_eq!(source, "campaign");
        assert_eq!(*notices, had + 1, "{after:?}");
    }
    assert!(revision > want.iter().map(|w| w.0).max().unwrap());
    let (s, _, _) = one
        .call(Method::GET, &format!("/campaign/{token}"), &[], None)
        .await;
    assert_eq!(s, 410, "used");
}

on_both_backends!(an_answer_is_one_revision_or_nothing, atomic_answer);
