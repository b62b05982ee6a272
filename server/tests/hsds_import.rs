//! The real 211 Miami HSDS export (`../shared/data/hsds-211-miami-real`, a zipped tabular
//! datapackage, HSDS 1.x table names) read into a directory of the Metropolitan City of
//! Venice: every record is accounted for (kept, or dropped with its reason), the figures are
//! counted from the zip's CSV tables here, and a dry run or a refused import writes nothing.
//! A small HSDS 3.0 datapackage inside the territory imports and commits.

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
