//! Two `bussola serve` processes on one PostGIS database: a write committed by another
//! process shows up in both within one second, through LISTEN/NOTIFY (polling is set to a
//! minute so it cannot be what delivers it).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};
use support::Backend;

async fn ids_near(client: &reqwest::Client, base: &str) -> Vec<String> {
    let v: serde_json::Value = client
        .get(format!(
            "{base}/api/collections/sportelli/items?near=12.2381,45.4903&limit=50"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_by_another_process_reaches_both_replicas_within_a_second() {
    let backend = Backend::postgres().await;
    let (code, _, err) = backend.run(&["migrate"]);
    assert_eq!(code, 0, "{err}");
    let a = backend.serve(&[("BUSSOLA_POLL_SECS", "60")]).await;
    let b = backend.serve(&[("BUSSOLA_POLL_SECS", "60")]).await;
    let client = reqwest::Client::new();
    assert!(ids_near(&client, &a.base).await.is_empty());

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("one.geojson");
    std::fs::write(
        &file,
        r#"{"type":"FeatureCollection","bussola":{"organizations":[{"id":"org-r","name":"Replica test (fictional)"}]},
            "features":[{"type":"Feature","id":"loc-replica","geometry":{"type":"Point","coordinates":[12.24,45.49]},
            "properties":{"organization_id":"org-r","name":{"it":"Sportello di prova"},"address":{"comune_istat":"027042"}}}]}"#,
    )
    .unwrap();
    // The write: a third process commits; its commit time is when the import returns.
    let (code, _, err) = backend.run(&["import", "services", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let committed = Instant::now();
    for server in [&a, &b] {
        loop {
            if ids_near(&client, &server.base).await == ["loc-replica"] {
                break;
            }
            assert!(
                committed.elapsed() < Duration::from_secs(1),
                "replica {} did not see the write within 1 s",
                server.base
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
