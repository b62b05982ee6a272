//! A comune's patron day closes its sportelli that close on public holidays: on Thursday
//! 11 June 2026 (Santi Felice e Fortunato) every Chioggia sportello's `open_now` and
//! `next_change`, rendered in full and pre-rendered, are the oracle's evaluation with that day
//! a holiday there, while Venezia's stay those of an ordinary Thursday.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use bussola::api::render::{sportello, write_sportello};
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::Rome;
use support::oracle;

#[tokio::test]
async fn chioggia_closes_on_its_patron_day_and_venezia_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let directory = bussola::startup::open_directory(&support::test_config(dir.path()))
        .await
        .unwrap();
    let catalog = directory.catalog();
    let demo = oracle::demo();
    let mut closed_by_the_saints = 0;
    let mut venezia_checked = 0;
    for hour in [8, 10, 15] {
        let now = Rome
            .with_ymd_and_hms(2026, 6, 11, hour, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        for s in catalog.sportelli() {
            let comune = s.location.address.comune_istat.as_str();
            if comune != "027008" && comune != "027042" {
                continue;
            }
            let full = serde_json::to_value(sportello(s, &catalog, "it", now, None, |_| true));
            let mut bytes = Vec::new();
            write_sportello(&mut bytes, s, &catalog, "it", now, None, "public", |_| true);
            let pre: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(pre, full.unwrap(), "{}", s.location.id);
            for svc in pre["properties"]["services"].as_array().unwrap() {
                let id = svc["id"].as_str().unwrap();
                let schedule = &oracle::service(&demo, s.location.id.as_str(), id)["schedule"];
                let label = format!("{} / {id} at {hour}:00", s.location.id);
                assert_eq!(
                    svc["open_now"].as_bool().unwrap(),
                    oracle::open_in(schedule, comune, now),
                    "{label}"
                );
                let next = svc["next_change"]["at"]
                    .as_str()
                    .map(|t| DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc));
                assert_eq!(
                    next,
                    oracle::next_change(schedule, comune, now).map(|(at, _)| at),
                    "{label}: next change"
                );
                if comune == "027008" && oracle::open_at(schedule, now) {
                    closed_by_the_saints += 1;
                    assert_eq!(svc["open_now"], false, "{label}");
                }
                if comune == "027042" {
                    venezia_checked += 1;
                    assert_eq!(
                        oracle::open_in(schedule, comune, now),
                        oracle::open_at(schedule, now),
                        "{label}: 11 June is an ordinary day in Venezia"
                    );
                }
            }
        }
    }
    assert!(
        closed_by_the_saints >= 3,
        "Chioggia services open on an ordinary Thursday morning: {closed_by_the_saints}"
    );
    assert!(venezia_checked > 10, "{venezia_checked}");
}

/// `open_at` on the patron day lists only the Chioggia sportelli the oracle finds open with
/// that day a holiday there (the filter evaluates each service in its comune).
#[tokio::test]
async fn open_at_on_the_patron_day_knows_the_comune() {
    let (_dir, app) = support::demo_app().await;
    let demo = oracle::demo();
    let at = "2026-06-11T10:00:00%2B02:00";
    let now = Rome
        .with_ymd_and_hms(2026, 6, 11, 10, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let r = support::client::get(
        &app,
        &format!("/api/collections/sportelli/items?comune=027008&open_at={at}&limit=1000"),
    )
    .await;
    assert_eq!(r.status, 200);
    let mut got = support::client::ids(&r.json());
    got.sort();
    let mut expected: Vec<String> = oracle::public_offers(&demo)
        .into_iter()
        .filter(|(f, s)| {
            f["properties"]["address"]["comune_istat"] == "027008"
                && oracle::open_in(&s["schedule"], "027008", now)
        })
        .map(|(f, _)| f["id"].as_str().unwrap().to_owned())
        .collect();
    expected.sort();
    expected.dedup();
    let open_if_ordinary = oracle::public_offers(&demo)
        .into_iter()
        .filter(|(f, s)| {
            f["properties"]["address"]["comune_istat"] == "027008"
                && oracle::open_at(&s["schedule"], now)
        })
        .count();
    assert!(
        open_if_ordinary > expected.len(),
        "the day must close something in Chioggia ({open_if_ordinary} open on an ordinary Thursday)"
    );
    assert_eq!(got, expected);
}
