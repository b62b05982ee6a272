//! A fresh install serves the territory: the real `bussola serve` on an empty data directory
//! (`BUSSOLA_DEMO=auto`) loads the shipped comuni with the demo data. Expected values come
//! from the public sources in `../shared/data` (ISTAT names, ANPR population), never from
//! the shipped file under test.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use std::collections::HashMap;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use support::Backend;

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

async fn start_fresh(backend: &Backend) -> Server {
    let port = support::free_port();
    let child = backend
        .command()
        .args(["serve"])
        .env("BUSSOLA_DEMO", "auto")
        .env("BUSSOLA_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn bussola serve");
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = reqwest::get(format!("{}/readyz", server.base)).await {
            if r.status().is_success() {
                return server;
            }
        }
        assert!(Instant::now() < deadline, "server did not become ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn get(server: &Server, path: &str) -> Value {
    let r = reqwest::get(format!("{}{path}", server.base))
        .await
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.json().await.unwrap()
}

/// ISTAT code → name, from the unsimplified ISTAT/Openpolis file.
fn istat_names() -> HashMap<String, String> {
    let text = std::fs::read_to_string(support::shared_data(
        "istat-boundaries/limits_P_27_municipalities.geojson",
    ))
    .unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = &f["properties"];
            (
                p["com_istat_code"].as_str().unwrap().to_owned(),
                p["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// ISTAT code → residents, from the ANPR extract.
fn anpr_population() -> HashMap<String, u64> {
    let text = std::fs::read_to_string(support::shared_data(
        "population-venezia-anpr/anpr_residenti_cm_venezia_2024-01-10.csv",
    ))
    .unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (code, residents) = (col("COD_ISTAT_COMUNE"), col("RESIDENTI"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[code].to_owned(), cells[residents].parse().unwrap())
        })
        .collect()
}

fn multipolygon(geometry: &Value) -> geo::MultiPolygon<f64> {
    let gj = geojson::Geometry::from_json_value(geometry.clone()).unwrap();
    geo::MultiPolygon::try_from(gj.value).unwrap()
}

async fn a_fresh_install_serves_the_44_comuni_and_every_address_names_its_comune(b: Backend) {
    use geo::Contains;
    let server = start_fresh(&b).await;
    let names = istat_names();
    let population = anpr_population();
    assert_eq!((names.len(), population.len()), (44, 44));

    let comuni = get(&server, "/api/collections/comuni/items?limit=100").await;
    let features = comuni["features"].as_array().unwrap();
    assert_eq!(features.len(), 44, "comuni on a fresh install");
    let mut boundary = HashMap::new();
    for f in features {
        let p = &f["properties"];
        let code = p["istat"].as_str().unwrap();
        assert_eq!(p["name"].as_str(), Some(names[code].as_str()), "{code}");
        assert_eq!(p["population"].as_u64(), Some(population[code]), "{code}");
        boundary.insert(code.to_owned(), multipolygon(&f["geometry"]));
    }

    let sportelli = get(&server, "/api/collections/sportelli/items?limit=1000").await;
    let sportelli = sportelli["features"].as_array().unwrap();
    let demo = support::oracle::demo();
    assert_eq!(
        sportelli.len(),
        support::oracle::public_sportelli(&demo).len()
    );
    for s in sportelli {
        let a = &s["properties"]["address"];
        let code = a["comune_istat"].as_str().unwrap();
        assert_eq!(
            a["comune"].as_str(),
            Some(names[code].as_str()),
            "sportello {} has no comune name",
            s["id"]
        );
        // The simplified boundary still holds the sportello.
        let (lon, lat) = support::oracle::lon_lat(s);
        assert!(
            boundary[code].contains(&geo::point!(x: lon, y: lat)),
            "sportello {} lies outside the shipped boundary of {}",
            s["id"],
            names[code]
        );
    }

    let config = get(&server, "/api/config").await;
    let attribution = &config["territory"]["attribution"];
    assert_eq!(
        attribution["boundaries"]["attribution"],
        "Confini amministrativi ISTAT, elaborazione Openpolis"
    );
    assert_eq!(attribution["boundaries"]["license"], "CC-BY-4.0");
    assert_eq!(attribution["population"]["license"], "CC0-1.0");

    let collection = get(&server, "/api/collections/comuni").await;
    assert!(collection["attribution"]
        .as_str()
        .unwrap()
        .contains("ISTAT"));
    assert_eq!(collection["license"], "CC-BY-4.0 AND CC0-1.0");
    let licence_links: Vec<&str> = collection["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["rel"] == "license")
        .map(|l| l["href"].as_str().unwrap())
        .collect();
    assert_eq!(
        licence_links,
        [
            "https://creativecommons.org/licenses/by/4.0/",
            "https://creativecommons.org/publicdomain/zero/1.0/"
        ]
    );
}

on_both_backends!(
    fresh_install,
    a_fresh_install_serves_the_44_comuni_and_every_address_names_its_comune
);
