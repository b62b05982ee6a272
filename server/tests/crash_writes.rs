//! Crash safety of the write path, on both backends: a client streams edits to `bussola serve`
//! through the write API; the server is killed with SIGKILL in the middle of the stream. After
//! a restart every acknowledged write is there, nothing that was never acknowledged is (the one
//! write in flight at the kill may or may not have committed, and only it), each record's
//! history holds exactly the versions that committed, and the read model equals the store.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use std::time::Duration;
use support::Backend;

/// How many services the writer edits in turn, and how many acknowledged edits it waits for
/// before the kill (the kill itself lands while the next edit is in flight).
const SERVICES: usize = 4;
const ACKED_BEFORE_KILL: usize = 40;

/// Imports the territory and the demo, and creates an admin with an API token.
fn prepare(b: &Backend) -> String {
    let p27 = support::shared_data("istat-boundaries/limits_P_27_municipalities.geojson");
    let (code, _, err) = b.run(&["import", "comuni", p27.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let demo = support::repo_file("data/demo/venezia.geojson");
    let (code, _, err) = b.run(&["import", "services", demo.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = b.run(&["user", "add", "crash.admin", "--role", "admin"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = b.run(&[
        "token",
        "create",
        "crash.admin",
        "--role",
        "admin",
        "--name",
        "crash test",
    ]);
    assert_eq!(code, 0, "{err}");
    out.split_whitespace()
        .find(|w| w.starts_with("bsl_"))
        .expect("the token is printed")
        .to_owned()
}

async fn record(client: &reqwest::Client, base: &str, token: &str, id: &str) -> (Value, String) {
    let r = client
        .get(format!("{base}/api/records/services/{id}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "GET service {id}");
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    (r.json().await.unwrap(), etag)
}

async fn history_len(client: &reqwest::Client, base: &str, token: &str, id: &str) -> usize {
    let v: Value = client
        .get(format!("{base}/api/records/services/{id}/history"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["versions"].as_array().expect("versions").len()
}

/// What the writer knows about one service.
#[derive(Default, Clone)]
struct Writes {
    /// Values acknowledged with 200, in order.
    acked: Vec<String>,
    /// The value sent last without an answer (the kill came first).
    in_flight: Option<String>,
}

async fn a_killed_server_keeps_every_acknowledged_write(b: Backend) {
    let token = prepare(&b);
    let mut server = b.serve(&[]).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let demo = support::oracle::demo();
    // Each service with one sportello offering it (the public `services` item is an offer,
    // `{sportello}~{service}`).
    let mut offers: Vec<(String, String)> = support::oracle::public_offers(&demo)
        .into_iter()
        .map(|(l, s)| {
            (
                s["id"].as_str().unwrap().to_owned(),
                format!(
                    "{}~{}",
                    l["id"].as_str().unwrap(),
                    s["id"].as_str().unwrap()
                ),
            )
        })
        .collect();
    offers.sort();
    offers.dedup_by(|a, b| a.0 == b.0);
    offers.truncate(SERVICES);
    let ids: Vec<String> = offers.iter().map(|(s, _)| s.clone()).collect();
    assert_eq!(ids.len(), SERVICES);
    let mut before = Vec::new();
    for id in &ids {
        before.push(history_len(&client, &server.base, &token, id).await);
    }

    // The writer: edit the services in turn, each from the version it last saw.
    let mut writes = vec![Writes::default(); SERVICES];
    let mut etags = Vec::new();
    let mut docs = Vec::new();
    for id in &ids {
        let (doc, etag) = record(&client, &server.base, &token, id).await;
        docs.push(doc);
        etags.push(etag);
    }
    let mut acked = 0;
    let mut n = 0usize;
    loop {
        let i = n % SERVICES;
        n += 1;
        let value = format!("crash test edit {n}");
        let mut doc = docs[i].clone();
        doc["description"] = serde_json::json!({ "it": value });
        if acked == ACKED_BEFORE_KILL {
            // Send one more and kill the server while it is in flight.
            writes[i].in_flight = Some(value.clone());
            let send = client
                .put(format!("{}/api/records/services/{}", server.base, ids[i]))
                .bearer_auth(&token)
                .header("If-Match", &etags[i])
                .json(&doc)
                .send();
            let kill = async {
                tokio::time::sleep(Duration::from_millis(2)).await;
                server.child.kill().expect("SIGKILL the server");
            };
            let (answer, ()) = tokio::join!(send, kill);
            if let Ok(r) = answer {
                if r.status() == 200 {
                    writes[i].acked.push(value);
                    writes[i].in_flight = None;
                }
            }
            break;
        }
        let r = client
            .put(format!("{}/api/records/services/{}", server.base, ids[i]))
            .bearer_auth(&token)
            .header("If-Match", &etags[i])
            .json(&doc)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "edit {n} of {}", ids[i]);
        etags[i] = r.headers()["etag"].to_str().unwrap().to_owned();
        docs[i] = r.json().await.unwrap();
        writes[i].acked.push(value);
        acked += 1;
    }
    let _ = server.child.wait();
    drop(server);

    let server = b.serve(&[]).await;
    for (i, id) in ids.iter().enumerate() {
        let (doc, _) = record(&client, &server.base, &token, id).await;
        let stored = doc["description"]["it"].as_str().unwrap_or("").to_owned();
        let w = &writes[i];
        let last_acked = w.acked.last().cloned().unwrap_or_default();
        let allowed: Vec<&String> = std::iter::once(&last_acked).chain(&w.in_flight).collect();
        assert!(
            allowed.contains(&&stored),
            "{id}: stored {stored:?}, but the last acknowledged write was {last_acked:?} \
             (in flight: {:?})",
            w.in_flight
        );
        let in_flight_committed = w.in_flight.as_ref() == Some(&stored);
        let versions = history_len(&client, &server.base, &token, id).await;
        assert_eq!(
            versions,
            before[i] + w.acked.len() + usize::from(in_flight_committed),
            "{id}: one stored version per committed write"
        );
        // The read model (the public item) equals the store (the record the API reads back).
        let public = client
            .get(format!(
                "{}/api/collections/services/items/{}",
                server.base, offers[i].1
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(public.status(), 200, "the public service {id}");
        let shown = public.text().await.unwrap();
        assert!(
            shown.contains(&stored),
            "{id}: the public item shows {shown}, the store holds {stored:?}"
        );
    }
}

#[tokio::test]
async fn sqlite_a_killed_server_keeps_every_acknowledged_write() {
    a_killed_server_keeps_every_acknowledged_write(Backend::sqlite()).await;
}

#[tokio::test]
async fn postgres_a_killed_server_keeps_every_acknowledged_write() {
    a_killed_server_keeps_every_acknowledged_write(Backend::postgres().await).await;
}
