//! The real 211 Miami HSDS export (`../shared/data/hsds-211-miami-real`, a zipped tabular
//! datapackage, HSDS 1.x table names) read into a directory of the Metropolitan City of
//! Venice: every record is accounted for (kept, or dropped with its reason), the figures are
//! counted from the zip's CSV tables here, and a dry run or a refused import writes nothing.
//! A small HSDS 3.0 datapackage inside the territory imports and commits. Into a directory it
//! fits — no territory loaded, base language English — the same export keeps every located
//! service whose AIRS terms map, and the read model serves them near Miami.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use bussola::hsds::{self, Options};
use bussola::index::Catalog;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use support::Backend;

fn miami() -> std::path::PathBuf {
    support::shared_data("hsds-211-miami-real/datapackage-1566177582.zip")
}

/// The rows of one CSV table of the zip, as maps.
fn table(name: &str) -> Vec<HashMap<String, String>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(miami()).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(&format!("data/{name}.csv"))
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .map(|r| r.unwrap())
        .collect()
}

fn venice() -> Catalog {
    Catalog::from_snapshot(bussola::store::Snapshot {
        revision: 1,
        dataset: Default::default(),
        comuni: bussola::territory::comuni().unwrap(),
    })
}

fn tally_of(outcome: &hsds::Outcome, kind: &str, reason_starts: &str) -> usize {
    outcome
        .tally()
        .iter()
        .filter(|((k, r), _)| k == kind && r.starts_with(reason_starts))
        .map(|(_, n)| n)
        .sum()
}

#[test]
fn the_miami_export_is_read_whole_and_every_drop_has_its_reason() {
    let opts = Options {
        lang: "en".into(),
        id_prefix: "miami".into(),
        base_lang: "it".into(),
    };
    let outcome = hsds::load(&miami(), &venice(), &opts).expect("the datapackage reads");

    let organizations = table("organizations");
    let services = table("services");
    let locations = table("locations");
    let sal = table("services_at_location");
    assert_eq!(outcome.read.organizations, organizations.len());
    assert_eq!(outcome.read.services, services.len());
    let location_ids: BTreeSet<&str> = locations.iter().map(|l| l["id"].as_str()).collect();
    assert_eq!(outcome.read.locations, location_ids.len());
    let service_ids: BTreeSet<&str> = services.iter().map(|s| s["id"].as_str()).collect();
    let offered = sal
        .iter()
        .filter(|r| service_ids.contains(r["service_id"].as_str()))
        .count();
    assert_eq!(outcome.read.service_at_locations, offered);

    // Locations: without coordinates (counted here), or outside the territory (Miami-Dade
    // has no comune of Venice): none is kept.
    let mut coordinates: BTreeMap<&str, bool> = BTreeMap::new();
    for l in &locations {
        let ok = ["latitude", "longitude"]
            .iter()
            .all(|k| l[*k].trim().parse::<f64>().is_ok());
        *coordinates.entry(l["id"].as_str()).or_insert(true) &= ok;
    }
    let without = coordinates.values().filter(|ok| !**ok).count();
    assert!(without > 1000, "{without}");
    assert_eq!(
        tally_of(&outcome, "location", "no valid latitude/longitude"),
        without
    );
    assert_eq!(
        tally_of(&outcome, "location", "outside the territory"),
        coordinates.len() - without
    );
    assert_eq!(outcome.kept().locations, 0);

    // Services: with no AIRS term that maps to a category of need (counted here with the
    // mapping table), else for their English-only names; nothing is offered anywhere kept.
    let mut terms: HashMap<&str, Vec<&str>> = HashMap::new();
    let links = table("services_taxonomy");
    for r in &links {
        terms
            .entry(r["service_id"].as_str())
            .or_default()
            .push(r["taxonomy_id"].as_str());
    }
    let org_ids: BTreeSet<&str> = organizations.iter().map(|o| o["id"].as_str()).collect();
    let known_org = services
        .iter()
        .filter(|s| org_ids.contains(s["organization_id"].as_str()))
        .count();
    let unmapped = services
        .iter()
        .filter(|s| org_ids.contains(s["organization_id"].as_str()))
        .filter(|s| {
            terms
                .get(s["id"].as_str())
                .is_none_or(|t| t.iter().all(|c| hsds::airs::categories(c).is_empty()))
        })
        .count();
    assert!(
        unmapped > 0 && unmapped < known_org,
        "{unmapped} of {known_org}"
    );
    assert_eq!(
        tally_of(
            &outcome,
            "service",
            "no taxonomy term maps to a Bussola category"
        ),
        unmapped
    );
    assert_eq!(
        tally_of(&outcome, "service", "the directory needs an Italian name"),
        known_org - unmapped
    );
    assert_eq!(
        tally_of(&outcome, "service", "names no organisation"),
        services.len() - known_org
    );
    let k = outcome.kept();
    assert_eq!(
        (k.services, k.service_at_locations, k.organizations),
        (0, 0, 0)
    );
    // Every record read is kept or dropped exactly once.
    let dropped = |kind: &str| {
        outcome
            .tally()
            .iter()
            .filter(|((k, _), _)| k == kind)
            .map(|(_, n)| n)
            .sum::<usize>()
    };
    assert_eq!(dropped("location"), outcome.read.locations);
    assert_eq!(dropped("service"), outcome.read.services);
    assert_eq!(dropped("organization"), outcome.read.organizations);
    // The report names the record and the field, and parses as CSV.
    let mut csv = Vec::new();
    outcome.write_csv(&mut csv).unwrap();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(csv.as_slice())
        .records()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(rows.len(), outcome.dropped.len());
    assert!(rows
        .iter()
        .any(|r| r[0].starts_with("location ") && &r[1] == "latitude"));
    let summary = outcome.to_string();
    assert!(
        summary.contains(&format!("locations {} → 0", outcome.read.locations)),
        "{summary}"
    );
}

