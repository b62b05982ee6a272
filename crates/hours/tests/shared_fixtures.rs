//! The opening-hours cases shared with the web app (`tests/fixtures/hours.json`, also run by
//! `web/src/hours.shared.test.ts` against `web/src/hours.ts`): the same schedules, instants
//! and expected states, so the two implementations cannot drift apart. A case with a `comune`
//! is evaluated there, where its patron day is a holiday too.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use bussola_hours::{is_holiday_in, is_public_holiday, Schedule, WeeklyHours};
use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use chrono_tz::Europe::Rome;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Fixtures {
    public_holidays: Vec<NaiveDate>,
    local_holidays: BTreeMap<String, Vec<NaiveDate>>,
    schedules: BTreeMap<String, serde_json::Value>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    schedule: String,
    #[serde(default)]
    comune: Option<String>,
    at: DateTime<Utc>,
    local: String,
    open: bool,
    next: Option<Next>,
    why: String,
}

#[derive(Deserialize, PartialEq, Debug)]
struct Next {
    local: String,
    opens: bool,
}

fn fixtures() -> Fixtures {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/hours.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn rome_wall_clock(t: DateTime<Utc>) -> String {
    t.with_timezone(&Rome).format("%Y-%m-%dT%H:%M").to_string()
}

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

#[test]
fn the_compiled_weeks_are_what_the_hours_strings_say() {
    let f = fixtures();
    for (name, s) in &f.schedules {
        for p in s["periods"].as_array().unwrap() {
            let hours: WeeklyHours = p["hours"].as_str().unwrap().parse().unwrap();
            // What `compile_hours` (server/src/api/web.rs) puts in the bundle for the app.
            let compiled: Vec<Vec<[u16; 2]>> = WEEK
                .iter()
                .map(|d| hours.day(*d).iter().map(|i| [i.start, i.end]).collect())
                .collect();
            let want: Vec<Vec<[u16; 2]>> = serde_json::from_value(p["week"].clone()).unwrap();
            assert_eq!(compiled, want, "{name}: {}", p["hours"]);
        }
    }
}

#[test]
fn the_fixture_holidays_are_the_crates_holidays() {
    let f = fixtures();
    let years: std::collections::BTreeSet<i32> =
        f.public_holidays.iter().map(|d| d.year()).collect();
    assert_eq!(years.len(), 2, "the fixture lists two years");
    for y in years {
        let first = NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
        for day in first.iter_days().take_while(|d| d.year() == y) {
            assert_eq!(
                is_public_holiday(day),
                f.public_holidays.contains(&day),
                "{day}"
            );
        }
    }
}

#[test]
fn the_fixture_local_holidays_are_the_crates_patron_days() {
    let f = fixtures();
    assert!(f.local_holidays.contains_key("027008"), "Chioggia is there");
    let years: std::collections::BTreeSet<i32> =
        f.public_holidays.iter().map(|d| d.year()).collect();
    for (comune, local) in &f.local_holidays {
        for y in &years {
            let first = NaiveDate::from_ymd_opt(*y, 1, 1).unwrap();
            for day in first.iter_days().take_while(|d| d.year() == *y) {
                let want = f.public_holidays.contains(&day) || local.contains(&day);
                assert_eq!(is_holiday_in(Some(comune), day), want, "{comune} {day}");
            }
        }
    }
}

#[test]
fn every_shared_case_passes() {
    let f = fixtures();
    assert!(f.cases.len() >= 25, "the fixture has its cases");
    for c in &f.cases {
        let json = &f.schedules[&c.schedule];
        let schedule: Schedule = serde_json::from_value(json.clone()).unwrap();
        let s = match &c.comune {
            Some(comune) => schedule.in_comune(comune),
            None => schedule.nationally(),
        };
        let label = format!("{} at {} ({})", c.schedule, c.local, c.why);
        assert_eq!(rome_wall_clock(c.at), c.local, "{label}: Rome time");
        assert_eq!(s.is_open_at(c.at), c.open, "{label}: open");
        let next = s.next_change(c.at, 14).map(|ch| Next {
            local: rome_wall_clock(ch.at),
            opens: ch.opens,
        });
        assert_eq!(next, c.next, "{label}: next change");
    }
}