#[test]
fn the_cli_dry_run_reports_and_writes_nothing() {
    let b = Backend::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.csv");
    let (code, _, err) = b.run(&[
        "import",
        "hsds",
        miami().to_str().unwrap(),
        "--lang",
        "en",
        "--id-prefix",
        "miami",
        "--dry-run",
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("dropped:") && err.contains("dry run"), "{err}");
    assert!(std::fs::read_to_string(&report).unwrap().lines().count() > 4000);
    let (_, out, _) = b.run(&["export", "services"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["features"].as_array().unwrap().len(), 0);
    // A path that is no datapackage is refused with exit code 3 and its name.
    let (code, _, err) = b.run(&["import", "hsds", dir.path().to_str().unwrap()]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("holds no HSDS tables"), "{err}");
}

/// A small HSDS 3.0 tabular datapackage in the territory (Italian text, AIRS codes, one
/// location without coordinates): what maps is committed, what does not is reported.
async fn a_tabular_datapackage_in_the_territory_commits(b: Backend) {
    let comuni = support::shared_data("istat-boundaries/limits_P_27_municipalities.geojson");
    assert_eq!(b.run(&["import", "comuni", comuni.to_str().unwrap()]).0, 0);
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "organizations.csv",
        "id,name,description\no1,Associazione Esempio,Aiuto legale\n",
    );
    write(
        "locations.csv",
        "id,organization_id,name,latitude,longitude\nl1,o1,Sportello Mestre,45.4904,12.2386\nl2,o1,Sportello senza posto,,\n",
    );
    write(
        "addresses.csv",
        "id,location_id,address_1,city,postal_code,country,address_type\na1,l1,Via Piave 1,Venezia,30171,IT,physical\na2,l2,Via X,Venezia,30171,IT,physical\n",
    );
    write(
        "services.csv",
        "id,organization_id,name,status\ns1,o1,Consulenza legale per stranieri,active\ns2,o1,Toelettatura cani,active\n",
    );
    write(
        "service_at_locations.csv",
        "id,service_id,location_id\nsl1,s1,l1\nsl2,s2,l1\nsl3,s1,l2\n",
    );
    write(
        "schedules.csv",
        "id,service_at_location_id,freq,byday,opens_at,closes_at\nh1,sl1,WEEKLY,\"MO,WE\",09:00,12:30\n",
    );
    write(
        "taxonomy_terms.csv",
        "id,code,name,taxonomy\nt1,FT-3200,General Legal Aid,AIRS\nt2,PD-7600,Pet grooming,AIRS\n",
    );
    write(
        "attributes.csv",
        "id,link_id,taxonomy_term_id,link_type\nx1,s1,t1,service\nx2,s2,t2,service\n",
    );
    let path = dir.path().to_str().unwrap();
    let (code, _, err) = b.run(&["import", "hsds", path, "--id-prefix", "esempio"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("1 location: no valid latitude/longitude"),
        "{err}"
    );
    assert!(err.contains("1 service: no taxonomy term maps"), "{err}");
    let (_, out, _) = b.run(&["export", "services"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let features = v["features"].as_array().unwrap();
    assert_eq!(features.len(), 1, "{out}");
    let f = &features[0];
    assert_eq!(f["id"], "esempio-loc-l1");
    assert_eq!(f["properties"]["address"]["comune_istat"], "027042");
    let services = f["properties"]["services"].as_array().unwrap();
    assert_eq!(services.len(), 1);
    assert_eq!(services[0]["id"], "esempio-svc-s1");
    assert_eq!(services[0]["categories"], serde_json::json!(["legal-aid"]));
    assert_eq!(
        services[0]["schedule"]["periods"][0]["hours"],
        "Mo,We 09:00-12:30"
    );
}

on_both_backends!(
    tabular_commit,
    a_tabular_datapackage_in_the_territory_commits
);

/// What the Miami export should keep in a directory with no territory and base language
/// `en`, counted from the zip's CSV tables and the AIRS table: (organisations, locations,
/// services, services at locations), the located location ids, and the located count.
struct MiamiFits {
    organizations: usize,
    locations: BTreeSet<String>,
    services: usize,
    offers: usize,
    unlocated: usize,
}

fn miami_fits() -> MiamiFits {
    let organizations = table("organizations");
    let org_ids: BTreeSet<&str> = organizations.iter().map(|o| o["id"].as_str()).collect();
    let locations = table("locations");
    let mut located: BTreeMap<&str, bool> = BTreeMap::new();
    for l in &locations {
        let ok = ["latitude", "longitude"]
            .iter()
            .all(|k| l[*k].trim().parse::<f64>().is_ok());
        *located.entry(l["id"].as_str()).or_insert(true) &= ok;
    }
    let unlocated = located.values().filter(|ok| !**ok).count();
    let kept_locations: BTreeSet<String> = locations
        .iter()
        .filter(|l| located[l["id"].as_str()])
        .filter(|l| org_ids.contains(l["organization_id"].as_str()) && !l["name"].trim().is_empty())
        .map(|l| l["id"].clone())
        .collect();
    let mut terms: HashMap<String, Vec<String>> = HashMap::new();
    for r in table("services_taxonomy") {
        terms
            .entry(r["service_id"].clone())
            .or_default()
            .push(r["taxonomy_id"].clone());
    }
    let mut at: HashMap<String, BTreeSet<String>> = HashMap::new();
    for r in table("services_at_location") {
        at.entry(r["service_id"].clone())
            .or_default()
            .insert(r["location_id"].clone());
    }
    let services = table("services");
    let (mut kept_services, mut offers) = (0, 0);
    let mut used_orgs: BTreeSet<String> = locations
        .iter()
        .filter(|l| kept_locations.contains(&l["id"]))
        .map(|l| l["organization_id"].clone())
        .collect();
    for s in &services {
        let maps = terms
            .get(&s["id"])
            .is_some_and(|t| t.iter().any(|c| !hsds::airs::categories(c).is_empty()));
        if !org_ids.contains(s["organization_id"].as_str()) || !maps || s["name"].trim().is_empty()
        {
            continue;
        }
        let here = at.get(&s["id"]).map_or(0, |ls| {
            ls.iter().filter(|l| kept_locations.contains(*l)).count()
        });
        if here == 0 && at.get(&s["id"]).is_some_and(|ls| !ls.is_empty()) {
            continue;
        }
        kept_services += 1;
        offers += here;
        used_orgs.insert(s["organization_id"].clone());
    }
    MiamiFits {
        organizations: used_orgs.len(),
        locations: kept_locations,
        services: kept_services,
        offers,
        unlocated,
    }
}

/// The Miami export imported with the CLI into an empty store with base language `en` and no
/// territory: what the tables say should be kept is kept, every drop is in the report with
/// its reason, and `/collections/sportelli/items` serves the sportelli near Miami.
async fn miami_into_a_directory_it_fits(b: Backend) {
    let want = miami_fits();
    assert!(
        want.locations.len() > 100 && want.services > 10,
        "{} {}",
        want.locations.len(),
        want.services
    );
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("dropped.csv");
    let out = b
        .command()
        .env("BUSSOLA_BASE_LANG", "en")
        .args([
            "import",
            "hsds",
            miami().to_str().unwrap(),
            "--lang",
            "en",
            "--id-prefix",
            "miami",
            "--report",
            report.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let (organizations, services, locations) = (
        table("organizations").len(),
        table("services").len(),
        table("locations").len(),
    );
    for line in [
        format!("organizations {organizations} → {}", want.organizations),
        format!("locations {locations} → {}", want.locations.len()),
        format!("services {services} → {}", want.services),
    ] {
        assert!(err.contains(&line), "{line} in\n{err}");
    }
    assert!(!err.contains("outside the territory"), "{err}");

    // The report: every record dropped once, each with its reason.
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(&report)
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .collect();
    assert!(
        rows.iter().all(|r| !r[2].trim().is_empty()),
        "a drop without a reason"
    );
    let dropped = |kind: &str| {
        rows.iter()
            .filter(|r| r[0].starts_with(&format!("{kind} ")) && &r[3] == "record")
            .count()
    };
    assert_eq!(dropped("location"), locations - want.locations.len());
    assert_eq!(dropped("service"), services - want.services);
    assert_eq!(dropped("organization"), organizations - want.organizations);
    assert_eq!(
        rows.iter()
            .filter(|r| r[0].starts_with("location ") && r[2].starts_with("no valid latitude"))
            .count(),
        want.unlocated
    );

    // The store holds them: every kept sportello, each kept offer, no comune.
    let (code, out, err) = b.run(&["export", "services"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let features = v["features"].as_array().unwrap();
    assert_eq!(features.len(), want.locations.len());
    let offered: usize = features
        .iter()
        .map(|f| f["properties"]["services"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(offered, want.offers);
    assert!(features
        .iter()
        .all(|f| f["properties"]["address"]["comune_istat"] == ""));

    // The read model serves them near a Miami point (one of the kept sportelli).
    let first = features
        .iter()
        .find(|f| !f["properties"]["services"].as_array().unwrap().is_empty())
        .unwrap();
    let at = &first["geometry"]["coordinates"];
    let mut config = support::test_config(dir.path());
    match &b {
        Backend::Sqlite(d) => config.data_dir = d.path().to_path_buf(),
        Backend::Postgres(url) => {
            config.database_url = Some(bussola::accounts::Secret::new(url.clone()))
        }
    }
    config.demo = bussola::config::DemoMode::Never;
    config.base_lang = "en".into();
    let directory = bussola::startup::open_directory(&config).await.unwrap();
    let router = bussola::api::router(directory, &config);
    let uri = format!(
        "/api/collections/sportelli/items?near={},{}&limit=5&lang=en",
        at[0], at[1]
    );
    let res = tower::ServiceExt::oneshot(
        router,
        axum::http::Request::get(&uri)
            .header("host", "bussola.test")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 200);
    let body = axum::body::to_bytes(res.into_body(), 16 << 20)
        .await
        .unwrap();
    let page: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let ids: Vec<&str> = page["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&first["id"].as_str().unwrap()), "{ids:?}");
    assert!(want
        .locations
        .iter()
        .any(|l| first["id"] == format!("miami-loc-{}", l.to_lowercase())));
}

on_both_backends!(miami_fits_its_own_directory, miami_into_a_directory_it_fits);
